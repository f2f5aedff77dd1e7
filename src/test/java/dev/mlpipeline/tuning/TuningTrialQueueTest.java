package dev.mlpipeline.tuning;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.POLL;
import static dev.mlpipeline.ApiFixtures.awaitCompleted;
import static dev.mlpipeline.ApiFixtures.awaitStatus;
import static dev.mlpipeline.ApiFixtures.submitTuning;
import static dev.mlpipeline.ApiFixtures.upload;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trials of a tuning job as queue work (issue 16): recovery of a trial whose worker died, the
 * second loss failing the job, and the replica recorded per trial. A "dead worker" is simulated in the
 * database: a PENDING trial taken by a replica that never writes its heartbeat (last heard an hour ago).
 * The two-replica case is {@code TuningTrialReplicaIT}.
 */
@QuarkusTest
class TuningTrialQueueTest {

    /**
     * 24 configurations on titanic, so that trials are still waiting when the test takes one. They differ in
     * min_samples_leaf and max_depth, not in n_trees: configurations that differ only in n_trees share one fit and
     * are claimed together, which would leave only four work items, gone within a fraction of a second.
     */
    private static String submitLongGrid() {
        String ds = upload("titanic.csv");
        return submitTuning("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"cv_folds\":3,\"search_space\":{\"n_trees\":[300],\"min_samples_leaf\":[1,2,3,4,5,6],\"max_depth\":[3,5,8,null]}}");
    }

    /**
     * Gives the last PENDING trial of the job to a replica that died an hour ago, on its {@code attempt}-th
     * attempt; returns the trial's index.
     */
    private static int loseLastPendingTrial(String job, int attempt) {
        int[] index = new int[1];
        await("a PENDING trial of " + job).atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> {
            var pending = TestDatabase.first("SELECT max(trial_index) FROM tuning_trial WHERE tuning_job_id = ? AND status = 'PENDING'",
                    row -> row.getObject(1) == null ? null : row.getInt(1), job);
            if (pending.isEmpty()) {
                return false;
            }
            index[0] = pending.get();
            return TestDatabase.update("UPDATE tuning_trial SET status = 'RUNNING', claimed_by = 'replica-gone', attempts = ?,"
                    + " heartbeat_at = now() - interval '1 hour' WHERE tuning_job_id = ? AND trial_index = ? AND status = 'PENDING'",
                    attempt, job, index[0]) == 1;
        });
        return index[0];
    }

    @Test
    void aTrialWhoseWorkerDiedRunsOnceMoreAndTheJobCompletesWithEveryTrial() {
        String job = submitLongGrid();
        int lost = loseLastPendingTrial(job, 1);

        JsonPath done = awaitCompleted(job);
        List<Map<String, Object>> trials = done.getList("trials");
        assertEquals(24, trials.size());
        for (Map<String, Object> trial : trials) {
            assertNotNull(trial.get("replica"), "the replica that ran " + trial);
            assertNotEquals("replica-gone", trial.get("replica"));
        }
        assertEquals(2L, TestDatabase.count("SELECT attempts FROM tuning_trial WHERE tuning_job_id = ? AND trial_index = ?", job, lost),
                "the lost trial ran a second time");
        assertEquals(1L, TestDatabase.count("SELECT count(DISTINCT claimed_by) FROM tuning_trial WHERE tuning_job_id = ?", job),
                "one replica in this test ran every trial");
        assertEquals(1.0, done.getDouble("progress"), 1e-9);
        assertTrue(done.getDouble("best_score") > 0.7, "best score " + done.get("best_score"));
    }

    @Test
    void aTrialLostTwiceFailsTheJobSayingWhichTrialAndReplica() {
        String job = submitLongGrid();
        int lost = loseLastPendingTrial(job, 2);

        JsonPath failed = awaitStatus(job, "FAILED", "COMPLETED");
        assertEquals("FAILED", failed.getString("status"));
        String error = failed.getString("error");
        assertTrue(error.startsWith("Trial " + lost + " ("), error);
        assertTrue(error.contains("replica replica-gone") && error.contains("attempt 2 of 2") && error.contains("not twice"), error);
        assertEquals(0L, TestDatabase.count("SELECT count(*) FROM tuning_trial WHERE tuning_job_id = ? AND status = 'COMPLETED'"
                + " AND trial_index = ?", job, lost));
        // Workers stop the job's other trials: no heartbeat is written for them any more (every 200 ms while they run).
        await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> TestDatabase.count(
                "SELECT count(*) FROM tuning_trial WHERE tuning_job_id = ? AND status = 'RUNNING' AND claimed_by <> 'replica-gone'"
                        + " AND heartbeat_at > now() - interval '2 seconds'",
                job) == 0);
    }
}
