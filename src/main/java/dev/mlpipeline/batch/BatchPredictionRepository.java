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
                        : conn.preparedQuery("DELETE FROM batch_prediction_chunk WHERE batch_id = $1").execute(Tuple.of(id))
                                .replaceWith(true)));
    }

    /**
     * The result of one chunk of dataset rows, as parallel arrays: entry {@code i} is dataset row
     * {@code first + i}; {@code probabilities} holds {@code k} entries per row (classification; null entries
     * for a failed row); {@code error} is null when every row scored.
     */
    record Chunk(long first, String[] input, String[] prediction, Double[] probabilities, String[] error, int scored, int failed) {
        int rows() {
            return input.length;
        }
    }

    /**
     * Writes a chunk of results as one table row (its fields as arrays) and adds to the counts, in one
     * statement, only while the batch is RUNNING under {@code owner}.
     *
     * @return false when the batch is no longer this replica's (cancelled, failed by a timeout): stop
     */
    Uni<Boolean> insertChunk(String id, String owner, Chunk chunk) {
        return pool.preparedQuery("WITH mine AS (SELECT id FROM batch_prediction WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $2),"
                + " written AS (INSERT INTO batch_prediction_chunk (batch_id, first_row, row_count, input, prediction, probabilities, error)"
                + " SELECT $1, $3, $4, $5::text[], $6::text[], $7::float8[], $8::text[] WHERE EXISTS (SELECT 1 FROM mine))"
                + " UPDATE batch_prediction SET rows_scored = rows_scored + $9, rows_failed = rows_failed + $10"
                + " WHERE id IN (SELECT id FROM mine)")
                .execute(Tuple.from(Arrays.asList(id, owner, chunk.first(), chunk.rows(), chunk.input(), chunk.prediction(),
                        chunk.probabilities(), chunk.error(), (long) chunk.scored(), (long) chunk.failed())))
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

    /**
     * One result row: its input cells as a CSV record, prediction (null when it failed), class probabilities
     * in class_labels order (classification; null when it failed), error.
     */
    record ResultRow(long index, String input, String prediction, Double[] probabilities, String error) {
    }

    /**
     * The result rows of up to {@code chunks} stored chunks after dataset row {@code afterRow}, in row order
     * (a keyset page over the primary key).
     */
    Uni<List<ResultRow>> page(String id, long afterRow, int chunks) {
        return pool.preparedQuery("SELECT first_row, input, prediction, probabilities, error, cardinality(probabilities) / row_count"
                + " FROM batch_prediction_chunk WHERE batch_id = $1 AND first_row > $2 ORDER BY first_row LIMIT $3")
                .execute(Tuple.of(id, afterRow, chunks))
                .map(BatchPredictionRepository::resultRows);
    }

    private static List<ResultRow> resultRows(RowSet<Row> chunks) {
        List<ResultRow> out = new ArrayList<>();
        for (Row r : chunks) {
            long first = r.getLong(0);
            String[] input = r.getArrayOfStrings(1);
            String[] prediction = r.getArrayOfStrings(2);
            Double[] probabilities = r.getArrayOfDoubles(3);
            String[] error = r.getArrayOfStrings(4);
            int k = probabilities == null ? 0 : r.getInteger(5);
            for (int i = 0; i < input.length; i++) {
                Double[] p = null;
                if (probabilities != null && probabilities[i * k] != null) {
                    p = Arrays.copyOfRange(probabilities, i * k, (i + 1) * k);
                }
                out.add(new ResultRow(first + i, input[i], prediction[i], p, error == null ? null : error[i]));
            }
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
