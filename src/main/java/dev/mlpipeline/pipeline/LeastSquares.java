package dev.mlpipeline.pipeline;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Linear least-squares fits with scikit-learn's objectives and algorithms, in pure Java: dense linear algebra comes
 * from EJML, so nothing native (no BLAS/LAPACK, no FFM downcall) is involved and the same code runs in a native image.
 *
 * <p>All three fit an intercept the way scikit-learn does ({@code fit_intercept=True}): the columns of x and the
 * target are centred on their training means, the coefficients are fitted on the centred data, and the intercept is
 * {@code mean(y) - mean(x) . w} (so it is never penalised).
 * <ul>
 *   <li>{@link #ols}: {@code LinearRegression}, min ||y - Xw - b||^2, solved from the SVD of the centred design; a
 *       rank-deficient design (a full one-hot block plus the intercept) gets the minimum-norm solution.</li>
 *   <li>{@link #ridge}: {@code Ridge(alpha)}, min ||y - Xw - b||^2 + alpha ||w||^2, solved like scikit-learn's
 *       {@code solver="cholesky"}: Cholesky on (X'X + alpha I) w = X'y, the SVD formula when that matrix is not
 *       positive definite.</li>
 *   <li>{@link #lasso}: {@code Lasso(alpha, max_iter, tol)}, min (1/(2n)) ||y - Xw - b||^2 + alpha ||w||_1, by
 *       scikit-learn's cyclic coordinate descent ({@code enet_coordinate_descent}, dense, {@code selection="cyclic"})
 *       with its stopping rule; written here because no maintained Java library implements that algorithm.</li>
 * </ul>
 * Shapes: x is n rows by p columns (row-major {@code double[n][p]}), y has n entries; every result has p coefficients.
 */
final class LeastSquares {

    private LeastSquares() {
    }

    /**
     * A fitted linear model.
     *
     * @param coefficients one per column of x
     * @param intercept    intercept
     * @param iterations   coordinate-descent passes over the features (scikit-learn's {@code n_iter_}); 0 for the
     *                     direct solvers
     * @param dualGap      final duality gap of the Lasso objective as scikit-learn reports it in {@code dual_gap_}
     *                     (the gap of (1/2)||r||^2 + n alpha ||w||_1, divided by n); 0 for the direct solvers
     * @param converged    false when Lasso stopped at max_iter with the gap still above tol (scikit-learn's
     *                     ConvergenceWarning)
     */
    record Fit(double[] coefficients, double intercept, int iterations, double dualGap, boolean converged) {
    }

    /** Centred training data: x minus its column means (n by p), y minus its mean. */
    private record Centred(DMatrixRMaj x, double[] xMean, double[] y, double yMean) {
        static Centred of(double[][] x, double[] y) {
            int n = x.length;
            if (n == 0 || n != y.length) throw new IllegalArgumentException("x has " + n + " rows, y " + y.length);
            int p = x[0].length;
            double[] mean = new double[p];
            for (double[] row : x) for (int j = 0; j < p; j++) mean[j] += row[j];
            for (int j = 0; j < p; j++) mean[j] /= n;
            DMatrixRMaj xc = new DMatrixRMaj(n, p);
            double[] data = xc.data;
            for (int i = 0; i < n; i++) {
                double[] row = x[i];
                for (int j = 0, k = i * p; j < p; j++, k++) data[k] = row[j] - mean[j];
            }
            double yMean = 0;
            for (double v : y) yMean += v;
            yMean /= n;
            double[] yc = new double[n];
            for (int i = 0; i < n; i++) yc[i] = y[i] - yMean;
            return new Centred(xc, mean, yc, yMean);
        }

        Fit fit(double[] w, int iterations, double gap, boolean converged) {
            double b = yMean;
            for (int j = 0; j < w.length; j++) b -= xMean[j] * w[j];
            return new Fit(w, b, iterations, gap, converged);
        }
    }

    /**
     * Ordinary least squares (scikit-learn's {@code LinearRegression()}).
     *
     * <p>Singular values below {@code eps * max(n, p) * s_max} count as zero, so that exactly collinear columns get
     * the minimum-norm coefficients. (scikit-learn's LAPACK {@code gelsd} uses the cut-off {@code eps * s_max}, which
     * leaves the coefficients of an exactly collinear design to rounding noise; both give the same predictions.)
     *
     * @param x design, n by p
     * @param y target, n
     * @return coefficients and intercept
     */
    static Fit ols(double[][] x, double[] y) {
        Centred c = Centred.of(x, y);
        int n = c.x().numRows;
        int p = c.x().numCols;
        double[] w = svdSolve(c.x(), c.y(), 0.0, relativeCutoff(n, p));
        return c.fit(w, 0, 0, true);
    }

    /**
     * Ridge regression (scikit-learn's {@code Ridge(alpha)}, solver {@code "cholesky"}, which its {@code "auto"}
     * picks for dense data).
     *
     * @param x     design, n by p
     * @param y     target, n
     * @param alpha L2 penalty, >= 0
     * @return coefficients and intercept
     */
    static Fit ridge(double[][] x, double[] y, double alpha) {
        if (!(alpha >= 0)) throw new IllegalArgumentException("alpha must be >= 0, was " + alpha);
        Centred c = Centred.of(x, y);
        int p = c.x().numCols;
        DMatrixRMaj gram = new DMatrixRMaj(p, p);
        CommonOps_DDRM.multInner(c.x(), gram);
        for (int j = 0; j < p; j++) gram.add(j, j, alpha);
        DMatrixRMaj xty = new DMatrixRMaj(p, 1);
        CommonOps_DDRM.multTransA(c.x(), DMatrixRMaj.wrap(c.y().length, 1, c.y()), xty);
        LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(p);
        double[] w = null;
        if (cholesky.setA(gram)) {
            DMatrixRMaj solution = new DMatrixRMaj(p, 1);
            cholesky.solve(xty, solution);
            w = solution.data;
            for (double v : w) {
                if (!Double.isFinite(v)) {
                    w = null;
                    break;
                }
            }
        }
        if (w == null) {
            // scikit-learn falls back to solver "svd" when Cholesky fails: d_i = s_i / (s_i^2 + alpha) for s_i > 1e-15.
            w = svdSolve(c.x(), c.y(), alpha, -1e-15);
        }
        return c.fit(w, 0, 0, true);
    }

    /** Relative cut-off for {@link #svdSolve}, as a negative number means absolute. */
    private static double relativeCutoff(int n, int p) {
        return Math.ulp(1.0) * Math.max(n, p);
    }

    /**
     * w = V diag(d) U' y from the thin SVD X = U diag(s) V', with d_i = s_i / (s_i^2 + alpha) for the kept singular
     * values and 0 for the others.
     *
     * @param cutoff when positive, keep s_i > cutoff * max(s); when negative, keep s_i > -cutoff (absolute)
     */
    private static double[] svdSolve(DMatrixRMaj xc, double[] yc, double alpha, double cutoff) {
        int n = xc.numRows;
        int p = xc.numCols;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, p, true, true, true);
        if (!svd.decompose(xc.copy())) {
            throw new ArithmeticException("the singular value decomposition of the " + n + " x " + p
                    + " design did not converge");
        }
        double[] s = svd.getSingularValues();
        int k = svd.numberOfSingularValues();
        double max = 0;
        for (int i = 0; i < k; i++) max = Math.max(max, s[i]);
        double threshold = cutoff >= 0 ? cutoff * max : -cutoff;
        DMatrixRMaj ut = svd.getU(null, true); // k x n
        DMatrixRMaj v = svd.getV(null, false); // p x k
        DMatrixRMaj uty = new DMatrixRMaj(k, 1);
        CommonOps_DDRM.mult(ut, DMatrixRMaj.wrap(n, 1, yc), uty);
        for (int i = 0; i < k; i++) {
            double si = s[i];
            uty.data[i] *= si > threshold && si > 0 ? si / (si * si + alpha) : 0.0;
        }
        DMatrixRMaj w = new DMatrixRMaj(p, 1);
        CommonOps_DDRM.mult(v, uty, w);
        return w.data;
    }

    /**
     * Lasso by cyclic coordinate descent, step for step scikit-learn's dense {@code enet_coordinate_descent} with
     * {@code l1_reg = alpha * n}, {@code l2_reg = 0} (i.e. it minimises (1/2)||r||^2 + n alpha ||w||_1, the same
     * minimiser as scikit-learn's Lasso objective), starting from w = 0:
     * <ul>
     *   <li>one pass updates every coefficient in column order by soft-thresholding x_j'r against n alpha;</li>
     *   <li>after a pass whose largest coefficient change is below {@code tol} times the largest coefficient (or
     *       whose coefficients are all 0, or the last allowed pass), the duality gap is computed, and the fit stops
     *       when it is below {@code tol * ||y - mean(y)||^2};</li>
     *   <li>at most {@code maxIter} passes.</li>
     * </ul>
     * Constant columns (zero after centring) keep a zero coefficient.
     *
     * @param x       design, n by p
     * @param y       target, n
     * @param alpha   L1 penalty of the (1/(2n))-scaled objective, >= 0
     * @param tol     scikit-learn's tol, > 0
     * @param maxIter scikit-learn's max_iter, >= 1
     * @param cancel  polled once per pass
     * @return coefficients, intercept, passes made, final gap and whether it converged
     * @throws TrainingCancelledException when cancelled
     */
    static Fit lasso(double[][] x, double[] y, double alpha, double tol, int maxIter, CancellationToken cancel) {
        if (!(alpha >= 0)) throw new IllegalArgumentException("alpha must be >= 0, was " + alpha);
        if (maxIter < 1) throw new IllegalArgumentException("max_iter must be >= 1, was " + maxIter);
        int n = x.length;
        if (n == 0 || n != y.length) throw new IllegalArgumentException("x has " + n + " rows, y " + y.length);
        int p = x[0].length;
        // Column-major centred copy: each coordinate update reads one column.
        double[] xMean = new double[p];
        for (double[] row : x) for (int j = 0; j < p; j++) xMean[j] += row[j];
        for (int j = 0; j < p; j++) xMean[j] /= n;
        double[][] col = new double[p][n];
        for (int i = 0; i < n; i++) {
            double[] row = x[i];
            for (int j = 0; j < p; j++) col[j][i] = row[j] - xMean[j];
        }
        double yMean = 0;
        for (double v : y) yMean += v;
        yMean /= n;
        double[] yc = new double[n];
        for (int i = 0; i < n; i++) yc[i] = y[i] - yMean;

        double l1 = alpha * n;
        double[] norm = new double[p];
        for (int j = 0; j < p; j++) norm[j] = dot(col[j], col[j]);
        double[] w = new double[p];
        double[] r = yc.clone(); // residual y - Xw, with w = 0
        double dwTol = tol;
        double gapTol = tol * dot(yc, yc);
        double gap = gapTol + 1.0;
        boolean converged = false;
        int pass = 0;
        for (; pass < maxIter; pass++) {
            if (cancel.isCancelled()) throw new TrainingCancelledException();
            double wMax = 0;
            double dwMax = 0;
            for (int j = 0; j < p; j++) {
                if (norm[j] == 0.0) continue;
                double[] xj = col[j];
                double old = w[j];
                if (old != 0.0) axpy(old, xj, r);
                double t = dot(xj, r);
                double updated = Math.signum(t) * Math.max(Math.abs(t) - l1, 0.0) / norm[j];
                w[j] = updated;
                if (updated != 0.0) axpy(-updated, xj, r);
                dwMax = Math.max(dwMax, Math.abs(updated - old));
                wMax = Math.max(wMax, Math.abs(updated));
            }
            if (wMax == 0.0 || dwMax / wMax < dwTol || pass == maxIter - 1) {
                gap = dualityGap(col, yc, r, w, l1);
                if (gap < gapTol) {
                    converged = true;
                    break;
                }
            }
        }
        double b = yMean;
        for (int j = 0; j < p; j++) b -= xMean[j] * w[j];
        return new Fit(w, b, Math.min(pass + 1, maxIter), gap / n, converged);
    }

    /**
     * Duality gap of min (1/2)||y - Xw||^2 + l1 ||w||_1 at w with residual r (scikit-learn's formula: the dual point
     * is r scaled into the dual feasible set {|X'theta| <= l1}).
     */
    private static double dualityGap(double[][] col, double[] y, double[] r, double[] w, double l1) {
        double dualNorm = 0;
        for (double[] xj : col) dualNorm = Math.max(dualNorm, Math.abs(dot(xj, r)));
        double rNorm2 = dot(r, r);
        double scale;
        double gap;
        if (dualNorm > l1) {
            scale = l1 / dualNorm;
            gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
        } else {
            scale = 1.0;
            gap = rNorm2;
        }
        double l1Norm = 0;
        for (double v : w) l1Norm += Math.abs(v);
        return gap + l1 * l1Norm - scale * dot(r, y);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** y += a * x */
    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }
}
