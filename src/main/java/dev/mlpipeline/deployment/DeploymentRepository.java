package dev.mlpipeline.deployment;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.jobs.JobKind;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deployments and what deploying reads. The Panache queries (entities with their dataset) run in
 * a session opened by the service. The deploy and undeploy transactions, the replica sync's read
 * and the artifact read use the reactive {@link Pool}, which they need for the transaction-scoped
 * advisory lock and {@code pg_notify}, and open their own connection.
 */
@ApplicationScoped
public class DeploymentRepository implements PanacheRepositoryBase<Deployment, String> {

    /** Key of the transaction-scoped advisory lock that serializes deploys and undeploys. */
    public static final long DEPLOY_LOCK = 0x6d6c_7069_7065_6c31L;
    /** The LISTEN/NOTIFY channel that tells other replicas the active deployment changed. */
    static final String CHANNEL = "mlpipeline_deployments";

    private static final String FETCH = "from Deployment d join fetch d.dataset";

    @Inject
    Pool pool;

    public Uni<List<Deployment>> history(int limit) {
        return find(FETCH + " order by d.createdAt desc, d.id desc").page(0, limit).list();
    }

    public Uni<Deployment> findActive() {
        return find(FETCH + " where d.active = true").firstResult();
    }

    public Uni<Deployment> findWithDataset(String id) {
        return find(FETCH + " where d.id = ?1", id).firstResult();
    }

    /**
     * What a deploy needs to know of a job.
     *
     * @param status  the job's status ({@code COMPLETED}, {@code RUNNING}, …)
     * @param version the model version it produced; null unless COMPLETED
     */
    record JobVersion(String status, String datasetId, String modelType, Integer version) {
    }

    /** The status and version of the job of that kind with that id, or null when there is none. */
    Uni<JobVersion> findJobVersion(JobKind kind, String jobId) {
        return pool.preparedQuery("SELECT status, dataset_id, model_type, version FROM " + kind.table() + " WHERE id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new JobVersion(row.getString("status"), row.getString("dataset_id"), row.getString("model_type"),
                            row.getInteger("version"));
                });
    }

    /** The id of the active deployment if it is that of {@code jobId}, else null. */
    Uni<String> findActiveIdOfJob(String jobId) {
        return activeIdOfJob(pool, jobId);
    }

    /** As {@link #findActiveIdOfJob}; {@code client} is the pool or a transaction's connection. */
    private static Uni<String> activeIdOfJob(SqlClient client, String jobId) {
        return client.preparedQuery("SELECT id FROM deployment WHERE is_active AND job_id = $1").execute(Tuple.of(jobId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /**
     * The outcome of {@link #activate}.
     *
     * @param id        the active deployment of the job
     * @param createdAt its {@code created_at} (database clock) when it was inserted now; null when a
     *                  concurrent request had made the job active meanwhile and nothing changed
     */
    record Activation(String id, Instant createdAt) {
    }

    /**
     * Makes {@code job} the active deployment under the new id {@code id}, in one transaction under
     * the deploy lock: unless the job is already active, the active row is deactivated, the new row
     * inserted and the other replicas notified (PostgreSQL delivers the NOTIFY on commit, and only
     * then). The partial unique index on {@code is_active} rejects a second active row whatever
     * happens.
     */
    Uni<Activation> activate(String id, JobKind kind, String jobId, JobVersion job) {
        return pool.withTransaction(conn -> lock(conn)
                .flatMap(ignored -> activeIdOfJob(conn, jobId))
                .flatMap(same -> {
                    if (same != null) {
                        return Uni.createFrom().item(new Activation(same, null));
                    }
                    return conn.query("UPDATE deployment SET is_active = false, deactivated_at = clock_timestamp() WHERE is_active").execute()
                            .flatMap(x -> conn.preparedQuery("INSERT INTO deployment (id, job_id, source, dataset_id, model_type, version,"
                                    + " is_active, created_at) VALUES ($1, $2, $3, $4, $5, $6, true, clock_timestamp()) RETURNING created_at")
                                    .execute(Tuple.of(id, jobId, kind.wireName(), job.datasetId(), job.modelType(), job.version())))
                            .map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant())
                            .flatMap(createdAt -> notifyReplicas(conn, id).replaceWith(new Activation(id, createdAt)));
                }));
    }

    /**
     * Deactivates the active deployment, in one transaction under the deploy lock, and notifies the
     * other replicas on commit.
     *
     * @return its {@code deactivated_at} (database clock), or null when nothing was active
     */
    Uni<Instant> deactivateActive() {
        return pool.withTransaction(conn -> lock(conn)
                .flatMap(ignored -> conn.query("UPDATE deployment SET is_active = false, deactivated_at = clock_timestamp()"
                        + " WHERE is_active RETURNING id, deactivated_at").execute())
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    Instant at = row.getOffsetDateTime("deactivated_at").toInstant();
                    return notifyReplicas(conn, "undeployed:" + row.getString("id")).replaceWith(at);
                }));
    }

    private static Uni<Void> lock(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(DEPLOY_LOCK)).replaceWithVoid();
    }

    private static Uni<Void> notifyReplicas(SqlConnection conn, String payload) {
        // Delivered when the transaction commits, and only then.
        return conn.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, payload)).replaceWithVoid();
    }

    /**
     * The latest deploy or undeploy.
     *
     * @param active    true when the deployment is still active (the change was its deploy)
     * @param changedAt the database time of the change: {@code deactivated_at} of an inactive row,
     *                  {@code created_at} of the active one
     */
    record Change(String id, String jobId, String source, String datasetId, String modelType, int version, boolean active,
            Instant changedAt) {
    }

    /** The latest deployment change, or null when nothing was ever deployed. */
    Uni<Change> findLatestChange() {
        return pool.query("SELECT id, job_id, source, dataset_id, model_type, version, is_active,"
                + " greatest(created_at, coalesce(deactivated_at, created_at)) AS changed_at"
                + " FROM deployment ORDER BY changed_at DESC, id DESC LIMIT 1").execute()
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Change(row.getString("id"), row.getString("job_id"), row.getString("source"),
                            row.getString("dataset_id"), row.getString("model_type"), row.getInteger("version"),
                            row.getBoolean("is_active"), row.getOffsetDateTime("changed_at").toInstant());
                });
    }

    /**
     * A stored model artifact.
     *
     * @param bytes  the serialized pipeline, as stored
     * @param sha256 the stored hex sha256 of {@code bytes}, to check them against
     */
    record StoredArtifact(byte[] bytes, String sha256) {
    }

    /** The artifact of the job of that kind, or null when the job does not exist or has none. */
    Uni<StoredArtifact> findArtifact(JobKind kind, String jobId) {
        return pool.preparedQuery("SELECT a.bytes, a.sha256 FROM " + kind.table() + " j JOIN model_artifact a ON a.id = j.artifact_id"
                + " WHERE j.id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new StoredArtifact(row.getBuffer("bytes").getBytes(), row.getString("sha256"));
                });
    }
}
