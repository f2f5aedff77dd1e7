package dev.mlpipeline.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.pipeline.TrainingCancelledException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Claims queued jobs while this replica has free workers, runs them through their
 * {@link JobHandler}, keeps their heartbeat, and fails jobs whose replica died.
 *
 * <p>All scheduling runs on a Vert.x event-loop context and only issues non-blocking SQL; the
 * fitting itself runs on the {@link WorkerPool}. A submission on this replica calls
 * {@link #wakeUp()} so the job starts at once; other replicas find it at their next poll.
 */
@Singleton
public class JobScheduler {

    private static final Logger LOG = Logger.getLogger(JobScheduler.class);

    @Inject
    Vertx vertx;

    @Inject
    JobQueue queue;

    @Inject
    MlpipelineConfig settings;

    @Inject
    WorkerPool workers;

    @Inject
    Instance<JobHandler> handlerBeans;

    @Inject
    JobMetrics metrics;

    @Inject
    JobTracing tracing;


    private Map<JobKind, JobHandler> handlers;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final Map<String, JobExecution> executions = new ConcurrentHashMap<>();
    private final String owner = "replica-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean stopped;
    private long pollTimer = -1;
    private long heartbeatTimer = -1;
    private long staleTimer = -1;

    private MlpipelineConfig.Jobs config() {
        return settings.jobs();
    }

    void start(@Observes StartupEvent event) {
        handlers = handlerBeans.stream().collect(Collectors.toMap(JobHandler::kind, Function.identity()));
        if (!config().enabled()) {
            LOG.info("Job workers disabled on this replica (mlpipeline.jobs.enabled=false)");
            return;
        }
        pollTimer = vertx.setPeriodic(config().pollInterval().toMillis(), id -> poll());
        heartbeatTimer = vertx.setPeriodic(config().heartbeatInterval().toMillis(), id -> heartbeats());
        long staleEvery = Math.max(1000, config().heartbeatTimeout().toMillis() / 4);
        staleTimer = vertx.setPeriodic(staleEvery, id -> recoverStale().subscribe().with(ids -> { }, e -> LOG.warn("Stale-job scan failed", e)));
        LOG.infof("Job scheduler %s (%s) started with %d workers", owner, settings.instanceId(), workers.size());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        for (long timer : new long[] { pollTimer, heartbeatTimer, staleTimer }) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
        // Hand unfinished jobs back to the queue; the fits stop at their next cancellation check.
        List<JobExecution> unfinished = List.copyOf(executions.values());
        unfinished.forEach(JobExecution::cancel);
        if (!unfinished.isEmpty()) {
            Multi.createFrom().iterable(unfinished)
                    .onItem().transformToUniAndConcatenate(e -> queue.requeue(e.kind(), e.jobId(), owner)
                            .onFailure().recoverWithItem(false))
                    .collect().asList()
                    .await().atMost(java.time.Duration.ofSeconds(5));
            LOG.infof("Shutting down: returned %d running job(s) to the queue", unfinished.size());
        }
    }

    /** Looks for work now (after a submission on this replica). */
    public void wakeUp() {
        if (config().enabled()) {
            vertx.runOnContext(ignored -> poll());
        }
    }

    /** The replica name written to {@code claimed_by}. */
    public String owner() {
        return owner;
    }

    private void poll() {
        if (stopped) {
            return;
        }
        if (!polling.compareAndSet(false, true)) {
            pollAgain.set(true);
            return;
        }
        claimWhileFree(0).subscribe().with(
                ignored -> finishPoll(),
                failure -> {
                    LOG.warn("Polling the job queue failed; retrying at the next interval", failure);
                    finishPoll();
                });
    }

    private void finishPoll() {
        polling.set(false);
        if (pollAgain.getAndSet(false)) {
            poll();
        }
    }

    /** Claims jobs, alternating kinds, until the workers are busy or the queue is empty. */
    private Uni<Void> claimWhileFree(int idleKinds) {
        if (stopped || running.get() >= workers.size() || idleKinds >= JobKind.values().length) {
            return Uni.createFrom().voidItem();
        }
        JobKind kind = nextKind();
        return queue.claimNext(kind, owner).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return claimWhileFree(idleKinds + 1);
            }
            launch(kind, claimed.get());
            return claimWhileFree(0);
        });
    }

    private final AtomicInteger turn = new AtomicInteger();

    private JobKind nextKind() {
        JobKind[] kinds = JobKind.values();
        return kinds[Math.floorMod(turn.getAndIncrement(), kinds.length)];
    }

    private void launch(JobKind kind, String jobId) {
        JobHandler handler = handlers.get(kind);
        JobExecution execution = new JobExecution(kind, jobId);
        running.incrementAndGet();
        executions.put(jobId, execution);
        LOG.infof("Running %s job %s", kind.wireName(), jobId);
        long started = System.nanoTime();
        tracing.started(execution);
        Uni.createFrom().deferred(() -> handler.run(execution))
                .onItemOrFailure().invoke((ignored, failure) -> {
                    tracing.finished(execution, failure);
                    metrics.finished(execution, failure, System.nanoTime() - started);
                })
                .onFailure().recoverWithUni(failure -> onFailure(execution, failure))
                .onTermination().invoke(() -> {
                    executions.remove(jobId);
                    running.decrementAndGet();
                    LOG.infof("Finished %s job %s in %d ms", kind.wireName(), jobId, (System.nanoTime() - started) / 1_000_000);
                    vertx.runOnContext(ignored -> poll());
                })
                .subscribe().with(ignored -> { }, failure -> LOG.errorf(failure, "Could not record the end of job %s", jobId));
    }

    private Uni<Void> onFailure(JobExecution execution, Throwable failure) {
        if (failure instanceof TrainingCancelledException || execution.isCancelled()) {
            LOG.infof("Job %s stopped: cancelled or no longer RUNNING", execution.jobId());
            return Uni.createFrom().voidItem();
        }
        String message = JobFailures.describe(failure);
        if (JobFailures.isUnexpected(failure)) {
            LOG.errorf(failure, "Job %s failed", execution.jobId());
        } else {
            LOG.infof("Job %s failed: %s", execution.jobId(), message);
        }
        return queue.fail(execution.kind(), execution.jobId(), message).replaceWithVoid();
    }

    private void heartbeats() {
        Multi.createFrom().iterable(List.copyOf(executions.values()))
                .onItem().transformToUniAndMerge(execution -> queue
                        .heartbeat(execution.kind(), execution.jobId(), Math.min(0.99, execution.progress()))
                        .invoke(stillRunning -> {
                            if (!stillRunning) {
                                execution.cancel();
                            }
                        }))
                .collect().last()
                .subscribe().with(ignored -> { }, failure -> LOG.warn("Writing job heartbeats failed", failure));
    }

    /** Fails RUNNING jobs (of any replica) whose heartbeat is older than the timeout. */
    public Uni<List<String>> recoverStale() {
        return Multi.createFrom().items(JobKind.values())
                .onItem().transformToUniAndConcatenate(kind -> queue.failStale(kind, config().heartbeatTimeout()))
                .collect().asList()
                .map(lists -> lists.stream().flatMap(List::stream).toList())
                .invoke(ids -> {
                    if (!ids.isEmpty()) {
                        LOG.warnf("Marked FAILED after heartbeat timeout: %s", ids);
                    }
                });
    }
}
