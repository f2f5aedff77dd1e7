package dev.mlpipeline.tuning;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.tuning.dto.TuningJobResponse.TrialResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code tuning_trial} rows of tuning jobs, which are both the queue of trials waiting for a worker
 * and the trials' results (see {@code V9__tuning_trials_as_queue_work.sql}). Over the reactive
 * {@link Pool}: trials are claimed and written outside any Hibernate session, one short statement each.
 *
 * <p>Every write about a RUNNING trial is conditional on its {@code claimed_by}, as for jobs: a replica
 * never writes over a trial that was given to another after its heartbeat stopped.
 */
@ApplicationScoped
class TuningTrialRepository {

    /** How many times a trial is claimed at most: once, and once more after its worker died. */
    static final int MAX_ATTEMPTS = 2;

    @Inject
    Pool pool;

    /** A trial claimed by this replica: the job, the configuration's index and its parameters, the attempt (1 or 2). */
    record Claimed(String jobId, int index, Map<String, Object> params, int attempt) {
    }

    /** The trials of one job by status, and the first failed trial, if any. */
    record Progress(int pending, int running, int completed, int failed, Optional<FailedTrial> firstFailure) {

        int total() {
            return pending + running + completed + failed;
        }
    }

    /** A FAILED trial: its index, parameters and why. */
    record FailedTrial(int index, Map<String, Object> params, String error) {
    }

    /** A RUNNING trial given back to the queue because its worker's heartbeat stopped. */
    record Lost(int index, String replica, OffsetDateTime lastHeartbeat) {
    }

    /**
     * Writes one PENDING trial per configuration of the job, {@code configs.get(i)} being trial {@code i}.
     * Idempotent: trials already written (by an earlier coordinator of a job requeued after a shutdown)
     * keep their state, so that completed trials are not run again.
     */
    Uni<Void> plan(String tuningJobId, List<Map<String, Object>> configs) {
        if (configs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Tuple> batch = IntStream.range(0, configs.size()).mapToObj(i -> Tuple.of(tuningJobId, i,
                new JsonObject(new LinkedHashMap<>(configs.get(i))), now)).toList();
        return pool.preparedQuery("INSERT INTO tuning_trial (tuning_job_id, trial_index, params, status, attempts, created_at)"
                + " VALUES ($1, $2, $3, 'PENDING', 0, $4) ON CONFLICT (tuning_job_id, trial_index) DO NOTHING")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /**
     * Claims for {@code owner} the first PENDING trial of the oldest RUNNING tuning job (of job {@code tuningJobId}
     * only, when it is not null), with {@code FOR UPDATE SKIP LOCKED}: concurrent replicas never claim the same
     * trial. When the job's model type is {@code sharingModelType}, the claim also takes the job's PENDING trials
     * whose parameters equal the first's except {@code sharedParameter} (configurations that differ only in the
     * tree count, cross-validated together by {@link dev.mlpipeline.pipeline.CrossValidator#crossValidateTreeCounts}),
     * in the same statement, so that no other worker takes them apart.
     *
     * @return the claimed trials, the first one first; empty when no trial is waiting
     */
    Uni<List<Claimed>> claimNext(String owner, String tuningJobId, String sharingModelType, String sharedParameter) {
        String sql = "WITH first AS (SELECT p.tuning_job_id, p.trial_index, p.params, j.model_type"
                + " FROM tuning_trial p JOIN tuning_job j ON j.id = p.tuning_job_id"
                + " WHERE p.status = 'PENDING' AND j.status = 'RUNNING' AND ($2::text IS NULL OR p.tuning_job_id = $2)"
                + " ORDER BY j.created_at, j.id, p.trial_index FOR UPDATE OF p SKIP LOCKED LIMIT 1),"
                + " claimed AS (SELECT s.tuning_job_id, s.trial_index FROM tuning_trial s JOIN first f"
                + " ON s.tuning_job_id = f.tuning_job_id WHERE s.status = 'PENDING' AND (s.trial_index = f.trial_index"
                + " OR (f.model_type = $3 AND s.params ? $4 AND (s.params - $4::text) = (f.params - $4::text)))"
                + " FOR UPDATE OF s SKIP LOCKED)"
                + " UPDATE tuning_trial t SET status = 'RUNNING', claimed_by = $1, attempts = t.attempts + 1, heartbeat_at = now()"
                + " FROM claimed c, first f WHERE t.tuning_job_id = c.tuning_job_id AND t.trial_index = c.trial_index"
                + " RETURNING t.tuning_job_id, t.trial_index, t.params, t.attempts, t.trial_index = f.trial_index AS is_first";
        return pool.preparedQuery(sql).execute(Tuple.of(owner, tuningJobId, sharingModelType, sharedParameter))
                .map(rows -> {
                    List<Claimed> out = new ArrayList<>();
                    for (Row r : rows) {
                        Claimed claimed = new Claimed(r.getString("tuning_job_id"), r.getInteger("trial_index"),
                                r.getJsonObject("params").getMap(), r.getInteger("attempts"));
                        if (r.getBoolean("is_first")) {
                            out.add(0, claimed);
                        } else {
                            out.add(claimed);
                        }
                    }
                    return out;
                });
    }

    /**
     * Writes the heartbeat of every trial RUNNING under {@code owner} whose job is still PENDING or RUNNING.
     *
     * @return the keys ({@link #key}) of the trials whose heartbeat was written: a trial running here and
     *         missing from them is no longer this replica's (its job was cancelled or failed, or it was
     *         given to another replica) and is stopped
     */
    Uni<Set<String>> heartbeat(String owner) {
        return pool.preparedQuery("UPDATE tuning_trial t SET heartbeat_at = now() FROM tuning_job j"
                + " WHERE t.claimed_by = $1 AND t.status = 'RUNNING' AND j.id = t.tuning_job_id"
                + " AND j.status IN ('PENDING', 'RUNNING') RETURNING t.tuning_job_id, t.trial_index")
                .execute(Tuple.of(owner))
                .map(rows -> {
                    Set<String> keys = new java.util.HashSet<>();
                    rows.forEach(r -> keys.add(key(r.getString(0), r.getInteger(1))));
                    return keys;
                });
    }

    /** The key of a trial in {@link #heartbeat}'s answer. */
    static String key(String tuningJobId, int index) {
        return tuningJobId + "#" + index;
    }

    /**
     * Stores the scores of a trial RUNNING under {@code owner} and raises its job's progress to 0.9 of the
     * share of completed trials, in one statement. Idempotent: true also when the trial is already
     * COMPLETED under {@code owner} (a repeated write); false when the trial is no longer this owner's.
     */
    Uni<Boolean> complete(String owner, String tuningJobId, TuningTrial trial) {
        return pool.preparedQuery("WITH done AS (UPDATE tuning_trial SET status = 'COMPLETED', mean_score = $3,"
                + " std_score = $4, fold_scores = $5, duration_ms = $6, created_at = now(), heartbeat_at = now(), error = NULL"
                + " WHERE tuning_job_id = $1 AND trial_index = $2 AND status = 'RUNNING' AND claimed_by = $7 RETURNING 1),"
                // Data-modifying CTEs run whether or not they are read; this one sees the trials as they were before.
                + " job AS (UPDATE tuning_job SET progress = greatest(progress, " + TuningJobRunner.TRIALS_SHARE
                + " * (1 + (SELECT count(*) FROM tuning_trial WHERE tuning_job_id = $1 AND status = 'COMPLETED'))"
                + " / greatest(1, (SELECT count(*) FROM tuning_trial WHERE tuning_job_id = $1)))"
                + " WHERE id = $1 AND status = 'RUNNING' AND EXISTS (SELECT 1 FROM done) RETURNING 1)"
                + " SELECT (SELECT count(*) FROM done) + (SELECT count(*) FROM tuning_trial WHERE tuning_job_id = $1"
                + " AND trial_index = $2 AND status = 'COMPLETED' AND claimed_by = $7)")
                .execute(Tuple.from(List.of(tuningJobId, trial.index(), trial.mean(), trial.std(), folds(trial),
                        trial.durationMs(), owner)))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /** Marks a trial RUNNING under {@code owner} FAILED with {@code error} (its fit failed); false when no longer its. */
    Uni<Boolean> fail(String owner, String tuningJobId, int index, String error) {
        return pool.preparedQuery("UPDATE tuning_trial SET status = 'FAILED', error = $4, heartbeat_at = now()"
                + " WHERE tuning_job_id = $1 AND trial_index = $2 AND status = 'RUNNING' AND claimed_by = $3")
                .execute(Tuple.of(tuningJobId, index, owner, error))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Gives back to the queue every trial RUNNING under {@code owner} (its replica is shutting down cleanly),
     * without counting the attempt; another worker runs it from the start.
     *
     * @return how many trials were given back
     */
    Uni<Integer> requeueAll(String owner) {
        return pool.preparedQuery("UPDATE tuning_trial SET status = 'PENDING', claimed_by = NULL, heartbeat_at = NULL,"
                + " attempts = greatest(0, attempts - 1) WHERE claimed_by = $1 AND status = 'RUNNING'")
                .execute(Tuple.of(owner))
                .map(rows -> rows.rowCount());
    }

    /**
     * Recovers the RUNNING trials of a job whose heartbeat, by the database's clock, is older than
     * {@code timeout}: one still within {@link #MAX_ATTEMPTS} goes back to PENDING (returned), one that
     * has used them all is FAILED with an error naming the replica that last ran it and when it was last
     * heard from.
     */
    Uni<List<Lost>> recoverStale(String tuningJobId, Duration timeout) {
        double seconds = timeout.toMillis() / 1000.0;
        Uni<List<Lost>> retried = pool.preparedQuery("UPDATE tuning_trial t SET status = 'PENDING', claimed_by = NULL,"
                + " heartbeat_at = NULL FROM (SELECT tuning_job_id, trial_index, claimed_by, heartbeat_at FROM tuning_trial"
                + " WHERE tuning_job_id = $1 AND status = 'RUNNING' AND attempts < $3"
                + " AND heartbeat_at < now() - make_interval(secs => $2) FOR UPDATE) old"
                + " WHERE t.tuning_job_id = old.tuning_job_id AND t.trial_index = old.trial_index"
                + " RETURNING t.trial_index, old.claimed_by, old.heartbeat_at")
                .execute(Tuple.of(tuningJobId, seconds, MAX_ATTEMPTS))
                .map(rows -> {
                    List<Lost> lost = new ArrayList<>();
                    rows.forEach(r -> lost.add(new Lost(r.getInteger(0), r.getString(1), r.getOffsetDateTime(2))));
                    return lost;
                });
        return retried.call(ignored -> pool.preparedQuery("UPDATE tuning_trial SET status = 'FAILED', error ="
                + " 'its worker, replica ' || coalesce(claimed_by, '(none recorded)') || ', wrote no heartbeat since '"
                + " || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                + " || ' (heartbeat timeout ' || $2 || ' s), on attempt ' || attempts || ' of ' || $3"
                + " || ': a trial is run again once after its worker died, not twice'"
                + " WHERE tuning_job_id = $1 AND status = 'RUNNING' AND attempts >= $3"
                + " AND heartbeat_at < now() - make_interval(secs => $2)")
                .execute(Tuple.of(tuningJobId, seconds, MAX_ATTEMPTS)));
    }

    /** The trials of a job by status, with the first FAILED one. */
    Uni<Progress> progress(String tuningJobId) {
        return pool.preparedQuery("SELECT status, count(*) AS n, min(trial_index) AS first FROM tuning_trial"
                + " WHERE tuning_job_id = $1 GROUP BY status")
                .execute(Tuple.of(tuningJobId))
                .flatMap(rows -> {
                    Map<String, Integer> counts = new java.util.HashMap<>();
                    Integer firstFailed = null;
                    for (Row r : rows) {
                        counts.put(r.getString("status"), r.getLong("n").intValue());
                        if ("FAILED".equals(r.getString("status"))) {
                            firstFailed = r.getInteger("first");
                        }
                    }
                    Uni<Optional<FailedTrial>> failure = firstFailed == null ? Uni.createFrom().item(Optional.empty())
                            : pool.preparedQuery("SELECT trial_index, params, error FROM tuning_trial"
                                    + " WHERE tuning_job_id = $1 AND trial_index = $2")
                                    .execute(Tuple.of(tuningJobId, firstFailed))
                                    .map(failed -> {
                                        Row r = failed.iterator().next();
                                        return Optional.of(new FailedTrial(r.getInteger(0), r.getJsonObject(1).getMap(),
                                                r.getString(2)));
                                    });
                    return failure.map(first -> new Progress(counts.getOrDefault("PENDING", 0), counts.getOrDefault("RUNNING", 0),
                            counts.getOrDefault("COMPLETED", 0), counts.getOrDefault("FAILED", 0), first));
                });
    }

    /** The COMPLETED trials of a job, ordered by index: what the refit chooses the best configuration from. */
    Uni<List<TuningTrial>> completed(String tuningJobId) {
        return pool.preparedQuery("SELECT trial_index, params, mean_score, std_score, fold_scores, duration_ms"
                + " FROM tuning_trial WHERE tuning_job_id = $1 AND status = 'COMPLETED' ORDER BY trial_index")
                .execute(Tuple.of(tuningJobId))
                .map(rows -> {
                    List<TuningTrial> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new TuningTrial(r.getInteger("trial_index"), r.getJsonObject("params").getMap(),
                            Arrays.stream(r.getArrayOfDoubles("fold_scores")).mapToDouble(Double::doubleValue).toArray(),
                            r.getDouble("mean_score"), r.getDouble("std_score"), r.getLong("duration_ms"))));
                    return out;
                });
    }

    private static Double[] folds(TuningTrial trial) {
        return Arrays.stream(trial.foldScores()).boxed().toArray(Double[]::new);
    }

    /**
     * The job's evaluated (COMPLETED) trials ordered by {@code trial_index} (durations in milliseconds), each
     * with the replica that ran it; empty when it has none or does not exist.
     */
    Uni<List<TrialResponse>> listByJob(String tuningJobId) {
        return pool.preparedQuery("SELECT trial_index, params, mean_score, std_score, fold_scores, duration_ms, claimed_by"
                + " FROM tuning_trial WHERE tuning_job_id = $1 AND status = 'COMPLETED' ORDER BY trial_index")
                .execute(Tuple.of(tuningJobId))
                .map(rows -> {
                    List<TrialResponse> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new TrialResponse(r.getInteger("trial_index"), r.getJsonObject("params").getMap(),
                            r.getDouble("mean_score"), r.getDouble("std_score"),
                            Arrays.asList(r.getArrayOfDoubles("fold_scores")), r.getLong("duration_ms"),
                            r.getString("claimed_by"))));
                    return out;
                });
    }

    /** For log lines: the indexes of some trials. */
    static String indexes(List<Lost> lost) {
        return lost.stream().map(l -> Integer.toString(l.index())).collect(Collectors.joining(", "));
    }
}
