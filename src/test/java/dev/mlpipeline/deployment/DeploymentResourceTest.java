package dev.mlpipeline.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import dev.mlpipeline.pipeline.ArtifactCodec;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.Prediction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.JOB_DEADLINE;
import static dev.mlpipeline.ApiFixtures.POLL;
import static dev.mlpipeline.ApiFixtures.deploy;
import static dev.mlpipeline.ApiFixtures.submitTraining;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deploy, predict, undeploy and the deployment history over HTTP. {@link DeploymentResourceIT}
 * reruns it on the packaged jar. Every test undeploys what it deployed.
 */
@QuarkusTest
class DeploymentResourceTest {

    static JsonPath predict(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/deployments/predict")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The fitted pipeline of a job, read from its stored artifact as a replica would. */
    private static FittedPipeline pipelineOf(String jobId) {
        return TestDatabase.first("SELECT a.bytes, a.sha256 FROM training_job j JOIN model_artifact a ON a.id = j.artifact_id"
                + " WHERE j.id = ?", row -> ArtifactCodec.deserialize(row.getBytes(1), row.getString(2)), jobId).orElseThrow();
    }

    @AfterEach
    void undeployWhatTheTestDeployed() {
        undeploy();
    }

    @Test
    void deployPredictHistoryAndUndeploy() {
        String ds = upload("titanic.csv");
        String job = train(
                "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\",\"hyperparameters\":{\"n_trees\":30}}");
        JsonPath deployed = deploy(job, 201);
        String depId = deployed.getString("id");
        assertTrue(depId.startsWith("dep_"));
        assertEquals(job, deployed.getString("job_id"));
        assertEquals("training", deployed.getString("source"));
        assertEquals("titanic", deployed.getString("dataset_name"));
        assertEquals("RandomForest", deployed.getString("model_type"));
        assertEquals(1, deployed.getInt("version"));
        assertTrue(deployed.getBoolean("is_active"));
        assertEquals(null, deployed.getString("deactivated_at"));

        JsonPath p = predict("[{\"Pclass\":3,\"Sex\":\"male\",\"Age\":22,\"SibSp\":1,\"Parch\":0,\"Fare\":7.25,\"Embarked\":\"S\"},"
                + "{\"Pclass\":1,\"Sex\":\"female\",\"Age\":38,\"SibSp\":1,\"Parch\":0,\"Fare\":71.28,\"Embarked\":\"C\",\"Name\":\"Cumings\"}]");
        assertEquals(List.of(0, 1), p.getList("predictions"));
        assertEquals(2, p.getList("probabilities").size());
        double sum = p.getDouble("probabilities[0].'0'") + p.getDouble("probabilities[0].'1'");
        assertEquals(1.0, sum, 1e-6);
        assertEquals(depId, p.getString("deployment_id"));
        assertEquals(job, p.getString("job_id"));
        assertEquals("RandomForest", p.getString("model_type"));
        assertEquals(1, p.getInt("version"));
        assertEquals(List.of("Name"), p.getList("ignored_columns"));

        given().get("/api/deployments/active").then().statusCode(200).body("id", equalTo(depId));
        // Redeploying the active version is a no-op that returns it.
        assertEquals(depId, deploy(job, 200).getString("id"));
        given().get("/api/deployments/").then().statusCode(200).body("[0].id", equalTo(depId)).body("[0].is_active", equalTo(true));
        given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200)
                .body("[0].deployed_version", equalTo(1)).body("[0].versions[0].is_deployed", equalTo(true));

        given().delete("/api/deployments/active").then().statusCode(204);
        given().get("/api/deployments/active").then().statusCode(404).contentType("application/problem+json");
        given().delete("/api/deployments/active").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[{\"Pclass\":3}]").post("/api/deployments/predict").then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("no active deployment"));
        given().get("/api/deployments/").then().body("find { it.id == '" + depId + "' }.is_active", equalTo(false))
                .body("find { it.id == '" + depId + "' }.deactivated_at", notNullValue());
    }

    @Test
    void httpPredictionsEqualThePipelinesOwnForAClassifierWithCategoricalsAndMissingValues() {
        String ds = upload("customers.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Churn\"}");
        deploy(job, 201);
        List<Map<String, Object>> rows = given().get("/api/datasets/" + ds + "/preview?limit=50").then().extract().path("rows");
        List<Map<String, Object>> input = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
            row.remove("Churn");
            if (i % 5 == 0) {
                row.remove("tenure"); // missing feature: imputed
            }
            if (i % 7 == 0) {
                row.put("Contract", null); // null categorical: imputed
            }
            if (i % 11 == 0) {
                row.put("PaymentMethod", "Bitcoin"); // unseen category: all zeros
            }
            input.add(row);
        }
        JsonPath http = given().contentType(ContentType.JSON).body(input).post("/api/deployments/predict").then()
                .statusCode(200).extract().jsonPath();
        Prediction local = pipelineOf(job).predict(input);
        assertEquals(local.predictions(), http.getList("predictions"));
        for (int i = 0; i < input.size(); i++) {
            Map<String, Number> probs = http.getMap("probabilities[" + i + "]");
            for (var e : local.probabilities().get(i).entrySet()) {
                assertEquals(e.getValue(), probs.get(e.getKey()).doubleValue(), 1e-6, "row " + i + " label " + e.getKey());
            }
        }
        assertTrue(http.getList("predictions").stream().allMatch(v -> v.equals("Yes") || v.equals("No")));
    }

    @Test
    void httpPredictionsEqualThePipelinesOwnForARegressor() {
        String ds = upload("california_housing.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"GradientBoosting\",\"target_column\":\"median_house_value\","
                + "\"hyperparameters\":{\"n_trees\":30}}");
        deploy(job, 201);
        List<Map<String, Object>> rows = given().get("/api/datasets/" + ds + "/preview?limit=40").then().extract().path("rows");
        rows.forEach(r -> r.remove("median_house_value"));
        rows.get(3).put("total_bedrooms", null);
        JsonPath http = given().contentType(ContentType.JSON).body(rows).post("/api/deployments/predict").then()
                .statusCode(200).body("probabilities", nullValue()).extract().jsonPath();
        Prediction local = pipelineOf(job).predict(rows);
        List<Number> got = http.getList("predictions");
        for (int i = 0; i < rows.size(); i++) {
            double expected = ((Number) local.predictions().get(i)).doubleValue();
            assertEquals(expected, got.get(i).doubleValue(), Math.abs(expected) * 1e-6, "row " + i);
        }
    }

    @Test
    void badPredictInputsAre4xx() {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\"}");
        deploy(job, 201);
        given().contentType(ContentType.JSON).body("[{\"Pclass\":3},{\"Age\":\"old\"}]").post("/api/deployments/predict").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("[1].Age")).body("detail", containsString("row 1"));
        given().contentType(ContentType.JSON).body("[{\"Sex\":{\"a\":1}}]").post("/api/deployments/predict").then()
                .statusCode(400).body("errors[0].field", equalTo("[0].Sex"));
        given().contentType(ContentType.JSON).body("[]").post("/api/deployments/predict").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("non-empty"));
        given().contentType(ContentType.JSON).body("{\"Pclass\":3}").post("/api/deployments/predict").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[1,2]").post("/api/deployments/predict").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("").post("/api/deployments/predict").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[null]").post("/api/deployments/predict").then()
                .statusCode(400).body("errors[0].field", equalTo("[0]"));
        given().contentType(ContentType.JSON).body("[{\"Pclass\": 3,]").post("/api/deployments/predict").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("Pclass=3").post("/api/deployments/predict").then()
                .statusCode(415).contentType("application/problem+json");
        String many = "[" + String.join(",", java.util.Collections.nCopies(10_001, "{\"Pclass\":3}")) + "]";
        given().contentType(ContentType.JSON).body(many).post("/api/deployments/predict").then()
                .statusCode(413).contentType("application/problem+json").body("detail", containsString("10000"));
        // Missing features are imputed; 10,000 rows (the limit) are accepted.
        String limit = "[" + String.join(",", java.util.Collections.nCopies(10_000, "{\"Pclass\":3}")) + "]";
        given().contentType(ContentType.JSON).body(limit).post("/api/deployments/predict").then()
                .statusCode(200).body("predictions", hasSize(10_000));
    }

    @Test
    void badDeployRequests() {
        given().contentType(ContentType.JSON).body("{\"job_id\":\"trn_nope\"}").post("/api/deployments/deploy").then()
                .statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"job_id\":\"xyz\"}").post("/api/deployments/deploy").then()
                .statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{}").post("/api/deployments/deploy").then()
                .statusCode(400).body("errors[0].field", equalTo("job_id"));
        given().contentType(ContentType.JSON).body("{\"job_id\":42}").post("/api/deployments/deploy").then()
                .statusCode(404); // the number is read as the id "42", which names no job
        String ds = upload("adult.csv");
        String pending = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\","
                + "\"target_column\":\"income\",\"hyperparameters\":{\"n_trees\":2000}}");
        given().contentType(ContentType.JSON).body("{\"job_id\":\"" + pending + "\"}").post("/api/deployments/deploy").then()
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("only COMPLETED"));
        given().post("/api/training/jobs/" + pending + "/cancel").then().statusCode(200);
    }

    @Test
    void aCorruptArtifactLeavesThePreviousDeploymentActive() {
        String ds = upload("iris.csv");
        String good = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"species\"}");
        String bad = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        String active = deploy(good, 201).getString("id");
        TestDatabase.update("UPDATE model_artifact SET bytes = overlay(bytes placing '\\x00'::bytea from 100 for 1)"
                + " WHERE id = (SELECT artifact_id FROM training_job WHERE id = ?)", bad);
        given().contentType(ContentType.JSON).body("{\"job_id\":\"" + bad + "\"}").post("/api/deployments/deploy").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("cannot be loaded")).body("detail", containsString("not changed"));
        given().get("/api/deployments/active").then().statusCode(200).body("id", equalTo(active));
        assertEquals(good, predict("[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]")
                .getString("job_id"));
    }

    /** The model check in /q/health/ready (status and data). */
    private static Map<String, Object> modelCheck() {
        List<Map<String, Object>> checks = given().get("/q/health/ready").then().extract().path("checks");
        return checks.stream().filter(c -> ModelCacheReadiness.NAME.equals(c.get("name"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Object modelData(String key) {
        return ((Map<String, Object>) modelCheck().get("data")).get(key);
    }

    private static double loadFailedGauge() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        var m = java.util.regex.Pattern.compile("(?m)^mlpipeline_active_model_load_failed(\\{[^}]*\\})? (\\S+)$").matcher(metrics);
        assertTrue(m.find(), "the gauge is exposed");
        return Double.parseDouble(m.group(2));
    }

    @Test
    void anActiveModelThatCannotLoadIsReportedWhileTheApiStaysReady() {
        String ds = upload("iris.csv");
        String good = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"species\"}");
        String broken = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        deploy(good, 201);
        assertEquals(0.0, loadFailedGauge());
        // Another replica (or an operator) activates a version whose artifact is corrupt, bypassing the deploy's checks.
        String depId = "dep_broken" + System.nanoTime();
        TestDatabase.update("UPDATE model_artifact SET bytes = overlay(bytes placing '\\x00'::bytea from 100 for 1)"
                + " WHERE id = (SELECT artifact_id FROM training_job WHERE id = ?)", broken);
        TestDatabase.update("UPDATE deployment SET is_active = false, deactivated_at = clock_timestamp() WHERE is_active");
        TestDatabase.update("INSERT INTO deployment (id, job_id, source, dataset_id, model_type, version, is_active, created_at)"
                + " SELECT ?, id, 'training', dataset_id, model_type, version, true, clock_timestamp() FROM training_job WHERE id = ?",
                depId, broken);
        TestDatabase.first("SELECT pg_notify(?, ?)", row -> 1, DeploymentRepository.CHANNEL, depId);

        // Readiness stays UP (this replica is past its warm-up) and names the cause.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> "failed".equals(modelData("model_status")));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals("UP", modelCheck().get("status"));
        assertEquals(depId, modelData("desired_deployment"));
        assertEquals(broken, modelData("job_id"));
        assertTrue(String.valueOf(modelData("load_error")).contains("cannot be loaded"), String.valueOf(modelData("load_error")));
        // The gauge says so...
        assertEquals(1.0, loadFailedGauge());
        // ...predict answers 503 naming the deployment and the cause...
        given().contentType(ContentType.JSON).body("[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]")
                .post("/api/deployments/predict").then().statusCode(503).contentType("application/problem+json")
                .body("status", equalTo(503))
                .body("detail", containsString(depId))
                .body("detail", containsString("cannot be loaded"))
                .body("detail", containsString("POST /api/deployments/deploy"));
        // ...and the rest of the API answers, the deploy that fixes it included.
        given().get("/api/deployments/active").then().statusCode(200).body("id", equalTo(depId));
        given().get("/api/datasets/" + ds).then().statusCode(200);
        deploy(good, 201);
        assertEquals("serving", modelData("model_status"));
        assertEquals(0.0, loadFailedGauge());
        assertEquals(good, predict("[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]")
                .getString("job_id"));
    }

    @Test
    void fiftyConcurrentDeploysLeaveExactlyOneActiveRowAndAConsistentHistory() {
        String ds = upload("iris.csv");
        List<String> jobs = IntStream.range(0, 50).mapToObj(i -> submitTraining("{\"dataset_id\":\"" + ds
                + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\",\"random_seed\":" + i + "}")).toList();
        await().atMost(JOB_DEADLINE).pollInterval(POLL)
                .until(() -> given().get("/api/training/jobs?status=COMPLETED&dataset_id=" + ds + "&limit=100").then().extract().jsonPath()
                        .getList("id").size() == 50);
        List<CompletableFuture<Integer>> calls = jobs.stream()
                .map(job -> CompletableFuture
                        .supplyAsync(() -> given().contentType(ContentType.JSON).body("{\"job_id\":\"" + job + "\"}").post("/api/deployments/deploy")
                                .then().extract().statusCode()))
                .toList();
        calls.forEach(c -> assertEquals(201, c.join()));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM deployment WHERE is_active"));
        List<Map<String, Object>> history = given().get("/api/deployments/?limit=1000").then().statusCode(200).extract().path("$");
        List<Map<String, Object>> ours = history.stream().filter(d -> jobs.contains(d.get("job_id"))).toList();
        assertEquals(50, ours.size());
        // Newest first; each deployment was deactivated when (not before) the next one was created.
        for (int i = 0; i + 1 < ours.size(); i++) {
            Instant newer = Instant.parse((String) ours.get(i).get("created_at"));
            Instant olderEnd = Instant.parse((String) ours.get(i + 1).get("deactivated_at"));
            Instant olderStart = Instant.parse((String) ours.get(i + 1).get("created_at"));
            assertTrue(!olderEnd.isAfter(newer) && !olderEnd.isBefore(olderStart), "history " + i + ": " + ours.get(i + 1));
        }
        assertEquals(true, ours.get(0).get("is_active"));
        // The cache follows the latest deployment: predictions name it.
        String latest = (String) ours.get(0).get("id");
        assertEquals(latest, predict("[{\"sepal_length\":5.1}]").getString("deployment_id"));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
