package dev.mlpipeline.pipeline;

import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.RidgeRegression;

/**
 * Detects, once and lazily, whether Smile's native BLAS/LAPACK (OpenBLAS) can be used.
 *
 * <p>Smile 6.3 binds BLAS and LAPACK through the FFM API in the static initialisers of
 * {@code smile.linalg.blas.cblas_h} and {@code smile.linalg.lapack.clapack_h}. Each calls
 * {@code SymbolLookup.libraryLookup(System.mapLibraryName(name))} with
 * {@code name = System.getProperty("smile.lib.blas" / "smile.lib.lapack", "openblas")}, i.e. it
 * {@code dlopen}s the file name {@code libopenblas.so} through the normal loader search path. The property
 * is a library <em>name</em>, not a path ("lib" + name + ".so" is built from it), so it cannot point at
 * Debian's versioned {@code libopenblas.so.0}; an unversioned {@code libopenblas.so} must be on the loader
 * path (package {@code libopenblas-dev}, or a symlink in a directory listed in {@code LD_LIBRARY_PATH}).
 */
final class NativeSupport {

    private NativeSupport() {
    }

    private static final class Holder {
        static final String PROBLEM = probe();
    }

    /** @return null when OpenBLAS works, else a user-facing explanation with the fix */
    static String blasProblem() {
        return Holder.PROBLEM;
    }

    private static String probe() {
        try {
            // Opens the library (class init) and runs a tiny BLAS + LAPACK computation end to end.
            double[][] x = {{1, 2}, {2, 1}, {3, 5}, {4, 3}, {5, 8}, {6, 4}};
            DataFrame df = DataFrame.of(x, "a", "b")
                    .merge(new DataFrame(new smile.data.vector.DoubleVector("y", new double[]{1, 2, 3, 4, 5, 6})));
            RidgeRegression.fit(Formula.lhs("y"), df, 0.1);
            return null;
        } catch (Throwable e) {
            String cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            if (root != e && root.getMessage() != null) cause += " (" + root.getMessage() + ")";
            return "needs the native OpenBLAS library, which could not be loaded: " + cause
                    + ". Smile looks for a file named " + System.mapLibraryName(System.getProperty("smile.lib.blas", "openblas"))
                    + " on the dynamic loader path. Fix: install OpenBLAS with its unversioned link "
                    + "(Debian: apt-get install libopenblas0 libopenblas-dev), or put a symlink named libopenblas.so "
                    + "pointing at libopenblas.so.0 into a directory listed in LD_LIBRARY_PATH; then restart the service.";
        }
    }
}
