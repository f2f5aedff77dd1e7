package dev.mlpipeline.pipeline;

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

import dev.mlpipeline.bench.CpuTime;

/**
 * The fitted pipeline's predict on one thread: RandomForest(100) trained on {@code samples/titanic.csv}
 * (seed 42, the service's defaults), {@link FittedPipeline#predict(List)} of 1 and of 100 rows of the
 * dataset's own feature values (numbers as {@link Double}, categories as {@link String}, as the JSON reader
 * hands them over). The score is microseconds per call (wall clock); {@link CpuTime} adds the thread's CPU
 * time per call, which a loaded machine inflates far less; rows per second of one core = rows × 10⁶ / CPU µs.
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
        pipeline = BenchModels.titanicForest();
        batch = BenchModels.titanicRows(rows);
    }

    @Benchmark
    public Prediction predict(CpuTime cpu) {
        cpu.start();
        Prediction p = pipeline.predict(batch);
        cpu.stop();
        return p;
    }
}
