package dev.mlpipeline.jobs;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** Counts of jobs per kind and status, for the job gauges ({@link JobMetrics}). */
@ApplicationScoped
public class JobCountRepository {

    /** One grouped count per job table, in one statement. */
    private static final String COUNTS = "SELECT 'TRAINING' AS kind, status, count(*) AS n FROM " + JobKind.TRAINING.table()
            + " GROUP BY status UNION ALL SELECT 'TUNING', status, count(*) FROM " + JobKind.TUNING.table() + " GROUP BY status"
            + " UNION ALL SELECT 'BATCH_PREDICTION', status, count(*) FROM " + JobKind.BATCH_PREDICTION.table() + " GROUP BY status";

    @Inject
    Pool pool;

    /** Jobs per kind and status; a status with no job is absent from its kind's map. */
    public Uni<Map<JobKind, Map<JobStatus, Long>>> countByKindAndStatus() {
        return pool.query(COUNTS).execute().map(rows -> {
            Map<JobKind, Map<JobStatus, Long>> counts = new EnumMap<>(JobKind.class);
            for (JobKind kind : JobKind.values()) {
                counts.put(kind, new EnumMap<>(JobStatus.class));
            }
            for (Row row : rows) {
                counts.get(JobKind.valueOf(row.getString("kind"))).put(JobStatus.valueOf(row.getString("status")), row.getLong("n"));
            }
            return counts;
        });
    }
}
