package dev.mlpipeline.deployment;

import java.io.IOException;
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

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import dev.mlpipeline.bench.CpuTime;
import dev.mlpipeline.common.JsonText;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.pipeline.BenchModels;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.Prediction;

/**
 * The steps of {@code POST /api/deployments/predict} apart from HTTP, on one thread, for 1 and 100 titanic
 * rows on RandomForest(100): reading the body with a reader configured as {@code DeploymentResource}'s
 * ({@link #readRows}), the model with its checks and reports ({@link #predictAndCheck}),
 * writing the response with a snake_case ObjectMapper as the service's ({@link #writeResponse}), and all of
 * them ({@link #whole}). Scores in microseconds per request; see {@link CpuTime} for the CPU column. Run
 * with {@code bench/jmh.sh PredictPathBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class PredictPathBenchmark {

    /** As DeploymentResource's ROWS_READER. */
    private static final ObjectReader ROWS_READER = new ObjectMapper(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build())
            .registerModule(JsonText.module())
            .readerFor(new TypeReference<List<Map<String, Object>>>() {
            });

    @Param({ "1", "100" })
    public int rows;

    private ModelCache.Warm warm;
    private byte[] body;
    private List<Map<String, Object>> batch;
    private PredictionResponse response;
    private ObjectWriter writer;

    @Setup
    public void setUp() throws IOException {
        FittedPipeline pipeline = BenchModels.titanicForest();
        warm = new ModelCache.Warm("dep_01m8r4ycjycdhnb7z21tv1hnm5", "trn_01m8r4xtwcf2cd3gmrdtbc0v0r", "training",
                "ds_01m8r4xtwcf2cd3gmrdtbc0v0r", pipeline.modelType(), 1, pipeline);
        batch = BenchModels.titanicRows(rows);
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        body = mapper.writeValueAsBytes(batch);
        writer = mapper.writerFor(PredictionResponse.class);
        response = respond(batch);
    }

    private PredictionResponse respond(List<Map<String, Object>> rows) {
        Prediction p = warm.pipeline().predict(rows);
        PredictionChecks.check(warm, rows, p, false);
        return new PredictionResponse(p.predictions(), p.probabilities(), warm.deploymentId(), warm.jobId(), warm.modelType(),
                warm.version(), warm.pipeline().unknownColumns(rows), p.missingColumns(), p.unseenCategories());
    }

    @Benchmark
    public List<Map<String, Object>> readRows(CpuTime cpu) throws IOException {
        cpu.start();
        List<Map<String, Object>> r = ROWS_READER.readValue(body);
        cpu.stop();
        return r;
    }

    @Benchmark
    public PredictionResponse predictAndCheck(CpuTime cpu) {
        cpu.start();
        PredictionResponse r = respond(batch);
        cpu.stop();
        return r;
    }

    @Benchmark
    public byte[] writeResponse(CpuTime cpu) throws IOException {
        cpu.start();
        byte[] b = writer.writeValueAsBytes(response);
        cpu.stop();
        return b;
    }

    @Benchmark
    public byte[] whole(CpuTime cpu) throws IOException {
        cpu.start();
        byte[] b = writer.writeValueAsBytes(respond(ROWS_READER.readValue(body)));
        cpu.stop();
        return b;
    }
}
