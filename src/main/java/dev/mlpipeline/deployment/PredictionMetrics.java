package dev.mlpipeline.deployment;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.Tracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.Attributes;

/**
 * Metrics of predictions, per model type and version of the deployment that served them:
 * <ul>
 * <li>{@code mlpipeline_predictions_total{model_type, version, outcome}}: predict requests that reached
 * a model; {@code outcome} is {@code success}, {@code invalid_input} (a row did not fit the model's
 * schema: 400) or {@code error} (a failure of ours: 500).</li>
 * <li>{@code mlpipeline_predicted_rows_total{model_type, version, outcome}}: the rows of those requests.</li>
 * <li>{@code mlpipeline_prediction_seconds{model_type, version}}: a histogram of the time from the
 * request's rows being handed to the model to the predictions being ready, successful requests only
 * (JSON reading and writing are in {@code http_server_requests_seconds}).</li>
 * </ul>
 * Requests refused before a model is chosen (empty body, too many rows, nothing deployed) are counted by
 * status in {@code http_server_requests_seconds_count{uri="/api/deployments/predict"}}.
 *
 * <p>Labels are bounded: model types come from the catalog, and versions are those deployed on this
 * replica since it started (one at a time). The meters of a model are resolved once and the last ones
 * are kept at hand, so the predict path does no tag building or registry lookup.
 */
@Singleton
public class PredictionMetrics {

    /** Histogram buckets: predictions take from tens of microseconds (one row) to seconds (10,000 rows). */
    private static final Duration[] BUCKETS = { Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration
            .ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration
                    .ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5) };

    @Inject
    MeterRegistry registry;

    private final ConcurrentMap<String, Meters> byModel = new ConcurrentHashMap<>();
    private volatile Meters last;

    /** The meters of the model that serves {@code warm}. */
    public Meters of(ModelCache.Warm warm) {
        Meters m = last;
        if (m != null && m.version == warm.version() && m.modelType.equals(warm.modelType())) {
            return m;
        }
        m = byModel.computeIfAbsent(warm.modelType() + '\u0000' + warm.version(),
                key -> new Meters(registry, warm.modelType(), warm.version()));
        last = m;
        return m;
    }

    /** The pre-registered meters and span attributes of one (model type, version). */
    public static final class Meters {

        final String modelType;
        final int version;
        private final Counter succeeded;
        private final Counter invalid;
        private final Counter failed;
        private final Counter rowsSucceeded;
        private final Counter rowsInvalid;
        private final Counter rowsFailed;
        private final Timer latency;
        private final Attributes spanAttributes;

        Meters(MeterRegistry registry, String modelType, int version) {
            this.modelType = modelType;
            this.version = version;
            String v = Integer.toString(version);
            succeeded = predictions(registry, modelType, v, "success");
            invalid = predictions(registry, modelType, v, "invalid_input");
            failed = predictions(registry, modelType, v, "error");
            rowsSucceeded = rows(registry, modelType, v, "success");
            rowsInvalid = rows(registry, modelType, v, "invalid_input");
            rowsFailed = rows(registry, modelType, v, "error");
            latency = Timer.builder("mlpipeline.prediction")
                    .description("Time to predict the rows of one request with the active deployment (successful requests)")
                    .tags("model_type", modelType, "version", v)
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry);
            spanAttributes = Attributes.of(Tracing.MODEL_TYPE, modelType, Tracing.MODEL_VERSION, (long) version,
                    Tracing.OUTCOME, outcome(null));
        }

        private static Counter predictions(MeterRegistry registry, String modelType, String version, String outcome) {
            return Counter.builder("mlpipeline.predictions")
                    .description("Predict requests that reached the active deployment's model, by outcome")
                    .tags("model_type", modelType, "version", version, "outcome", outcome)
                    .register(registry);
        }

        private static Counter rows(MeterRegistry registry, String modelType, String version, String outcome) {
            return Counter.builder("mlpipeline.predicted.rows")
                    .description("Rows sent to the active deployment's model, by the outcome of their request")
                    .tags("model_type", modelType, "version", version, "outcome", outcome)
                    .register(registry);
        }

        /**
         * Model type, version and {@code outcome=success}, for the predict span (a failure overwrites the
         * outcome: one attribute less to set on the usual path).
         */
        public Attributes spanAttributes() {
            return spanAttributes;
        }

        /**
         * Records one request of {@code rows} rows that took {@code nanos} and ended with {@code failure}
         * (null when it succeeded).
         */
        public void record(int rows, long nanos, Throwable failure) {
            if (failure == null) {
                succeeded.increment();
                rowsSucceeded.increment(rows);
                latency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            } else if (failure instanceof InvalidInputException) {
                invalid.increment();
                rowsInvalid.increment(rows);
            } else {
                failed.increment();
                rowsFailed.increment(rows);
            }
        }

        /** The outcome label of a request that ended with {@code failure}. */
        public static String outcome(Throwable failure) {
            return failure == null ? "success" : failure instanceof InvalidInputException ? "invalid_input" : "error";
        }
    }
}
