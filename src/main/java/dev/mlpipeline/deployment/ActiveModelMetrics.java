package dev.mlpipeline.deployment;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The active model's state on this replica, for alerting: {@code mlpipeline_active_model_load_failed}
 * is 1 while the active deployment's model cannot be loaded here (the cause is in
 * {@code /q/health/ready}), 0 otherwise. Registered once, at start; read from {@link ModelCache}
 * at each scrape (no database access).
 */
@Singleton
public class ActiveModelMetrics {

    /** Micrometer name; Prometheus exposes it as {@code mlpipeline_active_model_load_failed}. */
    static final String LOAD_FAILED = "mlpipeline.active.model.load.failed";

    @Inject
    MeterRegistry registry;

    @Inject
    ModelCache cache;

    void register(@Observes StartupEvent event) {
        Gauge.builder(LOAD_FAILED, cache, c -> c.failure().isPresent() ? 1 : 0)
                .description("1 while the active deployment's model cannot be loaded on this replica (cause in /q/health/ready), else 0")
                .strongReference(true)
                .register(registry);
    }
}
