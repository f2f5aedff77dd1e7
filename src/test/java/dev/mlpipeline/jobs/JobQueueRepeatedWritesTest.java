package dev.mlpipeline.jobs;

import java.io.File;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writes about a running job, as a replica repeats them after a database outage: conditional on
 * the replica that runs the job, idempotent, and a job takes exactly one version.
 */
@QuarkusTest
class JobQueueRepeatedWritesTest {

    @Inject
    JobQueue queue;

    @Inject
    JobScheduler scheduler;

    @Inject
    Mutiny.SessionFactory sessions;

    private static String uploadIris() {
        return given().multiPart("file", new File("samples/iris.csv"), "text/csv").post("/api/datasets")
                .then().statusCode(201).extract().path("id");
    }

    /** A training job RUNNING under {@code owner}, with its last heartbeat at {@code heartbeat} (SQL). */
    private String running(String datasetId, String owner, String heartbeat) {
        String id = "trn_queue" + System.nanoTime();
        sql("""
                INSERT INTO training_job (id, dataset_id, model_type, task, target_column, feature_columns,
                    hyperparameters, preprocessing, test_size, random_seed, status, progress, claimed_by,
                    heartbeat_at, created_at, started_at)
                VALUES (?1, ?2, 'DecisionTree', 'classification', 'species', '{petal_length,petal_width}', '{}', '{}',
                    0.2, 42, 'RUNNING', 0.5, ?3, %s, now(), now())""".formatted(heartbeat), id, datasetId, owner);
        return id;
    }

    private void sql(String sql, Object... params) {
        sessions.withTransaction(s -> {
            var q = s.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            return q.executeUpdate();
        }).await().indefinitely();
    }

    private Object value(String sql, Object... params) {
        return sessions.withSession(s -> {
            var q = s.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                q.setParameter(i + 1, params[i]);
            }
            return q.getSingleResult();
        }).await().indefinitely();
    }

    private static JobQueue.Completion completion(String sha256) {
        return new JobQueue.Completion(new byte[]{ 1, 2, 3 }, sha256, "java-serialized-pipeline-v1",
                Map.of("accuracy", 0.9), null, null, null, null);
    }

    private static String randomSha() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static <T> T result(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aCompletionRepeatedAfterALostAcknowledgementTakesOneVersion() {
        String ds = uploadIris();
        String id = running(ds, "replica-test-a", "now()");
        JobExecution execution = new JobExecution(JobKind.TRAINING, id, "replica-test-a");
        String sha = randomSha();
        assertEquals(Optional.of(1), result(queue.complete(execution, completion(sha))));
        // The same write again, as after a commit whose acknowledgement was lost: the version it took.
        assertEquals(Optional.of(1), result(queue.complete(execution, completion(sha))));
        assertEquals(1, ((Number) value("SELECT last_version FROM model_version_counter WHERE dataset_id = ?1"
                + " AND model_type = 'DecisionTree'", ds)).intValue());
        assertEquals(1L, ((Number) value("SELECT count(*) FROM model_artifact WHERE sha256 = ?1", sha)).longValue());
        assertEquals("COMPLETED", value("SELECT status FROM training_job WHERE id = ?1", id));
        // A completed job is no longer the replica's to beat for or to fail.
        assertFalse(result(queue.heartbeat(JobKind.TRAINING, id, "replica-test-a", 0.5)));
        assertFalse(result(queue.fail(JobKind.TRAINING, id, "replica-test-a", "late")));
    }

    @Test
    void onlyTheReplicaRunningAJobWritesAboutIt() {
        String ds = uploadIris();
        String id = running(ds, "replica-test-b", "now()");
        String sha = randomSha();
        JobExecution other = new JobExecution(JobKind.TRAINING, id, "replica-test-c");
        assertEquals(Optional.empty(), result(queue.complete(other, completion(sha))));
        assertFalse(result(queue.heartbeat(JobKind.TRAINING, id, "replica-test-c", 0.7)));
        assertFalse(result(queue.fail(JobKind.TRAINING, id, "replica-test-c", "not mine")));
        assertEquals(0L, ((Number) value("SELECT count(*) FROM model_artifact WHERE sha256 = ?1", sha)).longValue());
        assertEquals("RUNNING", value("SELECT status FROM training_job WHERE id = ?1", id));

        assertTrue(result(queue.heartbeat(JobKind.TRAINING, id, "replica-test-b", 0.6)));
        // Progress is never lowered by a late heartbeat.
        assertTrue(result(queue.heartbeat(JobKind.TRAINING, id, "replica-test-b", 0.2)));
        assertEquals(0.6, ((Number) value("SELECT progress FROM training_job WHERE id = ?1", id)).doubleValue());
        assertTrue(result(queue.fail(JobKind.TRAINING, id, "replica-test-b", "boom")));
        assertTrue(result(queue.fail(JobKind.TRAINING, id, "replica-test-b", "boom")), "a repeated failure write");
        assertEquals("boom", value("SELECT error FROM training_job WHERE id = ?1", id));
        JobExecution owner = new JobExecution(JobKind.TRAINING, id, "replica-test-b");
        assertEquals(Optional.empty(), result(queue.complete(owner, completion(sha))));
        assertEquals("FAILED", value("SELECT status FROM training_job WHERE id = ?1", id));
    }

    @Test
    void aStaleJobIsFailedWithItsReplicaAndItsLastHeartbeat() {
        String ds = uploadIris();
        String stale = running(ds, "replica-gone", "timestamptz '2026-01-02 03:04:05.678+00'");
        String alive = running(ds, "replica-alive", "now()");
        List<String> failed = result(queue.failStale(JobKind.TRAINING, Duration.ofSeconds(60)));
        assertTrue(failed.contains(stale), failed.toString());
        assertFalse(failed.contains(alive), failed.toString());
        assertEquals("No heartbeat from replica replica-gone since 2026-01-02T03:04:05Z (the heartbeat timeout is 60 s"
                + " while the database is reachable); submit the job again.", value("SELECT error FROM training_job WHERE id = ?1", stale));
        assertEquals("RUNNING", value("SELECT status FROM training_job WHERE id = ?1", alive));
        sql("UPDATE training_job SET status = 'CANCELLED' WHERE id = ?1", alive);
    }

    @Test
    void aJobWhoseClaimWasLostIsRunOnceWhenTheDatabaseIsBack() {
        String ds = uploadIris();
        // Claimed by this replica in the database, but the claim's acknowledgement never arrived.
        String id = running(ds, scheduler.owner(), "now()");
        scheduler.reassert();
        scheduler.reassert();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> "COMPLETED".equals(
                given().get("/api/training/jobs/" + id).then().statusCode(200).extract().path("status")));
        assertEquals(1, ((Number) value("SELECT version FROM training_job WHERE id = ?1", id)).intValue());
        assertEquals(1, ((Number) value("SELECT last_version FROM model_version_counter WHERE dataset_id = ?1"
                + " AND model_type = 'DecisionTree'", ds)).intValue());
        // Taken up again, it is not taken up a second time.
        scheduler.reassert();
        assertEquals(Optional.empty(), result(queue.runningUnder(JobKind.TRAINING, scheduler.owner())
                .map(ids -> ids.stream().filter(id::equals).findAny())));
    }
}
