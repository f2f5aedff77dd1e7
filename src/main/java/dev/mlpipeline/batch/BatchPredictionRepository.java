package dev.mlpipeline.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.jobs.JobKind;
import dev.mlpipeline.jobs.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement about batch predictions and their result rows. The queue's own statements (claim,
 * heartbeat, cancel, fail, stale scan) are {@link dev.mlpipeline.jobs.JobQueue}'s, on the same table.
 */
@ApplicationScoped
public class BatchPredictionRepository {

    private static final String COLUMNS = "id, dataset_id, job_id, model_type, version, task, input_columns, class_labels,"
            + " numeric_predictions, status, progress, error, rows_total, rows_scored, rows_failed, created_at, started_at, completed_at";

    @Inject
    Pool pool;

    /** A model version as a batch needs it: null fields when the job does not exist. */
    record JobVersion(String status, String datasetId, String modelType, Integer version, String task) {
    }

    /** The version, task and status of a training or tuning job, or null when it does not exist. */
    Uni<JobVersion> findJobVersion(JobKind kind, String jobId) {
        return pool.preparedQuery("SELECT status, dataset_id, model_type, version, task FROM " + kind.table() + " WHERE id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new JobVersion(r.getString("status"), r.getString("dataset_id"), r.getString("model_type"),
                            r.getInteger("version"), r.getString("task"));
                });
    }

    /** Queues a batch prediction (PENDING). */
    Uni<BatchPrediction> insert(String id, String datasetId, String jobId, JobVersion job, List<String> inputColumns, long rowsTotal) {
        return pool.preparedQuery("INSERT INTO batch_prediction (id, dataset_id, job_id, model_type, version, task, input_columns,"
                + " numeric_predictions, status, rows_total, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, false, 'PENDING', $8, now())"
                + " RETURNING " + COLUMNS)
                .execute(Tuple.from(List.of(id, datasetId, jobId, job.modelType(), job.version(), job.task(),
                        inputColumns.toArray(String[]::new), rowsTotal)))
                .map(rows -> of(rows.iterator().next()));
    }

    Uni<BatchPrediction> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM batch_prediction WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : of(rows.iterator().next()));
    }

    /** Newest first, optionally of one status. */
    Uni<List<BatchPrediction>> list(JobStatus status, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM batch_prediction" + (status == null ? "" : " WHERE status = $2")
                + " ORDER BY created_at DESC, id DESC LIMIT $1";
        Tuple params = status == null ? Tuple.of(limit) : Tuple.of(limit, status.name());
        return pool.preparedQuery(sql).execute(params).map(rows -> {
            List<BatchPrediction> out = new ArrayList<>();
            rows.forEach(r -> out.add(of(r)));
            return out;
        });
    }

    /** Deletes a batch prediction that is not RUNNING or PENDING, with its rows; false when none was deleted. */
    Uni<Boolean> delete(String id) {
        return pool.preparedQuery("DELETE FROM batch_prediction WHERE id = $1 AND status NOT IN ('PENDING', 'RUNNING')")
                .execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Before a run (again, after a requeue or an outage): removes the rows an earlier run wrote, resets the
     * counts and records what the model is; only while the batch is RUNNING under {@code owner}.
     *
     * @return false when the batch is no longer this replica's
     */
    Uni<Boolean> start(String id, String owner, List<String> classLabels, boolean numericPredictions) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE batch_prediction SET rows_scored = 0, rows_failed = 0,"
                + " class_labels = $3, numeric_predictions = $4 WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2")
                .execute(Tuple.of(id, owner, classLabels == null ? null : classLabels.toArray(String[]::new), numericPredictions))
                .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().item(false)
                        : conn.preparedQuery("DELETE FROM batch_prediction_row WHERE batch_id = $1").execute(Tuple.of(id))
                                .replaceWith(true)));
    }

    /** Result rows of one chunk, as parallel arrays (one entry per row). */
    record Rows(long[] index, String[] input, String[] prediction, String[] probabilities, String[] error, int scored, int failed) {
    }

    /**
     * Writes a chunk of result rows with one multi-row INSERT (arrays unnested server-side) and adds to the
     * counts, in one statement, only while the batch is RUNNING under {@code owner}.
     *
     * @return false when the batch is no longer this replica's (cancelled, failed by a timeout): stop
     */
    Uni<Boolean> insertRows(String id, String owner, Rows rows) {
        Long[] index = Arrays.stream(rows.index()).boxed().toArray(Long[]::new);
        return pool.preparedQuery("WITH mine AS (SELECT id FROM batch_prediction WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2),"
                + " written AS (INSERT INTO batch_prediction_row (batch_id, row_index, input, prediction, probabilities, error)"
                + " SELECT $1, u.* FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u WHERE EXISTS (SELECT 1 FROM mine))"
                + " UPDATE batch_prediction SET rows_scored = rows_scored + $8, rows_failed = rows_failed + $9"
                + " WHERE id IN (SELECT id FROM mine)")
                .execute(Tuple.from(List.of(id, owner, index, rows.input(), rows.prediction(), rows.probabilities(), rows.error(),
                        (long) rows.scored(), (long) rows.failed())))
                .map(result -> result.rowCount() == 1);
    }

    /**
     * Marks the batch COMPLETED, only while RUNNING under {@code owner}. Idempotent: true also when it is
     * already COMPLETED under {@code owner} (a repeated write after a lost acknowledgement).
     */
    Uni<Boolean> complete(String id, String owner) {
        return pool.preparedQuery("WITH done AS (UPDATE batch_prediction SET status = 'COMPLETED', progress = 1, completed_at = now(),"
                + " heartbeat_at = now(), error = NULL WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2 RETURNING id)"
                + " SELECT count(*) FROM done UNION ALL SELECT count(*) FROM batch_prediction WHERE id = $1 AND status = 'COMPLETED'"
                + " AND claimed_by = $2")
                .execute(Tuple.of(id, owner))
                .map(rows -> {
                    long total = 0;
                    for (Row row : rows) {
                        total += row.getLong(0);
                    }
                    return total > 0;
                });
    }

    /** One stored result row. */
    record ResultRow(long index, String input, String prediction, String probabilities, String error) {
    }

    /** Up to {@code limit} result rows after {@code afterIndex}, in row order (a keyset page over the primary key). */
    Uni<List<ResultRow>> page(String id, long afterIndex, int limit) {
        return pool.preparedQuery("SELECT row_index, input, prediction, probabilities, error FROM batch_prediction_row"
                + " WHERE batch_id = $1 AND row_index > $2 ORDER BY row_index LIMIT $3")
                .execute(Tuple.of(id, afterIndex, limit))
                .map(BatchPredictionRepository::resultRows);
    }

    private static List<ResultRow> resultRows(RowSet<Row> rows) {
        List<ResultRow> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new ResultRow(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
        }
        return out;
    }

    private static BatchPrediction of(Row r) {
        String[] labels = r.getArrayOfStrings("class_labels");
        return new BatchPrediction(r.getString("id"), r.getString("dataset_id"), r.getString("job_id"), r.getString("model_type"),
                r.getInteger("version"), r.getString("task"), List.of(r.getArrayOfStrings("input_columns")),
                labels == null ? null : List.of(labels), r.getBoolean("numeric_predictions"), JobStatus.valueOf(r.getString("status")),
                r.getDouble("progress"), r.getString("error"), r.getLong("rows_total"), r.getLong("rows_scored"),
                r.getLong("rows_failed"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("started_at"),
                r.getOffsetDateTime("completed_at"));
    }
}
