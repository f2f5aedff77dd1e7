package dev.mlpipeline.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.JOB_DEADLINE;
import static dev.mlpipeline.ApiFixtures.POLL;
import static dev.mlpipeline.ApiFixtures.awaitStatus;
import static dev.mlpipeline.ApiFixtures.submitTraining;
import static dev.mlpipeline.ApiFixtures.upload;
import static dev.mlpipeline.ApiFixtures.uploadCsv;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training jobs over HTTP: submission, validation, life cycle, cancel, versions, progress and the model
 * catalog. {@link TrainingJobResourceIT} reruns it on the packaged jar; the recovery of jobs whose
 * replica died or stopped needs the scheduler's beans and is in {@code jobs.JobQueueTest}.
 */
@QuarkusTest
class TrainingJobResourceTest {

    private static long jobCount() {
        return TestDatabase.count("SELECT count(*) FROM training_job");
    }

    @Test
    void fullLifecycleOfATrainingJob() {
        String ds = upload("iris.csv");
        String location = given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"species\"}")
                .post("/api/training/jobs").then()
                .statusCode(202)
                .header("Location", containsString("/api/training/jobs/trn_"))
                .body("id", matchesPattern("trn_[0-9a-z]{26}"))
                .body("job_type", equalTo("training"))
                .body("dataset_id", equalTo(ds))
                .body("dataset_name", equalTo("iris"))
                .body("task", equalTo("classification"))
                .body("feature_columns", hasItems("sepal_length", "sepal_width", "petal_length", "petal_width"))
                .body("feature_columns", hasSize(4))
                .body("hyperparameters.lambda", notNullValue())
                .body("preprocessing.scaling", equalTo("standard"))
                .body("test_size", equalTo(0.2f))
                .body("random_seed", equalTo(42))
                .body("version", nullValue())
                .body("artifact", nullValue())
                .body("created_at", notNullValue())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        JsonPath done = awaitStatus(id, "COMPLETED", "FAILED");
        assertEquals("COMPLETED", done.getString("status"), () -> "error: " + done.getString("error"));
        assertEquals(1, done.getInt("version"));
        assertEquals(1.0, done.getDouble("progress"));
        assertTrue(done.getDouble("metrics.accuracy") >= 0.9, "accuracy " + done.get("metrics"));
        assertTrue(done.getMap("metrics").keySet().containsAll(List.of("accuracy", "precision", "recall", "f1")));
        assertTrue(done.getString("artifact.sha256").matches("[0-9a-f]{64}"));
        assertTrue(done.getLong("artifact.size_bytes") > 0);
        assertTrue(done.getLong("duration_ms") >= 0);
        assertTrue(done.getString("started_at") != null && done.getString("completed_at") != null);
        assertEquals(null, done.getString("error"));

        given().get("/api/training/jobs?dataset_id=" + ds).then().statusCode(200)
                .body("id", hasItem(id)).body("[0].dataset_name", equalTo("iris"));
        given().get("/api/training/jobs?status=completed&dataset_id=" + ds + "&model_type=LogisticRegression")
                .then().statusCode(200).body("id", equalTo(List.of(id)));
        given().get("/api/training/jobs?status=FAILED&dataset_id=" + ds).then().statusCode(200).body("$", hasSize(0));
        given().get("/api/training/jobs?status=DONE").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));
        given().get("/api/training/jobs?limit=x").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void regressionTaskIsInferredAndMetricsAreRegressionMetrics() {
        String ds = upload("california_housing.csv");
        String id = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"median_house_value\","
                + "\"hyperparameters\":{\"max_depth\":6},\"feature_columns\":[\"median_income\",\"ocean_proximity\",\"total_bedrooms\"]}");
        JsonPath done = awaitStatus(id, "COMPLETED", "FAILED");
        assertEquals("COMPLETED", done.getString("status"), () -> done.getString("error"));
        assertEquals("regression", done.getString("task"));
        assertEquals(6, done.getInt("hyperparameters.max_depth"));
        assertTrue(done.getDouble("metrics.r2") > 0.4, "r2 " + done.get("metrics"));
        assertTrue(done.getDouble("metrics.rmse") > 0 && done.getDouble("metrics.mae") > 0);
    }

    @Test
    void numericIntegerTargetIsClassificationWithRocAuc() {
        String ds = upload("titanic.csv");
        String id = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"n_trees\":20}}");
        JsonPath done = awaitStatus(id, "COMPLETED", "FAILED");
        assertEquals("COMPLETED", done.getString("status"), () -> done.getString("error"));
        assertEquals("classification", done.getString("task"));
        assertTrue(done.getDouble("metrics.roc_auc") > 0.75, "metrics " + done.get("metrics"));
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("missing dataset_id", "{\"model_type\":\"RandomForest\",\"target_column\":\"species\"}", 400, "dataset_id"),
                Arguments.of("missing model_type", "{\"dataset_id\":\"$DS\",\"target_column\":\"species\"}", 400, "model_type"),
                Arguments.of("unknown model_type", "{\"dataset_id\":\"$DS\",\"model_type\":\"NeuralNet\",\"target_column\":\"species\"}", 400, "model_type"),
                Arguments.of("missing target", "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\"}", 400, "target_column"),
                Arguments.of("unknown target", "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"colour\"}", 400, "target_column"),
                Arguments.of("unknown feature",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"feature_columns\":[\"petal_length\",\"stem\"]}",
                        400, "feature_columns"),
                Arguments.of("target as feature",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"feature_columns\":[\"species\"]}", 400,
                        "feature_columns"),
                Arguments.of("duplicate feature",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"feature_columns\":[\"petal_length\",\"petal_length\"]}",
                        400, "feature_columns"),
                Arguments.of("unknown hyperparameter",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"hyperparameters\":{\"n_estimators\":10}}", 400,
                        "hyperparameters.n_estimators"),
                Arguments.of("hyperparameter out of range",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"hyperparameters\":{\"n_trees\":0}}", 400,
                        "hyperparameters.n_trees"),
                Arguments.of("hyperparameter wrong type",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"hyperparameters\":{\"n_trees\":\"many\"}}",
                        400, "hyperparameters.n_trees"),
                Arguments.of("test_size zero", "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"test_size\":0}", 400,
                        "test_size"),
                Arguments.of("test_size above one", "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"test_size\":1.5}",
                        400, "test_size"),
                Arguments.of("test_size not a number",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"test_size\":\"big\"}", 400, "test_size"),
                Arguments.of("task not supported",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"LogisticRegression\",\"target_column\":\"species\",\"task\":\"regression\"}", 400, "task"),
                Arguments.of("unknown task", "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"task\":\"clustering\"}",
                        400, "task"),
                Arguments.of("inferred task not supported", "{\"dataset_id\":\"$DS\",\"model_type\":\"Ridge\",\"target_column\":\"species\"}", 400,
                        "target_column"),
                Arguments.of("bad preprocessing",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"preprocessing\":{\"scaling\":\"log\"}}", 400,
                        "preprocessing.scaling"),
                Arguments.of("unknown field", "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"epochs\":3}", 400,
                        "epochs"),
                Arguments.of("features not a list",
                        "{\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\",\"feature_columns\":\"petal_length\"}", 400,
                        "feature_columns"),
                Arguments.of("unknown dataset", "{\"dataset_id\":\"ds_nope\",\"model_type\":\"RandomForest\",\"target_column\":\"species\"}", 404, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsAreRejectedAndNothingIsStored(String name, String body, int status, String field) {
        String ds = upload("iris.csv");
        long before = jobCount();
        var response = given().contentType(ContentType.JSON).body(body.replace("$DS", ds)).post("/api/training/jobs").then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("detail", notNullValue());
        if (field != null) {
            response.body("errors[0].field", equalTo(field)).body("errors[0].message", notNullValue());
        }
        assertEquals(before, jobCount());
    }

    @Test
    void malformedBodiesAreProblems() {
        given().contentType(ContentType.JSON).body("{\"dataset_id\": ").post("/api/training/jobs").then()
                .statusCode(400).contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        given().contentType(ContentType.JSON).body("[1,2]").post("/api/training/jobs").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("").post("/api/training/jobs").then()
                .statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("dataset_id=ds_1").post("/api/training/jobs").then()
                .statusCode(415).contentType("application/problem+json");
    }

    @Test
    void tooFewRowsOrASingleClassAreRejectedUpFront() {
        String oneClass = uploadCsv("one.csv", "x,y\n1,a\n2,a\n3,a\n4,a\n5,a\n6,a\n7,a\n8,a\n9,a\n10,a\n11,a\n12,a\n");
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + oneClass + "\",\"model_type\":\"RandomForest\",\"target_column\":\"y\"}")
                .post("/api/training/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("class"));
        String tiny = uploadCsv("tiny.csv", "x,y\n1,a\n2,b\n3,a\n");
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + tiny + "\",\"model_type\":\"RandomForest\",\"target_column\":\"y\"}")
                .post("/api/training/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("at least 10"));
    }

    @Test
    void cancelStopsARunningJobWhichNeverTakesAVersion() {
        String ds = upload("adult.csv");
        String id = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"income\","
                + "\"hyperparameters\":{\"n_trees\":1000}}");
        awaitStatus(id, "RUNNING");
        given().post("/api/training/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("version", nullValue());
        given().post("/api/training/jobs/" + id + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("CANCELLED"));
        // The worker notices at its next heartbeat and frees itself; a later job on the pair gets version 1.
        String next = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"income\","
                + "\"hyperparameters\":{\"n_trees\":5,\"max_depth\":4}}");
        JsonPath done = awaitStatus(next, "COMPLETED", "FAILED");
        assertEquals(1, done.getInt("version"), () -> String.valueOf(done.get("error")));
        given().get("/api/training/jobs/" + id).then().body("status", equalTo("CANCELLED")).body("artifact", nullValue());
    }

    @Test
    void cancelAPendingJobAndUnknownIds() {
        given().post("/api/training/jobs/trn_nope/cancel").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/training/jobs/trn_nope").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("trn_nope"));
    }

    @Test
    void tenConcurrentJobsOnOnePairGetVersionsOneToTenWithoutGapOrDuplicate() {
        String ds = upload("iris.csv");
        String body = "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\",\"random_seed\":%d}";
        List<CompletableFuture<String>> submissions = IntStream.range(0, 10)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> submitTraining(body.formatted(i)))).toList();
        List<String> ids = submissions.stream().map(CompletableFuture::join).toList();
        List<Integer> versions = new ArrayList<>();
        for (String id : ids) {
            JsonPath done = awaitStatus(id, "COMPLETED", "FAILED");
            assertEquals("COMPLETED", done.getString("status"), () -> done.getString("error"));
            versions.add(done.getInt("version"));
        }
        assertEquals(IntStream.rangeClosed(1, 10).boxed().toList(), versions.stream().sorted().toList());
    }

    @Test
    void progressIsReportedWhileARandomForestFits() {
        String ds = upload("adult.csv");
        String id = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"income\","
                + "\"hyperparameters\":{\"n_trees\":60,\"max_depth\":12}}");
        List<Double> seen = new ArrayList<>();
        await().atMost(JOB_DEADLINE).pollInterval(POLL).until(() -> {
            JsonPath job = given().get("/api/training/jobs/" + id).then().extract().jsonPath();
            if ("RUNNING".equals(job.getString("status"))) {
                seen.add(job.getDouble("progress"));
            }
            return job.getString("status").equals("COMPLETED");
        });
        assertTrue(seen.stream().anyMatch(p -> p > 0.02 && p < 1.0), "progress seen while running: " + seen);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "progress went back: " + seen);
        }
    }

    @Test
    void catalogListsEveryModelTypeWithHyperparameters() {
        JsonPath catalog = given().get("/api/model-types").then().statusCode(200).extract().jsonPath();
        List<String> names = catalog.getList("model_type");
        assertTrue(names.containsAll(List.of("LogisticRegression", "RandomForest", "GradientBoosting", "DecisionTree",
                "LinearRegression", "Ridge", "Lasso")), names.toString());
        Map<String, Object> rf = catalog.getMap("find { it.model_type == 'RandomForest' }");
        assertEquals(List.of("classification", "regression"), rf.get("tasks"));
        given().get("/api/model-types").then()
                .body("find { it.model_type == 'RandomForest' }.hyperparameters.name", hasItems("n_trees", "max_depth", "min_samples_leaf"))
                .body("find { it.model_type == 'RandomForest' }.hyperparameters.find { it.name == 'n_trees' }.default", equalTo(100))
                .body("find { it.model_type == 'RandomForest' }.hyperparameters.find { it.name == 'n_trees' }.min", greaterThanOrEqualTo(1))
                .body("find { it.model_type == 'Ridge' }.hyperparameters.name", hasItem("lambda"))
                .body("find { it.model_type == 'Ridge' }.tasks", equalTo(List.of("regression")))
                .body("findAll { it.available == false }.detail", org.hamcrest.Matchers.everyItem(containsString("OpenBLAS")))
                .body("size()", greaterThan(6));
    }
}
