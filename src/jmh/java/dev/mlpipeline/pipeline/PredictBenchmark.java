package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fitted pipeline's predict on one thread: RandomForest(100) trained on {@code samples/titanic.csv}
 * (seed 42, the service's defaults), {@link FittedPipeline#predict(List)} of 1 and of 100 rows of the
 * dataset's own feature values (numbers as {@link Double}, categories as {@link String}, as the JSON reader
 * hands them over). The score is microseconds per call; rows per second of one core = rows × 10⁶ / score.
 * This is the "model's own single-core predict rate" that issue 16 part 5 sets the 100-row serving goal
 * against. Run with {@code bench/jmh.sh PredictBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PredictBenchmark {

    /** Rows per predict call. */
    @Param({ "1", "100" })
    public int rows;

    private FittedPipeline pipeline;
    private List<Map<String, Object>> batch;

    @Setup
    public void setUp() {
        pipeline = TestData.train("titanic", "RandomForest", Task.CLASSIFICATION, "Survived", Map.of("n_trees", 100)).pipeline();
        TestData.Loaded data = TestData.load("titanic");
        List<String> columns = data.table().columns();
        batch = new ArrayList<>(rows);
        // Every 7th row, so that the 100 rows take different paths through the trees.
        for (int r = 0; batch.size() < rows; r += 7) {
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
    }

    @Benchmark
    public Prediction predict() {
        return pipeline.predict(batch);
    }
}
