package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.Ids;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
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
 * marks the job COMPLETED — only if the job is still RUNNING, so a cancelled or timed-out job
 * takes no version and leaves no artifact.</li>
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
     * Writes the heartbeat and progress of a RUNNING job.
     *
     * @return false when the job is no longer RUNNING (cancelled, or failed by a timeout): stop working on it
     */
    public Uni<Boolean> heartbeat(JobKind kind, String id, double progress) {
        return pool.preparedQuery("UPDATE " + kind.table() + " SET heartbeat_at = now(), progress = $2"
                + " WHERE id = $1 AND status = 'RUNNING'")
                .execute(Tuple.of(id, progress))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Marks FAILED every RUNNING job whose heartbeat is older than {@code timeout}; returns their ids. */
    public Uni<List<String>> failStale(JobKind kind, Duration timeout) {
        String sql = "UPDATE " + kind.table() + " SET status = 'FAILED', completed_at = now(),"
                + " error = 'The job stopped sending heartbeats for more than ' || $1 || ' s (its replica '"
                + " || coalesce(claimed_by, '?') || ' stopped or crashed); submit it again.'"
                + " WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => $1) RETURNING id";
        return pool.preparedQuery(sql).execute(Tuple.of((double) timeout.toSeconds()))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    return ids;
                });
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

    /** Marks a RUNNING job FAILED with {@code error}; false when it was no longer RUNNING. */
    public Uni<Boolean> fail(JobKind kind, String id, String error) {
        return pool.preparedQuery("UPDATE " + kind.table() + " SET status = 'FAILED', error = $2, completed_at = now()"
                + " WHERE id = $1 AND status = 'RUNNING'")
                .execute(Tuple.of(id, error))
                .map(rows -> rows.rowCount() == 1);
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
     * {@code bestParams} and {@code bestScore}; training jobs leave the three null.
     */
    public record Completion(byte[] artifact, String sha256, String format, Map<String, Double> metrics,
            Map<String, Object> hyperparameters, Map<String, Object> bestParams, Double bestScore) {
    }

    /**
     * Stores the artifact, assigns the next version and marks the job COMPLETED, in one transaction.
     *
     * @return the version assigned, or empty when the job was no longer RUNNING (nothing is stored then)
     */
    public Uni<Optional<Integer>> complete(JobKind kind, String id, Completion completion) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT dataset_id, model_type FROM " + kind.table()
                        + " WHERE id = $1 AND status = 'RUNNING' FOR UPDATE")
                .execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<Integer>empty());
                    }
                    Row job = rows.iterator().next();
                    return store(conn, kind, id, job.getString("dataset_id"), job.getString("model_type"), completion)
                            .map(Optional::of);
                }));
    }

    private Uni<Integer> store(SqlConnection conn, JobKind kind, String id, String datasetId, String modelType,
            Completion c) {
        String artifactId = Ids.next("art");
        JsonObject metrics = new JsonObject();
        // A metric that is undefined on this test split (NaN) is stored as null: JSON has no NaN.
        c.metrics().forEach((name, value) -> metrics.put(name, value == null || !Double.isFinite(value) ? null : value));
        return conn.preparedQuery("INSERT INTO model_artifact (id, bytes, sha256, size_bytes, format, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, now())")
                .execute(Tuple.of(artifactId, Buffer.buffer(c.artifact()), c.sha256(), (long) c.artifact().length, c.format()))
                .flatMap(ignored -> conn.preparedQuery("INSERT INTO model_version_counter (dataset_id, model_type, last_version)"
                        + " VALUES ($1, $2, 1) ON CONFLICT (dataset_id, model_type)"
                        + " DO UPDATE SET last_version = model_version_counter.last_version + 1 RETURNING last_version")
                        .execute(Tuple.of(datasetId, modelType)))
                .map(rows -> rows.iterator().next().getInteger(0))
                .flatMap(version -> {
                    String sql = "UPDATE " + kind.table() + " SET status = 'COMPLETED', version = $2, artifact_id = $3,"
                            + " metrics = $4, progress = 1, completed_at = now(), heartbeat_at = now(), error = NULL"
                            + (kind == JobKind.TUNING ? ", best_params = $5, best_score = $6, hyperparameters = $7" : "")
                            + " WHERE id = $1";
                    Tuple params = Tuple.of(id, version, artifactId, metrics);
                    if (kind == JobKind.TUNING) {
                        params.addValue(new JsonObject(new java.util.LinkedHashMap<>(c.bestParams()))).addValue(c.bestScore())
                                .addValue(new JsonObject(new java.util.LinkedHashMap<>(c.hyperparameters())));
                    }
                    return conn.preparedQuery(sql).execute(params).replaceWith(version);
                });
    }
}
