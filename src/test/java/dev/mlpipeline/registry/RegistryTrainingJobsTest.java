package dev.mlpipeline.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.jobs.JobScheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

import static dev.mlpipeline.ApiFixtures.awaitStatus;
import static dev.mlpipeline.ApiFixtures.insertRunningJob;
import static dev.mlpipeline.ApiFixtures.submitTraining;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry over versions that real training jobs took: uploaded datasets, jobs submitted through
 * {@code POST /api/training/jobs}, fitted by the worker pool and completed by {@code JobQueue.complete}
 * (no SQL fixtures for the completed versions).
 */
@QuarkusTest
class RegistryTrainingJobsTest {

    /** Numbers as doubles, so metrics compare exactly whatever their JSON spelling. */
    private static final JsonPathConfig DOUBLES = JsonPathConfig.jsonPathConfig()
            .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

    @Inject
    MlpipelineConfig config;

    @Inject
    JobScheduler scheduler;

    @Inject
    Mutiny.SessionFactory sessions;

    private static JsonPath job(String id) {
        return ApiFixtures.job(id).using(DOUBLES);
    }

    private static JsonPath awaitCompleted(String id) {
        ApiFixtures.awaitCompleted(id);
        return job(id); // read once more, before any value is parsed, so that numbers are doubles
    }

    private static int nextVersion(String ds, String modelType, String jobType) {
        return given().get("/api/registry/next-version?dataset_id=" + ds + "&model_type=" + modelType + "&job_type=" + jobType)
                .then().statusCode(200).extract().path("next_version");
    }

    private static JsonPath registry(String ds) {
        return given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200).extract().jsonPath()
                .using(DOUBLES);
    }

    private static Map<String, Object> metrics(JsonPath json, String path) {
        Map<String, Object> m = json.getMap(path);
        assertNotNull(m, path + " in " + json.prettify());
        return new LinkedHashMap<>(m);
    }

    @Test
    void versionsOfRealTrainingJobsAreListedNewestFirstWithTheJobsMetrics() {
        String ds = upload("iris.csv");
        String body = "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\","
                + "\"random_seed\":%d,\"hyperparameters\":{\"max_depth\":%d}}";
        assertEquals(1, nextVersion(ds, "DecisionTree", "training"));

        List<JsonPath> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // one after the other, so job i takes version i + 1
            JsonPath j = awaitCompleted(submitTraining(body.formatted(7 + i, 2 + i)));
            assertEquals(i + 1, j.getInt("version"));
            done.add(j);
        }

        JsonPath listed = registry(ds);
        assertEquals(1, listed.getList("").size(), listed.prettify());
        assertEquals("DecisionTree", listed.getString("[0].model_type"));
        assertEquals("iris", listed.getString("[0].dataset_name"));
        assertEquals(3, listed.getInt("[0].latest_version"));
        assertEquals(List.of(3, 2, 1), listed.getList("[0].versions.version", Integer.class));
        assertEquals(List.of(done.get(2).getString("id"), done.get(1).getString("id"), done.get(0).getString("id")),
                listed.getList("[0].versions.job_id"));
        assertEquals(List.of("training", "training", "training"), listed.getList("[0].versions.source"));
        for (int v = 3; v >= 1; v--) {
            JsonPath j = done.get(v - 1);
            String at = "[0].versions[" + (3 - v) + "]";
            assertEquals(metrics(j, "metrics"), metrics(listed, at + ".metrics"), "metrics of version " + v);
            assertEquals(j.getString("task"), listed.getString(at + ".task"));
            assertEquals(j.getInt("hyperparameters.max_depth"), listed.getInt(at + ".hyperparameters.max_depth"));
            assertEquals(j.getString("completed_at"), listed.getString(at + ".created_at"), "created_at is the completion time");
            // the lineage of the version names the job's artifact
            given().get("/api/registry/models/DecisionTree/versions/" + v + "?dataset_id=" + ds).then().statusCode(200)
                    .body("job_id", equalTo(j.getString("id")))
                    .body("source", equalTo("training"))
                    .body("artifact.sha256", equalTo(j.getString("artifact.sha256")));
        }
        assertTrue(metrics(done.get(0), "metrics").containsKey("accuracy"));
        given().get("/api/registry/models/DecisionTree/versions?dataset_id=" + ds).then().statusCode(200)
                .body("version", contains(3, 2, 1));

        // the predicted next version is the one the 4th job actually takes (shared by both job types)
        int predicted = nextVersion(ds, "DecisionTree", "training");
        assertEquals(4, predicted);
        assertEquals(4, nextVersion(ds, "DecisionTree", "tuning"));
        JsonPath fourth = awaitCompleted(submitTraining(body.formatted(11, 5)));
        assertEquals(predicted, fourth.getInt("version"));
        JsonPath after = registry(ds);
        assertEquals(List.of(4, 3, 2, 1), after.getList("[0].versions.version", Integer.class));
        assertEquals(fourth.getString("id"), after.getString("[0].versions[0].job_id"));
        assertEquals(metrics(fourth, "metrics"), metrics(after, "[0].versions[0].metrics"));
        assertEquals(5, nextVersion(ds, "DecisionTree", "training"));
    }

    @Test
    void cancelledAndFailedRealJobsTakeNoVersionAndNeverAppear() {
        String ds = upload("titanic.csv");
        String slow = "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"n_trees\":5000}}";
        String fast = "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"Survived\"}";

        // Occupy every worker with a slow fit, so the next job waits in the queue.
        List<String> running = new ArrayList<>();
        for (int i = 0; i < config.jobs().workerCount(); i++) {
            running.add(submitTraining(slow));
        }
        running.forEach(id -> awaitStatus(id, "RUNNING"));
        String pending = submitTraining(fast);
        assertEquals("PENDING", job(pending).getString("status"));
        given().post("/api/training/jobs/" + pending + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        for (String id : running) {
            given().post("/api/training/jobs/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        }

        // A job whose replica died, failed by the scheduler's stale-heartbeat recovery.
        String orphan = insertRunningJob(ds, "DecisionTree", "Survived", List.of("Pclass"), "replica-dead", Duration.ofMinutes(10));
        assertTrue(scheduler.recoverStale().await().atMost(Duration.ofSeconds(10)).contains(orphan));
        given().get("/api/training/jobs/" + orphan).then().body("status", equalTo("FAILED"));

        given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200).body("", hasSize(0));
        assertEquals(1, nextVersion(ds, "DecisionTree", "training"));
        assertEquals(1, nextVersion(ds, "RandomForest", "training"));

        // The next job on the pair takes version 1: none of the above took one. It can only be claimed
        // once a cancelled slow fit has freed its worker.
        JsonPath first = awaitCompleted(submitTraining(fast));
        assertEquals(1, first.getInt("version"));
        JsonPath listed = registry(ds);
        assertEquals(List.of("DecisionTree"), listed.getList("model_type"), listed.prettify());
        assertEquals(List.of(1), listed.getList("[0].versions.version", Integer.class));
        assertEquals(List.of(first.getString("id")), listed.getList("[0].versions.job_id"));
        given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds).then().statusCode(200).body("", empty());
        given().get("/api/registry/stats").then().statusCode(200)
                .body("best_metric_per_model.findAll { it.dataset_id == '" + ds + "' }.model_type", contains("DecisionTree"))
                .body("best_metric_per_model.job_id", everyItem(not(equalTo(pending))));
        for (String id : running) {
            given().get("/api/training/jobs/" + id).then().body("status", equalTo("CANCELLED")).body("version", nullValue());
        }
        given().get("/api/training/jobs/" + pending).then().body("status", equalTo("CANCELLED")).body("version", nullValue());
        assertEquals(2, nextVersion(ds, "DecisionTree", "tuning"));
    }

    /**
     * Invariant 4 (V3 trigger), which GET /api/registry/stats counts on: a COMPLETED job is never
     * deleted and stays COMPLETED with its version, so every counter's last_version is the exact
     * number of versions of its pair.
     */
    @Test
    void completedJobsAreFinalSoEveryCounterIsTheExactNumberOfVersions() {
        String ds = upload("iris.csv");
        String id = awaitCompleted(submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\","
                + "\"target_column\":\"species\"}")).getString("id");
        for (String sql : List.of("DELETE FROM training_job WHERE id = :id",
                "UPDATE training_job SET status = 'FAILED' WHERE id = :id",
                "UPDATE training_job SET version = 7 WHERE id = :id",
                "UPDATE training_job SET model_type = 'DecisionTree' WHERE id = :id")) {
            Throwable refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> sessions.withTransaction(s -> s.createNativeQuery(sql).setParameter("id", id).executeUpdate())
                            .await().indefinitely(),
                    sql);
            String chain = "";
            for (Throwable t = refused; t != null; t = t.getCause()) {
                chain += t.getMessage() + " | ";
            }
            assertTrue(chain.contains("COMPLETED job " + id), sql + ": " + chain);
        }
        given().delete("/api/datasets/" + ds).then().statusCode(409);
        given().get("/api/training/jobs/" + id).then().body("status", equalTo("COMPLETED")).body("version", equalTo(1));
        // updates that leave the versioned columns alone still work on a completed job
        sessions.withTransaction(s -> s.createNativeQuery("UPDATE training_job SET heartbeat_at = now() WHERE id = :id")
                .setParameter("id", id).executeUpdate()).await().indefinitely();

        // Over everything every test wrote so far: counters == completed versions, 1..last_version.
        List<Object[]> broken = sessions.withSession(s -> s.createNativeQuery("""
                SELECT c.dataset_id, c.model_type, c.last_version, count(v.version), max(v.version)
                FROM model_version_counter c
                LEFT JOIN (SELECT dataset_id, model_type, version FROM training_job WHERE status = 'COMPLETED'
                           UNION ALL
                           SELECT dataset_id, model_type, version FROM tuning_job WHERE status = 'COMPLETED') v
                       ON v.dataset_id = c.dataset_id AND v.model_type = c.model_type
                GROUP BY c.dataset_id, c.model_type, c.last_version
                HAVING count(v.version) <> c.last_version OR max(v.version) IS DISTINCT FROM c.last_version""", Object[].class)
                .getResultList()).await().indefinitely();
        assertEquals(List.of(), broken.stream().map(java.util.Arrays::toString).toList());
        long orphans = sessions.withSession(s -> s.createNativeQuery("""
                SELECT count(*) FROM (SELECT dataset_id, model_type FROM training_job WHERE status = 'COMPLETED'
                                      UNION SELECT dataset_id, model_type FROM tuning_job WHERE status = 'COMPLETED') p
                WHERE NOT EXISTS (SELECT 1 FROM model_version_counter c
                                  WHERE c.dataset_id = p.dataset_id AND c.model_type = p.model_type)""", Long.class)
                .getSingleResult()).await().indefinitely();
        assertEquals(0, orphans);
        // and the stats' total (archived versions included) is the same as counting the listed versions
        long listed = given().queryParam("include_archived", true).get("/api/registry/models").then().statusCode(200).extract().jsonPath()
                .getList("versions.flatten()").size();
        long total = ((Number) given().get("/api/registry/stats").then().statusCode(200).extract().path("total_versions"))
                .longValue();
        assertEquals(listed, total);
    }
}
