package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The hyperparameter search space of a tuning job, validated against a {@link ModelType}.
 *
 * <p>The raw form is what arrives from JSON: a map from hyperparameter name to either a list of candidate
 * values ({@code "max_depth": [null, 8, 16]}) or, for random search only, a range object
 * ({@code "lambda": {"min": 0.001, "max": 100, "log": true}}) over an INTEGER or NUMBER hyperparameter.
 * Candidate values and range bounds are checked and normalised with {@link HyperparameterSpec#coerce}
 * (INTEGER → Integer, NUMBER → Double, ...), so every configuration this class produces holds valid values.
 *
 * <p>A configuration holds only the searched hyperparameters; combine it with the job's fixed hyperparameters with
 * {@link #merge} and fill in the model defaults with {@link ModelType#validate}. Instances are immutable and
 * thread-safe.
 */
public final class SearchSpace {

    /** Strategy name of exhaustive grid search. */
    public static final String GRID = "grid";
    /** Strategy name of random search. */
    public static final String RANDOM = "random";

    private static final String FIELD = "search_space";
    private static final Set<String> RANGE_KEYS = Set.of("min", "max", "log");

    /** One searched hyperparameter. */
    private sealed interface Dimension permits Choices, Range {
        String name();
    }

    /** Explicit candidate values (normalised; may contain null for nullable hyperparameters). */
    private record Choices(String name, List<Object> values) implements Dimension {
    }

    /** A continuous (NUMBER) or integral (INTEGER) interval [min, max], optionally log-scaled. */
    private record Range(String name, boolean integer, double min, double max, boolean log) implements Dimension {
    }

    private final ModelType modelType;
    private final String strategy;
    private final List<Dimension> dimensions;

    private SearchSpace(ModelType modelType, String strategy, List<Dimension> dimensions) {
        this.modelType = modelType;
        this.strategy = strategy;
        this.dimensions = List.copyOf(dimensions);
    }

    /**
     * Parses and validates a search space.
     *
     * @param modelType the model whose hyperparameters are searched
     * @param raw       hyperparameter name → list of candidates, or (random search) range object with keys
     *                  {@code min}, {@code max} (both required) and optional boolean {@code log}; keys are searched
     *                  in the map's iteration order
     * @param strategy  {@value #GRID} or {@value #RANDOM}
     * @return the validated space
     * @throws PipelineValidationException on {@code strategy} for an unknown strategy; on {@code search_space}
     *                                     when the space is empty; on {@code search_space.<name>} for an unknown
     *                                     hyperparameter, an empty or duplicated candidate list, a candidate of the
     *                                     wrong type or out of range, a range in a grid search, a range over a
     *                                     non-numeric hyperparameter, a malformed range (unknown key, missing or
     *                                     invalid bound, min &gt; max, log with min &le; 0)
     */
    public static SearchSpace parse(ModelType modelType, Map<String, Object> raw, String strategy) {
        Objects.requireNonNull(modelType, "modelType");
        if (!GRID.equals(strategy) && !RANDOM.equals(strategy)) {
            throw new PipelineValidationException("strategy", "unknown search strategy '" + strategy
                    + "'; expected one of: " + GRID + ", " + RANDOM);
        }
        if (raw == null || raw.isEmpty()) {
            throw new PipelineValidationException(FIELD, "the search space is empty; give at least one hyperparameter of "
                    + modelType.name() + " with candidate values (valid: " + validNames(modelType) + ")");
        }
        List<Dimension> dims = new ArrayList<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String name = e.getKey();
            String field = FIELD + "." + name;
            HyperparameterSpec spec = modelType.hyperparameters().stream()
                    .filter(h -> h.name().equals(name)).findFirst()
                    .orElseThrow(() -> new PipelineValidationException(field, "unknown hyperparameter '" + name
                            + "' for " + modelType.name() + "; valid hyperparameters are: " + validNames(modelType)));
            Object value = e.getValue();
            if (value instanceof List<?> list) {
                dims.add(choices(spec, field, list));
            } else if (value instanceof Map<?, ?> map) {
                if (GRID.equals(strategy)) {
                    throw new PipelineValidationException(field, "grid search takes lists of values; ranges need strategy "
                            + RANDOM);
                }
                dims.add(range(spec, field, map));
            } else {
                throw new PipelineValidationException(field, name + " must be a list of candidate values"
                        + (RANDOM.equals(strategy) ? " or a range object {\"min\": …, \"max\": …, \"log\": true|false}" : "")
                        + ", got " + describe(value));
            }
        }
        return new SearchSpace(modelType, strategy, dims);
    }

    private static Choices choices(HyperparameterSpec spec, String field, List<?> list) {
        if (list.isEmpty()) {
            throw new PipelineValidationException(field, "the candidate list of " + spec.name() + " is empty");
        }
        List<Object> values = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object v = coerce(spec, field, list.get(i), "candidate " + (i + 1));
            if (values.contains(v)) {
                throw new PipelineValidationException(field, "the candidate list of " + spec.name() + " contains "
                        + v + " more than once");
            }
            values.add(v);
        }
        return new Choices(spec.name(), Collections.unmodifiableList(values));
    }

    private static Range range(HyperparameterSpec spec, String field, Map<?, ?> map) {
        boolean integer = spec.type() == HyperparameterSpec.Type.INTEGER;
        if (!integer && spec.type() != HyperparameterSpec.Type.NUMBER) {
            throw new PipelineValidationException(field, spec.name() + " is not numeric (" + spec.type().name()
                    .toLowerCase() + "); give a list of candidate values instead of a range");
        }
        for (Object key : map.keySet()) {
            if (!RANGE_KEYS.contains(String.valueOf(key))) {
                throw new PipelineValidationException(field, "unknown key '" + key + "' in the range of " + spec.name()
                        + "; valid keys are: log, max, min");
            }
        }
        double min = bound(spec, field, map, "min");
        double max = bound(spec, field, map, "max");
        Object logValue = map.get("log");
        if (logValue != null && !(logValue instanceof Boolean)) {
            throw new PipelineValidationException(field, "log of the range of " + spec.name()
                    + " must be true or false, got " + describe(logValue));
        }
        boolean log = Boolean.TRUE.equals(logValue);
        if (min > max) {
            throw new PipelineValidationException(field, "the range of " + spec.name() + " has min " + format(min)
                    + " greater than max " + format(max));
        }
        if (log && min <= 0) {
            throw new PipelineValidationException(field, "a log-scaled range needs min > 0, but the range of "
                    + spec.name() + " has min " + format(min));
        }
        return new Range(spec.name(), integer, min, max, log);
    }

    private static double bound(HyperparameterSpec spec, String field, Map<?, ?> map, String key) {
        if (map.get(key) == null) {
            throw new PipelineValidationException(field, "the range of " + spec.name() + " needs a numeric '" + key + "'");
        }
        return ((Number) coerce(spec, field, map.get(key), key)).doubleValue();
    }

    /** {@link HyperparameterSpec#coerce} with the error re-targeted at {@code search_space.<name>}. */
    private static Object coerce(HyperparameterSpec spec, String field, Object value, String what) {
        try {
            return spec.coerce(value);
        } catch (PipelineValidationException e) {
            throw new PipelineValidationException(field, what + ": " + e.getMessage());
        }
    }

    private static String validNames(ModelType modelType) {
        return modelType.hyperparameters().isEmpty() ? "(none)"
                : modelType.hyperparameters().stream().map(HyperparameterSpec::name).collect(Collectors.joining(", "));
    }

    private static String describe(Object value) {
        if (value == null) return "null";
        if (value instanceof String s) return "the string \"" + s + "\"";
        return "the " + value.getClass().getSimpleName().toLowerCase() + " " + value;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** @return the model the space was validated against */
    public ModelType modelType() {
        return modelType;
    }

    /** @return {@value #GRID} or {@value #RANDOM} */
    public String strategy() {
        return strategy;
    }

    /** @return the searched hyperparameter names, in search order */
    public List<String> names() {
        return dimensions.stream().map(Dimension::name).toList();
    }

    /** @return whether every dimension is a candidate list, i.e. whether {@link #grid()} is defined */
    public boolean isFinite() {
        return dimensions.stream().allMatch(d -> d instanceof Choices);
    }

    /**
     * Number of grid configurations, computed without expanding the grid, so callers can refuse a grid that is too
     * large before calling {@link #grid()}.
     *
     * @return the product of the candidate-list sizes, saturated at {@link Long#MAX_VALUE}
     * @throws IllegalStateException when the space contains a range (random search only)
     */
    public long gridSize() {
        long size = 1;
        for (Dimension d : dimensions) {
            if (!(d instanceof Choices c)) throw new IllegalStateException("a space with ranges has no grid: " + d.name());
            try {
                size = Math.multiplyExact(size, c.values().size());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return size;
    }

    /**
     * Expands the grid: the cartesian product of the candidate lists. The first hyperparameter varies slowest (keys
     * in the raw map's order, values in the given order), so the order is deterministic.
     *
     * @return one new mutable map per configuration, holding only the searched hyperparameters (values normalised;
     * null for a nullable hyperparameter's null candidate)
     * @throws IllegalStateException when the space contains a range, or the grid has more than
     *                               {@link Integer#MAX_VALUE} configurations (check {@link #gridSize()} first)
     */
    public List<Map<String, Object>> grid() {
        long size = gridSize();
        if (size > Integer.MAX_VALUE) throw new IllegalStateException("grid too large to expand: " + size);
        List<Map<String, Object>> out = new ArrayList<>((int) size);
        int[] index = new int[dimensions.size()];
        for (long n = 0; n < size; n++) {
            Map<String, Object> config = new LinkedHashMap<>();
            for (int d = 0; d < index.length; d++) {
                Choices c = (Choices) dimensions.get(d);
                config.put(c.name(), c.values().get(index[d]));
            }
            out.add(config);
            // Odometer increment: the last dimension varies fastest.
            for (int d = index.length - 1; d >= 0; d--) {
                if (++index[d] < ((Choices) dimensions.get(d)).values().size()) break;
                index[d] = 0;
            }
        }
        return out;
    }

    /**
     * Draws random-search configurations. Each draw picks every hyperparameter independently: uniformly from a
     * candidate list; uniformly from [min, max] for a NUMBER range, or log-uniformly (uniform in log space) when
     * {@code log} is true; uniformly among the integers of [min, max] for an INTEGER range, or, when {@code log} is
     * true, log-uniformly over [min − ½, max + ½) rounded to the nearest integer (each integer k gets probability
     * ∝ log((k + ½)/(k − ½))). Draws are independent, so the result may contain duplicate configurations (callers
     * may skip repeated ones). The same seed always gives the same configurations.
     *
     * @param nIter number of configurations to draw (&ge; 0)
     * @param seed  random seed
     * @return {@code nIter} new mutable maps holding only the searched hyperparameters, in search order
     * @throws IllegalArgumentException when {@code nIter} is negative
     */
    public List<Map<String, Object>> sample(int nIter, long seed) {
        if (nIter < 0) throw new IllegalArgumentException("nIter must be >= 0, got " + nIter);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, Object>> out = new ArrayList<>(nIter);
        for (int i = 0; i < nIter; i++) {
            Map<String, Object> config = new LinkedHashMap<>();
            for (Dimension d : dimensions) config.put(d.name(), draw(d, rng));
            out.add(config);
        }
        return out;
    }

    private static Object draw(Dimension d, SplittableRandom rng) {
        if (d instanceof Choices c) return c.values().get(rng.nextInt(c.values().size()));
        Range r = (Range) d;
        if (r.integer()) {
            long min = (long) r.min();
            long max = (long) r.max();
            long v;
            if (r.log()) {
                double lo = Math.log(min - 0.5);
                double hi = Math.log(max + 0.5);
                v = Math.round(Math.exp(lo + rng.nextDouble() * (hi - lo)));
            } else {
                v = rng.nextLong(min, max + 1);
            }
            return (int) Math.max(min, Math.min(max, v));
        }
        if (r.min() == r.max()) return r.min();
        double v = r.log()
                ? Math.exp(Math.log(r.min()) + rng.nextDouble() * (Math.log(r.max()) - Math.log(r.min())))
                : r.min() + rng.nextDouble() * (r.max() - r.min());
        return Math.max(r.min(), Math.min(r.max(), v));
    }

    /**
     * Combines a job's fixed hyperparameters with one trial configuration; pass the result to
     * {@link ModelType#validate} to fill in the defaults.
     *
     * @param fixed hyperparameters fixed for every trial (may be null)
     * @param trial the searched values of one configuration (may be null); wins over {@code fixed}
     * @return a new mutable map: {@code fixed}'s entries, then {@code trial}'s (null values are kept)
     */
    public static Map<String, Object> merge(Map<String, Object> fixed, Map<String, Object> trial) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (fixed != null) out.putAll(fixed);
        if (trial != null) out.putAll(trial);
        return out;
    }

    @Override
    public String toString() {
        return "SearchSpace[" + modelType.name() + ", " + strategy + ", " + dimensions + "]";
    }
}
