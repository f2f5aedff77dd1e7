package dev.mlpipeline.deployment;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mlpipeline.pipeline.FittedPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Metrics of this replica's deployments:
 * <ul>
 * <li>{@code mlpipeline_deployment_info{deployment_id, job_id, source, dataset_id, model_type, version}}:
 * 1 for the deployment this replica serves predictions from, no series while it serves none. The only
 * metric with ids as labels: there is at most one series at a time, so joins on it cost nothing.</li>
 * <li>{@code mlpipeline_model_load_seconds{model_type, outcome}}: time to load a model version for
 * serving (artifact read, sha256 check, deserialization unless this replica holds the pipeline already,
 * dry run), on deploy and when following another replica's deploy; {@code outcome} is {@code loaded}
 * or {@code failed} ({@code model_type} is {@code unknown} when the load failed before the artifact
 * was read).</li>
 * </ul>
 *
 * <p>The info series follows {@link ModelCache#active()}, read every {@value #REFRESH_MILLIS} ms on a
 * Vert.x timer (an atomic read; the series is only rewritten when the served deployment changes).
 */
@Singleton
public class DeploymentMetrics {

    static final long REFRESH_MILLIS = 1000;

    private static final Duration[] LOAD_BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration
            .ofMillis(500), Duration
                    .ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60) };

    @Inject
    MeterRegistry registry;

    @Inject
    ModelCache cache;

    @Inject
    Vertx vertx;

    private MultiGauge info;
    private volatile ModelCache.Warm published;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        info = MultiGauge.builder("mlpipeline.deployment.info")
                .description("1 for the deployment this replica serves predictions from (its ids as labels)")
                .register(registry);
        refresh();
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Rewrites the info series if the deployment this replica serves has changed. */
    void refresh() {
        ModelCache.Warm warm = cache.active().orElse(null);
        if (warm == published) {
            return;
        }
        published = warm;
        info.register(warm == null ? List.of() : List.of(MultiGauge.Row.of(Tags.of(
                "deployment_id", warm.deploymentId(),
                "job_id", warm.jobId(),
                "source", warm.source(),
                "dataset_id", warm.datasetId(),
                "model_type", warm.modelType(),
                "version", Integer.toString(warm.version())), 1)), true);
    }

    /** Records one model load that took {@code nanos}: {@code pipeline} when it succeeded, else {@code failure}. */
    void modelLoaded(FittedPipeline pipeline, Throwable failure, long nanos) {
        Timer.builder("mlpipeline.model.load")
                .description("Time to load a model version for serving: artifact read, checksum, deserialization, dry run")
                .tags("model_type", pipeline != null ? pipeline.modelType() : "unknown", "outcome", failure == null ? "loaded" : "failed")
                .serviceLevelObjectives(LOAD_BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
