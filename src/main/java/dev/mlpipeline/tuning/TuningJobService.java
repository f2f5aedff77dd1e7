package dev.mlpipeline.tuning;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetRepository;
import dev.mlpipeline.dataset.DatasetTables;
import dev.mlpipeline.dataset.DatasetTables.LoadedTable;
import dev.mlpipeline.jobs.JobFilter;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobQueue;
import dev.mlpipeline.jobs.JobScheduler;
import dev.mlpipeline.jobs.JobSpecs;
import dev.mlpipeline.jobs.MemoryAdmission;
import dev.mlpipeline.pipeline.CrossValidator;
import dev.mlpipeline.pipeline.MemoryEstimate;
import dev.mlpipeline.pipeline.Metrics;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.SearchSpace;
import dev.mlpipeline.pipeline.TrainingSpec;
import dev.mlpipeline.training.TrainingJobService;
import dev.mlpipeline.tuning.dto.CreateTuningJobRequest;
import dev.mlpipeline.tuning.dto.TuningJobResponse;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Submission, listing and cancellation of tuning jobs. Jobs run in {@link TuningJobRunner}. */
@ApplicationScoped
public class TuningJobService {

    public static final int DEFAULT_FOLDS = 5;

    @Inject
    TuningJobRepository jobs;

    @Inject
    DatasetRepository datasets;

    @Inject
    DatasetTables tables;

    @Inject
    MemoryAdmission admission;

    @Inject
    JobQueue queue;

    @Inject
    JobScheduler scheduler;

    @Inject
    TuningTrialRepository trials;

    @Inject
    MlpipelineConfig config;

    /** A validated tuning request. */
    record ValidTuning(TrainingSpec spec, SearchSpace space, Map<String, Object> rawSpace, String strategy, Integer nIter,
            int folds, String scoring) {
    }

    /**
     * Validates a request against its dataset — the fit fields as for training, then the search
     * space, its size, the folds against the smallest class and the scoring — and commits it as
     * PENDING. Nothing is stored when the request is invalid.
     */
    public Uni<HyperparameterTuningJob> createTuningJob(CreateTuningJobRequest request) {
        JobSpecs.requireDataset(request, request == null ? null : request.datasetId(), "dataset_id, model_type, target_column and search_space");
        JobSpecs.modelType(request.modelType());
        return tables.load(request.datasetId())
                .flatMap(data -> Offload.io(() -> validate(data, request)))
                .flatMap(valid -> Panache.withTransaction(() -> insert(request.datasetId(), valid)))
                .invoke(job -> scheduler.wakeUp());
    }

    private ValidTuning validate(LoadedTable data, CreateTuningJobRequest r) {
        TrainingSpec spec = JobSpecs.validate(data, new JobSpecs.Request(r.modelType(), r.targetColumn(), r.task(),
                r.featureColumns(), r.hyperparameters(), r.testSize(), r.randomSeed(), r.preprocessing()));
        return JobSpecs.translate(() -> {
            String strategy = r.strategy() == null ? SearchSpace.GRID : r.strategy();
            if (r.searchSpace() == null || r.searchSpace().isEmpty()) {
                throw InvalidInputException.forField("search_space",
                        "is required: an object mapping hyperparameter names to lists of values (or, for random search, {\"min\", \"max\", \"log\"})");
            }
            SearchSpace space = SearchSpace.parse(ModelCatalog.find(spec.modelType()).orElseThrow(), r.searchSpace(), strategy);
            Integer nIter = r.nIter();
            if (SearchSpace.GRID.equals(strategy)) {
                if (nIter != null) {
                    throw InvalidInputException.forField("n_iter", "only applies to strategy random; a grid search evaluates every configuration");
                }
                long size = space.gridSize();
                if (size > config.tuning().maxConfigurations()) {
                    throw InvalidInputException.forField("search_space", "the grid has " + (size == Long.MAX_VALUE ? "too many" : size)
                            + " configurations; at most " + config.tuning().maxConfigurations() + " are allowed (mlpipeline.tuning.max-configurations): "
                            + "use fewer values or strategy random with n_iter");
                }
            } else if (nIter == null) {
                throw InvalidInputException.forField("n_iter", "is required for strategy random (the number of configurations to draw)");
            } else if (nIter < 1 || nIter > config.tuning().maxConfigurations()) {
                throw InvalidInputException.forField("n_iter", "must be between 1 and " + config.tuning().maxConfigurations() + ", got " + nIter);
            }
            int folds = r.cvFolds() == null ? DEFAULT_FOLDS : r.cvFolds();
            CrossValidator.validateFolds(data.table(), data.types(), spec, folds);
            String scoring = r.scoring() == null ? Metrics.defaultScoring(spec.task()) : r.scoring();
            Metrics.checkScoring(scoring, spec.task());
            admission.check(memoryEstimate(data, spec, space, strategy, nIter));
            return new ValidTuning(spec, space, r.searchSpace(), strategy, nIter, folds, scoring);
        });
    }

    /**
     * The largest configuration's estimate, for as many fits at once as this replica runs trials in parallel (an
     * upper bound: a fold trains on fewer rows than the final refit).
     */
    private MemoryEstimate memoryEstimate(LoadedTable data, TrainingSpec spec, SearchSpace space, String strategy,
            Integer nIter) {
        List<Map<String, Object>> configurations = SearchSpace.GRID.equals(strategy) ? space.grid()
                : space.sample(nIter, spec.randomSeed());
        MemoryEstimate largest = null;
        Map<String, Integer> levels = new java.util.HashMap<>(); // each categorical column scanned once
        for (Map<String, Object> configuration : configurations) {
            Map<String, Object> hyperparameters = new java.util.LinkedHashMap<>(spec.hyperparameters());
            hyperparameters.putAll(configuration);
            TrainingSpec trial = new TrainingSpec(spec.modelType(), spec.task(), spec.targetColumn(), spec.featureColumns(),
                    hyperparameters, spec.preprocessing(), spec.testSize(), spec.randomSeed());
            largest = MemoryEstimate.max(largest, MemoryEstimate.of(data.table(), data.types(), trial, levels));
        }
        return largest.concurrent(Math.min(configurations.size(), config.jobs().workerCount()));
    }

    private Uni<HyperparameterTuningJob> insert(String datasetId, ValidTuning valid) {
        return datasets.findById(datasetId)
                .onItem().ifNull().failWith(() -> NotFoundException.of("Dataset", datasetId))
                .flatMap(dataset -> {
                    HyperparameterTuningJob job = new HyperparameterTuningJob();
                    job.id = Ids.next(JobKind.TUNING.idPrefix());
                    job.dataset = dataset;
                    TrainingJobService.fill(job, valid.spec());
                    job.strategy = valid.strategy();
                    job.searchSpace = new java.util.LinkedHashMap<>(valid.rawSpace());
                    job.nIter = valid.nIter();
                    job.cvFolds = valid.folds();
                    job.scoring = valid.scoring();
                    return jobs.persist(job);
                });
    }

    /** The job with its trials, or {@link NotFoundException}. */
    public Uni<TuningJobResponse> getTuningJob(String id) {
        return Panache.withSession(() -> jobs.findWithDetails(id))
                .onItem().ifNull().failWith(() -> NotFoundException.of("Tuning job", id))
                .flatMap(job -> trials.listByJob(id).map(trials -> TuningJobResponse.of(job, trials)));
    }

    /** Jobs matching the filter, newest first (without their trials). */
    @WithSession
    public Uni<List<HyperparameterTuningJob>> listTuningJobs(JobFilter filter, int limit) {
        return jobs.search(filter, limit);
    }

    /** Cancels a PENDING or RUNNING job: remaining trials are not run. {@link ConflictException} once finished. */
    public Uni<TuningJobResponse> cancelTuningJob(String id) {
        return queue.cancel(JobKind.TUNING, id).flatMap(cancelled -> getTuningJob(id).invoke(job -> {
            if (!cancelled) {
                throw new ConflictException("Tuning job '" + id + "' has already finished (" + job.job().status()
                        + "); only PENDING or RUNNING jobs can be cancelled.");
            }
        }));
    }

}
