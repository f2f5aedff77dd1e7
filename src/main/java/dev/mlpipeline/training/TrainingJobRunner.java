package dev.mlpipeline.training;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetTables;
import dev.mlpipeline.deployment.RecentPipelines;
import dev.mlpipeline.jobs.JobExecution;
import dev.mlpipeline.jobs.JobHandler;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobQueue;
import dev.mlpipeline.jobs.JobRecorder;
import dev.mlpipeline.jobs.JobSpecRepository;
import dev.mlpipeline.jobs.JobTrace;
import dev.mlpipeline.jobs.JobTracing;
import dev.mlpipeline.jobs.WorkerPool;
import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.Trainer;
import dev.mlpipeline.pipeline.TrainingResult;
import dev.mlpipeline.pipeline.TrainingSpec;
import io.smallrye.mutiny.Uni;

/** Runs a claimed training job: load the dataset, fit on the worker pool, complete with a version. */
@ApplicationScoped
public class TrainingJobRunner implements JobHandler {

    @Inject
    JobSpecRepository specs;

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
        return JobKind.TRAINING;
    }

    /**
     * Loads the spec and the dataset, fits on the worker pool and records the end of the job. The reads
     * and the final write go through {@link JobRecorder}: a database outage before or after the fit
     * delays them, it does not fail the job.
     */
    @Override
    public Uni<Void> run(JobExecution execution) {
        JobTrace trace = tracing.of(execution);
        trace.phase(JobTrace.LOAD_DATA);
        String id = execution.jobId();
        return recorder.beforeRun("read the spec of job " + id, () -> specs.findSpec(JobKind.TRAINING, id))
                .onItem().ifNull().failWith(() -> NotFoundException.of("Training job", id))
                .invoke(stored -> execution.modelType(stored.spec().modelType()))
                .flatMap(stored -> recorder.beforeRun("load the dataset of job " + id, () -> tables.load(stored.datasetId()))
                        .flatMap(data -> Offload.run(workers, () -> {
                            TrainingSpec spec = stored.spec();
                            TrainingResult result = Trainer.train(data.table(), data.types(), spec, trace.listener(execution), execution);
                            trace.phase(JobTrace.STORE);
                            byte[] artifact = ArtifactCodec.serialize(result.pipeline());
                            String sha256 = ArtifactCodec.sha256(artifact);
                            recent.remember(sha256, result.pipeline());
                            return new JobQueue.Completion(artifact, sha256, ArtifactCodec.FORMAT, result.metrics(), null, null, null,
                                    result.featureImportance().toJsonMap(), result.profile());
                        })))
                .flatMap(completion -> recorder.complete(execution, completion))
                .replaceWithVoid();
    }

}
