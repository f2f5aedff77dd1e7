package dev.mlpipeline.deployment;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.jobs.JobKind;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The prediction log ({@code prediction_log}, one table row per written batch, see the V8 migration) and
 * the training profiles that drift compares it with. Everything goes through the reactive {@link Pool}:
 * the writer runs outside any request, and the reads return bytes that are parsed off the event loop.
 */
@ApplicationScoped
public class PredictionLogRepository {

    @Inject
    Pool pool;

    /**
     * Inserts one batch: one statement, one table row.
     *
     * @param json the batch's {@code {"at": [...], "features": [...], "values": [[...], ...], "predictions": [...]}}
     *             as JSON text (batches written by earlier versions of the service hold {@code "inputs": [{...}, ...]} instead of
     *             {@code features} and {@code values}; the drift reader takes both)
     */
    Uni<Void> insert(String deploymentId, Instant firstAt, Instant lastAt, int rows, String json) {
        return pool.preparedQuery("INSERT INTO prediction_log (deployment_id, first_at, last_at, row_count, rows)"
                + " VALUES ($1, $2, $3, $4, $5::text::json)")
                .execute(Tuple.of(deploymentId, utc(firstAt), utc(lastAt), rows, json))
                .replaceWithVoid();
    }

    /** Deletes the batches whose newest row is older than {@code retention}; returns how many. */
    Uni<Integer> deleteOlderThan(Duration retention) {
        return pool.preparedQuery("DELETE FROM prediction_log WHERE last_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) retention.toMillis() / 1000.0))
                .map(rows -> rows.rowCount());
    }

    /**
     * The batches of {@code deploymentId} that may hold rows logged in {@code [since, until)}, newest
     * first, as UTF-8 JSON bytes: only as many batches as hold the newest {@code maxRows} rows of the
     * window (a batch straddling the window's start may add some rows outside it; the caller filters by
     * each row's time).
     */
    Uni<List<byte[]>> findBatches(String deploymentId, Instant since, Instant until, int maxRows) {
        return pool.preparedQuery("SELECT convert_to(rows::text, 'UTF8') FROM (SELECT rows, last_at, id,"
                + " sum(row_count) OVER (ORDER BY last_at DESC, id DESC) - row_count AS newer"
                + " FROM prediction_log WHERE deployment_id = $1 AND last_at >= $2 AND first_at < $3) b"
                + " WHERE newer < $4 ORDER BY last_at DESC, id DESC")
                .execute(Tuple.of(deploymentId, utc(since), utc(until), (long) maxRows))
                .map(rows -> {
                    List<byte[]> out = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        out.add(row.getBuffer(0).getBytes());
                    }
                    return out;
                });
    }

    /**
     * The stored training profile of the job's version as UTF-8 JSON bytes; an empty array when the
     * job has none (trained before profiles were stored), null when there is no such job.
     */
    Uni<byte[]> findProfile(JobKind kind, String jobId) {
        return pool.preparedQuery("SELECT convert_to(training_profile::text, 'UTF8') FROM " + kind.table() + " WHERE id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    var bytes = rows.iterator().next().getBuffer(0);
                    return bytes == null ? new byte[0] : bytes.getBytes();
                });
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
