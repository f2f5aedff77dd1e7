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

import dev.mlpipeline.common.DatabaseOutage;
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
 *
 * <p>A database outage does not stop a fit, which needs no database: heartbeats that cannot be written
 * are written at the next beat, and the end of the job is retried by {@link JobRecorder}. The
 * scheduler follows the connection through the outcome of its own statements ({@link DatabaseLink}).
 * When the database is back it re-asserts its jobs at once (heartbeats) and takes up any job the
 * database says it runs but it does not (a claim whose acknowledgement was lost). The stale-job scan
 * runs only once this replica has been connected for the whole heartbeat timeout, so a live replica
 * always has that long to write its heartbeat again before its job could be failed.
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
    JobRecorder recorder;

    @Inject
    Instance<JobHandler> handlerBeans;

    @Inject
    Instance<WorkItemSource> itemSources;

    private final DatabaseLink link = new DatabaseLink();
    private final AtomicBoolean beating = new AtomicBoolean();
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
        staleTimer = vertx.setPeriodic(staleEvery, id -> scanWhenSettled());
        LOG.infof("Job scheduler %s (%s) started with %d workers", owner, settings.instanceId(), workers.size());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        for (long timer : new long[]{ pollTimer, heartbeatTimer, staleTimer }) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
        // Hand unfinished jobs back to the queue; the fits stop at their next cancellation check.
        List<JobExecution> unfinished = List.copyOf(executions.values());
        unfinished.forEach(JobExecution::cancel);
        if (!unfinished.isEmpty()) {
            try {
                List<Boolean> returned = Multi.createFrom().iterable(unfinished)
                        .onItem().transformToUniAndConcatenate(e -> queue.requeue(e.kind(), e.jobId(), owner)
                                .onFailure().recoverWithItem(false))
                        .collect().asList()
                        .await().atMost(java.time.Duration.ofSeconds(5));
                LOG.infof("Shutting down: returned %d of %d running job(s) to the queue",
                        returned.stream().filter(Boolean::booleanValue).count(), unfinished.size());
            } catch (io.smallrye.mutiny.TimeoutException e) {
                // The database is unreachable: the jobs left RUNNING are failed by the stale-job scan of another replica.
                LOG.warnf("Shutting down: could not return %d running job(s) to the queue within 5 s", unfinished.size());
            }
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
                    if (!unreachable(failure)) {
                        LOG.warn("Polling the job queue failed; retrying at the next interval", failure);
                    }
                    finishPoll();
                });
    }

    private void finishPoll() {
        polling.set(false);
        if (pollAgain.getAndSet(false)) {
            poll();
        }
    }

    /**
     * Claims jobs, alternating kinds, until the workers are busy or the queue is empty; then work items
     * ({@link WorkItemSource}) while workers are still free.
     */
    private Uni<Void> claimWhileFree(int idleKinds) {
        if (stopped || running.get() >= workers.size()) {
            return Uni.createFrom().voidItem();
        }
        if (idleKinds >= JobKind.values().length) {
            return Multi.createFrom().iterable(itemSources.stream().toList())
                    .onItem().transformToUniAndConcatenate(this::claimItemsWhileFree)
                    .collect().last().replaceWithVoid();
        }
        JobKind kind = nextKind();
        return queue.claimNext(kind, owner).invoke(ignored -> reached()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return claimWhileFree(idleKinds + 1);
            }
            launch(kind, claimed.get());
            return claimWhileFree(0);
        });
    }

    /** Claims items of one source until the workers are busy or the source has none. */
    private Uni<Void> claimItemsWhileFree(WorkItemSource source) {
        if (stopped || running.get() >= workers.size()) {
            return Uni.createFrom().voidItem();
        }
        return source.claimNext(owner).invoke(ignored -> reached()).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            running.incrementAndGet();
            claimed.get()
                    .onTermination().invoke(() -> {
                        running.decrementAndGet();
                        vertx.runOnContext(ignored -> poll());
                    })
                    .subscribe().with(ignored -> {
                    }, failure -> LOG.error("A work item ended with a failure it did not record", failure));
            return claimItemsWhileFree(source);
        });
    }

    private final AtomicInteger turn = new AtomicInteger();

    private JobKind nextKind() {
        JobKind[] kinds = JobKind.values();
        return kinds[Math.floorMod(turn.getAndIncrement(), kinds.length)];
    }

    /** Runs a job this replica has claimed, unless it runs it already. */
    private void launch(JobKind kind, String jobId) {
        JobExecution execution = reserve(kind, jobId);
        if (execution != null) {
            start(execution);
        }
    }

    /** The execution of a job about to run here, or null when the job runs here already: no job runs twice at once. */
    private JobExecution reserve(JobKind kind, String jobId) {
        JobExecution execution = new JobExecution(kind, jobId, owner);
        return executions.putIfAbsent(jobId, execution) == null ? execution : null;
    }

    private void start(JobExecution execution) {
        JobKind kind = execution.kind();
        String jobId = execution.jobId();
        JobHandler handler = handlers.get(kind);
        running.incrementAndGet();
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
                    executions.remove(jobId, execution);
                    running.decrementAndGet();
                    LOG.infof("Finished %s job %s in %d ms", kind.wireName(), jobId, (System.nanoTime() - started) / 1_000_000);
                    vertx.runOnContext(ignored -> poll());
                })
                .subscribe().with(ignored -> {
                }, failure -> LOG.errorf(failure, "Could not record the end of job %s", jobId));
    }

    private Uni<Void> onFailure(JobExecution execution, Throwable failure) {
        if (failure instanceof TrainingCancelledException || execution.isCancelled()) {
            LOG.infof("Job %s stopped: cancelled or no longer RUNNING", execution.jobId());
            return Uni.createFrom().voidItem();
        }
        if (DatabaseOutage.isOutage(failure)) {
            // JobRecorder retried for the whole window. The job stays RUNNING under this replica: it is
            // taken up again when the database is back (see reassert), or failed by the stale-job scan
            // if this replica is gone by then.
            LOG.errorf("Job %s could not go on: the database stayed unreachable for %s (%s); it runs again from the"
                    + " start once the database is back", execution.jobId(), config().completionRetryWindow(),
                    DatabaseOutage.describe(failure));
            return Uni.createFrom().voidItem();
        }
        String message = JobFailures.describe(failure);
        if (JobFailures.isUnexpected(failure)) {
            LOG.errorf(failure, "Job %s failed", execution.jobId());
        } else {
            LOG.infof("Job %s failed: %s", execution.jobId(), message);
        }
        return recorder.fail(execution, message)
                .onFailure(DatabaseOutage::isOutage).recoverWithItem(false)
                .replaceWithVoid();
    }

    /**
     * Writes the heartbeat and progress of every job running here; a job that is no longer RUNNING under
     * this replica in the database is cancelled. A beat that cannot be written is skipped (the next one
     * writes the then current progress); a beat never starts while the previous one is still waiting.
     */
    private void heartbeats() {
        List<JobExecution> current = List.copyOf(executions.values());
        if (current.isEmpty() || !beating.compareAndSet(false, true)) {
            return;
        }
        Multi.createFrom().iterable(current)
                .onItem().transformToUniAndMerge(execution -> queue
                        .heartbeat(execution.kind(), execution.jobId(), owner, Math.min(0.99, execution.progress()))
                        .invoke(stillOurs -> {
                            reached();
                            if (!stillOurs) {
                                execution.cancel();
                            }
                        })
                        .onFailure().recoverWithItem(failure -> {
                            if (!unreachable(failure)) {
                                LOG.warnf(failure, "Writing the heartbeat of job %s failed", execution.jobId());
                            }
                            return true;
                        }))
                .collect().last()
                .onTermination().invoke(() -> beating.set(false))
                .subscribe().with(ignored -> {
                }, failure -> LOG.warn("Writing job heartbeats failed", failure));
    }

    /** Records a statement that reached the database; when it is back after an outage, re-asserts this replica's jobs. */
    private void reached() {
        DatabaseLink.Change change = link.succeeded();
        if (change == DatabaseLink.Change.RECONNECTED) {
            LOG.infof("The database is reachable again; re-asserting the %d job(s) running on this replica", executions.size());
            vertx.runOnContext(ignored -> reassert());
        }
    }

    /**
     * Records a failed statement: true (and the outage logged once) when the database could not be
     * reached, false for any other failure, which the caller reports.
     */
    private boolean unreachable(Throwable failure) {
        if (!DatabaseOutage.isOutage(failure)) {
            return false;
        }
        if (link.failed() == DatabaseLink.Change.LOST) {
            LOG.warnf("The database is unreachable (%s); the %d running fit(s) go on, and their heartbeats, progress"
                    + " and results are written when it is back", DatabaseOutage.describe(failure), executions.size());
        } else {
            LOG.debugf("The database is still unreachable: %s", DatabaseOutage.describe(failure));
        }
        return true;
    }

    /**
     * After an outage: writes the heartbeats of the jobs running here at once, and takes up the jobs the
     * database says this replica runs but it does not — a claim that committed while its acknowledgement
     * was lost, or a job whose end could not be written within the retry window. Each is run once:
     * {@link JobQueue#adopt} is conditional on the job still being RUNNING under this replica, and
     * {@link #launch} never runs a job twice at once.
     */
    void reassert() {
        if (stopped) {
            return;
        }
        heartbeats();
        Multi.createFrom().items(JobKind.values())
                .onItem().transformToUniAndConcatenate(kind -> queue.runningUnder(kind, owner)
                        .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                        .filter(id -> !executions.containsKey(id))
                        .onItem().transformToUniAndConcatenate(id -> {
                            JobExecution reserved = reserve(kind, id);
                            if (reserved == null) {
                                return Uni.createFrom().voidItem();
                            }
                            return queue.adopt(kind, id, owner)
                                    .invoke(adopted -> {
                                        if (adopted && !stopped) {
                                            LOG.warnf("Job %s is RUNNING under this replica but was not running here (its"
                                                    + " claim or its end was lost in the outage); running it now", id);
                                            start(reserved);
                                        } else {
                                            executions.remove(id, reserved);
                                        }
                                    })
                                    .onFailure().invoke(() -> executions.remove(id, reserved))
                                    .replaceWithVoid();
                        })
                        .collect().last())
                .collect().last()
                .subscribe().with(ignored -> {
                }, failure -> {
                    if (!unreachable(failure)) {
                        LOG.warn("Re-asserting this replica's jobs failed", failure);
                    }
                });
    }

    /** The periodic stale-job scan, run only once this replica has been connected for the whole heartbeat timeout. */
    private void scanWhenSettled() {
        if (link.connectedFor().compareTo(config().heartbeatTimeout()) < 0) {
            LOG.debugf("Stale-job scan skipped: connected to the database for %s only", link.connectedFor());
            return;
        }
        recoverStale().subscribe().with(ids -> reached(), failure -> {
            if (!unreachable(failure)) {
                LOG.warn("Stale-job scan failed", failure);
            }
        });
    }

    /**
     * Fails now every RUNNING job (of any replica) whose last heartbeat is older than the heartbeat
     * timeout by the database's clock, with an error naming the replica and the time of its last
     * heartbeat. The periodic scan calls it only once this replica has been connected to the database
     * for the whole timeout (see the class comment); called directly, it scans at once.
     */
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
