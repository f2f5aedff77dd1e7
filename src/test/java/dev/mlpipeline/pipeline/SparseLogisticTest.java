package dev.mlpipeline.pipeline;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;

import smile.classification.LogisticRegression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logistic objective over the column-wise design: optimal, deterministic, the same with or without blocks. */
class SparseLogisticTest {

    private static final LogisticRegression.Options OPTIONS = new LogisticRegression.Options(1.0, 1e-8, 1000);
    /** Two numeric columns, then a one-hot block of three levels (a row may have none: an unseen level). */
    private static final int[][] BLOCKS = { { 0, -1 }, { 1, -1 }, { 2, 3 } };

    private record Sample(double[][] x, int[] y) {
    }

    private static Sample sample(int n, int classes) {
        SplittableRandom r = new SplittableRandom(7);
        double[][] x = new double[n][5];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextGaussian();
            x[i][1] = r.nextGaussian();
            int level = r.nextInt(4); // 3 = none
            if (level < 3) x[i][2 + level] = 1.0;
            double margin = 1.5 * x[i][0] - x[i][1] + (level == 1 ? 1.0 : level == 2 ? -0.5 : 0.0);
            y[i] = classes == 2 ? (r.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : 0)
                    : Math.floorMod((int) Math.round(margin + r.nextGaussian()), classes);
        }
        return new Sample(x, y);
    }

    /** Penalised summed log-loss gradient of the binomial model, computed densely and directly. */
    private static double[] gradient(double[][] x, int[] y, double[] w, double lambda) {
        int p = x[0].length;
        double[] g = new double[p + 1];
        for (int i = 0; i < x.length; i++) {
            double m = w[p];
            for (int j = 0; j < p; j++) m += w[j] * x[i][j];
            double residual = 1 / (1 + Math.exp(-m)) - y[i];
            for (int j = 0; j < p; j++) g[j] += residual * x[i][j];
            g[p] += residual;
        }
        for (int j = 0; j < p; j++) g[j] += lambda * w[j];
        return g;
    }

    @Test
    void binomialFitIsTheOptimumOfTheDenseObjective() {
        Sample s = sample(3000, 2);
        double[] w = ((LogisticRegression.Binomial) SparseLogistic.fit(s.x(), s.y(), BLOCKS, OPTIONS)).coefficients();
        double[] g = gradient(s.x(), s.y(), w, OPTIONS.lambda());
        for (double gj : g) assertEquals(0.0, gj, 1e-3, () -> java.util.Arrays.toString(g));
        assertEquals(1.5, w[0], 0.3);
        assertEquals(-1.0, w[1], 0.3);
    }

    @Test
    void blocksOnlyChangeTheLayoutNotTheModel() {
        for (int classes : new int[]{ 2, 3 }) {
            Sample s = sample(3000, classes);
            LogisticRegression coded = SparseLogistic.fit(s.x(), s.y(), BLOCKS, OPTIONS);
            LogisticRegression dense = SparseLogistic.fit(s.x(), s.y(), null, OPTIONS);
            for (double[] row : s.x()) {
                double[] a = new double[classes];
                double[] b = new double[classes];
                assertEquals(dense.predict(row, b), coded.predict(row, a));
                assertArrayEquals(b, a, 1e-6);
            }
        }
    }

    @Test
    void sameCoefficientsWhateverTheNumberOfThreads() throws Exception {
        for (int classes : new int[]{ 2, 3 }) {
            Sample s = sample(10_000, classes); // several partitions
            LogisticRegression common = SparseLogistic.fit(s.x(), s.y(), BLOCKS, OPTIONS);
            ForkJoinPool one = new ForkJoinPool(1);
            try {
                LogisticRegression single = one.submit(() -> SparseLogistic.fit(s.x(), s.y(), BLOCKS, OPTIONS)).get();
                assertEquals(common.loglikelihood(), single.loglikelihood(), 0.0);
                double[] a = new double[classes];
                double[] b = new double[classes];
                for (double[] row : s.x()) {
                    common.predict(row, a);
                    single.predict(row, b);
                    assertArrayEquals(a, b, 0.0);
                }
            } finally {
                one.shutdown();
            }
            assertTrue(common.loglikelihood() < 0);
        }
    }
}
