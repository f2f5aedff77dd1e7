package dev.mlpipeline.deployment;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.mlpipeline.common.MlpipelineConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Readiness of this replica with respect to the active model. For a bounded warm-up after start
 * ({@code mlpipeline.deployments.warm-up-timeout}) it is DOWN until the replica knows the active
 * deployment and has its model warm, so that a new pod receives predictions only once it can answer
 * them. After the warm-up it is always UP: a model that cannot load must not take the whole API out of
 * the Service (the API that could deploy a fix included). Its state is then in the details:
 * {@code model_status} ({@code none}, {@code serving}, {@code loading}, {@code failed}, or
 * {@code unknown} before the first read of the active deployment) and, when failed, {@code load_error}.
 */
@Readiness
@ApplicationScoped
public class ModelCacheReadiness implements HealthCheck {

    /** The check's name in {@code /q/health/ready}. */
    static final String NAME = "Active model warm";

    @Inject
    ModelCache cache;

    @Inject
    MlpipelineConfig config;

    private volatile Instant startedAt = Instant.now();

    void started(@Observes StartupEvent event) {
        startedAt = Instant.now();
    }

    @Override
    public HealthCheckResponse call() {
        return check(cache, Duration.between(startedAt, Instant.now()), config.deployments().warmUpTimeout());
    }

    /** The check for a replica that started {@code sinceStart} ago. */
    static HealthCheckResponse check(ModelCache cache, Duration sinceStart, Duration warmUpTimeout) {
        String status;
        if (!cache.known()) {
            status = "unknown";
        } else if (cache.desired().isEmpty()) {
            status = "none";
        } else if (cache.active().isPresent()) {
            status = "serving";
        } else if (cache.failure().isPresent()) {
            status = "failed";
        } else {
            status = "loading";
        }
        boolean modelReady = status.equals("none") || status.equals("serving");
        boolean warmingUp = sinceStart.compareTo(warmUpTimeout) < 0;
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME)
                .status(modelReady || !warmingUp)
                .withData("model_status", status);
        if (!modelReady && warmingUp) {
            builder.withData("warm_up_remaining_seconds", warmUpTimeout.minus(sinceStart).toSeconds());
        }
        cache.desired().ifPresent(id -> builder.withData("desired_deployment", id));
        cache.active().ifPresent(w -> builder.withData("serving_deployment", w.deploymentId())
                .withData("model", w.modelType() + " v" + w.version()));
        cache.failure().ifPresent(f -> builder.withData("model", f.modelType() + " v" + f.version())
                .withData("job_id", f.jobId())
                .withData("load_error", f.cause())
                .withData("failing_since", f.since().toString()));
        return builder.build();
    }
}
