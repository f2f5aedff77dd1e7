package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fitted pipeline and rows the benchmarks share: RandomForest(100) on samples/titanic.csv. */
public final class BenchModels {

    private BenchModels() {
    }

    /** RandomForest(100) trained on titanic's training split (seed 42), as the service trains it. */
    public static FittedPipeline titanicForest() {
        return TestData.train("titanic", "RandomForest", Task.CLASSIFICATION, "Survived", Map.of("n_trees", 100)).pipeline();
    }

    /**
     * {@code n} rows of titanic without the target (every 7th row, so that they take different paths):
     * numbers as Double, categories as String, missing values absent.
     */
    public static List<Map<String, Object>> titanicRows(int n) {
        TestData.Loaded data = TestData.load("titanic");
        List<String> columns = data.table().columns();
        List<Map<String, Object>> batch = new ArrayList<>(n);
        for (int r = 0; batch.size() < n; r += 7) {
            String[] raw = data.table().rows().get(r % data.table().rows().size());
            Map<String, Object> row = new LinkedHashMap<>();
            for (int j = 0; j < columns.size(); j++) {
                String name = columns.get(j);
                if (name.equals("Survived") || raw[j] == null) {
                    continue;
                }
                row.put(name, data.types().get(name) == ColumnType.NUMERIC ? (Object) Double.valueOf(raw[j]) : raw[j]);
            }
            batch.add(row);
        }
        return batch;
    }
}
