package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_78;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_85;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_91;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_92;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RegistryResourceTest {

    @Inject
    Mutiny.SessionFactory sessions;

    RegistryFixtures db;

    @BeforeEach
    void fixtures() {
        db = new RegistryFixtures(sessions);
    }

    /** The seed diagram activates a deployment: end it, so that no later test starts with it. */
    @AfterEach
    void undeployTheSeedsDeployment() {
        undeploy();
    }

    /** The seed's diagram: RandomForest on customers v1 training, v2 tuning, v3 training (deployed); LogisticRegression on another dataset v1. */
    record Seed(String customers, String sales, String rf1, String rf2, String rf3, String lr1) {
    }

    Seed seedDiagram() {
        String customers = upload("customers.csv");
        String sales = upload("iris.csv");
        String rf1 = db.training(customers, "RandomForest", "COMPLETED", ACC_85);
        db.training(customers, "RandomForest", "FAILED", null);
        String rf2 = db.tuning(customers, "RandomForest", "COMPLETED", ACC_91, 0.91);
        db.tuning(customers, "RandomForest", "CANCELLED", null, 0.5);
        db.training(customers, "RandomForest", "RUNNING", null);
        String rf3 = db.training(customers, "RandomForest", "COMPLETED", ACC_92);
        db.training(customers, "RandomForest", "PENDING", null);
        String lr1 = db.training(sales, "LogisticRegression", "COMPLETED", ACC_78);
        db.deploy(rf3, "training", customers, "RandomForest", 3);
        return new Seed(customers, sales, rf1, rf2, rf3, lr1);
    }

    @Test
    void listModelsReproducesTheSeedDiagram() {
        Seed s = seedDiagram();
        given().get("/api/registry/models").then().statusCode(200)
                .contentType(containsString("application/json"))
                .body("findAll { it.dataset_id == '" + s.customers() + "' }", hasSize(1))
                .body("find { it.dataset_id == '" + s.customers() + "' }.model_type", equalTo("RandomForest"))
                .body("find { it.dataset_id == '" + s.customers() + "' }.dataset_name", equalTo("customers"))
                .body("find { it.dataset_id == '" + s.customers() + "' }.latest_version", equalTo(3))
                .body("find { it.dataset_id == '" + s.customers() + "' }.deployed_version", equalTo(3))
                .body("find { it.dataset_id == '" + s.customers() + "' }.versions.version", contains(3, 2, 1))
                .body("find { it.dataset_id == '" + s.customers() + "' }.versions.source", contains("training", "tuning", "training"))
                .body("find { it.dataset_id == '" + s.customers() + "' }.versions.job_id", contains(s.rf3(), s.rf2(), s.rf1()))
                .body("find { it.dataset_id == '" + s.customers() + "' }.versions.is_deployed", contains(true, false, false))
                .body("find { it.dataset_id == '" + s.sales() + "' }.model_type", equalTo("LogisticRegression"))
                .body("find { it.dataset_id == '" + s.sales() + "' }.deployed_version", nullValue())
                .body("find { it.dataset_id == '" + s.sales() + "' }.versions.version", contains(1));

        Map<String, Object> v2 = given().get("/api/registry/models?dataset_id=" + s.customers()).then().statusCode(200)
                .body("", hasSize(1)).extract().path("[0].versions[1]");
        assertEquals(2, v2.get("version"));
        assertEquals(s.rf2(), v2.get("job_id"));
        assertEquals("tuning", v2.get("source"));
        assertEquals(s.customers(), v2.get("dataset_id"));
        assertEquals("customers", v2.get("dataset_name"));
        assertEquals("RandomForest", v2.get("model_type"));
        assertEquals("classification", v2.get("task"));
        assertEquals(Map.of("accuracy", 0.91f, "f1", 0.88f), v2.get("metrics"));
        assertEquals(0.91f, v2.get("best_score"));
        assertEquals(Map.of("n_estimators", 200, "max_depth", 8), v2.get("hyperparameters"));
        assertEquals(false, v2.get("is_deployed"));
        assertNotNull(v2.get("created_at"));
        given().get("/api/registry/models?dataset_id=" + s.customers()).then()
                .body("[0].versions[0].best_score", nullValue())
                .body("[0].versions[0].keySet()", contains("version", "job_id", "source", "dataset_id", "dataset_name",
                        "model_type", "task", "metrics", "best_score", "hyperparameters", "is_deployed", "created_at", "aliases", "tags",
                        "description", "archived"));
    }

    @Test
    void versionsEndpointListsNewestFirstAndIgnoresUnfinishedJobs() {
        Seed s = seedDiagram();
        given().get("/api/registry/models/RandomForest/versions?dataset_id=" + s.customers()).then().statusCode(200)
                .body("version", contains(3, 2, 1))
                .body("source", contains("training", "tuning", "training"))
                .body("is_deployed", contains(true, false, false));
        given().get("/api/registry/models/LogisticRegression/versions?dataset_id=" + s.customers()).then().statusCode(200)
                .body("", hasSize(0));
        given().get("/api/registry/models/LogisticRegression/versions?dataset_id=" + s.sales()).then().statusCode(200)
                .body("job_id", contains(s.lr1()));
        // without dataset_id: every dataset's versions of the type, including ours
        given().get("/api/registry/models/RandomForest/versions").then().statusCode(200)
                .body("findAll { it.dataset_id == '" + s.customers() + "' }.version", contains(3, 2, 1));
    }

    @Test
    void unknownModelTypeIs404AndAKnownTypeWithoutVersionsIsEmpty() {
        String ds = upload("iris.csv");
        given().get("/api/registry/models/NoSuchModel/versions").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404))
                .body("detail", containsString("NoSuchModel"));
        given().get("/api/registry/models/DecisionTree/versions?dataset_id=" + ds).then().statusCode(200).body("", hasSize(0));
        given().get("/api/registry/models/NoSuchModel/versions/1").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void failedCancelledAndRunningJobsNeverAppearAndNextVersionMatchesTheAssignedOne() {
        String ds = upload("iris.csv");
        given().get("/api/registry/next-version?dataset_id=" + ds + "&model_type=DecisionTree&job_type=training")
                .then().statusCode(200).body("next_version", equalTo(1));
        db.training(ds, "DecisionTree", "FAILED", null);
        db.training(ds, "DecisionTree", "RUNNING", null);
        db.tuning(ds, "DecisionTree", "CANCELLED", null, 0.7);
        given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200).body("", hasSize(0));
        given().get("/api/registry/models/DecisionTree/versions?dataset_id=" + ds).then().statusCode(200).body("", hasSize(0));
        for (int expected = 1; expected <= 3; expected++) {
            int predicted = given().get("/api/registry/next-version?dataset_id=" + ds + "&model_type=DecisionTree&job_type="
                    + (expected == 2 ? "tuning" : "training")).then().statusCode(200).extract().path("next_version");
            assertEquals(expected, predicted);
            if (expected == 2) {
                db.tuning(ds, "DecisionTree", "COMPLETED", ACC_85, 0.8);
            } else {
                db.training(ds, "DecisionTree", "COMPLETED", ACC_85);
            }
            db.training(ds, "DecisionTree", "FAILED", null);
            List<Integer> versions = given().get("/api/registry/models/DecisionTree/versions?dataset_id=" + ds)
                    .then().statusCode(200).extract().path("version");
            assertEquals(predicted, versions.getFirst());
        }
        given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200)
                .body("[0].versions.version", contains(3, 2, 1))
                .body("[0].latest_version", equalTo(3));
        given().get("/api/registry/next-version?dataset_id=" + ds + "&model_type=DecisionTree&job_type=tuning")
                .then().statusCode(200).body("next_version", equalTo(4));
        given().get("/api/registry/next-version?dataset_id=ds_missing&model_type=DecisionTree&job_type=tuning")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void paginationCoversEveryEntryOnceInAStableOrder() {
        String ds1 = upload("iris.csv");
        String ds2 = upload("iris.csv");
        String[] types = { "RandomForest", "DecisionTree", "GradientBoosting", "LogisticRegression" };
        List<String> expected = new ArrayList<>();
        for (String ds : List.of(ds1, ds2)) {
            for (String type : types) {
                db.training(ds, type, "COMPLETED", ACC_85);
                db.training(ds, type, "COMPLETED", ACC_91);
            }
        }
        List<String> sorted = new ArrayList<>(List.of(types));
        sorted.sort(null);
        for (String ds : List.of(ds1, ds2).stream().sorted().toList()) {
            sorted.forEach(t -> expected.add(ds + "/" + t));
        }
        // a filter keeps the test independent of other tests' data; pages of 3 over 4 entries of ds1
        for (String ds : List.of(ds1, ds2)) {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Response r = given().queryParam("dataset_id", ds).queryParam("limit", 3)
                        .queryParam("cursor", cursor == null ? "" : cursor).get("/api/registry/models");
                r.then().statusCode(200);
                List<Map<String, Object>> page = r.jsonPath().getList("");
                page.forEach(e -> seen.add(e.get("dataset_id") + "/" + e.get("model_type")));
                page.forEach(e -> assertEquals(List.of(2, 1), ((List<?>) e.get("versions")).stream()
                        .map(v -> ((Map<?, ?>) v).get("version")).toList()));
                cursor = r.header("X-Next-Cursor");
                if (cursor != null) {
                    assertTrue(r.header("Link").contains("rel=\"next\""));
                    assertTrue(r.header("Link").contains("cursor=" + cursor));
                } else {
                    assertNull(r.header("Link"));
                }
                pages++;
            } while (cursor != null);
            assertEquals(2, pages);
            assertEquals(expected.stream().filter(k -> k.startsWith(ds + "/")).toList(), seen);
        }
        // an exact fit has no next page; a page of the whole listing has the same order as the full list
        given().get("/api/registry/models?dataset_id=" + ds1 + "&limit=4").then().statusCode(200)
                .header("X-Next-Cursor", nullValue()).body("", hasSize(4));
        List<String> all = given().get("/api/registry/models").then().statusCode(200).extract().path("collect { it.dataset_id + '/' + it.model_type }");
        assertEquals(expected, all.stream().filter(k -> k.startsWith(ds1) || k.startsWith(ds2)).toList());
        // a cursor from the first page of a filtered listing continues in the unfiltered listing
        String next = given().get("/api/registry/models?dataset_id=" + ds1 + "&limit=1").then().statusCode(200)
                .extract().header("X-Next-Cursor");
        List<String> rest = given().get("/api/registry/models?cursor=" + next).then().statusCode(200)
                .extract().path("collect { it.dataset_id + '/' + it.model_type }");
        assertEquals(expected.subList(1, expected.size()), rest.stream().filter(k -> k.startsWith(ds1) || k.startsWith(ds2)).toList());
    }

    @Test
    void filtersByDatasetModelTypeAndSource() {
        Seed s = seedDiagram();
        given().get("/api/registry/models?model_type=LogisticRegression&dataset_id=" + s.sales()).then().statusCode(200)
                .body("", hasSize(1)).body("[0].versions.job_id", contains(s.lr1()));
        given().get("/api/registry/models?model_type=LogisticRegression&dataset_id=" + s.customers()).then().statusCode(200)
                .body("", hasSize(0));
        given().get("/api/registry/models?source=tuning&dataset_id=" + s.customers()).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].versions.version", contains(2))
                .body("[0].latest_version", equalTo(2))
                .body("[0].deployed_version", equalTo(3));
        given().get("/api/registry/models?source=training&dataset_id=" + s.customers()).then().statusCode(200)
                .body("[0].versions.version", contains(3, 1));
        given().get("/api/registry/models?source=tuning&dataset_id=" + s.sales()).then().statusCode(200)
                .body("", hasSize(0));
        given().get("/api/registry/models?model_type=RandomForest").then().statusCode(200)
                .body("model_type.unique()", contains("RandomForest"))
                .body("findAll { it.dataset_id == '" + s.customers() + "' }", hasSize(1));
    }

    @Test
    void statsCountVersionsAndShowTheActiveDeploymentAndBestMetrics() {
        Seed s = seedDiagram();
        given().get("/api/registry/stats").then().statusCode(200)
                .body("total_models", notNullValue())
                .body("total_versions", notNullValue())
                .body("active_deployment.job_id", equalTo(s.rf3()))
                .body("active_deployment.version", equalTo(3))
                .body("active_deployment.source", equalTo("training"))
                .body("active_deployment.dataset_id", equalTo(s.customers()))
                .body("active_deployment.dataset_name", equalTo("customers"))
                .body("active_deployment.model_type", equalTo("RandomForest"))
                .body("versions_per_model_type.RandomForest", notNullValue())
                .body("best_metric_per_model.find { it.dataset_id == '" + s.customers() + "' }.version", equalTo(3))
                .body("best_metric_per_model.find { it.dataset_id == '" + s.customers() + "' }.metric", equalTo("accuracy"))
                .body("best_metric_per_model.find { it.dataset_id == '" + s.customers() + "' }.value", equalTo(0.92f))
                .body("best_metric_per_model.find { it.dataset_id == '" + s.customers() + "' }.job_id", equalTo(s.rf3()))
                .body("best_metric_per_model.find { it.dataset_id == '" + s.sales() + "' }.model_type", equalTo("LogisticRegression"))
                .body("best_metric_per_model.find { it.dataset_id == '" + s.sales() + "' }.value", equalTo(0.78f));
        // counts grow exactly by what a new dataset adds: 2 models, 3 training + 1 tuning versions, 2 datasets
        Map<String, Object> before = given().get("/api/registry/stats").then().extract().path("");
        String ds = upload("iris.csv");
        String other = upload("iris.csv");
        db.training(ds, "DecisionTree", "COMPLETED", ACC_85);
        db.training(ds, "DecisionTree", "COMPLETED", ACC_85);
        db.tuning(ds, "DecisionTree", "COMPLETED", ACC_91, 0.9);
        db.training(ds, "DecisionTree", "FAILED", null);
        db.training(other, "GradientBoosting", "COMPLETED", ACC_78);
        Map<String, Object> after = given().get("/api/registry/stats").then().statusCode(200).extract().path("");
        assertEquals(2, delta(before, after, "total_models"));
        assertEquals(4, delta(before, after, "total_versions"));
        assertEquals(3, delta(before, after, "training_versions"));
        assertEquals(1, delta(before, after, "tuning_versions"));
        assertEquals(2, delta(before, after, "datasets"));
        assertEquals(3, perType(after, "DecisionTree") - perType(before, "DecisionTree"));
        given().get("/api/registry/stats").then()
                .body("best_metric_per_model.find { it.dataset_id == '" + ds + "' }.version", equalTo(3))
                .body("best_metric_per_model.find { it.dataset_id == '" + ds + "' }.source", equalTo("tuning"));
    }

    @Test
    void bestMetricIsTheHighestNumberWhateverElseTheMetricsHold() {
        String ds = upload("iris.csv");
        db.training(ds, "DecisionTree", "COMPLETED", "{\"accuracy\":0.5}");
        db.training(ds, "DecisionTree", "COMPLETED", "{\"accuracy\":null}"); // a NaN, stored as null
        db.training(ds, "DecisionTree", "COMPLETED", "{\"accuracy\":true}");
        db.training(ds, "DecisionTree", "COMPLETED", "{\"accuracy\":[1]}");
        db.training(ds, "DecisionTree", "COMPLETED", "{\"accuracy\":\"high\"}");
        db.training(ds, "DecisionTree", "COMPLETED", "{\"f1\":0.99}"); // no accuracy at all
        db.training(ds, "DecisionTree", "COMPLETED", "{\"accuracy\":0.25}");
        db.training(ds, "RandomForest", "COMPLETED", "{\"accuracy\":null}"); // no numeric accuracy: no best
        db.training(ds, "RandomForest", "COMPLETED", "{\"accuracy\":\"n/a\"}");
        given().get("/api/registry/stats").then().statusCode(200)
                .body("best_metric_per_model.findAll { it.dataset_id == '" + ds + "' }.model_type", contains("DecisionTree"))
                .body("best_metric_per_model.find { it.dataset_id == '" + ds + "' }.version", equalTo(1))
                .body("best_metric_per_model.find { it.dataset_id == '" + ds + "' }.value", equalTo(0.5f));
    }

    @SuppressWarnings("unchecked")
    private static long perType(Map<String, Object> stats, String type) {
        Object n = ((Map<String, Object>) stats.get("versions_per_model_type")).get(type);
        return n == null ? 0 : ((Number) n).longValue();
    }

    private static long delta(Map<String, Object> before, Map<String, Object> after, String field) {
        return ((Number) after.get(field)).longValue() - ((Number) before.get(field)).longValue();
    }

    @Test
    void lineageOfOneVersion() {
        Seed s = seedDiagram();
        given().get("/api/registry/models/RandomForest/versions/2?dataset_id=" + s.customers()).then().statusCode(200)
                .body("version", equalTo(2))
                .body("job_id", equalTo(s.rf2()))
                .body("source", equalTo("tuning"))
                .body("is_deployed", equalTo(false))
                .body("dataset.id", equalTo(s.customers()))
                .body("dataset.name", equalTo("customers"))
                .body("dataset.sha256", equalTo("3ffa1d4c4b7a8aaf30b29a9d30a28822ffb22e94c50949db1c778a3535317392"))
                .body("target_column", equalTo("Churn"))
                .body("feature_columns", contains("tenure", "MonthlyCharges"))
                .body("preprocessing.scale", equalTo("standard"))
                .body("hyperparameters.n_estimators", equalTo(200))
                .body("metrics.accuracy", equalTo(0.91f))
                .body("tuning.trial_count", equalTo(3))
                .body("tuning.best_trial_index", equalTo(1))
                .body("tuning.best_score", equalTo(0.91f))
                .body("tuning.scoring", equalTo("accuracy"))
                .body("tuning.cv_folds", equalTo(5))
                .body("tuning.strategy", equalTo("grid"))
                .body("tuning.best_params.max_depth", equalTo(8))
                .body("artifact.sha256", equalTo("ab".repeat(32)))
                .body("artifact.size_bytes", equalTo(2))
                .body("timings.created_at", notNullValue())
                .body("timings.started_at", notNullValue())
                .body("timings.completed_at", notNullValue())
                .body("timings.duration_ms", notNullValue())
                .body("bytes", nullValue());
        given().get("/api/registry/models/RandomForest/versions/3?dataset_id=" + s.customers()).then().statusCode(200)
                .body("source", equalTo("training")).body("is_deployed", equalTo(true)).body("tuning", nullValue());
        given().get("/api/registry/models/RandomForest/versions/4?dataset_id=" + s.customers()).then().statusCode(404)
                .contentType("application/problem+json");
        // RandomForest has versions on several datasets once another one trains it
        db.training(s.sales(), "RandomForest", "COMPLETED", ACC_78);
        given().get("/api/registry/models/RandomForest/versions/1").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("dataset_id"));
        // a model type that only one dataset has needs no dataset_id (a fresh, unique type is not available;
        // use the type on a dataset of its own when it is the only one)
        given().get("/api/registry/models/Lasso/versions/1").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "/api/registry/models?limit=0|limit", "/api/registry/models?limit=abc|limit", "/api/registry/models?limit=1001|limit", "/api/registry/models?source=manual|source", "/api/registry/models?cursor=not-a-cursor|cursor", "/api/registry/models?cursor=dj|cursor", "/api/registry/models?versions_limit=0|versions_limit", "/api/registry/models?limit=5&versions_limit=many|versions_limit", "/api/registry/models/RandomForest/versions/zero|version", "/api/registry/models/RandomForest/versions/0|version", "/api/registry/next-version?model_type=RandomForest&job_type=training|dataset_id", "/api/registry/next-version?dataset_id=ds_x&job_type=training|model_type", "/api/registry/next-version?dataset_id=ds_x&model_type=Nope&job_type=training|model_type", "/api/registry/next-version?dataset_id=ds_x&model_type=RandomForest|job_type", "/api/registry/next-version?dataset_id=ds_x&model_type=RandomForest&job_type=inference|job_type",
            })
    void badParametersAre400ProblemsNamingTheParameter(String url, String field) {
        given().get(url).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"))
                .body("instance", notNullValue())
                .body("errors[0].field", equalTo(field))
                .body("detail", containsString(field));
    }
}
