package dev.mlpipeline.pipeline;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The least-squares solvers against references that do not share their code: scikit-learn's own documented outputs,
 * exact normal equations in {@link BigDecimal} (with the intercept as an extra unpenalised column, no centring), the
 * Lasso optimality (KKT) conditions, and the closed form of Lasso on an orthonormal design.
 */
class LeastSquaresTest {

    private static final MathContext MC = new MathContext(60);

    // ------------------------------------------------------------ scikit-learn's documented outputs

    @Test
    void linearRegressionDocstringExample() {
        // sklearn.linear_model.LinearRegression docstring: X = [[1,1],[1,2],[2,2],[2,3]], y = X @ [1,2] + 3
        double[][] x = { { 1, 1 }, { 1, 2 }, { 2, 2 }, { 2, 3 } };
        double[] y = { 6, 8, 9, 11 };
        LeastSquares.Fit f = LeastSquares.ols(x, y);
        assertArrayEquals(new double[]{ 1, 2 }, f.coefficients(), 1e-12);
        assertEquals(3.0, f.intercept(), 1e-12);
        assertEquals(16.0, f.intercept() + 3 * f.coefficients()[0] + 5 * f.coefficients()[1], 1e-12);
    }

    @Test
    void lassoToyExamplesOfScikitLearn() {
        // sklearn/linear_model/tests/test_coordinate_descent.py::test_lasso_toy
        double[][] x = { { -1 }, { 0 }, { 1 } };
        double[] y = { -1, 0, 1 };
        double[][] expected = { { 1e-8, 1.0 }, { 0.1, 0.85 }, { 0.5, 0.25 }, { 1.0, 0.0 } };
        for (double[] e : expected) {
            LeastSquares.Fit f = LeastSquares.lasso(x, y, e[0], 1e-4, 1000, CancellationToken.NONE);
            assertEquals(e[1], f.coefficients()[0], 1e-7, "alpha " + e[0]);
            assertEquals(0.0, f.intercept(), 1e-12);
            assertEquals(0.0, f.dualGap(), 1e-7);
            assertTrue(f.converged());
        }
        // sklearn.linear_model.Lasso docstring: two identical columns; cyclic descent gives the first one everything.
        LeastSquares.Fit f = LeastSquares.lasso(new double[][]{ { 0, 0 }, { 1, 1 }, { 2, 2 } }, new double[]{ 0, 1, 2 }, 0.1,
                1e-4, 1000, CancellationToken.NONE);
        assertArrayEquals(new double[]{ 0.85, 0.0 }, f.coefficients(), 1e-12);
        assertEquals(0.15, f.intercept(), 1e-12);
        // pass 1 moves w, pass 2 changes nothing and checks the gap: scikit-learn's n_iter_ counting
        assertEquals(2, f.iterations());
    }

    // ------------------------------------------------------------ OLS and ridge against exact normal equations

    @Test
    void olsAndRidgeEqualExactNormalEquationsOnDiabetesSizedData() {
        Problem d = diabetesLike();
        assertClose(exact(d.x(), d.y(), 0.0), LeastSquares.ols(d.x(), d.y()), 1e-9, "ols");
        for (double alpha : new double[]{ 1e-3, 1.0, 10.0, 1e4 }) {
            assertClose(exact(d.x(), d.y(), alpha), LeastSquares.ridge(d.x(), d.y(), alpha), 1e-9, "ridge " + alpha);
        }
        // alpha = 0 is plain least squares
        assertClose(exact(d.x(), d.y(), 0.0), LeastSquares.ridge(d.x(), d.y(), 0.0), 1e-9, "ridge 0");
    }

    @Test
    void ridgeEqualsExactNormalEquationsOnCaliforniaHousing() {
        Problem c = california();
        for (double alpha : new double[]{ 1.0, 100.0 }) {
            assertClose(exact(c.x(), c.y(), alpha), LeastSquares.ridge(c.x(), c.y(), alpha), 1e-8, "ridge " + alpha);
        }
    }

    /**
     * california's one-hot block (ocean_proximity, 5 levels, one hot per row) plus the intercept is exactly collinear:
     * the centred indicator columns sum to 0. The fitted values are unique; the coefficients are the minimum-norm ones,
     * computed here exactly from a full-rank fit without the last level and the null-space direction.
     */
    @Test
    void olsOnCollinearOneHotIsTheMinimumNormSolution() {
        Problem c = california();
        int p = c.x()[0].length;
        int[] block = c.lastBlock();
        assertEquals(5, block[1], "ocean_proximity levels");
        int first = block[0];
        int last = first + block[1] - 1;
        double[][] reduced = new double[c.x().length][p - 1];
        for (int i = 0; i < reduced.length; i++) {
            for (int j = 0, k = 0; j < p; j++) if (j != last) reduced[i][k++] = c.x()[i][j];
        }
        Reference r = exact(reduced, c.y(), 0.0);
        BigDecimal[] w0 = new BigDecimal[p];
        for (int j = 0, k = 0; j < p; j++) w0[j] = j == last ? BigDecimal.ZERO : r.w()[k++];
        // null space of the centred design: +1 on every level of the block. Remove w0's component along it.
        BigDecimal along = BigDecimal.ZERO;
        for (int j = first; j <= last; j++) along = along.add(w0[j]);
        along = along.divide(BigDecimal.valueOf(block[1]), MC);
        for (int j = first; j <= last; j++) w0[j] = w0[j].subtract(along);
        // every row has exactly one level hot, so the intercept takes up what the block's coefficients gave away
        BigDecimal b = r.b().add(along);
        LeastSquares.Fit f = LeastSquares.ols(c.x(), c.y());
        assertClose(new Reference(w0, b), f, 1e-7, "ols min-norm");
        double sum = 0;
        for (int j = first; j <= last; j++) sum += f.coefficients()[j];
        assertEquals(0.0, sum, 1e-6 * Math.abs(f.coefficients()[first]));
    }

    // ------------------------------------------------------------ Lasso

    @Test
    void lassoSatisfiesTheOptimalityConditions() {
        Problem d = diabetesLike();
        Problem c = california();
        for (Object[] run : new Object[][]{ { d, 0.01 }, { d, 0.1 }, { d, 1.0 }, { c, 1.0 }, { c, 1000.0 }, { c, 20000.0 } }) {
            Problem pr = (Problem) run[0];
            double alpha = (double) run[1];
            LeastSquares.Fit f = LeastSquares.lasso(pr.x(), pr.y(), alpha, 1e-13, 100_000, CancellationToken.NONE);
            assertTrue(f.converged(), pr.name() + " alpha " + alpha);
            double worst = kktViolation(pr, f, alpha);
            System.out.printf("lasso %s alpha=%g: %d passes, %d non-zero of %d, KKT violation %.2e (relative to alpha)%n",
                    pr.name(), alpha, f.iterations(), nonZero(f), f.coefficients().length, worst);
            // 1e-9 of alpha; california's alpha = 1 is tiny against gradients of order 1e5 (dollars), where the
            // double-precision floor of x_j'r / n is a few 1e-9 of alpha.
            assertTrue(worst < (alpha < 10 && pr == c ? 1e-8 : 1e-9), pr.name() + " alpha " + alpha + ": KKT violation " + worst);
        }
    }

    @Test
    void lassoOnAnOrthonormalDesignIsSoftThresholding() {
        // Columns 1..5 of the 8 x 8 Sylvester-Hadamard matrix: centred (+-1 balanced), orthogonal, x_j'x_j = n.
        int n = 8;
        int p = 5;
        double[][] x = new double[n][p];
        for (int i = 0; i < n; i++) for (int j = 0; j < p; j++) x[i][j] = Integer.bitCount(i & (j + 1)) % 2 == 0 ? 1 : -1;
        double[] y = { 3.1, -0.4, 2.2, 5.0, -1.7, 0.3, 4.4, -2.9 };
        double yMean = 0;
        for (double v : y) yMean += v / n;
        for (double alpha : new double[]{ 0.0, 0.05, 0.5, 1.0, 5.0 }) {
            LeastSquares.Fit f = LeastSquares.lasso(x, y, alpha, 1e-4, 1000, CancellationToken.NONE);
            for (int j = 0; j < p; j++) {
                double z = 0;
                for (int i = 0; i < n; i++) z += x[i][j] * y[i] / n;
                double expected = Math.signum(z) * Math.max(Math.abs(z) - alpha, 0);
                assertEquals(expected, f.coefficients()[j], 1e-12, "alpha " + alpha + " w" + j);
            }
            assertEquals(yMean, f.intercept(), 1e-12);
            if (alpha == 0) {
                // scikit-learn's gap test cannot pass without a penalty (the gap is then ||r||^2 / 2): every pass runs
                assertEquals(1000, f.iterations());
                assertFalse(f.converged());
            } else {
                assertEquals(alpha >= 5.0 ? 1 : 2, f.iterations(), "alpha " + alpha); // all-zero w: checked at once
                assertTrue(f.converged());
            }
        }
    }

    @Test
    void lassoWithoutPenaltyIsLeastSquares() {
        Problem d = diabetesLike();
        LeastSquares.Fit lasso = LeastSquares.lasso(d.x(), d.y(), 0.0, 1e-14, 100_000, CancellationToken.NONE);
        assertClose(exact(d.x(), d.y(), 0.0), lasso, 1e-7, "lasso alpha=0");
    }

    @Test
    void lassoStopsAtMaxIterAndSaysSo() {
        Problem d = diabetesLike();
        LeastSquares.Fit f = LeastSquares.lasso(d.x(), d.y(), 0.01, 1e-12, 3, CancellationToken.NONE);
        assertEquals(3, f.iterations());
        assertFalse(f.converged());
        assertTrue(f.dualGap() > 0);
        assertThrows(TrainingCancelledException.class,
                () -> LeastSquares.lasso(d.x(), d.y(), 0.01, 1e-4, 1000, () -> true));
    }

    @Test
    void defaultLassoThroughThePipelineIsTheScikitLearnFit() {
        // The estimator the catalog builds for Lasso with the defaults (alpha=1, tol=1e-4, max_iter=1000) is the
        // solver's fit on the preprocessed training matrix, constant columns aside.
        Problem c = california();
        LeastSquares.Fit direct = LeastSquares.lasso(c.x(), c.y(), 1.0, 1e-4, 1000, CancellationToken.NONE);
        TrainingResult r = TestData.train("california_housing", "Lasso", Task.REGRESSION, "median_house_value", Map.of());
        Estimator.Linear linear = (Estimator.Linear) r.pipeline().estimator();
        assertEquals(c.x()[0].length, linear.columns().length, "no constant column on california");
        assertArrayEquals(direct.coefficients(), linear.weights(), 0.0);
        assertEquals(direct.intercept(), linear.intercept(), 0.0);
        assertEquals(0.6252, r.metrics().get("r2"), 0.02);
    }

    // ------------------------------------------------------------ data

    /** A preprocessed design and target. */
    record Problem(String name, double[][] x, double[] y, int[][] blocks) {
        int[] lastBlock() {
            return blocks[blocks.length - 1];
        }
    }

    /** 442 x 10 like scikit-learn's diabetes: correlated standardised-scale columns, a noisy linear target. */
    private static Problem diabetesLike() {
        SplittableRandom r = new SplittableRandom(442);
        int n = 442;
        int p = 10;
        double[][] x = new double[n][p];
        double[] beta = { -10, -240, 520, 320, -790, 480, 100, 180, 750, 70 };
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double common = gaussian(r);
            for (int j = 0; j < p; j++) x[i][j] = 0.05 * (0.6 * common + gaussian(r)) + (j == 5 ? 0.9 * x[i][4] : 0);
            y[i] = 152;
            for (int j = 0; j < p; j++) y[i] += beta[j] * x[i][j];
            y[i] += 50 * gaussian(r);
        }
        return new Problem("diabetes-like", x, y, null);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static Problem cached;

    /** california_housing's training split (seed 42, 20% test) after the default preprocessing. */
    private static synchronized Problem california() {
        if (cached != null) return cached;
        TestData.Loaded d = TestData.load("california_housing");
        Trainer.Prepared p = Trainer.prepare(d.table(), d.types(),
                TestData.spec("LinearRegression", Task.REGRESSION, "median_house_value", Map.of()));
        int[] train = p.split(0.2, 42).train();
        List<Object[]> cells = new ArrayList<>();
        for (int row : train) cells.add(p.cells().get(row));
        Preprocessor pre = Preprocessor.fit(p.features(), p.featureTypes(), cells, p.preprocessing());
        double[][] x = pre.transform(cells);
        double[] y = new double[train.length];
        for (int i = 0; i < y.length; i++) y[i] = p.yValue()[train[i]];
        return cached = new Problem("california", x, y, pre.featureBlocks());
    }

    // ------------------------------------------------------------ references

    /** Exact coefficients and intercept. */
    record Reference(BigDecimal[] w, BigDecimal b) {
    }

    /**
     * min ||y - Xw - b||^2 + alpha ||w||^2 from the normal equations of the design [X 1] (intercept unpenalised), in
     * BigDecimal: the products and sums are exact, the elimination runs at 60 significant digits.
     */
    static Reference exact(double[][] x, double[] y, double alpha) {
        int n = x.length;
        int p = x[0].length;
        int m = p + 1;
        BigDecimal[][] a = new BigDecimal[m][m + 1];
        for (BigDecimal[] row : a) java.util.Arrays.fill(row, BigDecimal.ZERO);
        BigDecimal[] xi = new BigDecimal[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) xi[j] = new BigDecimal(x[i][j]);
            xi[p] = BigDecimal.ONE;
            BigDecimal yi = new BigDecimal(y[i]);
            for (int j = 0; j < m; j++) {
                if (xi[j].signum() == 0) continue;
                for (int k = j; k < m; k++) a[j][k] = a[j][k].add(xi[j].multiply(xi[k]));
                a[j][m] = a[j][m].add(xi[j].multiply(yi));
            }
        }
        for (int j = 0; j < m; j++) for (int k = 0; k < j; k++) a[j][k] = a[k][j];
        for (int j = 0; j < p; j++) a[j][j] = a[j][j].add(new BigDecimal(alpha));
        // Gaussian elimination with partial pivoting
        for (int c = 0; c < m; c++) {
            int pivot = c;
            for (int r = c + 1; r < m; r++) if (a[r][c].abs().compareTo(a[pivot][c].abs()) > 0) pivot = r;
            BigDecimal[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            if (a[c][c].signum() == 0) throw new ArithmeticException("singular normal equations");
            for (int r = c + 1; r < m; r++) {
                BigDecimal factor = a[r][c].divide(a[c][c], MC);
                if (factor.signum() == 0) continue;
                for (int k = c; k <= m; k++) a[r][k] = a[r][k].subtract(factor.multiply(a[c][k]), MC);
            }
        }
        BigDecimal[] s = new BigDecimal[m];
        for (int r = m - 1; r >= 0; r--) {
            BigDecimal v = a[r][m];
            for (int k = r + 1; k < m; k++) v = v.subtract(a[r][k].multiply(s[k]), MC);
            s[r] = v.divide(a[r][r], MC);
        }
        BigDecimal[] w = java.util.Arrays.copyOf(s, p);
        return new Reference(w, s[p]);
    }

    /** Every coefficient and the intercept within {@code rel} of the reference, relative to the largest of them. */
    private static void assertClose(Reference ref, LeastSquares.Fit fit, double rel, String what) {
        double scale = Math.abs(ref.b().doubleValue());
        for (BigDecimal v : ref.w()) scale = Math.max(scale, Math.abs(v.doubleValue()));
        double worst = 0;
        for (int j = 0; j < ref.w().length; j++) {
            double e = ref.w()[j].doubleValue();
            double err = Math.abs(fit.coefficients()[j] - e) / Math.max(Math.abs(e), 1e-3 * scale);
            worst = Math.max(worst, err);
        }
        double e = ref.b().doubleValue();
        worst = Math.max(worst, Math.abs(fit.intercept() - e) / Math.max(Math.abs(e), 1e-3 * scale));
        System.out.printf("%-14s largest relative coefficient error vs exact: %.2e%n", what, worst);
        assertTrue(worst < rel, what + ": relative error " + worst);
    }

    /**
     * Largest violation, relative to alpha (or to the gradient scale when alpha = 0), of the Lasso KKT conditions
     * g_j = x_j'(y - Xw - b) / n: g_j = alpha sign(w_j) when w_j != 0, |g_j| <= alpha otherwise; and sum(r) = 0.
     */
    private static double kktViolation(Problem pr, LeastSquares.Fit f, double alpha) {
        int n = pr.x().length;
        int p = pr.x()[0].length;
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double v = pr.y()[i] - f.intercept();
            for (int j = 0; j < p; j++) v -= pr.x()[i][j] * f.coefficients()[j];
            r[i] = v;
        }
        double yScale = 0;
        for (double v : pr.y()) yScale = Math.max(yScale, Math.abs(v));
        double scale = alpha > 0 ? alpha : yScale;
        double worst = 0;
        for (int j = 0; j < p; j++) {
            double g = 0;
            for (int i = 0; i < n; i++) g += pr.x()[i][j] * r[i];
            g /= n;
            double w = f.coefficients()[j];
            double violation = w != 0 ? Math.abs(g - alpha * Math.signum(w)) : Math.max(0, Math.abs(g) - alpha);
            worst = Math.max(worst, violation / scale);
        }
        double sum = 0;
        for (double v : r) sum += v;
        return Math.max(worst, Math.abs(sum / n) / scale);
    }

    private static int nonZero(LeastSquares.Fit f) {
        int k = 0;
        for (double v : f.coefficients()) if (v != 0) k++;
        return k;
    }
}
