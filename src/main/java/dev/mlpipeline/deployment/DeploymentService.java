package dev.mlpipeline.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mlpipeline.common.Blocking;
import dev.mlpipeline.common.ConflictException;
import dev.mlpipeline.common.DomainException.FieldError;
import dev.mlpipeline.common.Ids;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.PayloadTooLargeException;
import dev.mlpipeline.common.UnavailableException;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.pipeline.InvalidRowException;
import dev.mlpipeline.pipeline.Prediction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The seed's DeploymentService: deploys a model version (exactly one active at a time), serves
 * predictions from this replica's warm {@link ModelCache}, and lists the history.
 */
@ApplicationScoped
public class DeploymentService {

    /** Key of the transaction-scoped advisory lock that serializes deploys and undeploys. */
    static final long DEPLOY_LOCK = 0x6d6c_7069_7065_6c31L;
    /** The LISTEN/NOTIFY channel that tells other replicas the active deployment changed. */
    public static final String CHANNEL = "mlpipeline_deployments";

    @Inject
    Pool pool;

    @Inject
    DeploymentRepository deployments;

    @Inject
    ModelLoader loader;

    @Inject
    ModelCache cache;

    @ConfigProperty(name = "mlpipeline.deployments.max-rows", defaultValue = "10000")
    int maxRows;

    @ConfigProperty(name = "mlpipeline.deployments.inline-rows", defaultValue = "16")
    int inlineRows;

    /** Default of predict's {@code strict}: refuse rows with missing features or unseen levels instead of reporting them. */
    @ConfigProperty(name = "mlpipeline.deployments.strict", defaultValue = "false")
    boolean strictByDefault;

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
        if (jobId == null || jobId.isBlank()) {
            throw InvalidInputException.forField("job_id", "is required: the id of a COMPLETED training (trn_…) or tuning (tun_…) job");
        }
        JobKind kind = JobKind.ofJobId(jobId).orElseThrow(() -> new NotFoundException("Job '" + jobId
                + "' does not exist (job ids start with trn_ or tun_)."));
        return pool.preparedQuery("SELECT status, dataset_id, model_type, version FROM " + kind.table() + " WHERE id = $1")
                .execute(Tuple.of(jobId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(NotFoundException.of(kind == JobKind.TRAINING ? "Training job" : "Tuning job", jobId));
                    }
                    Row job = rows.iterator().next();
                    if (!"COMPLETED".equals(job.getString("status"))) {
                        return Uni.createFrom().failure(new ConflictException("Job '" + jobId + "' is " + job.getString("status")
                                + "; only COMPLETED jobs have a model version to deploy."));
                    }
                    return activeIdFor(pool, jobId).flatMap(active -> active != null
                            ? reload(active, false)
                            : loader.load(kind, jobId).flatMap(pipeline -> activate(kind, jobId, job, pipeline)));
                });
    }

    /** The active deployment of {@code jobId}, or null; {@code client} is the pool or a transaction's connection. */
    private static Uni<String> activeIdFor(SqlClient client, String jobId) {
        return client.preparedQuery("SELECT id FROM deployment WHERE is_active AND job_id = $1").execute(Tuple.of(jobId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    private Uni<Deployed> activate(JobKind kind, String jobId, Row job, dev.mlpipeline.pipeline.FittedPipeline pipeline) {
        String id = Ids.next("dep");
        return pool.withTransaction(conn -> lock(conn)
                .flatMap(ignored -> activeIdFor(conn, jobId))
                .flatMap(same -> {
                    if (same != null) {
                        // Deployed by a concurrent request meanwhile: nothing to change.
                        return Uni.createFrom().item(new Activation(same, null));
                    }
                    return conn.query("UPDATE deployment SET is_active = false, deactivated_at = clock_timestamp() WHERE is_active").execute()
                            .flatMap(x -> conn.preparedQuery("INSERT INTO deployment (id, job_id, source, dataset_id, model_type, version,"
                                    + " is_active, created_at) VALUES ($1, $2, $3, $4, $5, $6, true, clock_timestamp()) RETURNING created_at")
                                    .execute(Tuple.of(id, jobId, kind.wireName(), job.getString("dataset_id"), job.getString("model_type"),
                                            job.getInteger("version"))))
                            .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant())
                            .flatMap(createdAt -> notifyReplicas(conn, id).replaceWith(new Activation(id, createdAt)));
                }))
                .invoke(a -> {
                    if (a.createdAt() != null) {
                        cache.install(a.createdAt(), new ModelCache.Warm(a.id(), jobId, kind.wireName(), job.getString("dataset_id"),
                                job.getString("model_type"), job.getInteger("version"), pipeline));
                    }
                })
                .flatMap(a -> reload(a.id(), a.createdAt() != null));
    }

    private record Activation(String id, Instant createdAt) {
    }

    private static Uni<Void> lock(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(DEPLOY_LOCK)).replaceWithVoid();
    }

    private static Uni<Void> notifyReplicas(SqlConnection conn, String payload) {
        // Delivered when the transaction commits, and only then.
        return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload)).replaceWithVoid();
    }

    private Uni<Deployed> reload(String id, boolean created) {
        return Panache.withSession(() -> deployments.findWithDataset(id)).map(d -> new Deployed(d, created));
    }

    /** Deactivates the active deployment; {@link NotFoundException} when there is none. */
    public Uni<Void> undeploy() {
        return pool.withTransaction(conn -> lock(conn)
                .flatMap(ignored -> conn.query("UPDATE deployment SET is_active = false, deactivated_at = clock_timestamp()"
                        + " WHERE is_active RETURNING id, deactivated_at").execute())
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(new NotFoundException("There is no active deployment."));
                    }
                    Row row = rows.iterator().next();
                    Instant at = row.getOffsetDateTime("deactivated_at").toInstant();
                    return notifyReplicas(conn, "undeployed:" + row.getString("id")).replaceWith(at);
                }))
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
        boolean strictRows = strict == null ? strictByDefault : strict;
        if (rows == null || rows.isEmpty()) {
            throw new InvalidInputException("Send a non-empty JSON array of row objects, e.g. [{\"age\": 30, \"income\": 50000}].");
        }
        if (rows.size() > maxRows) {
            throw new PayloadTooLargeException("The request has " + rows.size() + " rows; at most " + maxRows
                    + " are accepted per request (mlpipeline.deployments.max-rows). Split it into smaller batches.");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == null) {
                throw InvalidInputException.forField("[" + i + "]", "must be an object of feature values, not null");
            }
        }
        ModelCache.Warm warm = cache.active().orElseThrow(() -> cache.desired().isPresent()
                ? new UnavailableException("The active deployment is still loading on this replica; retry in a moment.")
                : new ConflictException("There is no active deployment; deploy a model version with POST /api/deployments/deploy."));
        if (rows.size() <= inlineRows) {
            return Uni.createFrom().item(() -> predict(warm, rows, strictRows));
        }
        return Blocking.io(() -> predict(warm, rows, strictRows));
    }

    private static PredictionResponse predict(ModelCache.Warm warm, List<Map<String, Object>> rows, boolean strict) {
        Prediction prediction;
        try {
            prediction = warm.pipeline().predict(rows);
        } catch (InvalidRowException e) {
            String field = "[" + e.rowIndex() + "]" + (e.field().isEmpty() ? "" : "." + e.field());
            throw new InvalidInputException(e.getMessage() + " " + PredictionChecks.schemaHint(warm),
                    List.of(new FieldError(field, e.getMessage())));
        }
        PredictionChecks.check(warm, rows, prediction, strict);
        return new PredictionResponse(prediction.predictions(), prediction.probabilities(), warm.deploymentId(), warm.jobId(),
                warm.modelType(), warm.version(), warm.pipeline().unknownColumns(rows), prediction.missingColumns(),
                prediction.unseenCategories());
    }

}
