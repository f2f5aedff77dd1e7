package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEstimateTest {

    /** The shape of issue 18's generated table: 5 numeric columns, 2 categorical, a binary target. */
    private static TestData.Loaded generated(int rows) {
        List<String> columns = List.of("age", "income", "tenure", "usage", "score", "region", "plan", "churn");
        List<String[]> data = new ArrayList<>(rows);
        String[] regions = { "north", "south", "east", "west", "centre" };
        for (int i = 0; i < rows; i++) {
            data.add(new String[]{ "" + (18 + i % 60), "" + (20000 + i % 5000), "" + i % 120, "" + (i % 97) * 1.5, ""
                    + (i % 13) / 13.0, regions[i % 5], i % 3 == 0 ? "basic" : "plus", "" + i % 2 });
        }
        Map<String, ColumnType> types = new HashMap<>();
        for (String c : columns) types.put(c, ColumnType.NUMERIC);
        types.put("region", ColumnType.CATEGORICAL);
        types.put("plan", ColumnType.CATEGORICAL);
        return new TestData.Loaded(new Table(columns, data), types);
    }

    private static MemoryEstimate estimate(TestData.Loaded d, String model, Map<String, Object> given) {
        var spec = new TrainingSpec(model, Task.CLASSIFICATION, "churn",
                List.of("age", "income", "tenure", "usage", "score", "region", "plan"),
                ModelCatalog.find(model).orElseThrow().validate(given), PreprocessingSpec.defaults(), 0.2, 42);
        return MemoryEstimate.of(d.table(), d.types(), spec);
    }

    @Test
    void aMillionRowForestOfFiftyTreesDoesNotFitAOneGigabyteHeap() {
        var d = generated(1_000_000);
        MemoryEstimate forest = estimate(d, ModelCatalog.RANDOM_FOREST, Map.of("n_trees", 50));
        // -Xmx1g gives a default budget of 80 %: the job must be refused there (issue 18's goal).
        assertTrue(forest.bytes() > 0.8 * (1L << 30), "estimate " + forest.mebibytes() + " MiB: " + forest);
        // Logistic regression on the same table is dominated by the data, not the model.
        MemoryEstimate logistic = estimate(d, ModelCatalog.LOGISTIC_REGRESSION, Map.of());
        assertTrue(logistic.model() < logistic.data() && logistic.bytes() < forest.bytes() / 2,
                "logistic " + logistic + ", forest " + forest);
        assertTrue(forest.advice().contains("n_trees"));
        // Calibrated on the measured fit (docs/benchmarks.md, "Memory of a 1 M-row forest, cut"): it completed in
        // -Xmx1600m, so a replica started with -Xmx3g (80 % budget: 2.4 GiB) must accept it.
        assertTrue(forest.bytes() < 0.8 * 3 * (1L << 30), "estimate " + forest.mebibytes() + " MiB: " + forest);
    }

    @Test
    void fewerTreesShallowerTreesAndLargerLeavesNeedLess() {
        var d = generated(100_000);
        long full = estimate(d, ModelCatalog.RANDOM_FOREST, Map.of("n_trees", 100)).bytes();
        assertTrue(estimate(d, ModelCatalog.RANDOM_FOREST, Map.of("n_trees", 10)).bytes() < full);
        assertTrue(estimate(d, ModelCatalog.RANDOM_FOREST, Map.of("n_trees", 100, "max_depth", 8)).bytes() < full);
        assertTrue(estimate(d, ModelCatalog.RANDOM_FOREST, Map.of("n_trees", 100, "min_samples_leaf", 20)).bytes() < full);
        assertTrue(estimate(d, ModelCatalog.RANDOM_FOREST, Map.of("n_trees", 100, "subsample", 0.3)).bytes() < full);
        MemoryEstimate one = estimate(d, ModelCatalog.RANDOM_FOREST, Map.of());
        assertTrue(one.concurrent(2).bytes() > one.bytes() && one.concurrent(2).bytes() < 2 * one.bytes());
    }
}
