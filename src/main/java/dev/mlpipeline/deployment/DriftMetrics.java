package dev.mlpipeline.deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.pipeline.Drift;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Drift gauges of the deployment this replica serves, over the last {@code mlpipeline.drift.window}
 * (one hour), recomputed every {@code mlpipeline.drift.gauge-interval} on a Vert.x timer (a scrape only
 * reads the last values; one computation at a time):
 * <ul>
 * <li>{@code mlpipeline_drift_psi{feature, model_type, version}}: population stability index of each
 * input feature ({@link Drift}); no series for a feature without present logged values;</li>
 * <li>{@code mlpipeline_drift_missing_share{feature, model_type, version}}: share (0..1) of logged rows
 * where the feature was missing;</li>
 * <li>{@code mlpipeline_drift_prediction_psi{model_type, version}}: the index of the predictions against
 * the test split's;</li>
 * <li>{@code mlpipeline_drift_rows{model_type, version}}: logged rows the figures are computed on.</li>
 * </ul>
 * Features are bounded by the served model's inputs, and the series are replaced when the served
 * deployment changes (none while it serves none, or while its version has no training profile). Every
 * replica computes the same figures from the shared log: aggregate with {@code max}.
 */
@Singleton
public class DriftMetrics {

    private static final Logger LOG = Logger.getLogger(DriftMetrics.class);

    @Inject
    MeterRegistry registry;

    @Inject
    ModelCache cache;

    @Inject
    DriftService drift;

    @Inject
    MlpipelineConfig config;

    @Inject
    Vertx vertx;

    private MultiGauge psi;
    private MultiGauge missing;
    private MultiGauge predictionPsi;
    private MultiGauge rows;
    private final AtomicBoolean computing = new AtomicBoolean();
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        psi = MultiGauge.builder("mlpipeline.drift.psi")
                .description("Population stability index of each input feature's logged values against training, over mlpipeline.drift.window")
                .register(registry);
        missing = MultiGauge.builder("mlpipeline.drift.missing.share")
                .description("Share (0..1) of logged rows where the feature was missing, over mlpipeline.drift.window")
                .register(registry);
        predictionPsi = MultiGauge.builder("mlpipeline.drift.prediction.psi")
                .description("Population stability index of the logged predictions against the test split's, over mlpipeline.drift.window")
                .register(registry);
        rows = MultiGauge.builder("mlpipeline.drift.rows")
                .description("Logged rows the drift gauges are computed on")
                .register(registry);
        long interval = config.drift().gaugeInterval().toMillis();
        if (interval > 0) {
            timer = vertx.setPeriodic(interval, id -> refresh());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Recomputes the gauges of the served deployment, unless a computation is still running. */
    void refresh() {
        ModelCache.Warm warm = cache.active().orElse(null);
        if (warm == null) {
            clear();
            return;
        }
        if (!computing.compareAndSet(false, true)) {
            return;
        }
        Instant until = Instant.now();
        drift.compute(new DriftService.Target(warm.deploymentId(), warm.jobId(), warm.source(), warm.modelType(), warm.version()),
                until.minus(config.drift().window()), until)
                .subscribe().with(result -> {
                    publish(result);
                    computing.set(false);
                }, failure -> {
                    LOG.debugf("Drift gauges not updated: %s", failure.toString());
                    clear();
                    computing.set(false);
                });
    }

    private void publish(DriftService.Result result) {
        String type = result.target().modelType();
        String version = Integer.toString(result.target().version());
        List<MultiGauge.Row<?>> psiRows = new ArrayList<>();
        List<MultiGauge.Row<?>> missingRows = new ArrayList<>();
        for (Drift.FeatureDrift f : result.report().features()) {
            Tags tags = Tags.of("feature", f.name(), "model_type", type, "version", version);
            if (f.distribution().psi() != null) {
                psiRows.add(MultiGauge.Row.of(tags, f.distribution().psi()));
            }
            if (f.missingShare() != null) {
                missingRows.add(MultiGauge.Row.of(tags, f.missingShare()));
            }
        }
        Tags model = Tags.of("model_type", type, "version", version);
        psi.register(psiRows, true);
        missing.register(missingRows, true);
        Double p = result.report().predictions().psi();
        predictionPsi.register(p == null ? List.of() : List.of(MultiGauge.Row.of(model, p)), true);
        rows.register(List.of(MultiGauge.Row.of(model, result.report().rows())), true);
    }

    private void clear() {
        psi.register(List.of(), true);
        missing.register(List.of(), true);
        predictionPsi.register(List.of(), true);
        rows.register(List.of(), true);
    }
}
