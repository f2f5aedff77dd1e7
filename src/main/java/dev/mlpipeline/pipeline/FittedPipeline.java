package dev.mlpipeline.pipeline;

import java.io.Serial;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
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
     * Predicts rows given as JSON-like maps. A missing key or null value is imputed as in training; unknown keys
     * are ignored; a blank string counts as missing (as an empty CSV cell does in training). Numeric features
     * accept a finite Number or a String holding a finite number. Categorical features accept a String, or a
     * Number/Boolean through its string form (integral numbers without ".0"); unseen levels encode as all zeros.
     *
     * @param rows input rows
     * @return one prediction (and, for classification, one probability map) per row
     * @throws InvalidRowException naming the first offending row and field
     */
    public Prediction predict(List<Map<String, Object>> rows) {
        List<Object> predictions = new ArrayList<>(rows.size());
        List<Map<String, Double>> probabilities = task == Task.CLASSIFICATION ? new ArrayList<>(rows.size()) : null;
        double[] posteriori = task == Task.CLASSIFICATION ? new double[labels.size()] : null;
        for (int i = 0; i < rows.size(); i++) {
            double[] x = preprocessor.transform(cells(i, rows.get(i)));
            if (task == Task.CLASSIFICATION) {
                int c = estimator.classify(x, posteriori);
                predictions.add(labels.get(c));
                Map<String, Double> p = new LinkedHashMap<>();
                for (int k = 0; k < posteriori.length; k++) p.put(labelKeys.get(k), posteriori[k]);
                probabilities.add(p);
            } else {
                predictions.add(estimator.regress(x));
            }
        }
        return new Prediction(predictions, probabilities);
    }

    /** Class index and probabilities of preprocessed rows (evaluation). */
    int[] classify(double[][] x, double[][] posteriori) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            posteriori[i] = new double[labels.size()];
            out[i] = estimator.classify(x[i], posteriori[i]);
        }
        return out;
    }

    /** Predictions of preprocessed rows (evaluation). */
    double[] regress(double[][] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = estimator.regress(x[i]);
        return out;
    }

    Preprocessor preprocessor() {
        return preprocessor;
    }

    private Object[] cells(int rowIndex, Map<String, Object> row) {
        List<FeatureInfo> features = preprocessor.features();
        Object[] cells = new Object[features.size()];
        if (row == null) {
            throw new InvalidRowException(rowIndex, "", "row must be an object, got null");
        }
        for (int j = 0; j < cells.length; j++) {
            FeatureInfo f = features.get(j);
            Object v = row.get(f.name());
            cells[j] = f.type() == ColumnType.NUMERIC ? numeric(rowIndex, f.name(), v) : categorical(rowIndex, f.name(), v);
        }
        return cells;
    }

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
        if (!Double.isFinite(d)) {
            throw new InvalidRowException(row, field, "expected a finite number, got " + v);
        }
        return d;
    }

    private static String categorical(int row, String field, Object v) {
        if (v == null) return null;
        if (v instanceof String s) return s.isEmpty() ? null : s;
        if (v instanceof Boolean b) return b.toString();
        if (v instanceof Number n) {
            if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
                return n.toString();
            }
            if (n instanceof BigDecimal bd) {
                BigDecimal s = bd.stripTrailingZeros();
                return s.scale() <= 0 ? s.toBigInteger().toString() : s.toPlainString();
            }
            double d = n.doubleValue();
            if (!Double.isFinite(d)) throw new InvalidRowException(row, field, "expected a finite number or a string, got " + n);
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
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
