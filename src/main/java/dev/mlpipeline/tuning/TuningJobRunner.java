package dev.mlpipeline.tuning;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.DatabaseOutage;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetTables;
import dev.mlpipeline.dataset.DatasetTables.LoadedTable;
import dev.mlpipeline.deployment.RecentPipelines;
import dev.mlpipeline.jobs.JobExecution;
import dev.mlpipeline.jobs.JobHandler;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobQueue;
import dev.mlpipeline.jobs.JobRecorder;
import dev.mlpipeline.jobs.JobScheduler;
import dev.mlpipeline.jobs.JobSpecRepository;
import dev.mlpipeline.jobs.JobSpecRepository.StoredSearch;
import dev.mlpipeline.jobs.JobTrace;
import dev.mlpipeline.jobs.JobTracing;
import dev.mlpipeline.jobs.WorkerPool;
import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.CrossValidator;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.ModelType;
import dev.mlpipeline.pipeline.SearchSpace;
import dev.mlpipeline.pipeline.TrainingCancelledException;
import dev.mlpipeline.pipeline.TrainingResult;
import dev.mlpipeline.pipeline.TrainingSpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Coordinates a claimed tuning job; its trials are work items that any worker replica claims
 * ({@link TuningTrialWorker}), so a search spreads over every replica with a free worker.
 *
 * <ol>
 * <li>Writes one PENDING trial per configuration (idempotent: a job requeued after a shutdown keeps its
 * completed trials) and wakes this replica's scheduler, whose free workers claim trials at once; other
 * replicas find them at their next poll.</li>
 * <li>Runs trials of its own job on the worker it holds, one after another, while any is PENDING; then
 * waits, polling every {@code mlpipeline.jobs.poll-interval}, for those running elsewhere. Meanwhile it
 * reports the share of completed trials as the job's progress and recovers trials whose worker died
 * (heartbeat older than {@code mlpipeline.jobs.heartbeat-timeout}): such a trial is run again once, and
 * fails the job when it is lost a second time. A trial whose fit fails fails the job.</li>
 * <li>When the last trial has completed — whichever replica ran it — the coordinator refits the best
 * configuration on the whole training split, scores it on the test split and completes the job as a
 * model version. Only the coordinator refits and {@link JobQueue#complete} is conditional on the job
 * being RUNNING under it, so the refit runs exactly once, however the last trials race.</li>
 * </ol>
 *
 * <p>The job itself is held by the coordinator as before: cancelling it, its heartbeat and its
 * recovery when the coordinator dies (failed at the heartbeat timeout) or shuts down (requeued, and the
 * next coordinator resumes the trials) are the job queue's. Workers stop a trial whose job is no longer
 * PENDING or RUNNING at their next trial heartbeat.
 */
@ApplicationScoped
public class TuningJobRunner implements JobHandler {

    private static final Logger LOG = Logger.getLogger(TuningJobRunner.class);

    /** Share of the progress bar given to the trials; the refit takes the rest. */
    static final double TRIALS_SHARE = 0.9;

    @Inject
    JobSpecRepository specs;

    @Inject
    TuningTrialRepository trials;

    @Inject
    TuningTrialWorker worker;

    @Inject
    DatasetTables tables;

    @Inject
    WorkerPool workers;

    @Inject
    JobRecorder recorder;

    @Inject
    JobScheduler scheduler;

    @Inject
    RecentPipelines recent;

    @Inject
    JobTracing tracing;

    @Inject
    MlpipelineConfig settings;

    @Override
    public JobKind kind() {
        return JobKind.TUNING;
    }

    /**
     * Loads the search, writes the trials, runs and awaits them, then refits the best configuration and
     * records the end of the job. The database work goes through {@link JobRecorder}, which rides out an
     * outage.
     */
    @Override
    public Uni<Void> run(JobExecution execution) {
        tracing.of(execution).phase(JobTrace.LOAD_DATA);
        String id = execution.jobId();
        Coordination coordination = new Coordination(execution);
        return recorder.beforeRun("read the search of job " + id, () -> specs.findSearch(id))
                .onItem().ifNull().failWith(() -> NotFoundException.of("Tuning job", id))
                .invoke(search -> execution.modelType(search.stored().spec().modelType()))
                .call(search -> coordination.db("write the trials of job " + id, () -> trials.plan(id, configurations(search))))
                .invoke(search -> scheduler.wakeUp())
                .flatMap(search -> recorder.beforeRun("load the dataset of job " + id, () -> tables.load(search.stored().datasetId()))
                        .flatMap(data -> {
                            tracing.of(execution).phase(JobTrace.SEARCH);
                            return coordination.search()
                                    .flatMap(ignored -> refit(execution, search, data));
                        }))
                .replaceWithVoid();
    }

    /** The configurations of a search, trial {@code i} being element {@code i}: the grid, or the seeded draws. */
    static List<Map<String, Object>> configurations(StoredSearch search) {
        TrainingSpec base = search.stored().spec();
        ModelType modelType = ModelCatalog.find(base.modelType()).orElseThrow();
        SearchSpace space = SearchSpace.parse(modelType, search.space(), search.strategy());
        return SearchSpace.GRID.equals(search.strategy()) ? space.grid() : space.sample(search.nIter(), base.randomSeed());
    }

    /** The search phase of one job on its coordinator. */
    private final class Coordination {

        private final JobExecution execution;
        private final String id;
        /** When a statement of this coordinator last failed for an outage ({@link System#nanoTime()}), or null. */
        private volatile Long lastOutage;

        Coordination(JobExecution execution) {
            this.execution = execution;
            this.id = execution.jobId();
        }

        /** Database work retried through an outage, remembering that there was one. */
        <T> Uni<T> db(String action, java.util.function.Supplier<Uni<T>> work) {
            return recorder.beforeRun(action, () -> work.get()
                    .onFailure(DatabaseOutage::isOutage).invoke(() -> lastOutage = System.nanoTime()));
        }

        /** Completes when every trial is COMPLETED; fails when one FAILED or the job is cancelled. */
        Uni<Void> search() {
            // A loop of steps rather than a recursion: a long search polls hundreds of times.
            return Multi.createBy().repeating().uni(this::step).until(done -> done)
                    .collect().last().replaceWithVoid();
        }

        /**
         * One step of the search: runs the next waiting trial of the job here, or else reads how the trials stand
         * and waits a poll interval while some still run elsewhere.
         *
         * @return true once every trial is COMPLETED
         */
        private Uni<Boolean> step() {
            if (execution.isCancelled()) {
                return Uni.createFrom().failure(new TrainingCancelledException());
            }
            return recoverStale()
                    .flatMap(ignored -> db("claim a trial of job " + id, () -> worker.claim(execution.owner(), id)))
                    .flatMap(claimed -> {
                        if (!claimed.isEmpty()) {
                            return worker.execute(execution.owner(), claimed).replaceWith(false);
                        }
                        return db("read the trials of job " + id, () -> trials.progress(id)).flatMap(progress -> {
                            if (progress.firstFailure().isPresent()) {
                                TuningTrialRepository.FailedTrial failed = progress.firstFailure().get();
                                return Uni.createFrom().failure(new TrialFailedException("Trial " + failed.index()
                                        + " (" + failed.params() + ") failed: " + failed.error()));
                            }
                            if (progress.total() > 0) {
                                execution.onProgress(TRIALS_SHARE * progress.completed() / progress.total());
                            }
                            if (progress.pending() + progress.running() == 0) {
                                return Uni.createFrom().item(true);
                            }
                            // Trials still run elsewhere (or wait for a worker): look again after a poll interval.
                            return Uni.createFrom().item(false).onItem().delayIt().by(settings.jobs().pollInterval());
                        });
                    });
        }

        /**
         * Gives back to the queue the trials whose worker stopped writing heartbeats, or fails them on their
         * second loss. Skipped until this coordinator has reached the database without an outage for the whole
         * heartbeat timeout, so that live workers have had that long to write their heartbeat again.
         */
        private Uni<Void> recoverStale() {
            Duration timeout = settings.jobs().heartbeatTimeout();
            Long outage = lastOutage;
            if (outage != null && System.nanoTime() - outage < timeout.toNanos()) {
                return Uni.createFrom().voidItem();
            }
            return db("recover the lost trials of job " + id, () -> trials.recoverStale(id, timeout))
                    .invoke(lost -> lost.forEach(trial -> LOG.warnf("Trial %d of job %s: no heartbeat from replica %s since %s"
                            + " (timeout %d s); it runs again on the next free worker", trial.index(), id, trial.replica(),
                            trial.lastHeartbeat(), timeout.toSeconds())))
                    .replaceWithVoid();
        }
    }

    /** A trial of the job failed, or was lost twice: the job fails with this message. */
    static final class TrialFailedException extends dev.mlpipeline.common.DomainException {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        TrialFailedException(String message) {
            super(message);
        }
    }

    /** Refits the best completed trial and completes the job with it. */
    private Uni<Optional<Integer>> refit(JobExecution execution, StoredSearch search, LoadedTable data) {
        return recorder.beforeRun("read the trials of job " + execution.jobId(), () -> trials.completed(execution.jobId()))
                .flatMap(finished -> {
                    TrainingSpec base = search.stored().spec();
                    ModelType modelType = ModelCatalog.find(base.modelType()).orElseThrow();
                    TuningTrial best = finished.stream().max(Comparator.comparingDouble(TuningTrial::mean)
                            .thenComparing(Comparator.comparingInt(TuningTrial::index).reversed())).orElseThrow();
                    return Offload.run(workers, () -> refit(execution, data, base, modelType, best))
                            .flatMap(completion -> recorder.complete(execution, completion));
                });
    }

    private JobQueue.Completion refit(JobExecution execution, LoadedTable data, TrainingSpec base, ModelType modelType, TuningTrial best) {
        TrainingSpec spec = withHyperparameters(base, modelType.validate(SearchSpace.merge(base.hyperparameters(), best.params())));
        JobTrace trace = tracing.of(execution);
        // The learner the trials were cross-validated with (RandomForest: binned), so best_score describes this model.
        TrainingResult result = CrossValidator.refit(data.table(), data.types(), spec,
                trace.listener(f -> execution.onProgress(TRIALS_SHARE + (1 - TRIALS_SHARE) * f)), execution);
        trace.phase(JobTrace.STORE);
        byte[] artifact = ArtifactCodec.serialize(result.pipeline());
        String sha256 = ArtifactCodec.sha256(artifact);
        recent.remember(sha256, result.pipeline());
        return new JobQueue.Completion(artifact, sha256, ArtifactCodec.FORMAT, result.metrics(), spec.hyperparameters(),
                best.params(), best.mean(), result.featureImportance().toJsonMap(), result.profile());
    }

    static TrainingSpec withHyperparameters(TrainingSpec s, Map<String, Object> hyperparameters) {
        return new TrainingSpec(s.modelType(), s.task(), s.targetColumn(), s.featureColumns(), hyperparameters,
                s.preprocessing(), s.testSize(), s.randomSeed());
    }

}
