package dev.mlpipeline.tuning;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.tuning.dto.TuningJobResponse.TrialResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code tuning_trial} rows of tuning jobs, over the reactive {@link Pool}: trials are written
 * by the runner, outside any Hibernate session, one short statement each, and again (those missing)
 * in the transaction that completes the job.
 */
@ApplicationScoped
class TuningTrialRepository {

    @Inject
    Pool pool;

    /** Deletes every trial of the job (a job requeued after a shutdown starts its search again); completes when done. */
    Uni<Void> deleteByJob(String tuningJobId) {
        return pool.preparedQuery("DELETE FROM tuning_trial WHERE tuning_job_id = $1").execute(Tuple.of(tuningJobId))
                .replaceWithVoid();
    }

    /**
     * Stores a finished trial and raises the job's progress to at least {@code progress} (a fraction,
     * 0 to 1), in one statement, only while the job is RUNNING under {@code owner}: the trial of a
     * cancelled or failed job is dropped. Idempotent: a trial already stored is left as it is.
     */
    Uni<Void> insert(String tuningJobId, String owner, TuningTrial trial, double progress) {
        return pool.preparedQuery("WITH job AS (UPDATE tuning_job SET progress = greatest(progress, $9)"
                + " WHERE id = $1 AND status = 'RUNNING' AND claimed_by = $10 RETURNING id)"
                + " INSERT INTO tuning_trial (tuning_job_id, trial_index, params, mean_score, std_score, fold_scores,"
                + " duration_ms, created_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM job"
                + " ON CONFLICT (tuning_job_id, trial_index) DO NOTHING")
                .execute(Tuple.from(List.of(tuningJobId, trial.index(), params(trial), trial.mean(), trial.std(),
                        folds(trial), trial.durationMs(), OffsetDateTime.now(ZoneOffset.UTC), progress, owner)))
                .replaceWithVoid();
    }

    /**
     * Stores every trial of a job that is not stored yet, on {@code conn}: part of the transaction that
     * completes the job, so that trials whose own write failed in a database outage are not lost.
     */
    Uni<Void> insertMissing(SqlConnection conn, String tuningJobId, List<TuningTrial> all) {
        if (all.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Tuple> batch = all.stream().map(trial -> Tuple.from(List.of(tuningJobId, trial.index(), params(trial), trial.mean(),
                trial.std(), folds(trial), trial.durationMs(), now))).toList();
        return conn.preparedQuery("INSERT INTO tuning_trial (tuning_job_id, trial_index, params, mean_score, std_score,"
                + " fold_scores, duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                + " ON CONFLICT (tuning_job_id, trial_index) DO NOTHING")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    private static JsonObject params(TuningTrial trial) {
        return new JsonObject(new LinkedHashMap<>(trial.params()));
    }

    private static Double[] folds(TuningTrial trial) {
        return Arrays.stream(trial.foldScores()).boxed().toArray(Double[]::new);
    }

    /** The job's trials ordered by {@code trial_index} (durations in milliseconds); empty when it has none or does not exist. */
    Uni<List<TrialResponse>> listByJob(String tuningJobId) {
        return pool.preparedQuery("SELECT trial_index, params, mean_score, std_score, fold_scores, duration_ms"
                + " FROM tuning_trial WHERE tuning_job_id = $1 ORDER BY trial_index")
                .execute(Tuple.of(tuningJobId))
                .map(rows -> {
                    List<TrialResponse> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new TrialResponse(r.getInteger("trial_index"), r.getJsonObject("params").getMap(),
                            r.getDouble("mean_score"), r.getDouble("std_score"),
                            Arrays.asList(r.getArrayOfDoubles("fold_scores")), r.getLong("duration_ms"))));
                    return out;
                });
    }
}
