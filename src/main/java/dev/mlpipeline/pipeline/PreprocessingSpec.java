package dev.mlpipeline.pipeline;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How raw features are turned into the numeric matrix a model sees. All statistics are fitted on
 * the training split only.
 *
 * @param numericImputation     how missing numeric cells are filled
 * @param numericFillValue      fill value for {@link NumericImputation#CONSTANT} (null otherwise)
 * @param categoricalImputation how missing categorical cells are filled
 * @param categoricalFillValue  fill value for {@link CategoricalImputation#CONSTANT} (null otherwise)
 * @param scaling               scaling applied to numeric columns (one-hot columns are never scaled)
 * @param encoding              categorical encoding
 */
public record PreprocessingSpec(NumericImputation numericImputation, Double numericFillValue,
        CategoricalImputation categoricalImputation, String categoricalFillValue,
        Scaling scaling, Encoding encoding) implements java.io.Serializable {

    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Default fill value for constant categorical imputation when none is given. */
    public static final String DEFAULT_CATEGORICAL_FILL = "missing";

    private static final Set<String> KEYS = Set.of("numeric_imputation", "numeric_fill_value",
            "categorical_imputation", "categorical_fill_value", "scaling", "encoding");

    /** Validates the combination and fills the constant defaults (0 and "missing"). */
    public PreprocessingSpec {
        if (numericImputation == null) numericImputation = NumericImputation.MEDIAN;
        if (categoricalImputation == null) categoricalImputation = CategoricalImputation.MOST_FREQUENT;
        if (scaling == null) scaling = Scaling.STANDARD;
        if (encoding == null) encoding = Encoding.ONE_HOT;
        if (numericImputation == NumericImputation.CONSTANT && numericFillValue == null) numericFillValue = 0.0;
        if (numericImputation != NumericImputation.CONSTANT) numericFillValue = null;
        if (numericFillValue != null && !Double.isFinite(numericFillValue)) {
            throw new PipelineValidationException("preprocessing.numeric_fill_value", "must be a finite number");
        }
        if (categoricalImputation == CategoricalImputation.CONSTANT && categoricalFillValue == null) {
            categoricalFillValue = DEFAULT_CATEGORICAL_FILL;
        }
        if (categoricalImputation != CategoricalImputation.CONSTANT) categoricalFillValue = null;
    }

    /** @return median imputation, most-frequent imputation, standard scaling, one-hot encoding (scikit-learn's usual recipe) */
    public static PreprocessingSpec defaults() {
        return new PreprocessingSpec(NumericImputation.MEDIAN, null, CategoricalImputation.MOST_FREQUENT, null,
                Scaling.STANDARD, Encoding.ONE_HOT);
    }

    /**
     * @return a JSON-friendly map with snake_case keys and wire values; fill values appear only for
     * constant imputation
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("numeric_imputation", numericImputation.wireName());
        if (numericFillValue != null) m.put("numeric_fill_value", numericFillValue);
        m.put("categorical_imputation", categoricalImputation.wireName());
        if (categoricalFillValue != null) m.put("categorical_fill_value", categoricalFillValue);
        m.put("scaling", scaling.wireName());
        m.put("encoding", encoding.wireName());
        return m;
    }

    /**
     * Parses the map form (from JSON). Absent keys take the {@link #defaults()}; {@code null} map = defaults.
     *
     * @param map snake_case keys with wire values
     * @return the spec
     * @throws PipelineValidationException naming {@code preprocessing.<key>} for unknown keys or values
     */
    public static PreprocessingSpec fromMap(Map<String, Object> map) {
        if (map == null) return defaults();
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new PipelineValidationException("preprocessing." + key, "unknown preprocessing option '" + key
                        + "'; valid options are: " + KEYS.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        NumericImputation ni = parse(map, "numeric_imputation", NumericImputation.values(), NumericImputation.MEDIAN);
        CategoricalImputation ci = parse(map, "categorical_imputation", CategoricalImputation.values(),
                CategoricalImputation.MOST_FREQUENT);
        Scaling sc = parse(map, "scaling", Scaling.values(), Scaling.STANDARD);
        Encoding en = parse(map, "encoding", Encoding.values(), Encoding.ONE_HOT);

        Double nfill = null;
        Object nv = map.get("numeric_fill_value");
        if (nv != null) {
            if (ni != NumericImputation.CONSTANT) {
                throw new PipelineValidationException("preprocessing.numeric_fill_value",
                        "numeric_fill_value is only allowed with numeric_imputation 'constant'");
            }
            if (nv instanceof Number n && !(nv instanceof BigDecimal)) nfill = n.doubleValue();
            else if (nv instanceof BigDecimal bd) nfill = bd.doubleValue();
            else
                throw new PipelineValidationException("preprocessing.numeric_fill_value", "must be a number");
        }
        String cfill = null;
        Object cv = map.get("categorical_fill_value");
        if (cv != null) {
            if (ci != CategoricalImputation.CONSTANT) {
                throw new PipelineValidationException("preprocessing.categorical_fill_value",
                        "categorical_fill_value is only allowed with categorical_imputation 'constant'");
            }
            if (!(cv instanceof String s) || s.isEmpty()) {
                throw new PipelineValidationException("preprocessing.categorical_fill_value", "must be a non-empty string");
            }
            cfill = s;
        }
        return new PreprocessingSpec(ni, nfill, ci, cfill, sc, en);
    }

    private static <E extends Enum<E> & Wire> E parse(Map<String, Object> map, String key, E[] values, E dflt) {
        Object v = map.get(key);
        if (v == null) return dflt;
        if (v instanceof String s) {
            for (E e : values) {
                if (e.accepts(s.trim().toLowerCase())) return e;
            }
        }
        throw new PipelineValidationException("preprocessing." + key, "unknown value '" + v + "' for " + key
                + "; expected one of: " + Arrays.stream(values).map(Wire::wireName).collect(Collectors.joining(", ")));
    }

    /** Enums with an API name. */
    sealed interface Wire permits NumericImputation, CategoricalImputation, Scaling, Encoding {
        String wireName();

        default boolean accepts(String s) {
            return wireName().equals(s);
        }
    }

    /** Missing-value strategy for numeric columns. */
    public enum NumericImputation implements Wire {
        /** Training mean. */
        MEAN("mean"),
        /** Training median (mean of the two middle values for an even count). */
        MEDIAN("median"),
        /** {@link PreprocessingSpec#numericFillValue()}. */
        CONSTANT("constant");

        private final String wire;

        NumericImputation(String wire) {
            this.wire = wire;
        }

        /** @return API name */
        @Override
        public String wireName() {
            return wire;
        }
    }

    /** Missing-value strategy for categorical columns. */
    public enum CategoricalImputation implements Wire {
        /** Most frequent training level (ties: lexicographically smallest, like scikit-learn). */
        MOST_FREQUENT("most_frequent"),
        /** {@link PreprocessingSpec#categoricalFillValue()}. */
        CONSTANT("constant");

        private final String wire;

        CategoricalImputation(String wire) {
            this.wire = wire;
        }

        /** @return API name */
        @Override
        public String wireName() {
            return wire;
        }
    }

    /** Scaling of numeric columns. */
    public enum Scaling implements Wire {
        /** (x - mean) / std (population std; constant columns keep scale 1). */
        STANDARD("standard"),
        /** (x - min) / (max - min); wire name "min_max", "minmax" also accepted. */
        MINMAX("min_max"),
        /** No scaling. */
        NONE("none");

        private final String wire;

        Scaling(String wire) {
            this.wire = wire;
        }

        /** @return API name */
        @Override
        public String wireName() {
            return wire;
        }

        @Override
        public boolean accepts(String s) {
            return wire.equals(s) || (this == MINMAX && s.equals("minmax"));
        }
    }

    /** Encoding of categorical columns. */
    public enum Encoding implements Wire {
        /** One 0/1 column per training level; unseen levels encode as all zeros. */
        ONE_HOT("one_hot");

        private final String wire;

        Encoding(String wire) {
            this.wire = wire;
        }

        /** @return API name */
        @Override
        public String wireName() {
            return wire;
        }
    }
}
