package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Trains pipelines: validation, seeded split, preprocessing fitted on the training split, model fit and
 * held-out metrics.
 *
 * <p>Rows whose target cell is missing are dropped before anything else (they are neither trained on nor
 * scored). The split reproduces scikit-learn's {@code train_test_split(test_size, random_state=randomSeed,
 * stratify=target for classification)} row for row (see {@link Splits}). Training is deterministic: the same table, spec and seed give the same split, model, metrics and
 * predictions (tree ensembles get one seed per tree, so parallel tree building does not change results).
 */
public final class Trainer {

    /** Phase of {@link #train}: validating the spec, splitting and fitting the pipeline on the training split. */
    public static final String PHASE_FIT = "fit";
    /** Phase of {@link #train}: scoring the fitted pipeline on the held-out split. */
    public static final String PHASE_EVALUATE = "evaluate";

    /** Minimum number of rows with a target value. */
    public static final int MIN_ROWS = 10;
    /** Minimum size of the held-out split. */
    public static final int MIN_TEST_ROWS = 2;
    /** Numeric targets with at most this many distinct integral values are inferred as classification. */
    public static final int MAX_INFERRED_CLASSES = 20;

    private Trainer() {
    }

    /**
     * Guesses the task from the target column: categorical → classification; numeric with only integral
     * values and at most {@value #MAX_INFERRED_CLASSES} distinct values → classification; otherwise regression.
     *
     * @param targetType           declared type of the target column
     * @param distinctTargetValues distinct non-missing raw values
     * @return the inferred task
     */
    public static Task inferTask(ColumnType targetType, Collection<String> distinctTargetValues) {
        if (targetType == ColumnType.CATEGORICAL) return Task.CLASSIFICATION;
        Set<Double> values = new HashSet<>();
        for (String s : distinctTargetValues) {
            if (s == null || s.isEmpty()) continue;
            double d;
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Task.REGRESSION;
            }
            if (d != Math.rint(d)) return Task.REGRESSION;
            values.add(d);
        }
        return values.size() <= MAX_INFERRED_CLASSES ? Task.CLASSIFICATION : Task.REGRESSION;
    }

    /**
     * Checks a training request against the data without training (cheap enough to run before queuing).
     *
     * @param table the dataset
     * @param types column types of the dataset
     * @param spec  the request
     * @throws PipelineValidationException naming the offending field (target_column, feature_columns, model_type,
     *                                     task, test_size, hyperparameters.*, dataset)
     * @throws ModelUnavailableException   when the model cannot run on this machine
     */
    public static void validate(Table table, Map<String, ColumnType> types, TrainingSpec spec) {
        Prepared p = prepare(table, types, spec);
        Splits.TrainTest split = p.split(spec.testSize(), spec.randomSeed());
        checkSplit(split.train().length, split.test().length);
    }

    /**
     * Runs {@code training} with tree models kept as the Smile objects of the earlier artifact format instead of
     * flat trees, so that {@link ArtifactCodec#serializeLegacy} can write the result; for compatibility tests.
     *
     * @param training calls into this class
     * @return its result
     */
    public static <T> T withSmileEstimators(java.util.function.Supplier<T> training) {
        return ScopedValue.where(Estimators.SMILE_ESTIMATORS, true).where(Estimators.BINNED_FOREST, false)
                .call(training::get);
    }

    /**
     * Trains and evaluates.
     *
     * @param table    the dataset
     * @param types    column types of the dataset
     * @param spec     the request
     * @param progress receives progress in [0, 1] (per tree / boosting iteration for ensembles), and the
     *                 phases {@link #PHASE_FIT} then {@link #PHASE_EVALUATE} (test metrics and feature importance)
     * @param cancel   polled between units of work
     * @return the pipeline fitted on the training split, its held-out metrics and its feature importance
     * @throws PipelineValidationException as {@link #validate}
     * @throws ModelUnavailableException   when the model cannot run on this machine
     * @throws TrainingCancelledException  when {@code cancel} fired
     */
    public static TrainingResult train(Table table, Map<String, ColumnType> types, TrainingSpec spec,
            ProgressListener progress, CancellationToken cancel) {
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        CancellationToken ct = cancel == null ? CancellationToken.NONE : cancel;
        pl.onPhase(PHASE_FIT);
        pl.onProgress(0.0);
        Prepared p = prepare(table, types, spec);
        Splits.TrainTest split = p.split(spec.testSize(), spec.randomSeed());
        checkSplit(split.train().length, split.test().length);
        if (ct.isCancelled()) throw new TrainingCancelledException();
        pl.onProgress(0.02);

        FittedPipeline pipeline = fit(p, split.train(), spec.randomSeed(), f -> pl.onProgress(0.02 + 0.93 * f), ct);
        if (ct.isCancelled()) throw new TrainingCancelledException();
        pl.onPhase(PHASE_EVALUATE);
        TestPredictions predicted = predict(p, pipeline, split.test());
        Map<String, Double> metrics = metrics(p, predicted, split.test());
        pl.onProgress(0.97);
        // Part of the evaluate phase: model importance and permutation importance on the test split, and the
        // training profile that drift is measured against (its prediction histogram from the same predictions).
        FeatureImportance importance = Importances.compute(p, pipeline, split.train(), split.test(), spec.randomSeed(),
                Importances.N_REPEATS, ct);
        TrainingProfile profile = TrainingProfile.of(p, pipeline, split.train(), split.test(), predicted.classes(),
                predicted.values());
        pl.onProgress(1.0);
        return new TrainingResult(pipeline, metrics, split.train().length, split.test().length, importance, profile);
    }

    /**
     * Refuses a split with too few test or training rows.
     *
     * @param train training rows
     * @param test  test rows
     * @throws PipelineValidationException on {@code test_size}
     */
    static void checkSplit(int train, int test) {
        if (test < MIN_TEST_ROWS) {
            throw new PipelineValidationException("test_size", "the test split would have " + test
                    + " row(s); at least " + MIN_TEST_ROWS + " are needed: raise test_size or use more data");
        }
        if (train < MIN_TEST_ROWS) {
            throw new PipelineValidationException("test_size", "the training split would have " + train
                    + " row(s): lower test_size or use more data");
        }
    }

    // ------------------------------------------------------------------ internals shared with CrossValidator

    /** A validated request with its parsed rows (only rows with a target value). */
    record Prepared(ModelType modelType, Task task, String target, Map<String, Object> params,
            PreprocessingSpec preprocessing, List<String> features, List<ColumnType> featureTypes,
            List<Object[]> cells, int[] yClass, double[] yValue, List<Object> labels) {

        int rows() {
            return cells.size();
        }

        Splits.TrainTest split(double testSize, long seed) {
            return Splits.trainTest(rows(), yClass, labels == null ? 0 : labels.size(), testSize, seed);
        }
    }

    static Prepared prepare(Table table, Map<String, ColumnType> types, TrainingSpec spec) {
        if (spec.modelType() == null) throw new PipelineValidationException("model_type", "model_type is required");
        ModelType modelType = ModelCatalog.find(spec.modelType()).orElseThrow(() -> new PipelineValidationException(
                "model_type", "unknown model_type '" + spec.modelType() + "'; available: "
                        + String.join(", ", ModelCatalog.all().stream().map(ModelType::name).toList())));
        Task task = spec.task();
        if (task == null) throw new PipelineValidationException("task", "task is required");
        if (!modelType.supports(task)) {
            throw new PipelineValidationException("model_type", modelType.name() + " does not support "
                    + task.wireName() + "; models for " + task.wireName() + ": " + String.join(", ",
                            ModelCatalog.all().stream().filter(m -> m.supports(task)).map(ModelType::name).toList()));
        }
        if (!modelType.available()) throw new ModelUnavailableException(modelType.name() + ": " + modelType.detail());
        Map<String, Object> params = modelType.validate(spec.hyperparameters());
        if (!(spec.testSize() > 0.0 && spec.testSize() < 1.0)) {
            throw new PipelineValidationException("test_size", "test_size must be between 0 and 1 (exclusive), got "
                    + spec.testSize());
        }

        String target = spec.targetColumn();
        int targetIdx = target == null ? -1 : table.indexOf(target);
        if (targetIdx < 0) {
            throw new PipelineValidationException("target_column", "target_column '" + target
                    + "' is not a column of the dataset; columns are: " + String.join(", ", table.columns()));
        }
        ColumnType targetType = type(types, target, "target_column");
        if (task == Task.REGRESSION && targetType != ColumnType.NUMERIC) {
            throw new PipelineValidationException("task", "regression needs a numeric target, but '" + target
                    + "' is categorical; use task 'classification'");
        }

        List<String> features = new ArrayList<>();
        if (spec.featureColumns() == null || spec.featureColumns().isEmpty()) {
            for (String c : table.columns()) if (!c.equals(target)) features.add(c);
        } else {
            Set<String> seen = new HashSet<>();
            for (String f : spec.featureColumns()) {
                if (f == null || table.indexOf(f) < 0) {
                    throw new PipelineValidationException("feature_columns", "feature column '" + f
                            + "' is not a column of the dataset; columns are: " + String.join(", ", table.columns()));
                }
                if (f.equals(target)) {
                    throw new PipelineValidationException("feature_columns", "feature column '" + f
                            + "' is the target column; remove it from feature_columns");
                }
                if (!seen.add(f)) {
                    throw new PipelineValidationException("feature_columns", "feature column '" + f + "' is listed twice");
                }
                features.add(f);
            }
        }
        if (features.isEmpty()) {
            throw new PipelineValidationException("feature_columns", "there are no feature columns besides the target");
        }
        List<ColumnType> featureTypes = new ArrayList<>();
        int[] featureIdx = new int[features.size()];
        for (int j = 0; j < features.size(); j++) {
            featureTypes.add(type(types, features.get(j), "feature_columns"));
            featureIdx[j] = table.indexOf(features.get(j));
        }

        // Rows with a target value; parse targets.
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) if (table.cell(i, targetIdx) != null) usable.add(i);
        if (usable.size() < MIN_ROWS) {
            throw new PipelineValidationException("dataset", "only " + usable.size() + " row(s) have a value in '"
                    + target + "'; at least " + MIN_ROWS + " are needed");
        }

        int[] yClass = null;
        double[] yValue = null;
        List<Object> labels = null;
        if (task == Task.REGRESSION) {
            yValue = new double[usable.size()];
            for (int k = 0; k < usable.size(); k++) {
                yValue[k] = parseNumber(table, usable.get(k), targetIdx, target, "target_column");
            }
        } else {
            yClass = new int[usable.size()];
            labels = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            if (targetType == ColumnType.CATEGORICAL) {
                TreeSet<String> distinct = new TreeSet<>();
                for (int row : usable) distinct.add(table.cell(row, targetIdx));
                labels.addAll(distinct);
                for (String s : distinct) index.put(s, index.size());
                for (int k = 0; k < usable.size(); k++) yClass[k] = index.get(table.cell(usable.get(k), targetIdx));
            } else {
                double[] v = new double[usable.size()];
                TreeSet<Double> distinct = new TreeSet<>();
                boolean integral = true;
                for (int k = 0; k < usable.size(); k++) {
                    v[k] = parseNumber(table, usable.get(k), targetIdx, target, "target_column");
                    distinct.add(v[k] == 0.0 ? 0.0 : v[k]); // fold -0.0 into 0.0
                    integral &= v[k] == Math.rint(v[k]) && Math.abs(v[k]) < 1e15;
                }
                Map<Double, Integer> di = new HashMap<>();
                for (double d : distinct) {
                    di.put(d, di.size());
                    labels.add(integral ? (Object) (long) d : (Object) d);
                }
                for (int k = 0; k < usable.size(); k++) yClass[k] = di.get(v[k] == 0.0 ? 0.0 : v[k]);
            }
            if (labels.size() < 2) {
                throw new PipelineValidationException("target_column", "classification needs at least 2 classes, but '"
                        + target + "' has " + labels.size() + (labels.isEmpty() ? "" : " (" + labels.get(0) + ")"));
            }
        }

        // Categorical cells are replaced by one String instance per distinct value: the preprocessing's level
        // look-ups (fit, transform of every split, permutation importance, profile) then hash each value once and
        // compare by identity, instead of hashing and comparing the characters of a fresh String per cell.
        List<Map<String, String>> canonical = new ArrayList<>(features.size());
        for (int j = 0; j < features.size(); j++) canonical.add(new HashMap<>());
        List<Object[]> cells = new ArrayList<>(usable.size());
        for (int row : usable) {
            Object[] c = new Object[features.size()];
            for (int j = 0; j < c.length; j++) {
                String s = table.cell(row, featureIdx[j]);
                if (s == null) {
                    c[j] = null;
                } else if (featureTypes.get(j) == ColumnType.NUMERIC) {
                    c[j] = parseNumber(table, row, featureIdx[j], features.get(j), "dataset");
                } else {
                    c[j] = canonical.get(j).computeIfAbsent(s, v -> v);
                }
            }
            cells.add(c);
        }
        PreprocessingSpec prep = spec.preprocessing() == null ? PreprocessingSpec.defaults() : spec.preprocessing();
        return new Prepared(modelType, task, target, params, prep, List.copyOf(features), List.copyOf(featureTypes),
                cells, yClass, yValue, labels);
    }

    private static ColumnType type(Map<String, ColumnType> types, String column, String field) {
        ColumnType t = types == null ? null : types.get(column);
        if (t == null) {
            throw new PipelineValidationException(field, "the dataset schema has no type for column '" + column + "'");
        }
        return t;
    }

    private static double parseNumber(Table table, int row, int col, String name, String field) {
        String s = table.cell(row, col);
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new PipelineValidationException(field, "column '" + name + "' is numeric, but data row " + (row + 1)
                + " holds '" + s + "', which is not a finite number");
    }

    /** Fits preprocessing and model on the given rows of {@code p}. */
    static FittedPipeline fit(Prepared p, int[] trainRows, long seed, ProgressListener progress, CancellationToken cancel) {
        List<Object[]> trainCells = new ArrayList<>(trainRows.length);
        for (int r : trainRows) trainCells.add(p.cells().get(r));
        Preprocessor pre = Preprocessor.fit(p.features(), p.featureTypes(), trainCells, p.preprocessing());
        double[][] x = pre.transform(trainCells);
        Estimators.Data data;
        if (p.task() == Task.CLASSIFICATION) {
            int[] y = new int[trainRows.length];
            for (int i = 0; i < y.length; i++) y[i] = p.yClass()[trainRows[i]];
            data = new Estimators.Data(x, y, null, p.labels().size(), pre.indicatorColumns(),
                    pre.featureBlocks());
        } else {
            double[] y = new double[trainRows.length];
            for (int i = 0; i < y.length; i++) y[i] = p.yValue()[trainRows[i]];
            data = new Estimators.Data(x, null, y, 0, pre.indicatorColumns(), pre.featureBlocks());
        }
        Estimator estimator = Estimators.fit(p.modelType().name(), p.task(), data, p.params(), seed, progress, cancel);
        progress.onProgress(1.0);

        List<Map<String, Object>> samples = new ArrayList<>();
        for (int i = 0; i < Math.min(3, trainCells.size()); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int j = 0; j < p.features().size(); j++) row.put(p.features().get(j), trainCells.get(i)[j]);
            samples.add(row);
        }
        return new FittedPipeline(p.modelType().name(), p.task(), p.target(), p.params(), p.preprocessing(), pre,
                estimator, p.labels(), samples);
    }

    /** Metrics of a fitted pipeline on the given rows of {@code p}. */
    static Map<String, Double> evaluate(Prepared p, FittedPipeline pipeline, int[] rows) {
        return metrics(p, predict(p, pipeline, rows), rows);
    }

    /**
     * A pipeline's predictions of some rows, kept so that the metrics and the training profile share one pass.
     *
     * @param classes    class index per row (classification), else null
     * @param posteriori class probabilities per row (classification), else null
     * @param values     prediction per row (regression), else null
     */
    record TestPredictions(int[] classes, double[][] posteriori, double[] values) {
    }

    static TestPredictions predict(Prepared p, FittedPipeline pipeline, int[] rows) {
        double[][] x = transform(p, pipeline, rows);
        if (p.task() == Task.CLASSIFICATION) {
            double[][] post = new double[rows.length][];
            return new TestPredictions(pipeline.classify(x, post), post, null);
        }
        return new TestPredictions(null, null, pipeline.regress(x));
    }

    static Map<String, Double> metrics(Prepared p, TestPredictions predicted, int[] rows) {
        if (p.task() == Task.CLASSIFICATION) {
            return Metrics.classification(classTruth(p, rows), predicted.classes(), predicted.posteriori(),
                    p.labels().size());
        }
        return Metrics.regression(valueTruth(p, rows), predicted.values());
    }

    /** One score of a fitted pipeline on the given rows of {@code p}. */
    static double score(Prepared p, FittedPipeline pipeline, int[] rows, String scoring) {
        TestPredictions predicted = predict(p, pipeline, rows);
        if (p.task() == Task.CLASSIFICATION) {
            return Metrics.score(scoring, classTruth(p, rows), predicted.classes(), predicted.posteriori(),
                    p.labels().size());
        }
        return Metrics.score(scoring, valueTruth(p, rows), predicted.values());
    }

    private static int[] classTruth(Prepared p, int[] rows) {
        int[] truth = new int[rows.length];
        for (int i = 0; i < rows.length; i++) truth[i] = p.yClass()[rows[i]];
        return truth;
    }

    private static double[] valueTruth(Prepared p, int[] rows) {
        double[] truth = new double[rows.length];
        for (int i = 0; i < rows.length; i++) truth[i] = p.yValue()[rows[i]];
        return truth;
    }

    private static double[][] transform(Prepared p, FittedPipeline pipeline, int[] rows) {
        double[][] x = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) x[i] = pipeline.preprocessor().transform(p.cells().get(rows[i]));
        return x;
    }
}
