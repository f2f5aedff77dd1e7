package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import smile.classification.ClassLabels;
import smile.classification.Classifier;
import smile.classification.DecisionTree;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.measure.NominalScale;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;
import smile.data.vector.ValueVector;
import smile.math.MathEx;
import smile.model.cart.Loss;
import smile.model.cart.SplitRule;
import smile.regression.Regression;
import smile.regression.RegressionTree;
import smile.util.IterativeAlgorithmController;

/** Fits Smile models on a preprocessed matrix. Package-private: the public entry point is {@link Trainer}. */
final class Estimators {

    private static final String Y = "__target__";

    /** System property read by Smile's regression trees (also the base learners of gradient boosting). */
    static final String REGRESSION_TREE_BINS = "smile.regression_tree.bins";

    static {
        // Smile's regression trees only evaluate a split every n/100 ordered samples by default (100 "bins"),
        // which costs random forest regression ~0.08 R^2 on california_housing. A value <= 10 means exact splits
        // like scikit-learn. Process-wide, so an operator's explicit setting is kept.
        if (System.getProperty(REGRESSION_TREE_BINS) == null) {
            System.setProperty(REGRESSION_TREE_BINS, "1");
        }
    }

    private Estimators() {
    }

    /**
     * Training inputs after preprocessing.
     *
     * @param x          preprocessed training matrix
     * @param yClass     class indices 0..k-1 (classification) or null
     * @param yValue     targets (regression) or null
     * @param numClasses k (classification) or 0
     * @param indicator  per column: true for one-hot indicators
     * @param blocks     per input feature {first column, number of one-hot levels or -1 for a numeric feature}
     *                   (see {@link Preprocessor#featureBlocks()}); null = every column on its own
     */
    record Data(double[][] x, int[] yClass, double[] yValue, int numClasses, boolean[] indicator, int[][] blocks) {
        int rows() {
            return x.length;
        }

        int cols() {
            return x.length == 0 ? 0 : x[0].length;
        }
    }

    /**
     * Fits a model.
     *
     * @param modelType catalog name
     * @param task      task
     * @param data      training data
     * @param params    validated hyperparameters
     * @param seed      random seed (tree ensembles)
     * @param progress  receives progress in [0, 1] of this fit
     * @param cancel    polled between trees / iterations
     * @return the fitted estimator
     */
    static Estimator fit(String modelType, Task task, Data data, Map<String, Object> params, long seed,
            ProgressListener progress, CancellationToken cancel) {
        Estimator fitted = fitSmile(modelType, task, data, params, seed, progress, cancel);
        boolean tree = fitted instanceof Estimator.TreeClassifier || fitted instanceof Estimator.TreeRegressor;
        return tree && !SMILE_ESTIMATORS.orElse(false) ? FlatTrees.of(fitted, data, params) : fitted;
    }

    /**
     * When bound to true, {@link #fit} returns tree models as the Smile objects of the Java-serialization artifacts
     * instead of {@link FlatTrees} (compatibility tests produce artifacts of the earlier format with it).
     */
    static final ScopedValue<Boolean> SMILE_ESTIMATORS = ScopedValue.newInstance();

    private static Estimator fitSmile(String modelType, Task task, Data data, Map<String, Object> params, long seed,
            ProgressListener progress, CancellationToken cancel) {
        boolean cls = task == Task.CLASSIFICATION;
        return switch (modelType) {
            case ModelCatalog.LOGISTIC_REGRESSION -> logistic(data, params, progress, cancel);
            case ModelCatalog.RANDOM_FOREST -> cls ? forestClassifier(data, params, seed, progress, cancel)
                    : forestRegressor(data, params, seed, progress, cancel);
            case ModelCatalog.GRADIENT_BOOSTING -> cls ? boostClassifier(data, params, seed, progress, cancel)
                    : boostRegressor(data, params, seed, progress, cancel);
            case ModelCatalog.DECISION_TREE -> cls ? treeClassifier(data, params) : treeRegressor(data, params);
            case ModelCatalog.LINEAR_REGRESSION, ModelCatalog.RIDGE, ModelCatalog.LASSO ->
                leastSquares(modelType, data, params, cancel);
            default -> throw new IllegalArgumentException("unknown model type " + modelType);
        };
    }

    // ---------------------------------------------------------------- helpers

    private static int intParam(Map<String, Object> p, String name) {
        return ((Number) p.get(name)).intValue();
    }

    private static double numParam(Map<String, Object> p, String name) {
        return ((Number) p.get(name)).doubleValue();
    }

    /** Our max_depth counts split levels (scikit-learn); Smile stops splitting a node whose depth (root = 1) reaches maxDepth. */
    private static int smileDepth(Object maxDepth) {
        return maxDepth == null ? Integer.MAX_VALUE : ((Number) maxDepth).intValue() + 1;
    }

    /**
     * Layout of the tree models' predictor columns: one column per input feature. A numeric feature is its scaled
     * column; a one-hot encoded categorical feature with m levels becomes a single nominal column holding the index
     * of its hot level (m when none is hot: a level unseen in training). Smile's nominal split is "level == v" versus
     * the rest, i.e. exactly a split on the one-hot indicator of v, so the trees can express the same splits, but
     * one pass over a node's samples evaluates all m indicators (Smile scans a node's samples once per candidate
     * column, and p = 105 one-hot columns on adult made that scan dominate the fit). Nominal columns also avoid
     * Smile 6.3's ordinal threshold search, which only tries thresholds where the class label changes between
     * consecutive sorted samples and so skips the only split of a heavily tied 0/1 column about half of the time.
     *
     * @param start first input column of each tree column
     * @param size  number of one-hot levels of each tree column, -1 for a numeric column
     */
    record TreeColumns(int[] start, int[] size) implements java.io.Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        static TreeColumns of(Data d) {
            int[][] blocks = d.blocks();
            if (blocks == null) { // no grouping known: indicators one by one as 2-level nominal columns
                int p = d.cols();
                int[] start = new int[p];
                int[] size = new int[p];
                for (int j = 0; j < p; j++) {
                    start[j] = j;
                    size[j] = d.indicator()[j] ? -2 : -1;
                }
                return new TreeColumns(start, size);
            }
            int[] start = new int[blocks.length];
            int[] size = new int[blocks.length];
            for (int j = 0; j < blocks.length; j++) {
                start[j] = blocks[j][0];
                size[j] = blocks[j][1];
            }
            return new TreeColumns(start, size);
        }

        int count() {
            return start.length;
        }

        /** Value of tree column c for the preprocessed row x (a level index for nominal columns). */
        double value(double[] x, int c) {
            int s = size[c];
            if (s == -1) return x[start[c]];
            if (s == -2) return x[start[c]] > 0.5 ? 1 : 0;
            for (int k = 0; k < s; k++) if (x[start[c] + k] > 0.5) return k;
            return s;
        }

        double[] apply(double[] x) {
            double[] out = new double[start.length];
            for (int c = 0; c < out.length; c++) out[c] = value(x, c);
            return out;
        }

        int levels(int c) {
            return size[c] == -2 ? 2 : size[c];
        }

        List<ValueVector> vectors(double[][] x, int rows) {
            List<ValueVector> cols = new ArrayList<>();
            for (int c = 0; c < start.length; c++) {
                String name = "x" + c;
                if (size[c] == -1) {
                    double[] v = new double[rows];
                    for (int i = 0; i < rows && i < x.length; i++) v[i] = x[i][start[c]];
                    cols.add(new DoubleVector(name, v));
                } else {
                    int[] v = new int[rows];
                    for (int i = 0; i < rows && i < x.length; i++) v[i] = (int) value(x[i], c);
                    String[] levels = new String[Math.max(1, levels(c))];
                    for (int k = 0; k < levels.length; k++) levels[k] = Integer.toString(k);
                    cols.add(new IntVector(new StructField(name, DataTypes.IntType, new NominalScale(levels)), v));
                }
            }
            return cols;
        }
    }

    private static DataFrame frame(Data d, TreeColumns tc) {
        List<ValueVector> cols = tc.vectors(d.x(), d.rows());
        cols.add(d.yClass() != null ? new IntVector(Y, d.yClass()) : new DoubleVector(Y, d.yValue()));
        return new DataFrame(cols.toArray(new ValueVector[0]));
    }

    private static StructType xSchema(TreeColumns tc) {
        // Schema of the predictors only: the tuple wrapped at predict time.
        return new DataFrame(tc.vectors(new double[0][], 1).toArray(new ValueVector[0])).schema();
    }

    private static Estimator treeClassifier(Classifier<Tuple> model, TreeColumns tc) {
        return new Estimator.TreeClassifier(model, xSchema(tc), tc);
    }

    private static Estimator treeRegressor(Regression<Tuple> model, TreeColumns tc) {
        return new Estimator.TreeRegressor(model, xSchema(tc), tc);
    }

    /**
     * Per column, the mean over the rows of {@code x} (0 for no rows): the background of the linear models'
     * explanations.
     */
    static double[] columnMeans(double[][] x, int[] columns) {
        double[] mean = new double[columns.length];
        if (x.length == 0) return mean;
        for (double[] row : x) {
            for (int j = 0; j < columns.length; j++) mean[j] += row[columns[j]];
        }
        for (int j = 0; j < mean.length; j++) mean[j] /= x.length;
        return mean;
    }

    private static int[] allColumns(Data d) {
        int[] out = new int[d.cols()];
        for (int j = 0; j < out.length; j++) out[j] = j;
        return out;
    }

    private static long[] seeds(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] s = new long[n];
        for (int i = 0; i < n; i++) s[i] = r.nextLong();
        return s;
    }

    /**
     * Smile reports each finished tree/iteration to its controller; this one forwards progress and aborts the
     * fit (by throwing from the callback) once cancelled. Calls may arrive from several worker threads.
     */
    private static final class Controller<T> extends IterativeAlgorithmController<T> {
        private final AtomicInteger done = new AtomicInteger();
        private final int total;
        private final ProgressListener progress;
        private final CancellationToken cancel;

        Controller(int total, ProgressListener progress, CancellationToken cancel) {
            this.total = total;
            this.progress = progress;
            this.cancel = cancel;
        }

        @Override
        public void submit(T status) {
            if (cancel.isCancelled()) {
                stop();
                throw new TrainingCancelledException();
            }
            progress.onProgress(Math.min(1.0, done.incrementAndGet() / (double) total));
        }
    }

    /** Runs a Smile fit, translating a cancellation thrown in a worker thread (possibly re-wrapped) back. */
    private static <R> R cancellable(CancellationToken cancel, java.util.function.Supplier<R> fit) {
        if (cancel.isCancelled()) throw new TrainingCancelledException();
        try {
            return fit.get();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TrainingCancelledException) throw new TrainingCancelledException(e);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- models

    private static Estimator logistic(Data d, Map<String, Object> p, ProgressListener progress,
            CancellationToken cancel) {
        var options = new LogisticRegression.Options(numParam(p, "lambda"), numParam(p, "tol"), intParam(p, "max_iter"));
        return new Estimator.Logistic(SparseLogistic.fit(d.x(), d.yClass(), d.blocks(), options, progress, cancel),
                columnMeans(d.x(), allColumns(d)));
    }

    private static int mtry(Object given, int p, boolean classification) {
        if (given == null) return classification ? Math.max(1, (int) Math.sqrt(p)) : p;
        return Math.min(p, ((Number) given).intValue());
    }

    private static Estimator forestClassifier(Data d, Map<String, Object> p, long seed, ProgressListener progress,
            CancellationToken cancel) {
        TreeColumns tc = TreeColumns.of(d);
        if (binned(d, tc)) return binnedForest(d, tc, p, true, seed, progress, cancel);
        int trees = intParam(p, "n_trees");
        try (var controller = new Controller<smile.classification.RandomForest.TrainingStatus>(trees, progress, cancel)) {
            var options = new smile.classification.RandomForest.Options(trees, mtry(p.get("mtry"), tc.count(), true),
                    SplitRule.GINI, smileDepth(p.get("max_depth")), Math.max(2, d.rows()), intParam(p, "min_samples_leaf"),
                    numParam(p, "subsample"), null, seeds(seed, trees), controller);
            var model = cancellable(cancel, () -> smile.classification.RandomForest.fit(Formula.lhs(Y), frame(d, tc), options));
            return treeClassifier(model, tc);
        }
    }

    private static Estimator forestRegressor(Data d, Map<String, Object> p, long seed, ProgressListener progress,
            CancellationToken cancel) {
        TreeColumns tc = TreeColumns.of(d);
        if (binned(d, tc)) return binnedForest(d, tc, p, false, seed, progress, cancel);
        int trees = intParam(p, "n_trees");
        try (var controller = new Controller<smile.regression.RandomForest.TrainingStatus>(trees, progress, cancel)) {
            var options = new smile.regression.RandomForest.Options(trees, mtry(p.get("mtry"), tc.count(), false),
                    smileDepth(p.get("max_depth")), Math.max(2, d.rows()), intParam(p, "min_samples_leaf"),
                    numParam(p, "subsample"), seeds(seed, trees), controller);
            var model = cancellable(cancel, () -> smile.regression.RandomForest.fit(Formula.lhs(Y), frame(d, tc), options));
            return treeRegressor(model, tc);
        }
    }

    /**
     * When bound to false, RandomForest is grown by Smile's trees (tests that compare a Smile model with its flat copy,
     * {@link Trainer#withSmileEstimators}); unbound or true, by {@link HistogramForest}, which follows scikit-learn's
     * split semantics (candidates are the one-hot columns, thresholds midway between node values, zero-gain splits
     * taken) so that a forest ranks its features as scikit-learn's does (issue 14), and whose cost grows linearly with
     * the rows where Smile's is quadratic (issue 18). Smile remains the learner for a nominal column of more than
     * {@value HistogramForest#MAX_BINS} levels. Read on the calling thread, before the trees are grown in parallel.
     */
    static final ScopedValue<Boolean> BINNED_FOREST = ScopedValue.newInstance();

    private static boolean binned(Data d, TreeColumns tc) {
        if (!BINNED_FOREST.orElse(true)) return false;
        for (int c = 0; c < tc.count(); c++) if (tc.levels(c) + 1 > HistogramForest.MAX_BINS) return false;
        return true;
    }

    private static Estimator binnedForest(Data d, TreeColumns tc, Map<String, Object> p, boolean classification,
            long seed, ProgressListener progress, CancellationToken cancel) {
        int cols = tc.count();
        double[][] columns = new double[cols][d.rows()];
        int[] levels = new int[cols];
        for (int c = 0; c < cols; c++) {
            levels[c] = tc.size()[c] == -1 ? -1 : tc.levels(c) + 1; // + the "unseen" level
            for (int i = 0; i < d.rows(); i++) columns[c][i] = tc.value(d.x()[i], c);
        }
        Object depth = p.get("max_depth");
        // max_features counts the one-hot columns, as scikit-learn's matrix has them.
        int candidates = HistogramForest.slots(levels).length;
        var options = new HistogramForest.Options(intParam(p, "n_trees"), mtry(p.get("mtry"), candidates, classification),
                depth == null ? Integer.MAX_VALUE : ((Number) depth).intValue(), intParam(p, "min_samples_leaf"),
                numParam(p, "subsample"));
        return HistogramForest.fit(columns, levels, d.yClass(), d.yValue(), d.numClasses(), options, seed, progress,
                cancel, tc);
    }

    private static int boostLeaves(Object maxDepth, int rows) {
        int leaves = maxDepth == null ? 64 : 1 << Math.min(((Number) maxDepth).intValue(), 16);
        return Math.max(2, Math.min(leaves, Math.max(2, rows)));
    }

    private static Estimator boostClassifier(Data d, Map<String, Object> p, long seed, ProgressListener progress,
            CancellationToken cancel) {
        TreeColumns tc = TreeColumns.of(d);
        int trees = intParam(p, "n_trees");
        try (var controller = new Controller<smile.classification.GradientTreeBoost.TrainingStatus>(trees, progress, cancel)) {
            var options = new smile.classification.GradientTreeBoost.Options(trees, smileDepth(p.get("max_depth")),
                    boostLeaves(p.get("max_depth"), d.rows()), intParam(p, "min_samples_leaf"),
                    numParam(p, "learning_rate"), numParam(p, "subsample"), null, controller);
            // Row subsampling draws from Smile's thread-local RNG on the calling thread.
            MathEx.setSeed(seed);
            var model = cancellable(cancel, () -> smile.classification.GradientTreeBoost.fit(Formula.lhs(Y), frame(d, tc), options));
            // Smile keeps the intercept and the shrinkage private; recomputed as its train2 does (binary: the
            // logistic loss' intercept over the class indices; k > 2 classes: no intercept) for the explanations.
            double b = d.numClasses() == 2 ? Loss.logistic(ClassLabels.fit(d.yClass()).y).intercept(null) : 0.0;
            return new Estimator.TreeClassifier(model, xSchema(tc), tc, new double[]{ b, numParam(p, "learning_rate") });
        }
    }

    private static Estimator boostRegressor(Data d, Map<String, Object> p, long seed, ProgressListener progress,
            CancellationToken cancel) {
        TreeColumns tc = TreeColumns.of(d);
        int trees = intParam(p, "n_trees");
        try (var controller = new Controller<smile.regression.GradientTreeBoost.TrainingStatus>(trees, progress, cancel)) {
            // Least squares, scikit-learn's default loss (Smile's own default is least absolute deviation).
            var options = new smile.regression.GradientTreeBoost.Options(Loss.ls(), trees, smileDepth(p.get("max_depth")),
                    boostLeaves(p.get("max_depth"), d.rows()), intParam(p, "min_samples_leaf"),
                    numParam(p, "learning_rate"), numParam(p, "subsample"), null, controller);
            MathEx.setSeed(seed);
            var model = cancellable(cancel, () -> smile.regression.GradientTreeBoost.fit(Formula.lhs(Y), frame(d, tc), options));
            // Smile keeps the intercept private: the least-squares loss' intercept over the targets, as its fit does.
            double b = Loss.ls().intercept(d.yValue());
            return new Estimator.TreeRegressor(model, xSchema(tc), tc, new double[]{ b, numParam(p, "learning_rate") });
        }
    }

    private static Estimator treeClassifier(Data d, Map<String, Object> p) {
        TreeColumns tc = TreeColumns.of(d);
        var options = new DecisionTree.Options(SplitRule.GINI, smileDepth(p.get("max_depth")), Math.max(2, d.rows()),
                intParam(p, "min_samples_leaf"));
        return treeClassifier(DecisionTree.fit(Formula.lhs(Y), frame(d, tc), options), tc);
    }

    private static Estimator treeRegressor(Data d, Map<String, Object> p) {
        TreeColumns tc = TreeColumns.of(d);
        var options = new RegressionTree.Options(smileDepth(p.get("max_depth")), Math.max(2, d.rows()),
                intParam(p, "min_samples_leaf"));
        return treeRegressor(RegressionTree.fit(Formula.lhs(Y), frame(d, tc), options), tc);
    }

    /**
     * LinearRegression / Ridge / Lasso with scikit-learn's objectives and algorithms ({@link LeastSquares}, pure
     * Java). Constant training columns (e.g. a one-hot level present in every row) are dropped first: centred they
     * are all zero, every one of the three solvers gives them a zero coefficient, and dropping them keeps the
     * artifact small.
     */
    private static Estimator leastSquares(String modelType, Data d, Map<String, Object> p, CancellationToken cancel) {
        List<Integer> keep = new ArrayList<>();
        for (int j = 0; j < d.cols(); j++) {
            double first = d.x()[0][j];
            for (double[] row : d.x()) {
                if (row[j] != first) {
                    keep.add(j);
                    break;
                }
            }
        }
        int[] cols = keep.stream().mapToInt(Integer::intValue).toArray();
        double[][] x = new double[d.rows()][cols.length];
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < cols.length; j++) x[i][j] = d.x()[i][cols[j]];
        }
        if (cols.length == 0) {
            double mean = 0;
            for (double v : d.yValue()) mean += v;
            return new Estimator.Linear(cols, new double[0], mean / d.rows(), new double[0]);
        }
        LeastSquares.Fit fit = switch (modelType) {
            case ModelCatalog.LINEAR_REGRESSION -> LeastSquares.ols(x, d.yValue());
            case ModelCatalog.RIDGE -> LeastSquares.ridge(x, d.yValue(), numParam(p, "lambda"));
            case ModelCatalog.LASSO -> LeastSquares.lasso(x, d.yValue(), numParam(p, "lambda"), numParam(p, "tol"),
                    intParam(p, "max_iter"), cancel);
            default -> throw new IllegalArgumentException(modelType);
        };
        return new Estimator.Linear(cols, fit.coefficients(), fit.intercept(), columnMeans(d.x(), cols));
    }
}
