package dev.mlpipeline.tuning;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.DatabaseOutage;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetTables;
import dev.mlpipeline.dataset.DatasetTables.LoadedTable;
import dev.mlpipeline.jobs.JobExecution;
import dev.mlpipeline.jobs.JobFailures;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobRecorder;
import dev.mlpipeline.jobs.JobScheduler;
import dev.mlpipeline.jobs.JobSpecRepository;
import dev.mlpipeline.jobs.JobSpecRepository.StoredSearch;
import dev.mlpipeline.jobs.JobTrace;
import dev.mlpipeline.jobs.JobTracing;
import dev.mlpipeline.jobs.WorkItemSource;
import dev.mlpipeline.jobs.WorkerPool;
import dev.mlpipeline.pipeline.CancellationToken;
import dev.mlpipeline.pipeline.CrossValidator;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.ModelType;
import dev.mlpipeline.pipeline.SearchSpace;
import dev.mlpipeline.pipeline.TrainingCancelledException;
import dev.mlpipeline.pipeline.TrainingSpec;
import dev.mlpipeline.tuning.TuningTrialRepository.Claimed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs the trials of tuning jobs that this replica's workers claim, whichever replica coordinates the job:
 * the {@link dev.mlpipeline.jobs.JobScheduler} asks it for a trial when a worker is free and no job is
 * waiting, and the coordinator ({@link TuningJobRunner}) runs its own job's trials through
 * {@link #execute}. A trial reads its job's search from the database and its dataset through
 * {@link DatasetTables} (cached: one read per replica, not per trial), cross-validates its configuration
 * on the worker pool and stores its scores.
 *
 * <p>Every {@code mlpipeline.jobs.heartbeat-interval} it writes the heartbeat of the trials running here;
 * a trial that is no longer this replica's (its job was cancelled or failed, or it was given to another
 * replica after its heartbeat stopped) is stopped at its next cancellation check. On a clean shutdown the
 * trials running here go back to the queue without using up an attempt.
 */
@Singleton
public class TuningTrialWorker implements WorkItemSource {

    private static final Logger LOG = Logger.getLogger(TuningTrialWorker.class);

    @Inject
    TuningTrialRepository trials;

    @Inject
    JobSpecRepository specs;

    @Inject
    DatasetTables tables;

    @Inject
    WorkerPool workers;

    @Inject
    JobRecorder recorder;

    @Inject
    JobTracing tracing;

    @Inject
    JobScheduler scheduler;

    @Inject
    MlpipelineConfig settings;

    @Inject
    Vertx vertx;

    /** The trials running on this replica, by {@link TuningTrialRepository#key}: their cancel flags. */
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final AtomicBoolean beating = new AtomicBoolean();
    /**
     * The fork-join pool every trial on this replica runs in, as large as the worker pool: Smile builds a forest's
     * trees in parallel on the pool it is called from, so a trial uses the cores other trials leave idle (at the
     * end of a search) and trials side by side share them instead of competing for more threads than cores.
     */
    private ForkJoinPool trees;
    private volatile boolean stopped;
    private long heartbeatTimer = -1;

    @jakarta.annotation.PostConstruct
    void createPool() {
        trees = new ForkJoinPool(Math.max(1, workers.size()));
    }

    @jakarta.annotation.PreDestroy
    void shutdownPool() {
        trees.shutdownNow();
    }

    void start(@Observes StartupEvent event) {
        if (settings.jobs().enabled()) {
            heartbeatTimer = vertx.setPeriodic(settings.jobs().heartbeatInterval().toMillis(), id -> heartbeats());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        running.values().forEach(flag -> flag.set(true));
        if (!running.isEmpty()) {
            try {
                int returned = trials.requeueAll(scheduler.owner()).await().atMost(Duration.ofSeconds(5));
                LOG.infof("Shutting down: returned %d running trial(s) to the queue", returned);
            } catch (RuntimeException e) {
                LOG.warnf("Shutting down: could not return the running trials to the queue (%s); they are run again"
                        + " after the heartbeat timeout", DatabaseOutage.describe(e));
            }
        }
    }

    @Override
    public Uni<Optional<Uni<Void>>> claimNext(String owner) {
        if (stopped) {
            return Uni.createFrom().item(Optional.empty());
        }
        return claim(owner, null).map(claimed -> claimed.isEmpty() ? Optional.<Uni<Void>>empty() : Optional.of(execute(owner, claimed)
                .onFailure().invoke(failure -> LOG.warnf("Trial %d of job %s did not finish here: %s", claimed.get(0).index(),
                        claimed.get(0).jobId(), DatabaseOutage.describe(failure)))
                .onFailure().recoverWithNull()));
    }

    /**
     * Claims the next trial for {@code owner} (of job {@code tuningJobId} only, when not null) with the trials that
     * share its fits; empty when none is waiting.
     */
    Uni<List<Claimed>> claim(String owner, String tuningJobId) {
        return trials.claimNext(owner, tuningJobId, CrossValidator.SHARING_MODEL_TYPE, CrossValidator.TREE_COUNT);
    }

    /**
     * Runs trials claimed together by {@code owner} ({@link #claim}: one, or RandomForest configurations that differ
     * only in {@code n_trees}, which share their fits, see {@link CrossValidator#crossValidateTreeCounts}):
     * cross-validates on the shared fork-join pool (in {@code trial} spans when this replica coordinates the job)
     * and records each trial's outcome — its scores, or FAILED with the reason when the fit failed. Trials that
     * stopped because they are no longer this replica's record nothing.
     *
     * @return completes when the outcome is recorded
     */
    Uni<Void> execute(String owner, List<Claimed> claimed) {
        AtomicBoolean cancelled = new AtomicBoolean();
        List<Claimed> group = List.copyOf(claimed);
        Claimed first = group.get(0);
        group.forEach(trial -> running.put(TuningTrialRepository.key(trial.jobId(), trial.index()), cancelled));
        CancellationToken token = () -> cancelled.get() || stopped;
        JobTrace trace = tracing.of(new JobExecution(JobKind.TUNING, first.jobId(), owner));
        return recorder.beforeRun("read the search of job " + first.jobId(), () -> specs.findSearch(first.jobId()))
                .onItem().ifNull().failWith(() -> new TrainingCancelledException())
                .flatMap(search -> recorder.beforeRun("load the dataset of job " + first.jobId(),
                        () -> tables.load(search.stored().datasetId()))
                        .flatMap(data -> Offload.run(workers, () -> trace.trial(first.index(),
                                () -> evaluate(data, search, group, token)))))
                .flatMap(results -> io.smallrye.mutiny.Multi.createFrom().iterable(results)
                        .onItem().transformToUniAndConcatenate(result -> recorder.beforeRun(
                                "store trial " + result.index() + " of job " + first.jobId(),
                                () -> trials.complete(owner, first.jobId(), result))
                                .invoke(stored -> {
                                    if (!stored) {
                                        LOG.infof("Trial %d of job %s finished, but is no longer this replica's: its scores are dropped",
                                                result.index(), first.jobId());
                                    }
                                }))
                        .collect().last().replaceWithVoid())
                .onFailure(failure -> !(failure instanceof TrainingCancelledException) && !token.isCancelled()
                        && !DatabaseOutage.isOutage(failure))
                .recoverWithUni(failure -> {
                    String error = JobFailures.describe(failure);
                    if (JobFailures.isUnexpected(failure)) {
                        LOG.errorf(failure, "Trial %d of job %s failed", first.index(), first.jobId());
                    }
                    return io.smallrye.mutiny.Multi.createFrom().iterable(group)
                            .onItem().transformToUniAndConcatenate(trial -> recorder.beforeRun("store the failure of trial "
                                    + trial.index() + " of job " + trial.jobId(), () -> trials.fail(owner, trial.jobId(), trial.index(), error)))
                            .collect().last().replaceWithVoid();
                })
                .onFailure(failure -> failure instanceof TrainingCancelledException || token.isCancelled())
                .recoverWithNull()
                .onTermination().invoke(() -> group.forEach(trial -> running.remove(
                        TuningTrialRepository.key(trial.jobId(), trial.index()), cancelled)));
    }

    /**
     * Cross-validates the trials of a group (one trial, or siblings differing only in the tree count) in a task of
     * the shared fork-join pool, on which Smile builds the trees of a forest in parallel; each trial's duration is
     * the group's wall time.
     */
    private List<TuningTrial> evaluate(LoadedTable data, StoredSearch search, List<Claimed> group, CancellationToken cancel)
            throws Exception {
        if (cancel.isCancelled()) {
            throw new TrainingCancelledException();
        }
        TrainingSpec base = search.stored().spec();
        ModelType modelType = ModelCatalog.find(base.modelType()).orElseThrow();
        Claimed first = group.get(0);
        TrainingSpec spec = TuningJobRunner.withHyperparameters(base,
                modelType.validate(SearchSpace.merge(base.hyperparameters(), first.params())));
        long start = System.nanoTime();
        double[][] scores;
        try {
            scores = trees.submit(() -> {
                if (group.size() == 1) {
                    return new double[][]{ CrossValidator.crossValidate(data.table(), data.types(), spec, search.folds(),
                            search.scoring(), cancel) };
                }
                int[] counts = group.stream().mapToInt(trial -> treeCount(modelType, base, trial)).toArray();
                return CrossValidator.crossValidateTreeCounts(data.table(), data.types(), spec, counts, search.folds(),
                        search.scoring(), cancel);
            }).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<TuningTrial> out = new java.util.ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            double[] s = scores[i];
            double mean = Arrays.stream(s).average().orElse(Double.NaN);
            double variance = Arrays.stream(s).map(v -> (v - mean) * (v - mean)).average().orElse(0);
            out.add(new TuningTrial(group.get(i).index(), group.get(i).params(), s, mean, Math.sqrt(variance), millis));
        }
        return out;
    }

    private static int treeCount(ModelType modelType, TrainingSpec base, Claimed trial) {
        Object count = modelType.validate(SearchSpace.merge(base.hyperparameters(), trial.params())).get(CrossValidator.TREE_COUNT);
        return ((Number) count).intValue();
    }

    /**
     * Writes the heartbeat of the trials running here; stops those that are no longer this replica's.
     * A beat that cannot be written is skipped; a beat never starts while the previous one is waiting.
     */
    private void heartbeats() {
        List<String> current = List.copyOf(running.keySet());
        if (current.isEmpty() || !beating.compareAndSet(false, true)) {
            return;
        }
        trials.heartbeat(scheduler.owner())
                .onTermination().invoke(() -> beating.set(false))
                .subscribe().with(ours -> current.forEach(key -> {
                    AtomicBoolean flag = running.get(key);
                    if (!ours.contains(key) && flag != null) {
                        LOG.infof("Trial %s is no longer this replica's (job cancelled or failed, or the trial given to"
                                + " another replica): stopping it", key);
                        flag.set(true);
                    }
                }), failure -> LOG.debugf("Writing the heartbeat of the trials running here failed: %s",
                        DatabaseOutage.describe(failure)));
    }
}
