package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import smile.classification.ClassLabels;
import smile.classification.LogisticRegression;
import smile.math.BFGS;
import smile.math.MathEx;
import smile.util.function.DifferentiableMultivariateFunction;

/**
 * Fits Smile's {@link LogisticRegression} model (same objective: summed log-loss + lambda/2 * ||w||^2, intercept not
 * penalised, minimised by Smile's own L-BFGS, {@link BFGS#minimize}); only the objective and its gradient are ours.
 * Smile's {@code LogisticRegression.fit} evaluates them over dense {@code double[]} rows; after one-hot encoding
 * most cells are zero (adult: 14 non-zeros of 105 columns), so this objective reads a compact copy of the design
 * matrix instead (see {@link Design}): the numeric columns column-major, each one-hot block as one level code per
 * row. Zero cells contribute exactly 0 to every sum, so the objective is the same function.
 *
 * <p>Profile on adult (26,048 training rows, JFR): about 45% of a fit is the exp/log of the per-row loss, the rest
 * the margins and the gradient's column sums; one evaluation per L-BFGS iteration (see {@link Objective#f}).
 *
 * <p>Deterministic: the loss is summed over fixed row partitions combined in partition order, and each gradient
 * entry is one column sum in row order, whatever the number of threads (Smile's own objective sums a parallel
 * stream, whose result can depend on the thread split).
 */
final class SparseLogistic {

    private static final int PARTITION = 2048;
    /**
     * L-BFGS corrections kept: 10, the default ({@code maxcor}) of SciPy's L-BFGS-B that scikit-learn's lbfgs
     * solver runs (on adult, 201 objective evaluations instead of 236 with 5, to a slightly lower objective).
     */
    private static final int CORRECTIONS = 10;

    private SparseLogistic() {
    }

    /**
     * The design matrix by column: dense columns (numeric features) column-major in one flat array, and one-hot
     * blocks as one code per row (the design column holding the row's 1.0, -1 when the row has none). One-hot
     * columns are therefore never multiplied nor stored as 0/1 values, and the dense columns are contiguous, so
     * the margins and the gradient are vectorisable column passes over a partition of rows.
     */
    private record Design(int rows, int cols, int[] denseColumn, double[] dense, int[] codes, int blocks,
            int[] oneHotColumn, int[] columnStart, int[] columnRows) {

        /**
         * @param x      rows × cols
         * @param blocks per input feature {start column, levels} with levels -1 for a single numeric column (as
         *               {@link Preprocessor#featureBlocks()}), or null to treat every column as dense
         */
        static Design of(double[][] x, int[][] blocks) {
            int n = x.length;
            int p = n == 0 ? 0 : x[0].length;
            boolean[] inBlock = new boolean[p];
            List<int[]> oneHot = new ArrayList<>();
            if (blocks != null) {
                for (int[] b : blocks) {
                    if (b[1] > 0 && isOneHot(x, b[0], b[1])) {
                        oneHot.add(b);
                        for (int j = b[0]; j < b[0] + b[1]; j++) inBlock[j] = true;
                    }
                }
            }
            int[] denseColumn = IntStream.range(0, p).filter(j -> !inBlock[j]).toArray();
            double[] dense = new double[denseColumn.length * n];
            for (int i = 0; i < n; i++) {
                double[] row = x[i];
                for (int c = 0; c < denseColumn.length; c++) dense[c * n + i] = row[denseColumn[c]];
            }
            int[] codes = new int[oneHot.size() * n];
            for (int b = 0; b < oneHot.size(); b++) {
                int from = oneHot.get(b)[0];
                int to = from + oneHot.get(b)[1];
                for (int i = 0; i < n; i++) {
                    int code = -1;
                    double[] row = x[i];
                    for (int j = from; j < to; j++) if (row[j] != 0.0) code = j;
                    codes[b * n + i] = code;
                }
            }
            // The one-hot columns by column (rows holding a 1.0, ascending), for the gradient's column sums.
            int[] oneHotColumn = IntStream.range(0, p).filter(j -> inBlock[j]).toArray();
            int[] position = new int[p];
            for (int c = 0; c < oneHotColumn.length; c++) position[oneHotColumn[c]] = c;
            int[] columnStart = new int[oneHotColumn.length + 1];
            for (int code : codes) if (code >= 0) columnStart[position[code] + 1]++;
            for (int c = 0; c < oneHotColumn.length; c++) columnStart[c + 1] += columnStart[c];
            int[] fill = Arrays.copyOf(columnStart, oneHotColumn.length);
            int[] columnRows = new int[columnStart[oneHotColumn.length]];
            for (int b = 0; b < oneHot.size(); b++) {
                for (int i = 0; i < n; i++) {
                    int code = codes[b * n + i];
                    if (code >= 0) columnRows[fill[position[code]]++] = i;
                }
            }
            return new Design(n, p, denseColumn, dense, codes, oneHot.size(), oneHotColumn, columnStart, columnRows);
        }

        private static boolean isOneHot(double[][] x, int from, int levels) {
            for (double[] row : x) {
                int ones = 0;
                for (int j = from; j < from + levels; j++) {
                    if (row[j] == 1.0) ones++;
                    else if (row[j] != 0.0) return false;
                }
                if (ones > 1) return false;
            }
            return true;
        }

        /** out[i] = w[offset + p] + sum_j x_ij w[offset + j] for rows begin..end-1. */
        void margins(int begin, int end, double[] w, int offset, double[] out) {
            Arrays.fill(out, begin, end, w[offset + cols]);
            for (int c = 0; c < denseColumn.length; c++) {
                double wj = w[offset + denseColumn[c]];
                int base = c * rows;
                for (int i = begin; i < end; i++) out[i] += wj * dense[base + i];
            }
            for (int b = 0; b < blocks; b++) {
                int base = b * rows;
                for (int i = begin; i < end; i++) {
                    int code = codes[base + i];
                    if (code >= 0) out[i] += w[offset + code];
                }
            }
        }

        /** Number of gradient columns: the dense ones, the one-hot ones and the intercept. */
        int gradientColumns() {
            return denseColumn.length + oneHotColumn.length + 1;
        }

        /**
         * Gradient column t (0 ≤ t < {@link #gradientColumns()}): g[offset + j] = sum_i r[i] x_ij for its design
         * column j (the intercept last: sum_i r[i]). Summed by column with a register accumulator, in row order.
         */
        void gradient(int t, double[] r, double[] g, int offset) {
            double sum = 0;
            if (t < denseColumn.length) {
                int base = t * rows;
                for (int i = 0; i < rows; i++) sum += r[i] * dense[base + i];
                g[offset + denseColumn[t]] = sum;
            } else if (t < denseColumn.length + oneHotColumn.length) {
                int c = t - denseColumn.length;
                for (int k = columnStart[c], e = columnStart[c + 1]; k < e; k++) sum += r[columnRows[k]];
                g[offset + oneHotColumn[c]] = sum;
            } else {
                for (int i = 0; i < rows; i++) sum += r[i];
                g[offset + cols] = sum;
            }
        }
    }

    /**
     * Fits a binomial (k = 2) or multinomial model like {@link LogisticRegression#fit(double[][], int[],
     * LogisticRegression.Options)}.
     */
    static LogisticRegression fit(double[][] x, int[] y, int[][] blocks, LogisticRegression.Options options) {
        if (x.length != y.length) throw new IllegalArgumentException("sizes of x and y differ");
        ClassLabels codec = ClassLabels.fit(y);
        int k = codec.k;
        Design design = Design.of(x, blocks);
        int p = design.cols();
        LogisticRegression model;
        if (k == 2) {
            double[] w = new double[p + 1];
            double l = -BFGS.minimize(new Objective(design, codec.y, 2, options.lambda()), CORRECTIONS, w, options.tol(),
                    options.maxIter());
            model = new LogisticRegression.Binomial(w, l, options.lambda(), codec.classes);
        } else {
            double[] w = new double[(k - 1) * (p + 1)];
            double l = -BFGS.minimize(new Objective(design, codec.y, k, options.lambda()), CORRECTIONS, w, options.tol(),
                    options.maxIter());
            double[][] wk = new double[k - 1][];
            for (int c = 0; c < k - 1; c++) wk[c] = Arrays.copyOfRange(w, c * (p + 1), (c + 1) * (p + 1));
            model = new LogisticRegression.Multinomial(wk, l, options.lambda(), codec.classes);
        }
        model.setLearningRate(0.1 / x.length);
        return model;
    }

    /** Negative log-likelihood + L2 penalty; binomial (one weight vector) or multinomial (k - 1 vectors). */
    private static final class Objective implements DifferentiableMultivariateFunction {
        private final Design x;
        private final int[] y;
        private final int k;
        private final double lambda;
        private final int partitions;
        private final double[] loss;
        /** Per weight vector, per row: d loss_i / d margin_i at the last evaluated point. */
        private final double[][] residual;

        Objective(Design x, int[] y, int k, double lambda) {
            this.x = x;
            this.y = y;
            this.k = k;
            this.lambda = lambda;
            this.partitions = (x.rows() + PARTITION - 1) / PARTITION;
            this.loss = new double[partitions];
            this.residual = new double[k == 2 ? 1 : k - 1][x.rows()];
        }

        private int dim() {
            return (k == 2 ? 1 : k - 1) * (x.cols() + 1);
        }

        /** The point of the last {@link #f} call, its value and gradient. */
        private double[] lastW;
        private double lastF;
        private double[] lastG;

        /**
         * Smile's L-BFGS calls {@code f} at each trial point of its line search and then {@code g} at the accepted
         * one, which is (almost always) the last trial point: a pass over the data that only sums the loss would be
         * repeated by the gradient pass. So {@code f} computes the gradient as well (column sums of the residuals it
         * has computed anyway) and {@code g} at the same point returns it: one pass per iteration instead of two
         * (on adult 201 evaluations instead of 400).
         */
        @Override
        public double f(double[] w) {
            if (lastW == null) {
                lastW = new double[w.length];
                lastG = new double[w.length];
            }
            lastF = evaluate(w, lastG);
            System.arraycopy(w, 0, lastW, 0, w.length);
            return lastF;
        }

        @Override
        public double g(double[] w, double[] g) {
            if (lastW != null && Arrays.equals(w, lastW)) {
                System.arraycopy(lastG, 0, g, 0, g.length);
                return lastF;
            }
            return evaluate(w, g);
        }

        /**
         * Two parallel passes: over row partitions, margins, loss and residuals; then over design columns, the
         * gradient as column sums of the residuals. Every sum runs in a fixed order, so the result does not depend
         * on the number of threads.
         */
        private double evaluate(double[] w, double[] g) {
            IntStream.range(0, partitions).parallel().forEach(r -> partition(r, w));
            double f = 0;
            for (double v : loss) f += v;
            int p = x.cols();
            if (g != null) {
                int columns = x.gradientColumns();
                IntStream.range(0, residual.length * columns).parallel()
                        .forEach(t -> x.gradient(t % columns, residual[t / columns], g, (t / columns) * (p + 1)));
            }
            if (lambda > 0.0) {
                double norm = 0;
                for (int c = 0, vectors = dim() / (p + 1); c < vectors; c++) {
                    for (int j = 0, pos = c * (p + 1); j < p; j++) {
                        double wj = w[pos + j];
                        norm += wj * wj;
                        if (g != null) g[pos + j] += lambda * wj;
                    }
                }
                f += 0.5 * lambda * norm;
            }
            return f;
        }

        private void partition(int r, double[] w) {
            int begin = r * PARTITION;
            int end = Math.min(x.rows(), begin + PARTITION);
            double sum = 0;
            int p = x.cols();
            if (k == 2) {
                double[] m = residual[0];
                x.margins(begin, end, w, 0, m);
                for (int i = begin; i < end; i++) {
                    double wx = m[i];
                    int yi = y[i];
                    // log(1 + e^wx) and sigmoid(wx) from one exp(-|wx|) in (0, 1]: stable, and Math.log/exp are
                    // JIT intrinsics (MathEx.log1pe goes through the much slower StrictMath.log1p).
                    double e = Math.exp(-Math.abs(wx));
                    double onePlus = 1.0 + e;
                    sum += Math.max(wx, 0.0) + Math.log(onePlus) - yi * wx;
                    m[i] = (wx >= 0 ? 1.0 / onePlus : e / onePlus) - yi;
                }
            } else {
                for (int c = 0; c < k - 1; c++) x.margins(begin, end, w, c * (p + 1), residual[c]);
                double[] post = new double[k];
                for (int i = begin; i < end; i++) {
                    post[k - 1] = 0.0;
                    for (int c = 0; c < k - 1; c++) post[c] = residual[c][i];
                    MathEx.softmax(post);
                    int yi = y[i];
                    sum += -MathEx.log(post[yi]);
                    for (int c = 0; c < k - 1; c++) residual[c][i] = post[c] - (yi == c ? 1.0 : 0.0);
                }
            }
            loss[r] = sum;
        }
    }
}
