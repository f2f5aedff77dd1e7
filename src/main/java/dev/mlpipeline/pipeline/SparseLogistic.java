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
 * Fits Smile's {@link LogisticRegression} model: the same objective, summed log-loss + lambda/2 * ||w||^2 with the
 * intercept not penalised, and the same model objects, but our own objective over a compact design matrix and, for
 * two classes with lambda > 0, our own optimizer.
 *
 * <p><b>Design matrix.</b> Smile's {@code LogisticRegression.fit} evaluates the objective over dense {@code double[]}
 * rows; after one-hot encoding most cells are zero (adult: 14 non-zeros of 105 columns), so this objective reads a
 * compact copy of the design matrix instead (see {@link Design}): the numeric columns column-major, each one-hot
 * block as one level code per row. Zero cells contribute exactly 0 to every sum, so the objective is the same
 * function.
 *
 * <p><b>Optimizers.</b> Two classes with lambda > 0: a trust-region Newton method (TRON: C.-J. Lin, R. C. Weng and
 * S. S. Keerthi, "Trust region Newton method for large-scale logistic regression", Journal of Machine Learning
 * Research 9 (2008) 627-650; the solver of LIBLINEAR), see {@link TrustRegionNewton}. The objective is then strictly
 * convex, and Newton's method reaches it in a handful of iterations (adult: 7, against about 200 L-BFGS
 * evaluations), each a gradient evaluation plus conjugate-gradient steps whose Hessian-vector products cost no
 * exp/log (adult: about 120 in all). A narrow design's Hessian, X^T D X + lambda I, is formed from the sparse design
 * once per Newton iteration, and its products are then a small dense matrix-vector product (see
 * {@link Objective#hessianVector}); on adult the Newton fit then took about 30% less time. Otherwise
 * (more classes, or lambda = 0, where the optimum may be at infinity on separable data) Smile's own L-BFGS,
 * {@link BFGS#minimize}, on our objective and gradient, as before.
 *
 * <p>Profile of the L-BFGS path on adult (26,048 training rows, JFR): about 45% of a fit is the exp/log of the per-row
 * loss, the rest the margins and the gradient's column sums; one evaluation per L-BFGS iteration (see
 * {@link Objective#f}).
 *
 * <p>Deterministic: the loss is summed over fixed row partitions combined in partition order, each gradient (or
 * Hessian-vector product) entry is one column sum in a fixed order, and a formed Hessian is summed over a fixed
 * number of row ranges in range order, whatever the number of threads (Smile's own objective sums a parallel
 * stream, whose result can depend on the thread split).
 */
final class SparseLogistic {

    private static final int PARTITION = 2048;
    /**
     * Row ranges whose X^T D X are accumulated separately (in parallel) and then added in range order: a fixed
     * number, so that the sum does not depend on the number of threads.
     */
    private static final int GRAM_CHUNKS = 8;
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
            // One pass over the rows for every candidate block at once (x is large: a pass per block cost more than
            // the Newton fit): each row's level code, and whether the block is one-hot (only 0.0 and 1.0, at most
            // one 1.0 per row).
            List<int[]> candidates = new ArrayList<>();
            if (blocks != null) for (int[] b : blocks) if (b[1] > 0) candidates.add(b);
            int m = candidates.size();
            int[] from = new int[m];
            int[] to = new int[m];
            for (int b = 0; b < m; b++) {
                from[b] = candidates.get(b)[0];
                to[b] = from[b] + candidates.get(b)[1];
            }
            boolean[] valid = new boolean[m];
            Arrays.fill(valid, true);
            int[] allCodes = new int[m * n];
            for (int i = 0; i < n; i++) {
                double[] row = x[i];
                for (int b = 0; b < m; b++) {
                    if (!valid[b]) continue;
                    int code = -1;
                    for (int j = from[b]; j < to[b]; j++) {
                        double v = row[j];
                        if (v == 0.0) continue;
                        if (v != 1.0 || code >= 0) valid[b] = false;
                        code = j;
                    }
                    allCodes[b * n + i] = code;
                }
            }
            boolean[] inBlock = new boolean[p];
            int oneHot = 0;
            for (int b = 0; b < m; b++) {
                if (!valid[b]) continue;
                for (int j = from[b]; j < to[b]; j++) inBlock[j] = true;
                if (oneHot != b) System.arraycopy(allCodes, b * n, allCodes, oneHot * n, n);
                oneHot++;
            }
            int[] codes = oneHot == m ? allCodes : Arrays.copyOf(allCodes, oneHot * n);
            int[] denseColumn = IntStream.range(0, p).filter(j -> !inBlock[j]).toArray();
            double[] dense = new double[denseColumn.length * n];
            for (int i = 0; i < n; i++) {
                double[] row = x[i];
                for (int c = 0; c < denseColumn.length; c++) dense[c * n + i] = row[denseColumn[c]];
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
            for (int b = 0; b < oneHot; b++) {
                for (int i = 0; i < n; i++) {
                    int code = codes[b * n + i];
                    if (code >= 0) columnRows[fill[position[code]]++] = i;
                }
            }
            return new Design(n, p, denseColumn, dense, codes, oneHot, oneHotColumn, columnStart, columnRows);
        }

        /** out[i] = w[offset + p] + sum_j x_ij w[offset + j] for rows begin..end-1. */
        void margins(int begin, int end, double[] w, int offset, double[] out) {
            Arrays.fill(out, begin, end, w[offset + cols]);
            for (int c = 0; c < denseColumn.length; c++) {
                double wj = w[offset + denseColumn[c]];
                int base = c * rows;
                for (int i = begin; i < end; i++) out[i] += wj * dense[base + i];
            }
            // Two blocks per pass over the rows: half the loads and stores of out.
            int b = 0;
            for (; b + 1 < blocks; b += 2) {
                int base0 = b * rows;
                int base1 = base0 + rows;
                for (int i = begin; i < end; i++) {
                    int c0 = codes[base0 + i];
                    int c1 = codes[base1 + i];
                    double sum = c0 >= 0 ? w[offset + c0] : 0.0;
                    if (c1 >= 0) sum += w[offset + c1];
                    out[i] += sum;
                }
            }
            for (; b < blocks; b++) {
                int base = b * rows;
                for (int i = begin; i < end; i++) {
                    int code = codes[base + i];
                    if (code >= 0) out[i] += w[offset + code];
                }
            }
        }

        /**
         * Whether {@link Objective#hessianVector} should form X^T D X explicitly ({@link #gram}) rather than
         * multiply through the design at every product. A row has at most nnz = dense columns + one-hot blocks + 1
         * non-zeros (with the intercept): forming costs about nnz^2 / 2 multiply-adds per row, one product through
         * the design 2 nnz, so the matrix pays off from nnz / 4 products per Newton iteration. The conjugate
         * gradients take about 17 per iteration on adult (nnz 15), so: formed when nnz <= 32 (at most 8 products
         * to break even) and the matrix is small: p + 1 <= 256, so that it and its {@link #GRAM_CHUNKS} partial sums
         * take at most 4.7 MB.
         */
        boolean smallGram() {
            return denseColumn.length + blocks + 1 <= 32 && cols + 1 <= 256;
        }

        /**
         * Accumulates the rows begin..end-1 of X^T D X (X with the intercept column of ones, last) into g, (p + 1)
         * × (p + 1) row-major: each unordered pair of columns {a, b} (a != b) into one of g[a][b], g[b][a], so
         * that the matrix is g + g^T off the diagonal (see {@link Objective#formHessian}).
         */
        void gram(int begin, int end, double[] d, double[] g) {
            int q = cols + 1;
            int nd = denseColumn.length;
            // Dense columns and the intercept against each other: column dot products, four accumulators each.
            for (int c1 = 0; c1 <= nd; c1++) {
                int j1 = c1 < nd ? denseColumn[c1] : cols;
                for (int c2 = c1; c2 <= nd; c2++) {
                    int j2 = c2 < nd ? denseColumn[c2] : cols;
                    int base1 = c1 * rows;
                    int base2 = c2 * rows;
                    double sum;
                    if (c2 == nd && c1 == nd) {
                        sum = sum4(d, begin, end);
                    } else if (c2 == nd) {
                        sum = dot4(d, dense, base1, begin, end);
                    } else {
                        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                        int i = begin;
                        for (; i + 3 < end; i += 4) {
                            a0 += d[i] * dense[base1 + i] * dense[base2 + i];
                            a1 += d[i + 1] * dense[base1 + i + 1] * dense[base2 + i + 1];
                            a2 += d[i + 2] * dense[base1 + i + 2] * dense[base2 + i + 2];
                            a3 += d[i + 3] * dense[base1 + i + 3] * dense[base2 + i + 3];
                        }
                        for (; i < end; i++) a0 += d[i] * dense[base1 + i] * dense[base2 + i];
                        sum = (a0 + a1) + (a2 + a3);
                    }
                    g[j1 * q + j2] += sum;
                }
            }
            // Each one-hot level against itself, the intercept, the dense columns and the later blocks' levels.
            for (int b = 0; b < blocks; b++) {
                int base = b * rows;
                for (int i = begin; i < end; i++) {
                    int code = codes[base + i];
                    if (code < 0) continue;
                    double di = d[i];
                    int at = code * q;
                    g[at + code] += di;
                    g[at + cols] += di;
                    for (int c = 0; c < nd; c++) g[at + denseColumn[c]] += di * dense[c * rows + i];
                    for (int b2 = b + 1; b2 < blocks; b2++) {
                        int other = codes[b2 * rows + i];
                        if (other >= 0) g[at + other] += di;
                    }
                }
            }
        }

        /** Number of gradient columns: the dense ones, the one-hot ones and the intercept. */
        int gradientColumns() {
            return denseColumn.length + oneHotColumn.length + 1;
        }

        /**
         * Gradient column t (0 ≤ t < {@link #gradientColumns()}): g[offset + j] = sum_i r[i] x_ij for its design
         * column j (the intercept last: sum_i r[i]). Summed by column in four interleaved register accumulators
         * (row i into accumulator i mod 4, combined as (a0 + a1) + (a2 + a3)): a fixed order, and four independent
         * add chains instead of one, whose floating-point add latency bounded the pass (the JIT does not reorder a
         * double reduction).
         */
        void gradient(int t, double[] r, double[] g, int offset) {
            if (t < denseColumn.length) {
                g[offset + denseColumn[t]] = dot4(r, dense, t * rows, 0, rows);
            } else if (t < denseColumn.length + oneHotColumn.length) {
                int c = t - denseColumn.length;
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                int k = columnStart[c];
                int e = columnStart[c + 1];
                for (; k + 3 < e; k += 4) {
                    a0 += r[columnRows[k]];
                    a1 += r[columnRows[k + 1]];
                    a2 += r[columnRows[k + 2]];
                    a3 += r[columnRows[k + 3]];
                }
                for (; k < e; k++) a0 += r[columnRows[k]];
                g[offset + oneHotColumn[c]] = (a0 + a1) + (a2 + a3);
            } else {
                g[offset + cols] = sum4(r, 0, rows);
            }
        }

        /** Σ a[i] for i in [from, to), in the four-accumulator order of {@link #gradient}. */
        private static double sum4(double[] a, int from, int to) {
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                a0 += a[i];
                a1 += a[i + 1];
                a2 += a[i + 2];
                a3 += a[i + 3];
            }
            for (; i < to; i++) a0 += a[i];
            return (a0 + a1) + (a2 + a3);
        }

        /** Σ a[i] · b[offset + i] for i in [from, to), in the four-accumulator order of {@link #gradient}. */
        private static double dot4(double[] a, double[] b, int offset, int from, int to) {
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            int i = from;
            for (; i + 3 < to; i += 4) {
                a0 += a[i] * b[offset + i];
                a1 += a[i + 1] * b[offset + i + 1];
                a2 += a[i + 2] * b[offset + i + 2];
                a3 += a[i + 3] * b[offset + i + 3];
            }
            for (; i < to; i++) a0 += a[i] * b[offset + i];
            return (a0 + a1) + (a2 + a3);
        }
    }

    /** The optimizer of a fit. */
    enum Solver {
        /** {@link TrustRegionNewton}: two classes and lambda > 0 only. */
        TRUST_REGION_NEWTON,
        /** Smile's L-BFGS ({@link BFGS#minimize}) with {@link #CORRECTIONS} corrections. */
        LBFGS;

        /** The solver {@link #fit(double[][], int[], int[][], LogisticRegression.Options)} uses. */
        static Solver of(int classes, double lambda) {
            return classes == 2 && lambda > 0.0 ? TRUST_REGION_NEWTON : LBFGS;
        }
    }

    /**
     * Fits a binomial (k = 2) or multinomial model like {@link LogisticRegression#fit(double[][], int[],
     * LogisticRegression.Options)}, with neither progress nor cancellation.
     */
    static LogisticRegression fit(double[][] x, int[] y, int[][] blocks, LogisticRegression.Options options) {
        return fit(x, y, blocks, options, ProgressListener.NONE, CancellationToken.NONE);
    }

    /**
     * Fits a binomial (k = 2) or multinomial model like {@link LogisticRegression#fit(double[][], int[],
     * LogisticRegression.Options)}, with the solver of {@link Solver#of}.
     *
     * @param x        rows × cols
     * @param y        class of each row (any int labels, as Smile's {@link ClassLabels})
     * @param blocks   per input feature {start column, levels}, as {@link Preprocessor#featureBlocks()}, or null
     * @param options  lambda; tol and maxIter of the solver (see {@link TrustRegionNewton} and {@link BFGS})
     * @param progress receives, after each Newton iteration, the fraction of the way to the gradient-norm tolerance
     *                 (log scale); the L-BFGS path reports nothing
     * @param cancel   polled once per Newton iteration or per L-BFGS objective evaluation
     * @throws TrainingCancelledException when cancelled
     */
    static LogisticRegression fit(double[][] x, int[] y, int[][] blocks, LogisticRegression.Options options,
            ProgressListener progress, CancellationToken cancel) {
        if (x.length != y.length) throw new IllegalArgumentException("sizes of x and y differ");
        int k = ClassLabels.fit(y).k;
        return fit(x, y, blocks, options, Solver.of(k, options.lambda()), progress, cancel);
    }

    /**
     * As {@link #fit(double[][], int[], int[][], LogisticRegression.Options, ProgressListener, CancellationToken)}
     * with the solver given ({@link Solver#TRUST_REGION_NEWTON} needs two classes and lambda > 0).
     */
    static LogisticRegression fit(double[][] x, int[] y, int[][] blocks, LogisticRegression.Options options,
            Solver solver, ProgressListener progress, CancellationToken cancel) {
        if (x.length != y.length) throw new IllegalArgumentException("sizes of x and y differ");
        if (cancel.isCancelled()) throw new TrainingCancelledException();
        ClassLabels codec = ClassLabels.fit(y);
        int k = codec.k;
        if (solver == Solver.TRUST_REGION_NEWTON && (k != 2 || !(options.lambda() > 0.0))) {
            throw new IllegalArgumentException("the trust-region Newton solver needs 2 classes and lambda > 0");
        }
        Design design = Design.of(x, blocks);
        int p = design.cols();
        LogisticRegression model;
        if (k == 2) {
            double[] w = new double[p + 1];
            Objective objective = new Objective(design, codec.y, 2, options.lambda(), cancel,
                    solver == Solver.TRUST_REGION_NEWTON);
            double l = solver == Solver.TRUST_REGION_NEWTON
                    ? -TrustRegionNewton.minimize(objective, w, options.tol(), options.maxIter(), progress, cancel).f()
                    : -BFGS.minimize(objective, CORRECTIONS, w, options.tol(), options.maxIter());
            model = new LogisticRegression.Binomial(w, l, options.lambda(), codec.classes);
        } else {
            double[] w = new double[(k - 1) * (p + 1)];
            double l = -BFGS.minimize(new Objective(design, codec.y, k, options.lambda(), cancel, false), CORRECTIONS,
                    w, options.tol(), options.maxIter());
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
        private final CancellationToken cancel;
        /**
         * Two classes, for {@link #hessianVector}: per row, d^2 loss_i / d margin_i^2 = p_i (1 - p_i) at the last
         * evaluated point ({@code trialCurvature}) and at the point last {@link #accept}ed ({@code curvature}); null
         * otherwise.
         */
        private double[] curvature;
        private double[] trialCurvature;
        /** Per row: the design times the vector of the current {@link #hessianVector} call, then scaled by D. */
        private final double[] direction;
        /**
         * When the design is narrow ({@link Design#smallGram}): the Hessian at the point last accepted, (p + 1) ×
         * (p + 1) row-major, formed at the first product after {@link #accept}; its partial sums per row range.
         * Null otherwise.
         */
        private final double[] hessian;
        private final double[][] partialHessians;
        private boolean hessianFormed;

        /**
         * @param curvature whether to keep the per-row curvature for {@link #hessianVector} (two classes only)
         */
        Objective(Design x, int[] y, int k, double lambda, CancellationToken cancel, boolean curvature) {
            this.x = x;
            this.y = y;
            this.k = k;
            this.lambda = lambda;
            this.cancel = cancel;
            this.partitions = (x.rows() + PARTITION - 1) / PARTITION;
            this.loss = new double[partitions];
            this.residual = new double[k == 2 ? 1 : k - 1][x.rows()];
            if (curvature && k != 2) throw new IllegalArgumentException("curvature is kept for two classes only");
            this.curvature = curvature ? new double[x.rows()] : null;
            this.trialCurvature = curvature ? new double[x.rows()] : null;
            boolean gram = curvature && x.smallGram();
            this.direction = curvature && !gram ? new double[x.rows()] : null;
            int q = x.cols() + 1;
            this.hessian = gram ? new double[q * q] : null;
            this.partialHessians = gram ? new double[GRAM_CHUNKS][q * q] : null;
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
            if (cancel.isCancelled()) throw new TrainingCancelledException();
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
        double evaluate(double[] w, double[] g) {
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

        /** The last evaluated point becomes the one whose Hessian {@link #hessianVector} multiplies by. */
        void accept() {
            double[] t = curvature;
            curvature = trialCurvature;
            trialCurvature = t;
            hessianFormed = false;
        }

        /**
         * {@link #hessian} = X^T D X + lambda I (no lambda on the intercept) at the point last accepted: the row
         * ranges' partial sums in parallel, added in range order, then the two triangles combined.
         */
        private void formHessian() {
            int q = x.cols() + 1;
            int n = x.rows();
            IntStream.range(0, GRAM_CHUNKS).parallel().forEach(c -> {
                double[] g = partialHessians[c];
                Arrays.fill(g, 0.0);
                x.gram((int) ((long) n * c / GRAM_CHUNKS), (int) ((long) n * (c + 1) / GRAM_CHUNKS), curvature, g);
            });
            System.arraycopy(partialHessians[0], 0, hessian, 0, q * q);
            for (int c = 1; c < GRAM_CHUNKS; c++) {
                double[] g = partialHessians[c];
                for (int e = 0; e < q * q; e++) hessian[e] += g[e];
            }
            for (int a = 0; a < q; a++) {
                for (int b = a + 1; b < q; b++) {
                    double sum = hessian[a * q + b] + hessian[b * q + a];
                    hessian[a * q + b] = sum;
                    hessian[b * q + a] = sum;
                }
                if (a < q - 1) hessian[a * q + a] += lambda;
            }
            hessianFormed = true;
        }

        /**
         * out = H v, H the Hessian of the objective at the point last {@link #accept}ed: X^T D X v + lambda v (the
         * intercept's entry without the lambda term), X the design with a column of ones for the intercept and D
         * the diagonal of p_i (1 - p_i). No exp or log, and a fixed summation order. A narrow design's H is formed once
         * per accepted point ({@link #formHessian}) and multiplied as a dense matrix; otherwise two parallel passes
         * like {@link #evaluate}: margins of v scaled by D over row partitions, then column sums.
         */
        void hessianVector(double[] v, double[] out) {
            if (hessian != null) {
                if (!hessianFormed) formHessian();
                int q = v.length;
                for (int a = 0; a < q; a++) {
                    double sum = 0;
                    for (int b = 0, at = a * q; b < q; b++) sum += hessian[at + b] * v[b];
                    out[a] = sum;
                }
                return;
            }
            IntStream.range(0, partitions).parallel().forEach(r -> {
                int begin = r * PARTITION;
                int end = Math.min(x.rows(), begin + PARTITION);
                x.margins(begin, end, v, 0, direction);
                for (int i = begin; i < end; i++) direction[i] *= curvature[i];
            });
            IntStream.range(0, x.gradientColumns()).parallel().forEach(t -> x.gradient(t, direction, out, 0));
            for (int j = 0, p = x.cols(); j < p; j++) out[j] += lambda * v[j];
        }

        private void partition(int r, double[] w) {
            int begin = r * PARTITION;
            int end = Math.min(x.rows(), begin + PARTITION);
            double sum = 0;
            int p = x.cols();
            if (k == 2) {
                double[] m = residual[0];
                x.margins(begin, end, w, 0, m);
                double[] d = trialCurvature;
                for (int i = begin; i < end; i++) {
                    double wx = m[i];
                    int yi = y[i];
                    // log(1 + e^wx) and sigmoid(wx) from one exp(-|wx|) in (0, 1]: stable, and Math.log/exp are
                    // JIT intrinsics (MathEx.log1pe goes through the much slower StrictMath.log1p).
                    double e = Math.exp(-Math.abs(wx));
                    double onePlus = 1.0 + e;
                    sum += Math.max(wx, 0.0) + Math.log(onePlus) - yi * wx;
                    m[i] = (wx >= 0 ? 1.0 / onePlus : e / onePlus) - yi;
                    // sigmoid(wx) (1 - sigmoid(wx)) = e / (1 + e)^2, whatever the sign of wx.
                    if (d != null) d[i] = e / (onePlus * onePlus);
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

    /**
     * Trust-region Newton method for the two-class objective (TRON: C.-J. Lin, R. C. Weng and S. S. Keerthi, "Trust
     * region Newton method for large-scale logistic regression", JMLR 9, 2008; as in LIBLINEAR's {@code tron.cpp}).
     * Each outer iteration approximately minimises the quadratic model q(s) = g^T s + s^T H s / 2 within
     * ||s|| <= delta by conjugate gradients on H s = -g, H applied as Hessian-vector products
     * ({@link Objective#hessianVector}: through the sparse design, or a formed H for narrow designs), stopping when
     * the CG residual is below 0.1 ||g|| or the step reaches the trust-region boundary. The step is accepted when
     * the actual decrease of f is more than eta0 times the predicted one, and the radius is updated from that ratio
     * with eta0/eta1/eta2 = 1e-4/0.25/0.75 and sigma1/sigma2/sigma3 = 0.25/0.5/4 (the values of LIBLINEAR's
     * tron.cpp).
     *
     * <p>Stops when ||g(w)|| <= tol * ||g(w0)|| (w0 = 0; Euclidean norms of the gradient of the summed, penalised
     * objective), after {@code maxIter} accepted (outer) iterations, or when neither f nor the model can decrease
     * any more (relative changes below 1e-12).
     */
    static final class TrustRegionNewton {
        private static final double ETA0 = 1e-4;
        private static final double ETA1 = 0.25;
        private static final double ETA2 = 0.75;
        private static final double SIGMA1 = 0.25;
        private static final double SIGMA2 = 0.5;
        private static final double SIGMA3 = 4.0;
        /** CG stops when ||residual|| <= this × ||g|| (LIBLINEAR's tron.cpp). */
        private static final double CG_TOLERANCE = 0.1;

        private TrustRegionNewton() {
        }

        /**
         * @param f                   value of the objective at the solution
         * @param iterations          outer (Newton) iterations: accepted steps
         * @param cgIterations        conjugate-gradient iterations in all, i.e. Hessian-vector products
         * @param gradientNorm        ||g|| at the solution
         * @param initialGradientNorm ||g|| at the start
         */
        record Result(double f, int iterations, int cgIterations, double gradientNorm, double initialGradientNorm) {
        }

        /**
         * Minimises {@code objective} from {@code w} (updated in place to the solution).
         *
         * @param objective two classes, built to keep the curvature
         * @param w         the start (zeros for a fit), then the solution
         * @param tol       relative gradient-norm tolerance, > 0
         * @param maxIter   maximum outer iterations, >= 1
         * @param progress  after each outer iteration: log(||g0|| / ||g||) / log(1 / tol), capped at 1, never lower
         *                  than before
         * @param cancel    polled before each outer iteration
         * @throws TrainingCancelledException when cancelled
         */
        static Result minimize(Objective objective, double[] w, double tol, int maxIter, ProgressListener progress,
                CancellationToken cancel) {
            int n = w.length;
            double[] g = new double[n];
            double[] gNew = new double[n];
            double[] s = new double[n];
            double[] r = new double[n];
            double[] d = new double[n];
            double[] hd = new double[n];
            double[] wNew = new double[n];
            if (cancel.isCancelled()) throw new TrainingCancelledException();
            double f = objective.evaluate(w, g);
            objective.accept();
            double gnorm0 = norm(g);
            double gnorm = gnorm0;
            double delta = gnorm0;
            double reported = 0;
            int iterations = 0;
            int cgIterations = 0;
            while (iterations < maxIter && gnorm > tol * gnorm0) {
                if (cancel.isCancelled()) throw new TrainingCancelledException();
                cgIterations += conjugateGradient(objective, delta, g, s, r, d, hd);
                for (int j = 0; j < n; j++) wNew[j] = w[j] + s[j];
                double gs = dot(g, s);
                double predicted = -0.5 * (gs - dot(s, r));
                double fNew = objective.evaluate(wNew, gNew);
                double actual = f - fNew;
                double snorm = norm(s);
                if (iterations == 0) delta = Math.min(delta, snorm);
                // Minimiser of the quadratic interpolating f along s (the paper's step-size estimate alpha).
                double alpha = fNew - f - gs <= 0 ? SIGMA3 : Math.max(SIGMA1, -0.5 * (gs / (fNew - f - gs)));
                if (actual < ETA0 * predicted) {
                    delta = Math.min(Math.max(alpha, SIGMA1) * snorm, SIGMA2 * delta);
                } else if (actual < ETA1 * predicted) {
                    delta = Math.max(SIGMA1 * delta, Math.min(alpha * snorm, SIGMA2 * delta));
                } else if (actual < ETA2 * predicted) {
                    delta = Math.max(SIGMA1 * delta, Math.min(alpha * snorm, SIGMA3 * delta));
                } else {
                    delta = Math.max(delta, Math.min(alpha * snorm, SIGMA3 * delta));
                }
                if (actual > ETA0 * predicted) {
                    iterations++;
                    System.arraycopy(wNew, 0, w, 0, n);
                    double[] t = g;
                    g = gNew;
                    gNew = t;
                    f = fNew;
                    objective.accept();
                    gnorm = norm(g);
                    double done = tol >= 1.0 ? 1.0 : Math.min(1.0, Math.log(gnorm0 / gnorm) / Math.log(1.0 / tol));
                    if (done > reported) {
                        reported = done;
                        progress.onProgress(done);
                    }
                }
                if (actual <= 0 && predicted <= 0) break;
                if (Math.abs(actual) <= 1e-12 * Math.abs(f) && Math.abs(predicted) <= 1e-12 * Math.abs(f)) break;
            }
            return new Result(f, iterations, cgIterations, gnorm, gnorm0);
        }

        /**
         * Conjugate gradients on H s = -g from s = 0 within ||s|| <= delta (the paper's CG procedure): stops when
         * ||r|| <= 0.1 ||g||, at the boundary (the last direction followed to ||s|| = delta), or after as many
         * iterations as unknowns.
         *
         * @param s  out: the step
         * @param r  out: the residual -g - H s
         * @param d  scratch: the search direction
         * @param hd scratch: H d
         * @return the number of Hessian-vector products
         */
        private static int conjugateGradient(Objective objective, double delta, double[] g, double[] s, double[] r,
                double[] d, double[] hd) {
            int n = g.length;
            for (int j = 0; j < n; j++) {
                s[j] = 0.0;
                r[j] = -g[j];
                d[j] = r[j];
            }
            double cgTol = CG_TOLERANCE * norm(g);
            double rr = dot(r, r);
            int products = 0;
            while (Math.sqrt(rr) > cgTol && products < n) {
                objective.hessianVector(d, hd);
                products++;
                double alpha = rr / dot(d, hd);
                for (int j = 0; j < n; j++) s[j] += alpha * d[j];
                if (norm(s) > delta) {
                    // Back to the previous s, then along d to the boundary: the positive root tau of
                    // ||s + tau d|| = delta.
                    for (int j = 0; j < n; j++) s[j] -= alpha * d[j];
                    double sd = dot(s, d);
                    double ss = dot(s, s);
                    double dd = dot(d, d);
                    double dsq = delta * delta;
                    double rad = Math.sqrt(sd * sd + dd * (dsq - ss));
                    alpha = sd >= 0 ? (dsq - ss) / (sd + rad) : (rad - sd) / dd;
                    for (int j = 0; j < n; j++) {
                        s[j] += alpha * d[j];
                        r[j] -= alpha * hd[j];
                    }
                    break;
                }
                for (int j = 0; j < n; j++) r[j] -= alpha * hd[j];
                double rrNew = dot(r, r);
                double beta = rrNew / rr;
                for (int j = 0; j < n; j++) d[j] = r[j] + beta * d[j];
                rr = rrNew;
            }
            return products;
        }

        private static double dot(double[] a, double[] b) {
            double sum = 0;
            for (int j = 0; j < a.length; j++) sum += a[j] * b[j];
            return sum;
        }

        private static double norm(double[] a) {
            return Math.sqrt(dot(a, a));
        }
    }
}
