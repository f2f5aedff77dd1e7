package dev.mlpipeline.training;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetRepository;
import dev.mlpipeline.dataset.DatasetTables;
import dev.mlpipeline.jobs.JobFilter;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobQueue;
import dev.mlpipeline.jobs.JobScheduler;
import dev.mlpipeline.jobs.JobSpecs;
import dev.mlpipeline.jobs.JobStatus;
import dev.mlpipeline.jobs.MemoryAdmission;
import dev.mlpipeline.pipeline.MemoryEstimate;
import dev.mlpipeline.pipeline.TrainingSpec;
import dev.mlpipeline.training.dto.CreateTrainingJobRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Submission, listing and cancellation of training jobs. Jobs run in {@link TrainingJobRunner}. */
@ApplicationScoped
public class TrainingJobService {

    @Inject
    TrainingJobRepository jobs;

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetTables tables;

    @Inject
    JobQueue queue;

    @Inject
    JobScheduler scheduler;

    @Inject
    MemoryAdmission admission;

    /**
     * Validates a request against its dataset (on a worker thread) and commits it as PENDING; any
     * replica's scheduler then claims it. Nothing is stored when the request is invalid.
     */
    public Uni<TrainingJob> createTrainingJob(CreateTrainingJobRequest request) {
        JobSpecs.requireDataset(request, request == null ? null : request.datasetId(), "dataset_id, model_type and target_column");
        JobSpecs.Request fields = new JobSpecs.Request(request.modelType(), request.targetColumn(), request.task(),
                request.featureColumns(), request.hyperparameters(), request.testSize(), request.randomSeed(),
                request.preprocessing());
        JobSpecs.modelType(request.modelType());
        return tables.load(request.datasetId())
                .flatMap(data -> Offload.io(() -> {
                    TrainingSpec spec = JobSpecs.validate(data, fields);
                    admission.check(MemoryEstimate.of(data.table(), data.types(), spec));
                    return spec;
                }))
                .flatMap(spec -> Panache.withTransaction(() -> insert(request.datasetId(), spec)))
                .invoke(job -> scheduler.wakeUp());
    }

    private Uni<TrainingJob> insert(String datasetId, TrainingSpec spec) {
        return datasets.findById(datasetId)
                .onItem().ifNull().failWith(() -> NotFoundException.of("Dataset", datasetId))
                .flatMap(dataset -> {
                    TrainingJob job = new TrainingJob();
                    job.id = Ids.next(JobKind.TRAINING.idPrefix());
                    job.dataset = dataset;
                    fill(job, spec);
                    return jobs.persist(job);
                });
    }

    /** Copies a validated spec into a new PENDING job (shared with tuning jobs). */
    public static void fill(dev.mlpipeline.jobs.JobEntity job, TrainingSpec spec) {
        job.modelType = spec.modelType();
        job.task = spec.task().wireName();
        job.targetColumn = spec.targetColumn();
        job.featureColumns = spec.featureColumns().toArray(String[]::new);
        job.hyperparameters = new java.util.LinkedHashMap<>(spec.hyperparameters());
        job.preprocessing = JobSpecs.preprocessingMap(spec);
        job.testSize = spec.testSize();
        job.randomSeed = spec.randomSeed();
        job.status = JobStatus.PENDING;
        job.progress = 0;
        job.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        job.createdBy = dev.mlpipeline.security.Actor.currentName();
    }

    /** The job, or {@link NotFoundException}. */
    @WithSession
    public Uni<TrainingJob> getTrainingJob(String id) {
        return jobs.findWithDetails(id).onItem().ifNull().failWith(() -> NotFoundException.of("Training job", id));
    }

    /** Jobs matching the optional filters, newest first. */
    @WithSession
    public Uni<List<TrainingJob>> listTrainingJobs(JobFilter filter, int limit) {
        return jobs.search(filter, limit);
    }

    /**
     * Cancels a PENDING or RUNNING job; a running fit stops at its next heartbeat and the job never
     * takes a version. {@link ConflictException} once the job has finished.
     */
    public Uni<TrainingJob> cancelTrainingJob(String id) {
        return queue.cancel(JobKind.TRAINING, id)
                .flatMap(cancelled -> Panache.withSession(() -> jobs.findWithDetails(id))
                        .onItem().ifNull().failWith(() -> NotFoundException.of("Training job", id))
                        .invoke(job -> {
                            if (!cancelled) {
                                throw new ConflictException("Training job '" + id + "' has already finished ("
                                        + job.status + "); only PENDING or RUNNING jobs can be cancelled.");
                            }
                        }));
    }
}
