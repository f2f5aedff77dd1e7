package dev.mlpipeline.deployment;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.DomainException.FieldError;
import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.common.PayloadTooLargeException;
import dev.mlpipeline.common.Tracing;
import dev.mlpipeline.common.UnavailableException;
import dev.mlpipeline.deployment.dto.ExplanationResponse;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.pipeline.ExplanationUnavailableException;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.InvalidRowException;
import dev.mlpipeline.pipeline.Prediction;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The seed's DeploymentService: deploys a model version (exactly one active at a time), serves
 * predictions from this replica's warm {@link ModelCache}, and lists the history.
 */
@ApplicationScoped
public class DeploymentService {

    @Inject
    DeploymentRepository deployments;

    @Inject
    ModelLoader loader;

    @Inject
    ModelCache cache;

    @Inject
    MlpipelineConfig config;

    /** Default of predict's {@code strict} ({@code mlpipeline.deployments.strict}); a field so that tests can flip it. */
    boolean strictByDefault;

    @jakarta.annotation.PostConstruct
    void init() {
        strictByDefault = config.deployments().strict();
    }

    @Inject
    PredictionMetrics predictionMetrics;

    @Inject
    PredictionLog predictionLog;

    @Inject
    Tracing tracing;

    /** The result of a deploy: the deployment and whether it was created now (false = already active). */
    public record Deployed(Deployment deployment, boolean created) {
    }

    /**
     * Makes the version produced by {@code jobId} the active deployment. The model is loaded and
     * dry-run first; only then, in one transaction under an advisory lock, the active row is
     * deactivated and the new one inserted (the partial unique index rejects a second active row
     * whatever happens), and other replicas are notified. A failure leaves the previous deployment
     * active. Deploying the job that is already active returns it unchanged.
     */
    public Uni<Deployed> deployModel(String jobId) {
        return deployModel(jobId, null, null);
    }

    /**
     * {@link #deployModel(String)}, recording who deployed ({@code deployedBy}, the request's actor) and why
     * ({@code reason}, at most 1000 characters, else {@link InvalidInputException}).
     */
    public Uni<Deployed> deployModel(String jobId, String reason, String deployedBy) {
        return deploy(jobId, provenance(reason, deployedBy), null);
    }

    private static DeploymentRepository.Provenance provenance(String reason, String deployedBy) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > 1000) {
            throw InvalidInputException.forField("reason", "is " + why.length() + " characters long; at most 1000");
        }
        return new DeploymentRepository.Provenance(deployedBy, why);
    }

    /**
     * Re-activates the version that was active before the current one: the job of the latest deployment
     * before the active one with another job (a rollback after a rollback therefore goes back again). It
     * goes through the same checks, load, verification and dry-run as a deploy; the switch fails with a
     * {@link ConflictException} if a concurrent deploy, undeploy or rollback changed the active deployment
     * meanwhile. The history gets a new row, so "what served at T" stays answerable.
     *
     * @throws ConflictException (in the Uni) when nothing is active, or nothing else was deployed before it
     */
    public Uni<Deployed> rollbackDeployment(String reason, String deployedBy) {
        DeploymentRepository.Provenance provenance = provenance(reason, deployedBy);
        return deployments.findRollbackTarget().flatMap(target -> {
            if (target == null) {
                return Uni.createFrom().failure(new ConflictException("There is no active deployment to roll back; deploy a model version with"
                        + " POST /api/deployments/deploy."));
            }
            if (target.previousJobId() == null) {
                return Uni.createFrom().failure(new ConflictException("The active deployment " + target.activeId() + " (job " + target.activeJobId()
                        + ") has no predecessor with another model version to roll back to; see GET /api/deployments."));
            }
            DeploymentRepository.Provenance why = provenance.reason() != null ? provenance
                    : new DeploymentRepository.Provenance(provenance.deployedBy(), "rollback from " + target.activeId());
            return deploy(target.previousJobId(), why, target.activeId());
        });
    }

    /** The deployment that was serving at {@code at}, or {@link NotFoundException}. */
    public Uni<Deployment> getDeploymentAt(java.time.Instant at) {
        return Panache.withSession(() -> deployments.findActiveAt(at))
                .onItem().ifNull().failWith(() -> new NotFoundException("No deployment was active at " + at + "."));
    }

    private Uni<Deployed> deploy(String jobId, DeploymentRepository.Provenance provenance, String expectedActiveId) {
        if (jobId == null || jobId.isBlank()) {
            throw InvalidInputException.forField("job_id", "is required: the id of a COMPLETED training (trn_…) or tuning (tun_…) job");
        }
        JobKind kind = JobKind.ofJobId(jobId).orElseThrow(() -> new NotFoundException("Job '" + jobId
                + "' does not exist (job ids start with trn_ or tun_)."));
        return tracing.traced("deploy", Attributes.of(Tracing.JOB_ID, jobId), () -> deployments.findJobVersion(kind, jobId)
                .flatMap(job -> {
                    if (job == null) {
                        return Uni.createFrom().failure(NotFoundException.of(kind == JobKind.TRAINING ? "Training job" : "Tuning job", jobId));
                    }
                    if (!"COMPLETED".equals(job.status())) {
                        return Uni.createFrom().failure(new ConflictException("Job '" + jobId + "' is " + job.status()
                                + "; only COMPLETED jobs have a model version to deploy."));
                    }
                    return deployments.findActiveIdOfJob(jobId).flatMap(active -> active != null
                            ? reload(active, false)
                            : loader.load(kind, jobId).flatMap(pipeline -> activate(kind, jobId, job, pipeline, provenance, expectedActiveId)));
                }));
    }

    private Uni<Deployed> activate(JobKind kind, String jobId, DeploymentRepository.JobVersion job, FittedPipeline pipeline,
            DeploymentRepository.Provenance provenance, String expectedActiveId) {
        // A null createdAt: deployed by a concurrent request meanwhile, nothing changed.
        return deployments.activate(Ids.next("dep"), kind, jobId, job, provenance, expectedActiveId)
                .invoke(a -> {
                    if (a.createdAt() != null) {
                        cache.install(a.createdAt(), new ModelCache.Warm(a.id(), jobId, kind.wireName(), job.datasetId(),
                                job.modelType(), job.version(), pipeline));
                    }
                })
                .flatMap(a -> reload(a.id(), a.createdAt() != null));
    }

    private Uni<Deployed> reload(String id, boolean created) {
        return Panache.withSession(() -> deployments.findWithDataset(id)).map(d -> new Deployed(d, created));
    }

    /** Deactivates the active deployment; {@link NotFoundException} when there is none. */
    public Uni<Void> undeploy() {
        return deployments.deactivateActive()
                .onItem().ifNull().failWith(() -> new NotFoundException("There is no active deployment."))
                .invoke(at -> cache.expect(at, null))
                .replaceWithVoid();
    }

    /** The active deployment, or {@link NotFoundException}. */
    public Uni<Deployment> getActiveDeployment() {
        return Panache.withSession(() -> deployments.findActive())
                .onItem().ifNull().failWith(() -> new NotFoundException("There is no active deployment."));
    }

    /** Deployment history, newest first. */
    public Uni<List<Deployment>> listDeployments(int limit) {
        return Panache.withSession(() -> deployments.history(limit));
    }

    /**
     * Predicts with the active deployment's warm model, without touching the database. Small
     * batches run inline (they take microseconds); larger ones on a worker thread.
     *
     * <p>Every response lists per row the features that were missing (imputed) and the categorical
     * values that match no training level. A row with none of the model's features is a 400; so is,
     * when {@code strict}, any missing feature or unseen value (all of them listed in {@code errors}).
     * Each 400 names the version's input schema endpoint.
     *
     * @param strict null for the deployment default ({@code mlpipeline.deployments.strict})
     */
    public Uni<PredictionResponse> predict(List<Map<String, Object>> rows, Boolean strict) {
        return predict(rows, strict, false);
    }

    /**
     * {@link #predict(List, Boolean)}, optionally explaining each row: per output, the base value and each input
     * feature's contribution, adding up to the model's raw output ({@code FittedPipeline#predict(List, boolean)}).
     * Explained requests always run on a worker thread and are capped at
     * {@code mlpipeline.deployments.explain-max-rows} rows (413 above). Without {@code explain} nothing more is done
     * than for a plain prediction.
     *
     * @param strict  null for the deployment default ({@code mlpipeline.deployments.strict})
     * @param explain whether to add explanations
     * @throws PayloadTooLargeException over the row limits
     * @throws ConflictException        when explaining a version stored before explanations were supported
     */
    public Uni<PredictionResponse> predict(List<Map<String, Object>> rows, Boolean strict, boolean explain) {
        boolean strictRows = strict == null ? strictByDefault : strict;
        if (rows == null || rows.isEmpty()) {
            throw new InvalidInputException("Send a non-empty JSON array of row objects, e.g. [{\"age\": 30, \"income\": 50000}].");
        }
        int maxRows = config.deployments().maxRows();
        if (rows.size() > maxRows) {
            throw new PayloadTooLargeException("The request has " + rows.size() + " rows; at most " + maxRows
                    + " are accepted per request (mlpipeline.deployments.max-rows). Split it into smaller batches.");
        }
        int explainMaxRows = config.deployments().explainMaxRows();
        if (explain && rows.size() > explainMaxRows) {
            throw new PayloadTooLargeException("The request asks to explain " + rows.size() + " rows; at most "
                    + explainMaxRows + " are explained per request (mlpipeline.deployments.explain-max-rows). "
                    + "Split it into smaller batches, or predict without explain=true.");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == null) {
                throw InvalidInputException.forField("[" + i + "]", "must be an object of feature values, not null");
            }
        }
        ModelCache.Warm warm = cache.active().orElseThrow(this::notServing);
        // The span starts here, on the request's context, so that it is a child of the request's span.
        PredictionMetrics.Meters meters = predictionMetrics.of(warm);
        Span span = tracing.start("predict", meters.spanAttributes(), Tracing.ROWS, rows.size());
        if (explain) {
            // TreeSHAP costs far more than a prediction: never on the event loop, whatever the row count.
            return Offload.io(() -> observed(warm, rows, strictRows, true, meters, span, predictionLog));
        }
        if (rows.size() <= config.deployments().inlineRows()) {
            return Uni.createFrom().item(() -> observed(warm, rows, strictRows, false, meters, span, predictionLog));
        }
        return Offload.io(() -> observed(warm, rows, strictRows, false, meters, span, predictionLog));
    }

    /**
     * {@link #predict(ModelCache.Warm, List, boolean, boolean)}, timed and counted in {@code meters}, ending
     * {@code span}; the rows of a success are handed to the prediction log (an enqueue, never awaited).
     */
    private static PredictionResponse observed(ModelCache.Warm warm, List<Map<String, Object>> rows, boolean strict,
            boolean explain, PredictionMetrics.Meters meters, Span span, PredictionLog log) {
        long start = System.nanoTime();
        try {
            PredictionResponse response = predict(warm, rows, strict, explain);
            meters.record(rows.size(), System.nanoTime() - start, null);
            span.end();
            log.record(warm, rows, response.predictions());
            return response;
        } catch (RuntimeException e) {
            meters.record(rows.size(), System.nanoTime() - start, e);
            span.setAttribute(Tracing.OUTCOME, PredictionMetrics.Meters.outcome(e));
            Tracing.end(span, e);
            throw e;
        }
    }

    /** Why this replica has no model to predict with: none deployed (409), loading or unloadable (503). */
    private RuntimeException notServing() {
        if (cache.desired().isEmpty()) {
            return new ConflictException("There is no active deployment; deploy a model version with POST /api/deployments/deploy.");
        }
        return cache.failure().<RuntimeException>map(f -> new UnavailableException("The active deployment " + f.deploymentId()
                + " (" + f.modelType() + " v" + f.version() + ", job " + f.jobId() + ") cannot serve on this replica: " + f.cause()
                + " Deploy a working version with POST /api/deployments/deploy, or undeploy with DELETE /api/deployments/active."))
                .orElseGet(() -> new UnavailableException("The active deployment is still loading on this replica; retry in a moment."));
    }

    private static PredictionResponse predict(ModelCache.Warm warm, List<Map<String, Object>> rows, boolean strict,
            boolean explain) {
        Prediction prediction;
        try {
            prediction = explain ? warm.pipeline().predict(rows, true) : warm.pipeline().predict(rows);
        } catch (ExplanationUnavailableException e) {
            throw new ConflictException("Version " + warm.version() + " of " + warm.modelType() + " cannot be explained: "
                    + e.getMessage() + ". Predict without explain=true, or deploy a version trained since.");
        } catch (InvalidRowException e) {
            String field = "[" + e.rowIndex() + "]" + (e.field().isEmpty() ? "" : "." + e.field());
            throw new InvalidInputException(e.getMessage() + " " + PredictionChecks.schemaHint(warm),
                    List.of(new FieldError(field, e.getMessage())));
        }
        PredictionChecks.check(warm, rows, prediction, strict);
        if (!explain) {
            return new PredictionResponse(prediction.predictions(), prediction.probabilities(), warm.deploymentId(),
                    warm.jobId(), warm.modelType(), warm.version(), warm.pipeline().unknownColumns(rows),
                    prediction.missingColumns(), prediction.unseenCategories());
        }
        return new PredictionResponse(prediction.predictions(), prediction.probabilities(), warm.deploymentId(), warm.jobId(),
                warm.modelType(), warm.version(), warm.pipeline().unknownColumns(rows), prediction.missingColumns(),
                prediction.unseenCategories(), prediction.explanationOutput().wireName(),
                prediction.explanations().stream().map(ExplanationResponse::of).toList());
    }

}
