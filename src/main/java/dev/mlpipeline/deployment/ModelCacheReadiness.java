package dev.mlpipeline.deployment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until this replica knows the active deployment and has its model warm. */
@Readiness
@ApplicationScoped
public class ModelCacheReadiness implements HealthCheck {

    @Inject
    ModelCache cache;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("Active model warm").status(cache.ready());
        cache.desired().ifPresent(id -> builder.withData("desired_deployment", id));
        cache.active().ifPresent(w -> builder.withData("serving_deployment", w.deploymentId())
                .withData("model", w.modelType() + " v" + w.version()));
        return builder.build();
    }
}
