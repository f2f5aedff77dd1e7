package dev.mlpipeline.tuning;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mlpipeline.common.DatabaseOutage;
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
import dev.mlpipeline.pipeline.Trainer;
import dev.mlpipeline.pipeline.TrainingCancelledException;
import dev.mlpipeline.pipeline.TrainingResult;
import dev.mlpipeline.pipeline.TrainingSpec;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs a claimed tuning job: every configuration is cross-validated on the training split, as
 * tasks on the shared worker pool (at most as many at once as the pool has threads, queued behind
 * other jobs' work, so a large search does not starve them). Each trial is stored as it finishes,
 * with the job's progress. The best configuration is then refit on the whole training split,
 * scored on the test split and completed as a model version.
 */
@ApplicationScoped
public class TuningJobRunner implements JobHandler {

    private static final Logger LOG = Logger.getLogger(TuningJobRunner.class);

    /** Share of the progress bar given to the trials; the refit takes the rest. */
    private static final double TRIALS_SHARE = 0.9;

    @Inject
    JobSpecRepository specs;

    @Inject
    TuningTrialRepository trials;

    @Inject
    DatasetTables tables;

    @Inject
    WorkerPool workers;

    @Inject
    JobRecorder recorder;

    @Inject
    RecentPipelines recent;

    @Inject
    JobTracing tracing;

    @Override
    public JobKind kind() {
        return JobKind.TUNING;
    }

    /**
     * Loads the search and the dataset, runs the trials and the refit, and records the end of the job
     * with every trial. The reads and the final write go through {@link JobRecorder}; a trial whose own
     * write fails in a database outage is kept and written with the end of the job.
     */
    @Override
    public Uni<Void> run(JobExecution execution) {
        tracing.of(execution).phase(JobTrace.LOAD_DATA);
        String id = execution.jobId();
        return recorder.beforeRun("read the search of job " + id, () -> specs.findSearch(id))
                .onItem().ifNull().failWith(() -> NotFoundException.of("Tuning job", id))
                .invoke(search -> execution.modelType(search.stored().spec().modelType()))
                // A job requeued after a shutdown starts its search again from the first trial.
                .call(search -> recorder.beforeRun("clear the earlier trials of job " + id, () -> trials.deleteByJob(id)))
                .flatMap(search -> recorder.beforeRun("load the dataset of job " + id, () -> tables.load(search.stored().datasetId()))
                        .flatMap(data -> search(execution, search, data)))
                .replaceWithVoid();
    }

    private Uni<Integer> search(JobExecution execution, StoredSearch search, LoadedTable data) {
        TrainingSpec base = search.stored().spec();
        ModelType modelType = ModelCatalog.find(base.modelType()).orElseThrow();
        SearchSpace space = SearchSpace.parse(modelType, search.space(), search.strategy());
        List<Map<String, Object>> configs = SearchSpace.GRID.equals(search.strategy())
                ? space.grid() : space.sample(search.nIter(), base.randomSeed());
        AtomicInteger done = new AtomicInteger();
        JobTrace trace = tracing.of(execution);
        trace.phase(JobTrace.SEARCH);
        return Multi.createFrom().range(0, configs.size())
                .onItem().transformToUni(i -> Offload.run(workers, () -> trace.trial(i,
                        () -> evaluate(execution, data, base, modelType, search, i, configs.get(i)))))
                .merge(Math.max(1, workers.size()))
                .onItem().transformToUniAndConcatenate(trial -> {
                    double progress = TRIALS_SHARE * done.incrementAndGet() / configs.size();
                    execution.onProgress(progress);
                    return trials.insert(execution.jobId(), execution.owner(), trial, progress)
                            // Kept in memory: written with the end of the job.
                            .onFailure(DatabaseOutage::isOutage).invoke(failure -> LOG.debugf(
                                    "Trial %d of job %s not written yet (%s)", trial.index(), execution.jobId(),
                                    DatabaseOutage.describe(failure)))
                            .onFailure(DatabaseOutage::isOutage).recoverWithNull()
                            .replaceWith(trial);
                })
                .collect().asList()
                .flatMap(finished -> {
                    TuningTrial best = finished.stream().max(Comparator.comparingDouble(TuningTrial::mean)
                            .thenComparing(Comparator.comparingInt(TuningTrial::index).reversed())).orElseThrow();
                    return Offload.run(workers, () -> refit(execution, data, base, modelType, best))
                            .flatMap(completion -> recorder.complete(execution, completion,
                                    conn -> trials.insertMissing(conn, execution.jobId(), finished)));
                })
                .map(version -> version.orElse(0));
    }

    private TuningTrial evaluate(JobExecution execution, LoadedTable data, TrainingSpec base, ModelType modelType, StoredSearch search,
            int index, Map<String, Object> params) throws Exception {
        if (execution.isCancelled()) {
            throw new TrainingCancelledException();
        }
        TrainingSpec spec = withHyperparameters(base, modelType.validate(SearchSpace.merge(base.hyperparameters(), params)));
        long start = System.nanoTime();
        // A pool of one keeps Smile's parallel tree building inside this trial's thread, so trials
        // running side by side do not compete for the common pool.
        ForkJoinPool single = new ForkJoinPool(1);
        double[] scores;
        try {
            scores = single.submit(() -> CrossValidator.crossValidate(data.table(), data.types(), spec, search.folds(),
                    search.scoring(), execution)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            single.shutdown();
        }
        double mean = java.util.Arrays.stream(scores).average().orElse(Double.NaN);
        double variance = java.util.Arrays.stream(scores).map(s -> (s - mean) * (s - mean)).average().orElse(0);
        return new TuningTrial(index, params, scores, mean, Math.sqrt(variance), (System.nanoTime() - start) / 1_000_000);
    }

    private JobQueue.Completion refit(JobExecution execution, LoadedTable data, TrainingSpec base, ModelType modelType, TuningTrial best) {
        TrainingSpec spec = withHyperparameters(base, modelType.validate(SearchSpace.merge(base.hyperparameters(), best.params())));
        JobTrace trace = tracing.of(execution);
        TrainingResult result = Trainer.train(data.table(), data.types(), spec,
                trace.listener(f -> execution.onProgress(TRIALS_SHARE + (1 - TRIALS_SHARE) * f)), execution);
        trace.phase(JobTrace.STORE);
        byte[] artifact = ArtifactCodec.serialize(result.pipeline());
        String sha256 = ArtifactCodec.sha256(artifact);
        recent.remember(sha256, result.pipeline());
        return new JobQueue.Completion(artifact, sha256, ArtifactCodec.FORMAT, result.metrics(), spec.hyperparameters(),
                best.params(), best.mean(), result.profile());
    }

    private static TrainingSpec withHyperparameters(TrainingSpec s, Map<String, Object> hyperparameters) {
        return new TrainingSpec(s.modelType(), s.task(), s.targetColumn(), s.featureColumns(), hyperparameters,
                s.preprocessing(), s.testSize(), s.randomSeed());
    }

}
