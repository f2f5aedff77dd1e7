package dev.mlpipeline.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static dev.mlpipeline.common.TelemetryFixtures.IRIS_ROWS;
import static dev.mlpipeline.common.TelemetryFixtures.exposed;
import static dev.mlpipeline.common.TelemetryFixtures.sample;
import static dev.mlpipeline.common.TelemetryFixtures.scrape;
import static dev.mlpipeline.common.TelemetryFixtures.trainIrisTree;
import static dev.mlpipeline.common.TelemetryFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service's own metrics at {@code /q/metrics}, and a clean exposition. */
@QuarkusTest
class MetricsTest {

    private static final Map<String, String> TREE_V1 = Map.of("model_type", "DecisionTree", "version", "1");

    @AfterEach
    void undeploy() {
        given().delete("/api/deployments/active");
    }

    @Test
    void aPredictionIsCountedAndTimedByModelTypeAndVersion() {
        String job = trainIrisTree(upload("iris.csv"));
        String deploymentId = given().contentType(ContentType.JSON).body("{\"job_id\":\"" + job + "\"}")
                .post("/api/deployments/deploy").then().statusCode(201).extract().path("id");

        // Other tests may have served a DecisionTree v1 of another dataset: compare before and after.
        String before = scrape();
        given().contentType(ContentType.JSON).body(IRIS_ROWS).post("/api/deployments/predict").then().statusCode(200);
        given().contentType(ContentType.JSON).body("[{\"sepal_length\":\"long\"}]").post("/api/deployments/predict").then().statusCode(400);
        String after = scrape();

        assertEquals(1, delta(before, after, "mlpipeline_predictions_total", with(TREE_V1, "outcome", "success")));
        assertEquals(2, delta(before, after, "mlpipeline_predicted_rows_total", with(TREE_V1, "outcome", "success")));
        assertEquals(1, delta(before, after, "mlpipeline_predictions_total", with(TREE_V1, "outcome", "invalid_input")));
        assertEquals(1, delta(before, after, "mlpipeline_predicted_rows_total", with(TREE_V1, "outcome", "invalid_input")));
        assertEquals(1, delta(before, after, "mlpipeline_prediction_seconds_count", TREE_V1), "the histogram times successful requests");
        assertEquals(1, delta(before, after, "mlpipeline_prediction_seconds_bucket", with(TREE_V1, "le", "+Inf")));
        assertTrue(exposed(after, "mlpipeline_prediction_seconds_bucket", with(TREE_V1, "le", "0.001")), "millisecond buckets");
        assertTrue(sample(after, "mlpipeline_model_load_seconds_count", Map.of("model_type", "DecisionTree", "outcome", "loaded")) >= 1);

        // The active deployment's info series, with its ids; gone once undeployed.
        await().atMost(Duration.ofSeconds(5)).until(() -> exposed(scrape(), "mlpipeline_deployment_info",
                Map.of("deployment_id", deploymentId, "job_id", job, "model_type", "DecisionTree", "version", "1", "source", "training")));
        assertEquals(1, sample(scrape(), "mlpipeline_deployment_info", Map.of("deployment_id", deploymentId)));
        given().delete("/api/deployments/active").then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> !scrape().contains("mlpipeline_deployment_info{"));
    }

    @Test
    void jobsAreCountedByKindAndStatusAndTimedByOutcome() {
        String exposition = scrape();
        double completedBefore = sample(exposition, "mlpipeline_jobs", Map.of("kind", "training", "status", "COMPLETED"));
        double timedBefore = sample(exposition, "mlpipeline_job_duration_seconds_count",
                Map.of("kind", "training", "model_type", "DecisionTree", "outcome", "completed"));

        trainIrisTree(upload("iris.csv"));

        // The counts are read from PostgreSQL on a timer (every 500 ms in tests), not per scrape.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sample(scrape(), "mlpipeline_jobs", Map.of("kind", "training", "status", "COMPLETED")) >= completedBefore + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> sample(scrape(), "mlpipeline_job_duration_seconds_count",
                Map.of("kind", "training", "model_type", "DecisionTree", "outcome", "completed")) == timedBefore + 1);
        String after = scrape();
        for (String kind : List.of("training", "tuning")) {
            for (String status : List.of("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")) {
                assertTrue(exposed(after, "mlpipeline_jobs", Map.of("kind", kind, "status", status)), kind + " " + status);
            }
            assertTrue(exposed(after, "mlpipeline_job_queue_depth", Map.of("kind", kind)), "queue depth of " + kind);
        }
        assertTrue(exposed(after, "mlpipeline_job_duration_seconds_bucket",
                Map.of("kind", "training", "model_type", "DecisionTree", "outcome", "completed", "le", "5.0")));
    }

    @Test
    void theExpositionIsWellFormedAndIdsAreLabelsOfTheInfoSeriesOnly() {
        given().post("/api/ping").then().statusCode(200);
        String exposition = scrape();
        List<String> families = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(exposition);
        while (m.find()) {
            families.add(m.group(1));
        }
        assertFalse(families.isEmpty());
        assertEquals(List.of(), families.stream().filter(f -> !f.matches("[a-zA-Z_:][a-zA-Z0-9_:]*") || f.startsWith("m__")).toList(),
                "malformed family names");
        // The reactive client's per-connection gauges are dropped (one connection of the pool, registered
        // once per connection); its counters and timers stay, the LISTEN connection's under its own name.
        assertFalse(exposition.contains("postgresql_queue_size"));
        assertTrue(exposition.contains("postgresql_completed_total{clientName=\"<default>\""));
        assertTrue(exposition.contains("clientName=\"deployment-listener\""));
        assertTrue(exposition.contains("sql_pool_queue_size"));

        Matcher ids = Pattern.compile("(?m)^(mlpipeline_\\w+)\\{[^}]*\\b(dataset_id|job_id|deployment_id)=").matcher(exposition);
        while (ids.find()) {
            assertEquals("mlpipeline_deployment_info", ids.group(1), "only the info series carries ids");
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new java.util.HashMap<>(labels);
        all.put(key, value);
        return all;
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return sample(after, name, labels) - sample(before, name, labels);
    }
}
