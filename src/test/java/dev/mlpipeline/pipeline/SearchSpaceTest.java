package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Search-space parsing, grid expansion, random sampling and merging. */
class SearchSpaceTest {

    private static final ModelType RF = ModelCatalog.find("RandomForest").orElseThrow();
    private static final ModelType LR = ModelCatalog.find("LogisticRegression").orElseThrow();

    /** An insertion-ordered map from alternating keys and values (values may be null). */
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static List<Object> list(Object... values) {
        return new ArrayList<>(Arrays.asList(values));
    }

    /** A model with {@code count} integer hyperparameters p0..p{count-1} in [0, 1000]. */
    private static ModelType manyParams(int count) {
        List<HyperparameterSpec> params = new ArrayList<>();
        for (int i = 0; i < count; i++) params.add(HyperparameterSpec.integer("p" + i, 0, 0, 1000, false, "test"));
        return new ModelType("Many", Set.of(Task.REGRESSION), params, true, null);
    }

    @Test
    void gridIsTheCartesianProductFirstKeySlowest() {
        SearchSpace s = SearchSpace.parse(RF, map("n_trees", list(50, 100, 200), "max_depth", list(null, 8, 16)), "grid");
        assertEquals(List.of("n_trees", "max_depth"), s.names());
        assertEquals(9, s.gridSize());
        List<Map<String, Object>> grid = s.grid();
        assertEquals(9, grid.size());
        List<String> seen = grid.stream().map(m -> m.get("n_trees") + "/" + m.get("max_depth")).toList();
        assertEquals(List.of("50/null", "50/8", "50/16", "100/null", "100/8", "100/16", "200/null", "200/8", "200/16"),
                seen);
        for (Map<String, Object> config : grid) {
            assertEquals(List.of("n_trees", "max_depth"), new ArrayList<>(config.keySet()));
            assertInstanceOf(Integer.class, config.get("n_trees"));
        }
        // Key order follows the raw map, not the model's declaration order.
        SearchSpace reversed = SearchSpace.parse(RF, map("max_depth", list(null, 8), "n_trees", list(50, 100)), "grid");
        assertEquals(map("max_depth", null, "n_trees", 100), reversed.grid().get(1));
        // Values are normalised: 3.0 → 3 for INTEGER, 1 → 1.0 for NUMBER.
        Map<String, Object> first = SearchSpace.parse(RF, map("max_depth", list(3.0), "subsample", list(1)), "grid")
                .grid().get(0);
        assertEquals(3, first.get("max_depth"));
        assertEquals(1.0, first.get("subsample"));
    }

    @Test
    void gridSizeIsComputedWithoutExpanding() {
        List<Object> ten = list(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        Map<String, Object> raw = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) raw.put("p" + i, ten);
        long t0 = System.nanoTime();
        assertEquals(1_000_000L, SearchSpace.parse(manyParams(6), raw, "grid").gridSize());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L);

        Map<String, Object> huge = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) huge.put("p" + i, ten);
        SearchSpace s = SearchSpace.parse(manyParams(20), huge, "grid");
        assertEquals(Long.MAX_VALUE, s.gridSize()); // 10^20 saturates
        assertThrows(IllegalStateException.class, s::grid);

        SearchSpace ranged = SearchSpace.parse(RF, map("n_trees", map("min", 10, "max", 20)), "random");
        assertThrows(IllegalStateException.class, ranged::gridSize);
    }

    @Test
    void randomDrawsAreReproducibleAndWithinRanges() {
        SearchSpace s = SearchSpace.parse(RF, map(
                "n_trees", map("min", 10, "max", 500),
                "max_depth", list(null, 4, 8),
                "subsample", map("min", 0.5, "max", 1.0, "log", false)), "random");
        List<Map<String, Object>> a = s.sample(300, 7);
        assertEquals(a, s.sample(300, 7));
        assertNotEquals(a, s.sample(300, 8));
        assertEquals(300, a.size());
        Set<Object> depths = new java.util.HashSet<>();
        int minTrees = Integer.MAX_VALUE;
        int maxTrees = Integer.MIN_VALUE;
        for (Map<String, Object> c : a) {
            assertEquals(List.of("n_trees", "max_depth", "subsample"), new ArrayList<>(c.keySet()));
            int trees = assertInstanceOf(Integer.class, c.get("n_trees"));
            assertTrue(trees >= 10 && trees <= 500, "n_trees " + trees);
            minTrees = Math.min(minTrees, trees);
            maxTrees = Math.max(maxTrees, trees);
            double sub = assertInstanceOf(Double.class, c.get("subsample"));
            assertTrue(sub >= 0.5 && sub <= 1.0, "subsample " + sub);
            depths.add(c.get("max_depth"));
            RF.validate(SearchSpace.merge(Map.of(), c)); // every draw is a valid configuration
        }
        assertEquals(Set.of(4, 8), depths.stream().filter(d -> d != null).collect(java.util.stream.Collectors.toSet()));
        assertTrue(depths.contains(null));
        assertTrue(minTrees < 60 && maxTrees > 450, minTrees + ".." + maxTrees);
        assertEquals(List.of(), s.sample(0, 1));
        assertThrows(IllegalArgumentException.class, () -> s.sample(-1, 1));

        // A degenerate integer range always draws its single value.
        SearchSpace point = SearchSpace.parse(RF, map("n_trees", map("min", 42, "max", 42)), "random");
        assertTrue(point.sample(20, 3).stream().allMatch(c -> c.get("n_trees").equals(42)));
    }

    @Test
    void logUniformDrawsSpanTheDecades() {
        SearchSpace s = SearchSpace.parse(LR, map("lambda", map("min", 1e-4, "max", 1e4, "log", true)), "random");
        int n = 4000;
        int[] perDecade = new int[8];
        for (Map<String, Object> c : s.sample(n, 11)) {
            double v = (Double) c.get("lambda");
            assertTrue(v >= 1e-4 && v <= 1e4, "lambda " + v);
            perDecade[Math.min(7, (int) Math.floor(Math.log10(v) + 4))]++;
        }
        // Log-uniform: each of the 8 decades gets ~1/8 of the draws (a linear draw would put ~90% in the last one).
        for (int d = 0; d < 8; d++) {
            assertTrue(Math.abs(perDecade[d] - n / 8.0) < n / 8.0 * 0.25, "decade " + d + ": " + Arrays.toString(perDecade));
        }

        SearchSpace trees = SearchSpace.parse(RF, map("n_trees", map("min", 1, "max", 1000, "log", true)), "random");
        int[] digits = new int[4];
        for (Map<String, Object> c : trees.sample(3000, 5)) {
            int v = assertInstanceOf(Integer.class, c.get("n_trees"));
            assertTrue(v >= 1 && v <= 1000, "n_trees " + v);
            digits[String.valueOf(v).length() - 1]++;
        }
        // 1..9, 10..99, 100..999 each get roughly a third; 1000 is rare.
        for (int d = 0; d < 3; d++) assertTrue(digits[d] > 700 && digits[d] < 1300, Arrays.toString(digits));
    }

    @Test
    void mergeLetsTheTrialWin() {
        Map<String, Object> fixed = map("n_trees", 10, "max_depth", 3);
        Map<String, Object> merged = SearchSpace.merge(fixed, map("max_depth", null, "mtry", 2));
        assertEquals(map("n_trees", 10, "max_depth", null, "mtry", 2), merged);
        Map<String, Object> full = RF.validate(merged);
        assertNull(full.get("max_depth"));
        assertEquals(10, full.get("n_trees"));
        assertEquals(1, full.get("min_samples_leaf")); // default filled in
        assertEquals(map("n_trees", 5), SearchSpace.merge(null, map("n_trees", 5)));
        assertEquals(map("n_trees", 5), SearchSpace.merge(map("n_trees", 5), null));
        assertEquals(map("n_trees", 10, "max_depth", 3), fixed); // inputs untouched
    }

    private static PipelineValidationException invalid(ModelType model, Map<String, Object> raw, String strategy) {
        return assertThrows(PipelineValidationException.class, () -> SearchSpace.parse(model, raw, strategy));
    }

    private static void assertInvalid(String field, String fragment, ModelType model, Map<String, Object> raw,
            String strategy) {
        PipelineValidationException e = invalid(model, raw, strategy);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }

    @Test
    void everyValidationErrorNamesTheField() {
        assertInvalid("search_space", "empty", RF, map(), "grid");
        assertInvalid("search_space", "empty", RF, null, "random");
        assertInvalid("strategy", "bayes", RF, map("n_trees", list(1)), "bayes");
        assertInvalid("search_space.n_estimators", "n_trees, max_depth, min_samples_leaf, mtry, subsample", RF,
                map("n_estimators", list(50)), "grid");
        assertInvalid("search_space.n_trees", "empty", RF, map("n_trees", list()), "grid");
        assertInvalid("search_space.n_trees", "must be an integer", RF, map("n_trees", list(10, "many")), "grid");
        assertInvalid("search_space.n_trees", "must be an integer", RF, map("n_trees", list(10, 2.5)), "random");
        assertInvalid("search_space.n_trees", "out of range", RF, map("n_trees", list(0, 10)), "grid");
        assertInvalid("search_space.n_trees", "must not be null", RF, map("n_trees", list((Object) null)), "grid");
        assertInvalid("search_space.subsample", "out of range", RF, map("subsample", list(0.5, 1.5)), "grid");
        assertInvalid("search_space.n_trees", "more than once", RF, map("n_trees", list(10, 10.0)), "grid");
        assertInvalid("search_space.n_trees", "must be a list", RF, map("n_trees", 10), "grid");
        assertInvalid("search_space.max_depth", "ranges need strategy random", RF,
                map("n_trees", list(10), "max_depth", map("min", 2, "max", 8)), "grid");

        ModelType withChoice = new ModelType("Choosy", Set.of(Task.CLASSIFICATION), List.of(
                new HyperparameterSpec("criterion", HyperparameterSpec.Type.CHOICE, "gini", null, null,
                        List.of("gini", "entropy"), false, "test"),
                new HyperparameterSpec("bootstrap", HyperparameterSpec.Type.BOOLEAN, true, null, null, null, false,
                        "test")),
                true, null);
        assertInvalid("search_space.criterion", "not numeric", withChoice,
                map("criterion", map("min", 0, "max", 1)), "random");
        assertInvalid("search_space.bootstrap", "not numeric", withChoice,
                map("bootstrap", map("min", 0, "max", 1)), "random");
        assertInvalid("search_space.criterion", "must be one of", withChoice, map("criterion", list("gini", "log")),
                "grid");
        assertEquals(4, SearchSpace.parse(withChoice, map("criterion", list("gini", "entropy"),
                "bootstrap", list(true, false)), "grid").gridSize());

        assertInvalid("search_space.n_trees", "greater than max", RF, map("n_trees", map("min", 100, "max", 10)), "random");
        assertInvalid("search_space.lambda", "min > 0", LR, map("lambda", map("min", 0.0, "max", 10, "log", true)), "random");
        assertInvalid("search_space.n_trees", "unknown key 'step'", RF,
                map("n_trees", map("min", 10, "max", 100, "step", 10)), "random");
        assertInvalid("search_space.n_trees", "needs a numeric 'max'", RF, map("n_trees", map("min", 10)), "random");
        assertInvalid("search_space.n_trees", "max: ", RF, map("n_trees", map("min", 10, "max", 1e9)), "random");
        assertInvalid("search_space.n_trees", "must be an integer", RF, map("n_trees", map("min", 1.5, "max", 9)), "random");
        assertInvalid("search_space.n_trees", "log", RF, map("n_trees", map("min", 1, "max", 9, "log", "yes")), "random");
        assertInvalid("search_space.lambda", "must be a number", LR, map("lambda", map("min", "a", "max", 1)), "random");
    }
}
