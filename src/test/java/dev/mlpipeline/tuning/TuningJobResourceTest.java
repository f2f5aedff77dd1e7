package dev.mlpipeline.tuning;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import static dev.mlpipeline.ApiFixtures.job;
import static dev.mlpipeline.ApiFixtures.submitTraining;
import static dev.mlpipeline.ApiFixtures.submitTuning;
import static dev.mlpipeline.ApiFixtures.upload;
import static dev.mlpipeline.ApiFixtures.uploadCsv;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class TuningJobResourceTest {

    private static long count(String table) {
        return TestDatabase.count("SELECT count(*) FROM " + table);
    }

    @Test
    void gridSearchOnIrisStoresEveryTrialAndTakesTheNextVersionOfThePair() {
        String ds = upload("iris.csv");
        String training = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        assertEquals(1, awaitStatus(training, "COMPLETED").getInt("version"));

        String id = given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\","
                + "\"target_column\":\"species\",\"strategy\":\"grid\",\"cv_folds\":3,"
                + "\"search_space\":{\"max_depth\":[1,4],\"min_samples_leaf\":[1,10]}}")
                .post("/api/tuning/jobs").then().statusCode(202)
                .header("Location", containsString("/api/tuning/jobs/tun_"))
                .body("job_type", equalTo("tuning"))
                .body("strategy", equalTo("grid"))
                .body("cv_folds", equalTo(3))
                .body("scoring", equalTo("accuracy"))
                .body("search_space.max_depth", equalTo(List.of(1, 4)))
                .body("dataset_name", equalTo("iris"))
                .extract().path("id");
        JsonPath done = awaitStatus(id, "COMPLETED", "FAILED");
        assertEquals("COMPLETED", done.getString("status"), () -> done.getString("error"));
        List<Map<String, Object>> trials = done.getList("trials");
        assertEquals(4, trials.size());
        double best = Double.NEGATIVE_INFINITY;
        Map<String, Object> bestParams = null;
        for (Map<String, Object> trial : trials) {
            List<?> folds = (List<?>) trial.get("fold_scores");
            assertEquals(3, folds.size(), "fold scores of " + trial);
            double mean = folds.stream().mapToDouble(f -> ((Number) f).doubleValue()).average().orElseThrow();
            assertEquals(mean, ((Number) trial.get("mean_score")).doubleValue(), 1e-6); // JsonPath reads floats
            assertTrue(((Number) trial.get("std_score")).doubleValue() >= 0);
            if (mean > best) {
                best = mean;
                bestParams = (Map<String, Object>) trial.get("params");
            }
        }
        assertEquals(best, done.getDouble("best_score"), 1e-6);
        assertEquals(bestParams, done.getMap("best_params"));
        assertEquals(2, done.getInt("version"), "the version after the training job's v1");
        assertTrue(done.getDouble("metrics.accuracy") > 0.8, "test metrics " + done.get("metrics"));
        assertEquals(1.0, done.getDouble("progress"));
        assertTrue(done.getString("artifact.sha256").matches("[0-9a-f]{64}"));
        // The refit model uses the best configuration.
        assertEquals(bestParams.get("max_depth"), done.getMap("hyperparameters").get("max_depth"));

        String again = submitTraining("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        assertEquals(3, awaitStatus(again, "COMPLETED").getInt("version"));
        given().get("/api/tuning/jobs?dataset_id=" + ds).then().statusCode(200)
                .body("[0].id", equalTo(id)).body("[0].best_score", notNullValue());
    }

    @Test
    void randomSearchDrawsReproducibleConfigurationsWithinRanges() {
        String ds = upload("titanic.csv");
        String body = "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"GradientBoosting\",\"target_column\":\"Survived\","
                + "\"strategy\":\"random\",\"n_iter\":4,\"cv_folds\":3,\"scoring\":\"roc_auc\",\"random_seed\":7,"
                + "\"hyperparameters\":{\"n_trees\":20},"
                + "\"search_space\":{\"learning_rate\":{\"min\":0.01,\"max\":0.5,\"log\":true},\"max_depth\":[2,3,4]}}";
        String first = submitTuning(body);
        String second = submitTuning(body);
        JsonPath a = awaitStatus(first, "COMPLETED", "FAILED");
        JsonPath b = awaitStatus(second, "COMPLETED", "FAILED");
        assertEquals("COMPLETED", a.getString("status"), () -> a.getString("error"));
        List<Map<String, Object>> trials = a.getList("trials");
        assertEquals(4, trials.size());
        for (Map<String, Object> trial : trials) {
            Map<String, Object> params = (Map<String, Object>) trial.get("params");
            double rate = ((Number) params.get("learning_rate")).doubleValue();
            assertTrue(rate >= 0.01 && rate <= 0.5, "learning_rate " + rate);
            assertTrue(List.of(2, 3, 4).contains(params.get("max_depth")), "max_depth " + params);
        }
        assertEquals(a.getList("trials.params"), b.getList("trials.params"));
        assertEquals(a.getList("trials.mean_score"), b.getList("trials.mean_score"));
        assertEquals(20, a.getInt("hyperparameters.n_trees"));
        assertEquals(List.of(1, 2), List.of(a.getInt("version"), b.getInt("version")).stream().sorted().toList());
    }

    @Test
    void cancelStopsTheRemainingTrials() {
        String ds = upload("adult.csv");
        String id = submitTuning("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\","
                + "\"target_column\":\"income\",\"cv_folds\":2,"
                + "\"search_space\":{\"n_trees\":[3,400],\"max_depth\":[2,3,4,5,6,7,8,9]}}");
        await().atMost(JOB_DEADLINE).pollInterval(POLL).until(() -> job(id).getList("trials").size() >= 1);
        JsonPath running = given().get("/api/tuning/jobs/" + id).then().extract().jsonPath();
        assertEquals("RUNNING", running.getString("status"));
        assertTrue(running.getDouble("progress") > 0, "progress with a trial done: " + running.get("progress"));
        given().post("/api/tuning/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("version", nullValue());
        given().post("/api/tuning/jobs/" + id + "/cancel").then().statusCode(409).contentType("application/problem+json");
        // Trials stop: for two seconds on end the job stays CANCELLED with fewer trials than the grid's 16.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> {
            JsonPath now = job(id);
            return now.getList("trials").size() < 16 && "CANCELLED".equals(now.getString("status"));
        });
        JsonPath after = given().get("/api/tuning/jobs/" + id).then().extract().jsonPath();
        assertTrue(after.getList("trials").size() < 16, "trials after cancel: " + after.getList("trials").size());
        assertEquals("CANCELLED", after.getString("status"));
        given().post("/api/tuning/jobs/tun_nope/cancel").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/tuning/jobs/tun_nope").then().statusCode(404).contentType("application/problem+json");
    }

    static Stream<Arguments> badRequests() {
        String base = "\"dataset_id\":\"$DS\",\"model_type\":\"RandomForest\",\"target_column\":\"species\"";
        return Stream.of(
                Arguments.of("no search space", "{" + base + "}", "search_space"),
                Arguments.of("empty search space", "{" + base + ",\"search_space\":{}}", "search_space"),
                Arguments.of("unknown hyperparameter", "{" + base + ",\"search_space\":{\"n_estimators\":[10]}}", "search_space.n_estimators"),
                Arguments.of("value out of range", "{" + base + ",\"search_space\":{\"n_trees\":[0,10]}}", "search_space.n_trees"),
                Arguments.of("empty list", "{" + base + ",\"search_space\":{\"n_trees\":[]}}", "search_space.n_trees"),
                Arguments.of("range in a grid", "{" + base + ",\"search_space\":{\"n_trees\":{\"min\":1,\"max\":10}}}", "search_space.n_trees"),
                Arguments.of("grid too large",
                        "{" + base + ",\"search_space\":{\"n_trees\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26],"
                                + "\"max_depth\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}}",
                        "search_space"),
                Arguments.of("random without n_iter", "{" + base + ",\"strategy\":\"random\",\"search_space\":{\"n_trees\":[5,10]}}", "n_iter"),
                Arguments.of("n_iter zero", "{" + base + ",\"strategy\":\"random\",\"n_iter\":0,\"search_space\":{\"n_trees\":[5,10]}}", "n_iter"),
                Arguments.of("unknown strategy", "{" + base + ",\"strategy\":\"bayes\",\"search_space\":{\"n_trees\":[5,10]}}", "strategy"),
                Arguments.of("one fold", "{" + base + ",\"cv_folds\":1,\"search_space\":{\"n_trees\":[5,10]}}", "cv_folds"),
                Arguments.of("too many folds", "{" + base + ",\"cv_folds\":21,\"search_space\":{\"n_trees\":[5,10]}}", "cv_folds"),
                Arguments.of("scoring for another task", "{" + base + ",\"scoring\":\"r2\",\"search_space\":{\"n_trees\":[5,10]}}", "scoring"),
                Arguments.of("min above max", "{" + base + ",\"strategy\":\"random\",\"n_iter\":3,\"search_space\":{\"n_trees\":{\"min\":10,\"max\":5}}}",
                        "search_space.n_trees"),
                Arguments.of("training field still checked", "{" + base.replace("species", "petals") + ",\"search_space\":{\"n_trees\":[5,10]}}",
                        "target_column"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestsNameTheFieldAndStoreNothing(String name, String body, String field) {
        String ds = upload("iris.csv");
        long before = count("tuning_job");
        given().contentType(ContentType.JSON).body(body.replace("$DS", ds)).post("/api/tuning/jobs").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field))
                .body("detail", notNullValue());
        assertEquals(before, count("tuning_job"));
    }

    @Test
    void foldsAboveTheSmallestClassAreRefused() {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(i < 4 ? ",rare\n" : ",common\n");
        }
        String ds = uploadCsv("rare.csv", csv.toString());
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\","
                + "\"target_column\":\"y\",\"cv_folds\":5,\"test_size\":0.25,\"search_space\":{\"max_depth\":[1,2]}}")
                .post("/api/tuning/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("cv_folds"))
                .body("detail", containsString("rare"));
    }
}
