package dev.mlpipeline.pipeline;

import java.util.Arrays;
import java.util.stream.IntStream;

import smile.classification.ClassLabels;
import smile.classification.LogisticRegression;
import smile.math.BFGS;
import smile.math.MathEx;
import smile.util.function.DifferentiableMultivariateFunction;

/**
 * Fits Smile's {@link LogisticRegression} (same objective: summed log-loss + lambda/2 * ||w||^2, intercept not
 * penalised; same L-BFGS with 5 corrections) on a sparse (CSR) copy of the design matrix. After one-hot encoding
 * most cells are zero (adult: ~14 non-zeros of 105 columns), so each objective/gradient evaluation is several
 * times cheaper than Smile's dense one. Zero cells contribute exactly 0 to every dot product, so the objective is
 * the same function.
 *
 * <p>Deterministic: rows are split into fixed partitions whose partial sums are combined in partition order,
 * whatever the number of threads (Smile's own objective sums a parallel stream, whose result can depend on the
 * thread split).
 */
final class SparseLogistic {

    private static final int PARTITION = 2048;

    private SparseLogistic() {
    }

    /** Compressed sparse rows of x. */
    private record Csr(int rows, int cols, int[] start, int[] index, double[] value) {
        static Csr of(double[][] x) {
            int n = x.length;
            int p = x[0].length;
            int[] start = new int[n + 1];
            int nnz = 0;
            for (int i = 0; i < n; i++) {
                for (double v : x[i]) if (v != 0.0) nnz++;
                start[i + 1] = nnz;
            }
            int[] index = new int[nnz];
            double[] value = new double[nnz];
            for (int i = 0, k = 0; i < n; i++) {
                double[] row = x[i];
                for (int j = 0; j < p; j++) {
                    if (row[j] != 0.0) {
                        index[k] = j;
                        value[k++] = row[j];
                    }
                }
            }
            return new Csr(n, p, start, index, value);
        }

        /** w[offset + p] is the intercept. */
        double dot(int i, double[] w, int offset) {
            double d = w[offset + cols];
            for (int k = start[i], e = start[i + 1]; k < e; k++) d += value[k] * w[offset + index[k]];
            return d;
        }

        void axpy(int i, double a, double[] g, int offset) {
            for (int k = start[i], e = start[i + 1]; k < e; k++) g[offset + index[k]] += a * value[k];
            g[offset + cols] += a;
        }
    }

    /**
     * Fits a binomial (k = 2) or multinomial model like {@link LogisticRegression#fit(double[][], int[],
     * LogisticRegression.Options)}.
     */
    static LogisticRegression fit(double[][] x, int[] y, LogisticRegression.Options options) {
        if (x.length != y.length) throw new IllegalArgumentException("sizes of x and y differ");
        ClassLabels codec = ClassLabels.fit(y);
        int k = codec.k;
        Csr csr = Csr.of(x);
        int p = csr.cols();
        LogisticRegression model;
        if (k == 2) {
            double[] w = new double[p + 1];
            double l = -BFGS.minimize(new Objective(csr, codec.y, 2, options.lambda()), 5, w, options.tol(),
                    options.maxIter());
            model = new LogisticRegression.Binomial(w, l, options.lambda(), codec.classes);
        } else {
            double[] w = new double[(k - 1) * (p + 1)];
            double l = -BFGS.minimize(new Objective(csr, codec.y, k, options.lambda()), 5, w, options.tol(),
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
        private final Csr x;
        private final int[] y;
        private final int k;
        private final double lambda;
        private final int partitions;
        private final double[] loss;
        private final double[][] gradients;

        Objective(Csr x, int[] y, int k, double lambda) {
            this.x = x;
            this.y = y;
            this.k = k;
            this.lambda = lambda;
            this.partitions = (x.rows() + PARTITION - 1) / PARTITION;
            this.loss = new double[partitions];
            this.gradients = new double[partitions][];
        }

        private int dim() {
            return (k == 2 ? 1 : k - 1) * (x.cols() + 1);
        }

        @Override
        public double f(double[] w) {
            return evaluate(w, null);
        }

        @Override
        public double g(double[] w, double[] g) {
            return evaluate(w, g);
        }

        private double evaluate(double[] w, double[] g) {
            IntStream.range(0, partitions).parallel().forEach(r -> partition(r, w, g != null));
            double f = 0;
            for (double v : loss) f += v;
            int p = x.cols();
            if (g != null) {
                Arrays.fill(g, 0.0);
                for (double[] gr : gradients) for (int j = 0; j < g.length; j++) g[j] += gr[j];
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

        private void partition(int r, double[] w, boolean gradient) {
            int begin = r * PARTITION;
            int end = Math.min(x.rows(), begin + PARTITION);
            double[] gr = null;
            if (gradient) {
                gr = gradients[r];
                if (gr == null) gradients[r] = gr = new double[dim()];
                else
                    Arrays.fill(gr, 0.0);
            }
            double sum = 0;
            int p = x.cols();
            if (k == 2) {
                for (int i = begin; i < end; i++) {
                    double wx = x.dot(i, w, 0);
                    // log(1 + e^wx) and sigmoid(wx) from one exp(-|wx|) in (0, 1]: stable, and Math.log/exp are
                    // JIT intrinsics (MathEx.log1pe goes through the much slower StrictMath.log1p).
                    double e = Math.exp(-Math.abs(wx));
                    double onePlus = 1.0 + e;
                    sum += Math.max(wx, 0.0) + Math.log(onePlus) - y[i] * wx;
                    if (gradient) {
                        double sigmoid = wx >= 0 ? 1.0 / onePlus : e / onePlus;
                        x.axpy(i, sigmoid - y[i], gr, 0);
                    }
                }
            } else {
                double[] post = new double[k];
                for (int i = begin; i < end; i++) {
                    post[k - 1] = 0.0;
                    for (int c = 0; c < k - 1; c++) post[c] = x.dot(i, w, c * (p + 1));
                    MathEx.softmax(post);
                    sum += -MathEx.log(post[y[i]]);
                    if (gradient) {
                        for (int c = 0; c < k - 1; c++) {
                            double err = (y[i] == c ? 1.0 : 0.0) - post[c];
                            x.axpy(i, -err, gr, c * (p + 1));
                        }
                    }
                }
            }
            loss[r] = sum;
        }
    }
}
