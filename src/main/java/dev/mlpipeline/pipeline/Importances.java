package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import smile.classification.LogisticRegression;
import smile.model.cart.CART;

/** Computes {@link FeatureImportance} (see there for the definitions). Package-private: called by {@link Trainer}. */
final class Importances {

    /** scikit-learn's default {@code n_repeats}. */
    static final int N_REPEATS = 5;

    private Importances() {
    }

    /**
     * @param p         prepared data
     * @param pipeline  the pipeline fitted on {@code trainRows}
     * @param trainRows training rows (standard deviations of the linear models' columns)
     * @param testRows  test rows (permutation importance)
     * @param seed      random state of the shuffles
     * @param nRepeats  shuffles per feature
     * @param cancel    polled between shuffles
     * @return per input feature, model and permutation importance
     * @throws TrainingCancelledException when {@code cancel} fired
     */
    static FeatureImportance compute(Trainer.Prepared p, FittedPipeline pipeline, int[] trainRows, int[] testRows, long seed,
            int nRepeats, CancellationToken cancel) {
        Preprocessor pre = pipeline.preprocessor();
        int[][] blocks = pre.featureBlocks();
        int features = blocks.length;
        double[] model = new double[features];
        String method = modelImportance(p, pipeline, trainRows, blocks, model);

        String scoring = Metrics.defaultScoring(p.task());
        // The test split is preprocessed once. Preprocessing maps each input feature to its own block of output
        // columns (one numeric column, or the one-hot columns of its levels) and nothing else, so preprocessing a
        // table whose column j is permuted gives the preprocessed table with block j's rows permuted: the shuffles
        // below permute blocks of this matrix instead of re-preprocessing the raw rows (the same scores, without
        // n_features * n_repeats passes of imputation, level look-ups and row copies).
        double[][] base = new double[testRows.length][];
        for (int i = 0; i < base.length; i++) base[i] = pre.transform(p.cells().get(testRows[i]));
        double baseline = score(p, pipeline, base, testRows, scoring);
        double[][] shuffled = new double[base.length][];
        for (int i = 0; i < base.length; i++) shuffled[i] = base[i].clone();
        // sklearn: random_seed = check_random_state(random_state).randint(np.iinfo(np.int32).max + 1); with the mask
        // 2^31 - 1 equal to the bound, NumPy's masked rejection sampling accepts the first draw.
        long featureSeed = new NumpyRandom(seed).nextUint32() & 0x7FFFFFFFL;
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int j = 0; j < features; j++) {
            int from = blocks[j][0];
            int to = from + (blocks[j][1] < 0 ? 1 : blocks[j][1]);
            NumpyRandom random = new NumpyRandom(featureSeed);
            int[] order = new int[base.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            double[] drops = new double[nRepeats];
            // As scikit-learn: the column is permuted in place, each repeat indexing the previous repeat's column
            // with the (cumulatively) shuffled indices; source[i] is the test row whose value row i now holds.
            int[] source = order.clone();
            for (int r = 0; r < nRepeats; r++) {
                if (cancel.isCancelled()) throw new TrainingCancelledException();
                random.shuffle(order);
                int[] next = new int[source.length];
                for (int i = 0; i < next.length; i++) next[i] = source[order[i]];
                source = next;
                for (int i = 0; i < base.length; i++) System.arraycopy(base[source[i]], from, shuffled[i], from, to - from);
                drops[r] = baseline - score(p, pipeline, shuffled, testRows, scoring);
            }
            for (int i = 0; i < base.length; i++) System.arraycopy(base[i], from, shuffled[i], from, to - from);
            mean[j] = Arrays.stream(drops).average().orElse(Double.NaN);
            double ss = 0;
            for (double d : drops) ss += (d - mean[j]) * (d - mean[j]);
            std[j] = Math.sqrt(ss / nRepeats);
        }
        List<FeatureImportance.Feature> out = new ArrayList<>(features);
        for (int j = 0; j < features; j++) {
            out.add(new FeatureImportance.Feature(pre.features().get(j).name(), model[j], mean[j], std[j]));
        }
        out.sort(Comparator.comparingDouble(FeatureImportance.Feature::permutationMean).reversed());
        return new FeatureImportance(method, scoring, nRepeats, seed, baseline, out);
    }

    /** Score of the pipeline's estimator on preprocessed test rows {@code x} (row i = row {@code rows[i]} of p). */
    private static double score(Trainer.Prepared p, FittedPipeline pipeline, double[][] x, int[] rows, String scoring) {
        if (p.task() == Task.CLASSIFICATION) {
            double[][] post = new double[x.length][];
            int[] predicted = pipeline.classify(x, post);
            int[] truth = new int[rows.length];
            for (int i = 0; i < rows.length; i++) truth[i] = p.yClass()[rows[i]];
            return Metrics.score(scoring, truth, predicted, post, p.labels().size());
        }
        double[] truth = new double[rows.length];
        for (int i = 0; i < rows.length; i++) truth[i] = p.yValue()[rows[i]];
        return Metrics.score(scoring, truth, pipeline.regress(x));
    }

    /** Fills {@code out} (per input feature) with the model's own importance; returns its method. */
    private static String modelImportance(Trainer.Prepared p, FittedPipeline pipeline, int[] trainRows, int[][] blocks,
            double[] out) {
        Estimator e = pipeline.estimator();
        int width = pipeline.preprocessor().width();
        int[] featureOf = featureOfColumn(blocks, width);
        switch (e) {
            case Estimator.TreeClassifier t -> treeImportance(t.model(), t.columns().start(), featureOf, out);
            case Estimator.TreeRegressor t -> treeImportance(t.model(), t.columns().start(), featureOf, out);
            case Estimator.TupleClassifier t -> treeImportance(t.model(), identity(width), featureOf, out);
            case Estimator.TupleRegressor t -> treeImportance(t.model(), identity(width), featureOf, out);
            case FlatTrees t -> {
                double[] imp = t.importance();
                if (imp != null) for (int c = 0; c < imp.length; c++) out[featureOf[t.columns().start()[c]]] += imp[c];
            }
            case Estimator.Logistic l -> {
                double[] sd = columnStd(p, pipeline, trainRows);
                double[][] w = l.model() instanceof LogisticRegression.Binomial b ? new double[][]{ b.coefficients() }
                        : ((LogisticRegression.Multinomial) l.model()).coefficients();
                for (double[] wc : w) {
                    for (int c = 0; c < width; c++) out[featureOf[c]] += Math.abs(wc[c]) * sd[c];
                }
                return FeatureImportance.STANDARDIZED_COEFFICIENTS;
            }
            case Estimator.Linear l -> {
                double[] sd = columnStd(p, pipeline, trainRows);
                for (int i = 0; i < l.columns().length; i++) {
                    int c = l.columns()[i];
                    out[featureOf[c]] += Math.abs(l.weights()[i]) * sd[c];
                }
                return FeatureImportance.STANDARDIZED_COEFFICIENTS;
            }
        }
        double total = Arrays.stream(out).sum();
        if (total > 0) for (int j = 0; j < out.length; j++) out[j] /= total;
        return FeatureImportance.IMPURITY_DECREASE;
    }

    private static void treeImportance(Object model, int[] columnStart, int[] featureOf, double[] out) {
        double[] imp = switch (model) {
            case smile.classification.RandomForest m -> m.importance();
            case smile.classification.GradientTreeBoost m -> m.importance();
            case smile.regression.RandomForest m -> m.importance();
            case smile.regression.GradientTreeBoost m -> m.importance();
            case CART m -> m.importance();
            default -> new double[columnStart.length];
        };
        for (int c = 0; c < imp.length; c++) out[featureOf[columnStart[c]]] += imp[c];
    }

    /** Per preprocessed column, the input feature it belongs to. */
    private static int[] featureOfColumn(int[][] blocks, int width) {
        int[] out = new int[width];
        for (int f = 0; f < blocks.length; f++) {
            int w = blocks[f][1] < 0 ? 1 : blocks[f][1];
            for (int k = 0; k < w; k++) out[blocks[f][0] + k] = f;
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }

    /** Population standard deviation of each preprocessed column over the training rows. */
    private static double[] columnStd(Trainer.Prepared p, FittedPipeline pipeline, int[] trainRows) {
        int width = pipeline.preprocessor().width();
        double[] sum = new double[width];
        double[] sq = new double[width];
        for (int r : trainRows) {
            double[] x = pipeline.preprocessor().transform(p.cells().get(r));
            for (int c = 0; c < width; c++) {
                sum[c] += x[c];
                sq[c] += x[c] * x[c];
            }
        }
        double[] sd = new double[width];
        int n = Math.max(1, trainRows.length);
        for (int c = 0; c < width; c++) {
            double m = sum[c] / n;
            sd[c] = Math.sqrt(Math.max(0, sq[c] / n - m * m));
        }
        return sd;
    }
}
