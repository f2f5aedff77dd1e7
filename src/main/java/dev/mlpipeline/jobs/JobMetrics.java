package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.pipeline.TrainingCancelledException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Metrics of the job queue and of the jobs this replica runs:
 * <ul>
 * <li>{@code mlpipeline_jobs{kind, status}}: jobs in PostgreSQL per kind ({@code training},
 * {@code tuning}) and status, all replicas' together (every replica reports the same figure: aggregate
 * with {@code max}, not {@code sum}).</li>
 * <li>{@code mlpipeline_job_queue_depth{kind}}: PENDING jobs waiting for a worker, likewise.</li>
 * <li>{@code mlpipeline_job_duration_seconds{kind, model_type, outcome}}: run time of the jobs this
 * replica ran, from claim to end; {@code outcome} is {@code completed}, {@code failed} or
 * {@code cancelled}.</li>
 * </ul>
 *
 * <p>The counts are read with one grouped query every {@code mlpipeline.metrics.job-counts-interval}
 * (5 s by default) on a Vert.x timer; a scrape reads the last counts and never touches the database.
 * Until the first read succeeds the gauges are NaN.
 */
@Singleton
public class JobMetrics {

    private static final Logger LOG = Logger.getLogger(JobMetrics.class);

    private static final Duration[] DURATION_BUCKETS = { Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration
            .ofMinutes(1), Duration.ofMinutes(
                    2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6) };

    @Inject
    MeterRegistry registry;

    @Inject
    JobCountRepository counts;

    @Inject
    MlpipelineConfig config;

    @Inject
    Vertx vertx;

    /** The last counts read; null before the first read. */
    private volatile Map<JobKind, Map<JobStatus, Long>> last;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile boolean failing;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        for (JobKind kind : JobKind.values()) {
            for (JobStatus status : JobStatus.values()) {
                Gauge.builder("mlpipeline.jobs", this, m -> m.count(kind, status))
                        .description("Jobs in the queue's tables per kind and status (the same on every replica)")
                        .tags("kind", kind.wireName(), "status", status.name())
                        .strongReference(true)
                        .register(registry);
            }
            Gauge.builder("mlpipeline.job.queue.depth", this, m -> m.count(kind, JobStatus.PENDING))
                    .description("PENDING jobs waiting for a worker (the same on every replica)")
                    .tags("kind", kind.wireName())
                    .strongReference(true)
                    .register(registry);
        }
        refresh();
        timer = vertx.setPeriodic(config.metrics().jobCountsInterval().toMillis(), id -> refresh());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private double count(JobKind kind, JobStatus status) {
        Map<JobKind, Map<JobStatus, Long>> counts = last;
        return counts == null ? Double.NaN : counts.get(kind).getOrDefault(status, 0L);
    }

    /** Reads the counts again, unless a read is still running. */
    void refresh() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        counts.countByKindAndStatus().subscribe().with(read -> {
            last = read;
            failing = false;
            reading.set(false);
        }, failure -> {
            if (!failing) {
                LOG.warnf("Could not read the job counts for the metrics (%s); keeping the last ones", failure.getMessage());
            }
            failing = true;
            reading.set(false);
        });
    }

    /** Records the end of a job this replica ran for {@code nanos}, {@code failure} being null when it completed. */
    void finished(JobExecution execution, Throwable failure, long nanos) {
        String modelType = execution.modelType();
        Timer.builder("mlpipeline.job.duration")
                .description("Run time of the jobs this replica ran, from claim to end")
                .tags("kind", execution.kind().wireName(), "model_type", modelType == null ? "unknown" : modelType,
                        "outcome", outcome(execution, failure))
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code completed}, {@code cancelled} (on request, or no longer RUNNING in the database) or {@code failed}. */
    static String outcome(JobExecution execution, Throwable failure) {
        // Completed first: the heartbeat that follows the COMPLETED write finds the job no longer
        // RUNNING and marks the execution cancelled, after the fact.
        if (failure == null && execution.isCompleted()) {
            return "completed";
        }
        if (failure instanceof TrainingCancelledException || execution.isCancelled()) {
            return "cancelled";
        }
        return failure == null ? "completed" : "failed";
    }
}
