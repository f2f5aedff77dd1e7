package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.awaitStatus;
import static dev.mlpipeline.ApiFixtures.insertRunningJob;
import static dev.mlpipeline.ApiFixtures.submitTraining;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job queue's guarded state changes and the scheduler's recovery of jobs whose replica died or
 * stopped. These need the beans themselves, so they are not part of the HTTP tests that the
 * {@code *IT} classes rerun on the packaged jar.
 */
@QuarkusTest
class JobQueueTest {

    @Inject
    JobScheduler scheduler;

    @Inject
    JobQueue queue;

    private static final String IRIS_LR = "{\"dataset_id\":\"%s\",\"model_type\":\"LogisticRegression\",\"target_column\":\"species\"}";

    private static String status(String jobId) {
        return TestDatabase.first("SELECT status FROM training_job WHERE id = ?", row -> row.getString(1), jobId).orElseThrow();
    }

    @Test
    void aJobWhoseReplicaDiedIsFailedAndTheNextJobTakesTheNextVersion() {
        String ds = upload("iris.csv");
        String first = submitTraining(IRIS_LR.formatted(ds));
        assertEquals(1, awaitStatus(first, "COMPLETED").getInt("version"));
        // A job claimed by a replica that crashed: RUNNING, heartbeat long past the timeout.
        String orphan = insertRunningJob(ds, "LogisticRegression", "species", List.of("petal_length"), "replica-dead",
                Duration.ofMinutes(10));
        List<String> failed = scheduler.recoverStale().await().atMost(Duration.ofSeconds(10));
        assertTrue(failed.contains(orphan), "recovered " + failed);
        given().get("/api/training/jobs/" + orphan).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("version", nullValue())
                .body("error", containsString("heartbeat"))
                .body("error", containsString("replica-dead"));
        String next = submitTraining(IRIS_LR.formatted(ds));
        assertEquals(2, awaitStatus(next, "COMPLETED").getInt("version"));
    }

    @Test
    void aJobHandedBackAtShutdownIsRunAgainFromTheQueue() {
        String ds = upload("iris.csv");
        String job = insertRunningJob(ds, "DecisionTree", "species", List.of("petal_length", "petal_width"),
                scheduler.owner(), Duration.ZERO);
        // What the scheduler does for its unfinished jobs when the service stops.
        assertTrue(queue.requeue(JobKind.TRAINING, job, scheduler.owner()).await().indefinitely());
        assertEquals(false, queue.requeue(JobKind.TRAINING, job, "another-replica").await().indefinitely());
        scheduler.wakeUp();
        JsonPath done = awaitStatus(job, "COMPLETED", "FAILED");
        assertEquals("COMPLETED", done.getString("status"), () -> done.getString("error"));
        assertEquals(1, done.getInt("version"));
    }

    /**
     * PENDING → RUNNING → COMPLETED | FAILED | CANCELLED, PENDING → CANCELLED: every other change is
     * refused by the queue's guards, so a late worker cannot overwrite a cancel or a timeout.
     */
    @Test
    void onlyTheLifeCyclesTransitionsAreAccepted() {
        String ds = upload("iris.csv");
        String owner = "replica-test";
        JobQueue.Completion completion = new JobQueue.Completion(new byte[]{ 1, 2 }, "ab".repeat(32), "test",
                Map.of("accuracy", 0.9, "f1", Double.NaN), Map.of(), null, null, null);

        // RUNNING → CANCELLED; afterwards no heartbeat, failure, completion or second cancel changes it.
        String cancelled = insertRunningJob(ds, "DecisionTree", "species", List.of("petal_length"), owner, Duration.ZERO);
        assertTrue(queue.heartbeat(JobKind.TRAINING, cancelled, owner, 0.5).await().indefinitely());
        assertTrue(queue.cancel(JobKind.TRAINING, cancelled).await().indefinitely());
        assertFalse(queue.heartbeat(JobKind.TRAINING, cancelled, owner, 0.6).await().indefinitely(), "a heartbeat tells the worker to stop");
        assertFalse(queue.fail(JobKind.TRAINING, cancelled, owner, "late failure").await().indefinitely());
        assertEquals(Optional.empty(), queue.complete(new JobExecution(JobKind.TRAINING, cancelled, owner), completion).await().indefinitely());
        assertFalse(queue.cancel(JobKind.TRAINING, cancelled).await().indefinitely());
        assertFalse(queue.requeue(JobKind.TRAINING, cancelled, owner).await().indefinitely());
        assertEquals("CANCELLED", status(cancelled));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM training_job WHERE id = ? AND (version IS NOT NULL"
                + " OR artifact_id IS NOT NULL)", cancelled), "a cancelled job takes no version and no artifact");

        // RUNNING → FAILED is final too.
        String failed = insertRunningJob(ds, "DecisionTree", "species", List.of("petal_length"), owner, Duration.ZERO);
        assertTrue(queue.fail(JobKind.TRAINING, failed, owner, "boom").await().indefinitely());
        assertFalse(queue.cancel(JobKind.TRAINING, failed).await().indefinitely());
        assertEquals(Optional.empty(), queue.complete(new JobExecution(JobKind.TRAINING, failed, owner), completion).await().indefinitely());
        assertEquals("FAILED", status(failed));

        // RUNNING → COMPLETED takes the pair's next version once; nothing moves it afterwards.
        String completed = insertRunningJob(ds, "DecisionTree", "species", List.of("petal_length"), owner, Duration.ZERO);
        assertEquals(Optional.of(1), queue.complete(new JobExecution(JobKind.TRAINING, completed, owner), completion).await().indefinitely());
        // A repeated completion (a retry after a lost acknowledgement) answers the version already taken and writes nothing.
        assertEquals(Optional.of(1), queue.complete(new JobExecution(JobKind.TRAINING, completed, owner), completion).await().indefinitely());
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM model_version_counter c JOIN training_job j"
                + " ON j.dataset_id = c.dataset_id AND j.model_type = c.model_type WHERE j.id = ? AND c.last_version = 1", completed));
        // Another replica cannot complete it.
        assertEquals(Optional.empty(), queue.complete(new JobExecution(JobKind.TRAINING, completed, "replica-other"), completion).await().indefinitely());
        assertFalse(queue.cancel(JobKind.TRAINING, completed).await().indefinitely());
        assertFalse(queue.fail(JobKind.TRAINING, completed, owner, "late").await().indefinitely());
        assertFalse(queue.heartbeat(JobKind.TRAINING, completed, owner, 0.5).await().indefinitely());
        given().get("/api/training/jobs/" + completed).then().statusCode(200)
                .body("status", equalTo("COMPLETED")).body("version", equalTo(1)).body("progress", equalTo(1.0f))
                .body("metrics.accuracy", equalTo(0.9f))
                .body("metrics.f1", nullValue()); // NaN is stored as null: JSON has no NaN

        // A stale scan never touches a job whose heartbeat is fresh.
        String fresh = insertRunningJob(ds, "DecisionTree", "species", List.of("petal_length"), owner, Duration.ZERO);
        assertFalse(scheduler.recoverStale().await().atMost(Duration.ofSeconds(10)).contains(fresh));
        assertEquals("RUNNING", status(fresh));
        assertTrue(queue.cancel(JobKind.TRAINING, fresh).await().indefinitely());
    }
}
