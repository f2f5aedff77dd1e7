package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.Ids;
import dev.mlpipeline.pipeline.TrainingProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The job queue in PostgreSQL, shared by every replica. Each state change is one short statement
 * or transaction; nothing here holds a transaction open while a model is fitted.
 *
 * <ul>
 * <li>Claiming uses {@code FOR UPDATE SKIP LOCKED}, so concurrent replicas never claim the same job.</li>
 * <li>Completion is one transaction that stores the artifact, takes the next version of the
 * (dataset_id, model_type) pair from {@code model_version_counter} with one atomic upsert and
 * marks the job COMPLETED — only if the job is still RUNNING under the replica that ran it, so a
 * cancelled or timed-out job takes no version and leaves no artifact.</li>
 * <li>Every write about a running job (heartbeat, completion, failure) is conditional on
 * {@code claimed_by}: a replica never writes over a job that is no longer its own. The writes are
 * idempotent, so that a replica may repeat one whose acknowledgement it lost in a database outage.</li>
 * </ul>
 */
@ApplicationScoped
public class JobQueue {

    @Inject
    Pool pool;

    /** Claims the oldest PENDING job of this kind for {@code owner}, if there is one. */
    public Uni<Optional<String>> claimNext(JobKind kind, String owner) {
        String sql = "UPDATE " + kind.table() + " SET status = 'RUNNING', claimed_by = $1, started_at = now(),"
                + " heartbeat_at = now(), progress = 0"
                + " WHERE id = (SELECT id FROM " + kind.table() + " WHERE status = 'PENDING'"
                + " ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id";
        return pool.preparedQuery(sql).execute(Tuple.of(owner))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    /**
     * Writes the heartbeat and progress (a fraction, never lowered) of a job RUNNING under {@code owner}.
     *
     * @return false when the job is no longer RUNNING under {@code owner} (cancelled, failed by a timeout):
     *         stop working on it
     */
    public Uni<Boolean> heartbeat(JobKind kind, String id, String owner, double progress) {
        return pool.preparedQuery("UPDATE " + kind.table() + " SET heartbeat_at = now(), progress = greatest(progress, $2)"
                + " WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $3")
                .execute(Tuple.of(id, progress, owner))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Marks FAILED every RUNNING job whose heartbeat, by the database's clock, is older than
     * {@code timeout}; returns their ids. The error says what is known: which replica last wrote a
     * heartbeat, and when.
     */
    public Uni<List<String>> failStale(JobKind kind, Duration timeout) {
        String sql = "UPDATE " + kind.table() + " SET status = 'FAILED', completed_at = now(),"
                + " error = 'No heartbeat from replica ' || coalesce(claimed_by, '(none recorded)') || ' since '"
                + " || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " || ' (the heartbeat timeout is ' || $1 || ' s while the database is reachable); submit the job again.'"
                + " WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1)"
                + " RETURNING id";
        return pool.preparedQuery(sql).execute(Tuple.of((double) timeout.toSeconds()))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    /** The ids of the jobs of this kind RUNNING under {@code owner}, by the database. */
    public Uni<List<String>> runningUnder(JobKind kind, String owner) {
        return pool.preparedQuery("SELECT id FROM " + kind.table() + " WHERE status = 'RUNNING' AND claimed_by = $1")
                .execute(Tuple.of(owner))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
    }

    /**
     * Takes up again a job RUNNING under {@code owner} that the owner is not running (its claim committed
     * but the acknowledgement was lost): resets its progress and writes its heartbeat.
     *
     * @return false when the job is no longer RUNNING under {@code owner}
     */
    public Uni<Boolean> adopt(JobKind kind, String id, String owner) {
        return pool.preparedQuery("UPDATE " + kind.table() + " SET heartbeat_at = now(), progress = 0"
                + " WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2")
                .execute(Tuple.of(id, owner))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Puts a job that {@code owner} was running back in the queue (its replica is shutting down
     * cleanly), so another replica runs it from the start instead of it failing at the heartbeat
     * timeout. False when the job was no longer RUNNING under this owner.
     */
    public Uni<Boolean> requeue(JobKind kind, String id, String owner) {
        return pool.preparedQuery("UPDATE " + kind.table() + " SET status = 'PENDING', claimed_by = NULL, started_at = NULL,"
                + " heartbeat_at = NULL, progress = 0 WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2")
                .execute(Tuple.of(id, owner))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Marks a job RUNNING under {@code owner} FAILED with {@code error}. Idempotent: true also when the
     * job is already FAILED under {@code owner} (a repeated write); false when it is in another state
     * or another replica's.
     */
    public Uni<Boolean> fail(JobKind kind, String id, String owner, String error) {
        return pool.preparedQuery("WITH failed AS (UPDATE " + kind.table() + " SET status = 'FAILED', error = $3,"
                + " completed_at = now() WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2 RETURNING id)"
                + " SELECT count(*) FROM failed UNION ALL SELECT count(*) FROM " + kind.table()
                + " WHERE id = $1 AND status = 'FAILED' AND claimed_by = $2")
                .execute(Tuple.of(id, owner, error))
                .map(rows -> {
                    long total = 0;
                    for (Row row : rows) {
                        total += row.getLong(0);
                    }
                    return total > 0;
                });
    }

    /**
     * Cancels a PENDING or RUNNING job. A running fit learns of it at its next heartbeat.
     *
     * @return true when the job was cancelled now, false when it had already finished
     */
    public Uni<Boolean> cancel(JobKind kind, String id) {
        return pool.preparedQuery("UPDATE " + kind.table() + " SET status = 'CANCELLED', completed_at = now(),"
                + " error = 'Cancelled on request.' WHERE id = $1 AND status IN ('PENDING', 'RUNNING')")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * What a finished fit hands to {@link #complete}. For tuning jobs, {@code hyperparameters} are
     * those of the refit best configuration (they replace the submitted fixed ones), with
     * {@code bestParams} and {@code bestScore}; training jobs leave the three null. {@code profile} is
     * the version's training profile (for drift), stored with it; null stores none.
     */
    public record Completion(byte[] artifact, String sha256, String format, Map<String, Double> metrics,
            Map<String, Object> hyperparameters, Map<String, Object> bestParams, Double bestScore,
            Map<String, Object> featureImportance, TrainingProfile profile) {

        /** A completion without feature importance and training profile. */
        public Completion(byte[] artifact, String sha256, String format, Map<String, Double> metrics,
                Map<String, Object> hyperparameters, Map<String, Object> bestParams, Double bestScore) {
            this(artifact, sha256, format, metrics, hyperparameters, bestParams, bestScore, null, null);
        }
    }

    /**
     * Stores the artifact, assigns the next version and marks the job COMPLETED, in one transaction,
     * only while the job is RUNNING under the execution's owner; {@code alsoInTransaction} writes what
     * else belongs to the result (a tuning job's trials) on the same connection, before the commit.
     *
     * <p>Idempotent, so that it can be repeated after a database outage: when the job is already
     * COMPLETED under this owner — an earlier attempt committed but its acknowledgement was lost — the
     * version it took is returned and nothing is written. A job takes exactly one version.
     *
     * @return the job's version, or empty when the job is no longer this owner's to complete (cancelled,
     *         failed by a timeout): nothing is stored then
     */
    public Uni<Optional<Integer>> complete(JobExecution execution, Completion completion,
            Function<SqlConnection, Uni<Void>> alsoInTransaction) {
        JobKind kind = execution.kind();
        String id = execution.jobId();
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT dataset_id, model_type, status, version FROM " + kind.table()
                        + " WHERE id = $1 AND claimed_by = $2 FOR UPDATE")
                .execute(Tuple.of(id, execution.owner()))
                .flatMap(rows -> {
                    Row job = rows.size() == 0 ? null : rows.iterator().next();
                    if (job == null || !List.of("RUNNING", "COMPLETED").contains(job.getString("status"))) {
                        return Uni.createFrom().item(Optional.<Integer>empty());
                    }
                    if (job.getString("status").equals("COMPLETED")) {
                        return Uni.createFrom().item(Optional.of(job.getInteger("version")));
                    }
                    return store(conn, kind, id, job.getString("dataset_id"), job.getString("model_type"), completion)
                            .call(version -> alsoInTransaction.apply(conn))
                            .map(Optional::of);
                }));
    }

    /** {@link #complete(JobExecution, Completion, Function)} with nothing else to write. */
    public Uni<Optional<Integer>> complete(JobExecution execution, Completion completion) {
        return complete(execution, completion, conn -> Uni.createFrom().voidItem());
    }

    /**
     * The artifact as a buffer over the same bytes: {@code Buffer.buffer(byte[])} copies them, and a large forest's
     * artifact is a hundred megabytes (issue 18).
     */
    @SuppressWarnings("deprecation") // Buffer.buffer(ByteBuf): the wrapping factory of Vert.x 4
    private static Buffer wrap(byte[] bytes) {
        return Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }

    private Uni<Integer> store(SqlConnection conn, JobKind kind, String id, String datasetId, String modelType,
            Completion c) {
        String artifactId = Ids.next("art");
        JsonObject metrics = new JsonObject();
        // A metric that is undefined on this test split (NaN) is stored as null: JSON has no NaN.
        c.metrics().forEach((name, value) -> metrics.put(name, value == null || !Double.isFinite(value) ? null : value));
        return conn.preparedQuery("INSERT INTO model_artifact (id, bytes, sha256, size_bytes, format, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, now())")
                .execute(Tuple.of(artifactId, wrap(c.artifact()), c.sha256(), (long) c.artifact().length, c.format()))
                .flatMap(ignored -> conn.preparedQuery("INSERT INTO model_version_counter (dataset_id, model_type, last_version)"
                        + " VALUES ($1, $2, 1) ON CONFLICT (dataset_id, model_type)"
                        + " DO UPDATE SET last_version = model_version_counter.last_version + 1 RETURNING last_version")
                        .execute(Tuple.of(datasetId, modelType)))
                .map(rows -> rows.iterator().next().getInteger(0))
                .flatMap(version -> {
                    String sql = "UPDATE " + kind.table() + " SET status = 'COMPLETED', version = $2, artifact_id = $3,"
                            + " metrics = $4, feature_importance = $5, training_profile = $6, progress = 1,"
                            + " completed_at = now(), heartbeat_at = now(), error = NULL"
                            + (kind == JobKind.TUNING ? ", best_params = $7, best_score = $8, hyperparameters = $9" : "")
                            + " WHERE id = $1";
                    Tuple params = Tuple.of(id, version, artifactId, metrics,
                            c.featureImportance() == null ? null : new JsonObject(c.featureImportance()),
                            c.profile() == null ? null : new JsonObject(c.profile().toMap()));
                    if (kind == JobKind.TUNING) {
                        params.addValue(new JsonObject(new java.util.LinkedHashMap<>(c.bestParams()))).addValue(c.bestScore())
                                .addValue(new JsonObject(new java.util.LinkedHashMap<>(c.hyperparameters())));
                    }
                    return conn.preparedQuery(sql).execute(params).replaceWith(version);
                });
    }
}
