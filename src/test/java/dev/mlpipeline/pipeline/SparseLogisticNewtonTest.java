package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import smile.classification.LogisticRegression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trust-region Newton solver of {@link SparseLogistic} on adult's training split (preprocessed as a training job
 * does): the same optimum as L-BFGS, its own stopping rule met, and cancellation between iterations.
 */
class SparseLogisticNewtonTest {

    private record Problem(double[][] x, int[] y, int[][] blocks) {
    }

    /** adult's 80% training split (seed 42), preprocessed with the default steps, as {@link Trainer#fit} does. */
    private static Problem adult() {
        TestData.Loaded d = TestData.load("adult");
        Trainer.Prepared p = Trainer.prepare(d.table(), d.types(),
                TestData.spec("LogisticRegression", Task.CLASSIFICATION, "income", Map.of()));
        int[] rows = p.split(0.2, 42).train();
        List<Object[]> cells = new ArrayList<>(rows.length);
        for (int r : rows) cells.add(p.cells().get(r));
        Preprocessor pre = Preprocessor.fit(p.features(), p.featureTypes(), cells, p.preprocessing());
        int[] y = new int[rows.length];
        for (int i = 0; i < y.length; i++) y[i] = p.yClass()[rows[i]];
        return new Problem(pre.transform(cells), y, pre.featureBlocks());
    }

    private static double[] coefficients(Problem s, LogisticRegression.Options options, SparseLogistic.Solver solver) {
        LogisticRegression m = SparseLogistic.fit(s.x(), s.y(), s.blocks(), options, solver, ProgressListener.NONE,
                CancellationToken.NONE);
        return ((LogisticRegression.Binomial) m).coefficients();
    }

    /** Gradient of the penalised summed log-loss (intercept last, not penalised), computed densely and directly. */
    private static double[] gradient(Problem s, double[] w, double lambda) {
        int p = s.x()[0].length;
        double[] g = new double[p + 1];
        for (int i = 0; i < s.x().length; i++) {
            double[] row = s.x()[i];
            double m = w[p];
            for (int j = 0; j < p; j++) m += w[j] * row[j];
            double residual = 1 / (1 + Math.exp(-m)) - s.y()[i];
            for (int j = 0; j < p; j++) g[j] += residual * row[j];
            g[p] += residual;
        }
        for (int j = 0; j < p; j++) g[j] += lambda * w[j];
        return g;
    }

    /** The penalised summed log-loss, computed densely and directly. */
    private static double loss(Problem s, double[] w, double lambda) {
        int p = s.x()[0].length;
        double f = 0;
        for (int i = 0; i < s.x().length; i++) {
            double[] row = s.x()[i];
            double m = w[p];
            for (int j = 0; j < p; j++) m += w[j] * row[j];
            f += Math.log1p(Math.exp(-Math.abs(m))) + Math.max(m, 0) - s.y()[i] * m;
        }
        for (int j = 0; j < p; j++) f += 0.5 * lambda * w[j] * w[j];
        return f;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    @Test
    void twoClassesWithAPenaltyUseNewtonTheRestLbfgs() {
        assertEquals(SparseLogistic.Solver.TRUST_REGION_NEWTON, SparseLogistic.Solver.of(2, 1.0));
        assertEquals(SparseLogistic.Solver.LBFGS, SparseLogistic.Solver.of(2, 0.0));
        assertEquals(SparseLogistic.Solver.LBFGS, SparseLogistic.Solver.of(3, 1.0));
    }

    @Test
    void newtonReachesTheLbfgsOptimum() {
        Problem s = adult();
        // Both solvers run to a tight tolerance: the optimum is unique (strictly convex objective), so they agree.
        LogisticRegression.Options tight = new LogisticRegression.Options(1.0, 1e-10, 1000);
        double[] newton = coefficients(s, tight, SparseLogistic.Solver.TRUST_REGION_NEWTON);
        double[] lbfgs = coefficients(s, tight, SparseLogistic.Solver.LBFGS);
        assertArrayEquals(lbfgs, newton, 1e-4);
        assertEquals(loss(s, lbfgs, 1.0), loss(s, newton, 1.0), 1e-6);

        // At the defaults (tol 1e-4), Newton's objective is at least as low as L-BFGS's, and both are within 0.5 of
        // the ~8,334 optimum (Newton: about 0.02; single coefficients of one-hot levels, nearly collinear with the
        // intercept, can still be 0.1 away).
        LogisticRegression.Options defaults = new LogisticRegression.Options(1.0, 1e-4, 1000);
        double optimum = loss(s, newton, 1.0);
        double newtonDefault = loss(s, coefficients(s, defaults, SparseLogistic.Solver.TRUST_REGION_NEWTON), 1.0);
        double lbfgsDefault = loss(s, coefficients(s, defaults, SparseLogistic.Solver.LBFGS), 1.0);
        assertTrue(newtonDefault <= lbfgsDefault + 1e-9, newtonDefault + " > " + lbfgsDefault);
        assertEquals(optimum, newtonDefault, 0.05);
        assertEquals(optimum, lbfgsDefault, 0.5);
    }

    /**
     * A design too wide for the explicit Hessian (40 numeric columns and a one-hot block: 42 non-zeros per row), so
     * the conjugate gradients multiply through the design: the same optimum too.
     */
    @Test
    void wideDesignsMultiplyThroughTheDesignToTheSameOptimum() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int n = 3000;
        int dense = 40;
        double[][] x = new double[n][dense + 3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double margin = 0;
            for (int j = 0; j < dense; j++) {
                x[i][j] = random.nextGaussian();
                margin += (j % 3 - 1) * 0.3 * x[i][j];
            }
            int level = random.nextInt(3);
            x[i][dense + level] = 1.0;
            margin += level - 1.0;
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
        }
        int[][] blocks = new int[dense + 1][];
        for (int j = 0; j < dense; j++) blocks[j] = new int[]{ j, -1 };
        blocks[dense] = new int[]{ dense, 3 };
        Problem s = new Problem(x, y, blocks);
        LogisticRegression.Options tight = new LogisticRegression.Options(1.0, 1e-10, 1000);
        double[] newton = coefficients(s, tight, SparseLogistic.Solver.TRUST_REGION_NEWTON);
        double[] lbfgs = coefficients(s, tight, SparseLogistic.Solver.LBFGS);
        assertArrayEquals(lbfgs, newton, 1e-5);
        assertTrue(norm(gradient(s, newton, 1.0)) <= 1e-6 * norm(gradient(s, new double[newton.length], 1.0)));
    }

    @Test
    void theGradientNormMeetsTheRelativeTolerance() {
        Problem s = adult();
        for (double tol : new double[]{ 1e-4, 1e-6 }) {
            double[] w = coefficients(s, new LogisticRegression.Options(1.0, tol, 1000),
                    SparseLogistic.Solver.TRUST_REGION_NEWTON);
            double initial = norm(gradient(s, new double[w.length], 1.0));
            double last = norm(gradient(s, w, 1.0));
            // The dense recomputation sums in another order than the solver: a relative 1e-6 of slack for that.
            assertTrue(last <= tol * initial * (1 + 1e-6), "||g|| = " + last + ", ||g0|| = " + initial + ", tol " + tol);
        }
    }

    @Test
    void progressRisesToOneOncePerIteration() {
        Problem s = adult();
        List<Double> fractions = new ArrayList<>();
        SparseLogistic.fit(s.x(), s.y(), s.blocks(), new LogisticRegression.Options(1.0, 1e-4, 1000),
                fractions::add, CancellationToken.NONE);
        assertTrue(fractions.size() >= 2, fractions.toString());
        for (int i = 1; i < fractions.size(); i++) assertTrue(fractions.get(i) > fractions.get(i - 1), fractions.toString());
        assertTrue(fractions.getFirst() > 0, fractions.toString());
        assertEquals(1.0, fractions.getLast(), 0.0);
    }

    @Test
    void cancellationIsPolledOncePerNewtonIterationAndStopsTheFit() {
        Problem s = adult();
        LogisticRegression.Options options = new LogisticRegression.Options(1.0, 1e-4, 1000);
        // A full fit polls on entry, before the first evaluation and before each outer iteration: a handful of times.
        AtomicInteger polls = new AtomicInteger();
        SparseLogistic.fit(s.x(), s.y(), s.blocks(), options, ProgressListener.NONE, () -> {
            polls.incrementAndGet();
            return false;
        });
        int full = polls.get();
        assertTrue(full >= 5 && full <= 30, "polls " + full);

        // Cancelled at the 4th poll (the 2nd outer iteration): it stops there, with the iterations before reported.
        AtomicInteger cancelPolls = new AtomicInteger();
        List<Double> fractions = new ArrayList<>();
        assertThrows(TrainingCancelledException.class, () -> SparseLogistic.fit(s.x(), s.y(), s.blocks(), options,
                SparseLogistic.Solver.TRUST_REGION_NEWTON, fractions::add, () -> cancelPolls.incrementAndGet() >= 4));
        assertEquals(4, cancelPolls.get());
        assertTrue(fractions.size() <= 1 && fractions.stream().allMatch(f -> f < 1.0), fractions.toString());

        assertThrows(TrainingCancelledException.class,
                () -> SparseLogistic.fit(s.x(), s.y(), s.blocks(), options, ProgressListener.NONE, () -> true));
    }

    @Test
    void cancellationStopsTheLbfgsPath() {
        Problem s = adult();
        AtomicInteger polls = new AtomicInteger();
        CancellationToken afterTen = () -> polls.incrementAndGet() > 10;
        assertThrows(TrainingCancelledException.class,
                () -> SparseLogistic.fit(s.x(), s.y(), s.blocks(), new LogisticRegression.Options(1.0, 1e-4, 1000),
                        SparseLogistic.Solver.LBFGS, ProgressListener.NONE, afterTen));
        assertEquals(11, polls.get());
    }
}
