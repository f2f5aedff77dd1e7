package dev.mlpipeline.pipeline;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A trained model together with its fitted preprocessing and input schema. Immutable and thread-safe;
 * serialize it with {@link ArtifactCodec}.
 */
public final class FittedPipeline implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String modelType;
    private final Task task;
    private final String targetColumn;
    private final Map<String, Object> hyperparameters;
    private final PreprocessingSpec preprocessing;
    private final Preprocessor preprocessor;
    private final Estimator estimator;
    private final List<Object> labels;
    private final List<String> labelKeys;
    private final List<Map<String, Object>> sampleRows;

    FittedPipeline(String modelType, Task task, String targetColumn, Map<String, Object> hyperparameters,
            PreprocessingSpec preprocessing, Preprocessor preprocessor, Estimator estimator, List<Object> labels,
            List<Map<String, Object>> sampleRows) {
        this.modelType = modelType;
        this.task = task;
        this.targetColumn = targetColumn;
        this.hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        this.preprocessing = preprocessing;
        this.preprocessor = preprocessor;
        this.estimator = estimator;
        this.labels = labels == null ? null : List.copyOf(labels);
        this.labelKeys = labels == null ? null : labels.stream().map(String::valueOf).toList();
        this.sampleRows = List.copyOf(sampleRows);
    }

    /** @return the fitted model over the preprocessed vector */
    Estimator estimator() {
        return estimator;
    }

    /** @return catalog name of the model */
    public String modelType() {
        return modelType;
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return the target column the model was trained on */
    public String targetColumn() {
        return targetColumn;
    }

    /** @return the hyperparameters used (defaults filled in; values may be null) */
    public Map<String, Object> hyperparameters() {
        return hyperparameters;
    }

    /** @return the preprocessing options used */
    public PreprocessingSpec preprocessing() {
        return preprocessing;
    }

    /** @return input features with their types and training levels */
    public List<FeatureInfo> features() {
        return preprocessor.features();
    }

    /** @return classification labels in model order (String, Long or Double); null for regression */
    public List<Object> labels() {
        return labels;
    }

    /**
     * @return up to 3 raw training rows (feature name → Double, String or null) for a dry-run prediction after
     * loading
     */
    public List<Map<String, Object>> sampleRows() {
        return sampleRows;
    }

    /**
     * Keys of the given rows that are not features of this pipeline (they are ignored by {@link #predict}).
     *
     * @param rows prediction rows
     * @return sorted distinct unknown keys
     */
    public List<String> unknownColumns(List<Map<String, Object>> rows) {
        Set<String> known = new java.util.HashSet<>();
        for (FeatureInfo f : features()) known.add(f.name());
        TreeSet<String> unknown = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            if (row == null) continue;
            for (String k : row.keySet()) if (!known.contains(k)) unknown.add(k);
        }
        return List.copyOf(unknown);
    }

    /**
     * The input schema learned at fit time: per feature its type, training levels, range, missing rate and
     * imputation value.
     *
     * @return one entry per feature, in model order
     */
    public List<FeatureSchema> inputSchema() {
        return preprocessor.schema();
    }

    /**
     * Predicts rows given as JSON-like maps, and reports per row what was not as in training.
     *
     * <ul>
     *   <li>A missing key, {@code null}, a NaN or a blank string is a missing feature: imputed as in training
     *       and listed in {@link Prediction#missingColumns()}.
     *   <li>Numeric features accept a finite Number or a String holding one; infinities are refused.
     *   <li>Categorical features accept a String, Boolean or finite Number, mapped onto the training levels by
     *       value (see {@link LevelMatcher}: {@code false} is the level {@code False}; {@code yes} is not
     *       {@code true}); a value matching no level is encoded as all zeros (no level) and listed in
     *       {@link Prediction#unseenCategories()}, never replaced by a guess.
     *   <li>Unknown keys are ignored ({@link #unknownColumns}).
     * </ul>
     *
     * @param rows input rows
     * @return one prediction (and, for classification, one probability map) per row, with the reports
     * @throws InvalidRowException naming the first row and field holding a value of the wrong type
     */
    public Prediction predict(List<Map<String, Object>> rows) {
        return predict(rows, false);
    }

    /**
     * {@link #predict(List)}, optionally explaining every row (see {@link Estimator#contributions(double[])} and
     * {@link Explanation}). Without {@code explain} nothing beyond the prediction is computed.
     *
     * @param rows    input rows
     * @param explain whether to add an {@link Explanation} per row
     * @return the predictions, with explanations when asked
     * @throws InvalidRowException             naming the first row and field holding a value of the wrong type
     * @throws ExplanationUnavailableException when explaining a model stored before explanations were supported
     */
    public Prediction predict(List<Map<String, Object>> rows, boolean explain) {
        List<Object> predictions = new ArrayList<>(rows.size());
        List<Map<String, Double>> probabilities = task == Task.CLASSIFICATION ? new ArrayList<>(rows.size()) : null;
        List<List<String>> missing = new ArrayList<>(rows.size());
        List<Map<String, Object>> unseen = new ArrayList<>(rows.size());
        List<Explanation> explanations = explain ? new ArrayList<>(rows.size()) : null;
        RawOutput output = null;
        double[] posteriori = task == Task.CLASSIFICATION ? new double[labels.size()] : null;
        LevelMatcher[] matchers = matchers();
        for (int i = 0; i < rows.size(); i++) {
            Report report = new Report();
            double[] x = preprocessor.transform(cells(i, rows.get(i), matchers, report));
            List<String> rowMissing = report.missing == null ? List.of() : report.missing;
            missing.add(rowMissing);
            unseen.add(report.unseen == null ? Map.of() : report.unseen);
            if (task == Task.CLASSIFICATION) {
                int c = estimator.classify(x, posteriori);
                predictions.add(labels.get(c));
                Map<String, Double> p = new LinkedHashMap<>();
                for (int k = 0; k < posteriori.length; k++) p.put(labelKeys.get(k), posteriori[k]);
                probabilities.add(p);
            } else {
                predictions.add(estimator.regress(x));
            }
            if (explain) {
                Contributions contributions = estimator.contributions(x);
                output = contributions.output();
                explanations.add(explanation(contributions, rowMissing));
            }
        }
        if (explain && output == null) output = rawOutput();
        return new Prediction(predictions, probabilities, missing, unseen, output, explanations);
    }

    /**
     * A scorer of text records for batch predictions: {@link #predict(List)}'s answers, bit for bit, without
     * its per-row objects. Not thread-safe: one per thread.
     *
     * @param fields the records' field names, in order (a feature with no field is missing on every row)
     * @return a new scorer
     */
    public BatchScorer batchScorer(List<String> fields) {
        return new BatchScorer(this, preprocessor, estimator, matchers(), fields);
    }

    /**
     * What this pipeline's explanations add up to.
     *
     * @return the raw output kind of {@link #predict(List, boolean)}'s explanations
     */
    public RawOutput rawOutput() {
        if (task == Task.REGRESSION) return RawOutput.VALUE;
        return switch (modelType) {
            case ModelCatalog.RANDOM_FOREST, ModelCatalog.DECISION_TREE -> RawOutput.PROBABILITY;
            default -> labels.size() == 2 ? RawOutput.LOG_ODDS : RawOutput.MARGIN;
        };
    }

    /** Output keys of the explanations: the label strings, or {@link Explanation#VALUE}. */
    private List<String> outputKeys() {
        return task == Task.CLASSIFICATION ? labelKeys : List.of(Explanation.VALUE);
    }

    /** Sums the contributions of each input feature's columns (a one-hot block) into one value per feature. */
    private Explanation explanation(Contributions c, List<String> imputed) {
        List<FeatureInfo> features = preprocessor.features();
        int[][] blocks = preprocessor.featureBlocks();
        List<String> keys = outputKeys();
        Map<String, Double> base = new LinkedHashMap<>();
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        for (int o = 0; o < c.outputs(); o++) {
            double[] v = c.values()[o];
            Map<String, Double> perFeature = new LinkedHashMap<>();
            double total = c.base()[o];
            for (int f = 0; f < blocks.length; f++) {
                int width = blocks[f][1] < 0 ? 1 : blocks[f][1];
                double sum = 0;
                for (int k = 0; k < width; k++) sum += v[blocks[f][0] + k];
                perFeature.put(features.get(f).name(), sum);
                total += sum;
            }
            base.put(keys.get(o), c.base()[o]);
            values.put(keys.get(o), perFeature);
            raw.put(keys.get(o), total);
        }
        return new Explanation(base, values, raw, imputed);
    }

    /** Rows per batch of {@link #classify} for a forest: tree-major over a batch whose trees stay in the caches. */
    static final int FOREST_BATCH = 512;

    /**
     * Class index and probabilities of preprocessed rows (evaluation). A random forest classifies batches of
     * {@value #FOREST_BATCH} rows tree by tree ({@link FlatTrees#classifyAll}, the same answers bit for bit), the
     * batches in parallel: permutation importance scores the test split n_features × n_repeats times (70 times on
     * adult), which row by row cost 20 s of a RandomForest(100) job whose fit takes 1.3 s.
     */
    int[] classify(double[][] x, double[][] posteriori) {
        int[] out = new int[x.length];
        if (estimator instanceof FlatTrees trees && trees.isForestClassifier()) {
            int k = labels.size();
            double[] flat = new double[x.length * k];
            inForestBatches(x.length, (from, m) -> {
                int[] rows = new int[m];
                for (int r = 0; r < m; r++) rows[r] = from + r;
                trees.classifyAll(x, rows, m, out, flat);
                for (int i = from; i < from + m; i++) posteriori[i] = Arrays.copyOfRange(flat, i * k, i * k + k);
            });
            return out;
        }
        rows(x.length).forEach(i -> {
            posteriori[i] = new double[labels.size()];
            out[i] = estimator.classify(x[i], posteriori[i]);
        });
        return out;
    }

    /** Predictions of preprocessed rows (evaluation); a random forest's in parallel batches, as {@link #classify}. */
    double[] regress(double[][] x) {
        double[] out = new double[x.length];
        if (estimator instanceof FlatTrees trees && trees.isForestRegressor()) {
            inForestBatches(x.length, (from, m) -> trees.regressAll(x, from, m, out));
            return out;
        }
        rows(x.length).forEach(i -> out[i] = estimator.regress(x[i]));
        return out;
    }

    /** Calls {@code batch} with (first row, rows) for consecutive batches of {@link #FOREST_BATCH} of n rows, in parallel. */
    private static void inForestBatches(int n, java.util.function.BiConsumer<Integer, Integer> batch) {
        java.util.stream.IntStream.range(0, (n + FOREST_BATCH - 1) / FOREST_BATCH).parallel()
                .forEach(b -> batch.accept(b * FOREST_BATCH, Math.min(FOREST_BATCH, n - b * FOREST_BATCH)));
    }

    /** Rows scored in parallel at and above this count, for flat tree models (read-only, so rows are independent). */
    static final int PARALLEL_ROWS = 10_000;

    /**
     * The row indices of an evaluation: in parallel for {@link FlatTrees} over many rows (a large forest's scoring is
     * bound by cache misses, and test metrics and permutation importance score hundreds of thousands of rows; issue
     * 18), else in order. Each row's result is its own, so the results are the same either way.
     */
    private java.util.stream.IntStream rows(int n) {
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, n);
        return estimator instanceof FlatTrees && n >= PARALLEL_ROWS ? range.parallel() : range;
    }

    Preprocessor preprocessor() {
        return preprocessor;
    }

    /** What one row lacked: missing features and values matching no level (allocated only when needed). */
    private static final class Report {
        List<String> missing;
        Map<String, Object> unseen;

        void missing(String feature) {
            if (missing == null) missing = new ArrayList<>();
            missing.add(feature);
        }

        void unseen(String feature, Object value) {
            if (unseen == null) unseen = new LinkedHashMap<>();
            unseen.put(feature, value);
        }
    }

    /** Level matchers per feature (null for numeric ones), built on first use: artifacts do not store them. */
    private transient volatile LevelMatcher[] matchers;

    private LevelMatcher[] matchers() {
        LevelMatcher[] m = matchers;
        if (m == null) {
            List<FeatureInfo> features = preprocessor.features();
            m = new LevelMatcher[features.size()];
            for (int j = 0; j < m.length; j++) {
                if (features.get(j).type() == ColumnType.CATEGORICAL) m[j] = LevelMatcher.of(features.get(j).categories());
            }
            matchers = m;
        }
        return m;
    }

    private Object[] cells(int rowIndex, Map<String, Object> row, LevelMatcher[] matchers, Report report) {
        List<FeatureInfo> features = preprocessor.features();
        Object[] cells = new Object[features.size()];
        if (row == null) {
            throw new InvalidRowException(rowIndex, "", "row must be an object, got null");
        }
        for (int j = 0; j < cells.length; j++) {
            FeatureInfo f = features.get(j);
            Object v = row.get(f.name());
            if (f.type() == ColumnType.NUMERIC) {
                cells[j] = numeric(rowIndex, f.name(), v);
                if (cells[j] == null) report.missing(f.name());
            } else {
                Object value = categorical(rowIndex, f.name(), v);
                if (value == null) {
                    report.missing(f.name());
                } else {
                    String level = matchers[j].match(value);
                    if (level == null) report.unseen(f.name(), v);
                    // Not null, which would be imputed: an unseen value stays out of every level (all zeros).
                    cells[j] = level != null ? level : UNSEEN;
                }
            }
        }
        return cells;
    }

    /** Stands for a categorical value that matches no level; CSV levels never hold a NUL, so it is in none. */
    private static final String UNSEEN = "\u0000unseen";

    /** The finite number of a numeric feature, or null when missing (absent, null, NaN, blank). */
    private static Double numeric(int row, String field, Object v) {
        if (v == null) return null;
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s) {
            if (s.isBlank()) return null;
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRowException(row, field, "expected a number, got the string \"" + s + "\"");
            }
        } else {
            throw new InvalidRowException(row, field, "expected a number, got " + kind(v));
        }
        if (Double.isNaN(d)) return null;
        if (Double.isInfinite(d)) {
            throw new InvalidRowException(row, field, "expected a finite number, got " + v
                    + "; send null (or leave the feature out) for a missing value");
        }
        return d;
    }

    /** A String, Boolean or finite Number for a categorical feature, or null when missing (absent, null, NaN, ""). */
    private static Object categorical(int row, String field, Object v) {
        if (v == null) return null;
        if (v instanceof String s) return s.isEmpty() ? null : s;
        if (v instanceof Boolean) return v;
        if (v instanceof Number n) {
            if (n instanceof Double || n instanceof Float) {
                double d = n.doubleValue();
                if (Double.isNaN(d)) return null;
                if (Double.isInfinite(d)) {
                    throw new InvalidRowException(row, field, "expected a string or a finite number, got " + n);
                }
            }
            return n;
        }
        throw new InvalidRowException(row, field, "expected a string, got " + kind(v));
    }

    private static String kind(Object v) {
        if (v instanceof Map<?, ?>) return "an object";
        if (v instanceof List<?> || v.getClass().isArray()) return "an array";
        if (v instanceof Boolean) return "a boolean";
        return "a value of type " + v.getClass().getSimpleName();
    }
}
