package dev.mlpipeline.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.job;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real trainings on titanic (random forests of different depths): compared side by side, deployed
 * by version and by alias, and the archive rules on a version that serves traffic.
 */
@QuarkusTest
class RegistryCompareAndDeployTest {

    @AfterEach
    void end() {
        undeploy();
    }

    private static String forest(String ds, int maxDepth) {
        return train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"n_trees\":20,\"max_depth\":" + maxDepth + "},\"random_seed\":7}");
    }

    private static JsonPath lineage(String ds, int version) {
        return given().get("/api/registry/models/RandomForest/versions/" + version + "?dataset_id=" + ds).then().statusCode(200)
                .extract().jsonPath();
    }

    private static String importance(String feature, String field) {
        return "feature_importance.features.find { it.feature == '" + feature + "' }." + field;
    }

    private static io.restassured.response.ValidatableResponse deploy(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/deployments/deploy").then();
    }

    @Test
    void compareDeployByVersionAndAliasAndArchiveOnARealPair() {
        String ds = upload("titanic.csv");
        String deep = forest(ds, 8);
        String shallow = forest(ds, 2);
        JsonPath v1 = job(deep);
        JsonPath v2 = job(shallow);
        assertEquals(1, v1.getInt("version"));
        assertEquals(2, v2.getInt("version"));

        // compare, in the order asked: metrics side by side, differing hyperparameters, best by accuracy
        JsonPath cmp = given().get("/api/registry/models/RandomForest/compare?dataset_id=" + ds + "&versions=2,1").then()
                .statusCode(200).body("task", equalTo("classification")).body("dataset_name", equalTo("titanic"))
                .body("versions.version", contains(2, 1)).body("versions.job_id", contains(shallow, deep))
                .extract().jsonPath();
        double acc1 = v1.getDouble("metrics.accuracy");
        double acc2 = v2.getDouble("metrics.accuracy");
        assertEquals(List.of((float) acc2, (float) acc1), cmp.getList("metrics.find { it.name == 'accuracy' }.values"));
        assertEquals(true, cmp.getBoolean("metrics.find { it.name == 'accuracy' }.higher_is_better"));
        assertTrue(cmp.getList("metrics.name").containsAll(List.of("accuracy", "precision", "recall", "f1")), cmp.prettify());
        assertEquals(List.of("max_depth"), cmp.getList("differing_hyperparameters.name"), "only max_depth differs");
        assertEquals(List.of(2, 8), cmp.getList("differing_hyperparameters[0].values"));
        int best = acc1 >= acc2 ? 1 : 2; // the newer wins a tie
        if (acc1 == acc2) {
            best = 2;
        }
        assertEquals("accuracy", cmp.getString("best.metric"));
        assertEquals("higher_is_better", cmp.getString("best.direction"));
        assertEquals(best, cmp.getInt("best.version"));
        assertEquals((float) Math.max(acc1, acc2), cmp.getFloat("best.value"));
        assertEquals(best, cmp.getInt("metrics.find { it.name == 'accuracy' }.best_version"));

        // feature importance side by side: every input feature of titanic, each version's stored values in the asked order
        JsonPath l1 = lineage(ds, 1);
        JsonPath l2 = lineage(ds, 2);
        List<String> features = cmp.getList("feature_importance.feature");
        assertEquals(Set.of("Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"), Set.copyOf(features), cmp.prettify());
        for (String f : features) {
            String path = "feature_importance.find { it.feature == '" + f + "' }.";
            assertEquals(List.of(l2.getFloat(importance(f, "model_importance")), l1.getFloat(importance(f, "model_importance"))),
                    cmp.getList(path + "model_importance"), f);
            assertEquals(List.of(l2.getFloat(importance(f, "permutation_importance_mean")),
                    l1.getFloat(importance(f, "permutation_importance_mean"))), cmp.getList(path + "permutation_importance_mean"), f);
        }
        // ranked by the best version's permutation importance
        JsonPath bestJob = best == 1 ? l1 : l2;
        List<Float> bestRanking = features.stream().map(f -> bestJob.getFloat(importance(f, "permutation_importance_mean"))).toList();
        for (int i = 1; i < bestRanking.size(); i++) {
            assertTrue(bestRanking.get(i - 1) >= bestRanking.get(i), "features ordered by the best version's ranking: " + features);
        }

        given().get("/api/registry/models/RandomForest/compare?dataset_id=" + ds + "&versions=1,9").then().statusCode(404)
                .body("detail", containsString("9"));
        for (String bad : List.of("1", "1,1", "1,x", "0,1", "", "1,2,3,4,5,6,7,8,9,10,11")) {
            given().get("/api/registry/models/RandomForest/compare?dataset_id=" + ds + "&versions=" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("versions"));
        }

        // deploy by version, then by alias
        deploy(Map.of("model_type", "RandomForest", "dataset_id", ds, "version", 2)).statusCode(201)
                .body("job_id", equalTo(shallow)).body("version", equalTo(2));
        given().contentType(ContentType.JSON).body(Map.of("dataset_id", ds, "version", 1))
                .put("/api/registry/models/RandomForest/aliases/champion").then().statusCode(200);
        deploy(Map.of("model_type", "RandomForest", "dataset_id", ds, "alias", "champion")).statusCode(201)
                .body("job_id", equalTo(deep)).body("version", equalTo(1));
        deploy(Map.of("model_type", "RandomForest", "dataset_id", ds, "alias", "champion")).statusCode(200)
                .body("job_id", equalTo(deep));
        given().get("/api/registry/models?dataset_id=" + ds).then().body("[0].deployed_version", equalTo(1))
                .body("[0].versions.aliases", contains(List.of(), List.of("champion")));

        // the version serving traffic cannot be archived; the other one can, and is then not deployable
        given().delete("/api/registry/models/RandomForest/aliases/champion?dataset_id=" + ds).then().statusCode(204);
        given().post("/api/registry/models/RandomForest/versions/1/archive?dataset_id=" + ds).then().statusCode(409)
                .body("detail", containsString("active deployment"));
        given().post("/api/registry/models/RandomForest/versions/2/archive?dataset_id=" + ds).then().statusCode(200);
        deploy(Map.of("model_type", "RandomForest", "dataset_id", ds, "version", 2)).statusCode(409)
                .body("detail", containsString("archived"));
        given().get("/api/deployments/active").then().statusCode(200).body("job_id", equalTo(deep));
        // compare still shows archived versions
        given().get("/api/registry/models/RandomForest/compare?dataset_id=" + ds + "&versions=1,2").then().statusCode(200)
                .body("versions.archived", contains(false, true));

        // unknown targets
        deploy(Map.of("model_type", "RandomForest", "dataset_id", ds, "version", 5)).statusCode(404);
        deploy(Map.of("model_type", "RandomForest", "dataset_id", ds, "alias", "nobody")).statusCode(404);
        deploy(Map.of("model_type", "NoSuchModel", "dataset_id", ds, "version", 1)).statusCode(404);
    }

    @Test
    void deployRequestsNotInExactlyOneFormAre400NamingTheFields() {
        deploy(Map.of()).statusCode(400).contentType("application/problem+json").body("errors.field", contains("job_id"));
        deploy(Map.of("job_id", "trn_x", "version", 1)).statusCode(400).body("errors.field", contains("version"))
                .body("detail", containsString("exactly one"));
        deploy(Map.of("job_id", "trn_x", "model_type", "RandomForest", "alias", "champion")).statusCode(400)
                .body("errors.field", containsInAnyOrder("model_type", "alias"));
        deploy(Map.of("model_type", "RandomForest", "version", 1)).statusCode(400).body("errors.field", contains("dataset_id"));
        deploy(Map.of("dataset_id", "ds_x", "alias", "champion")).statusCode(400).body("errors.field", contains("model_type"));
        deploy(Map.of("model_type", "RandomForest", "dataset_id", "ds_x")).statusCode(400).body("errors.field", contains("version"));
        deploy(Map.of("model_type", "RandomForest", "dataset_id", "ds_x", "version", 1, "alias", "champion")).statusCode(400)
                .body("errors.field", contains("alias"));
        deploy(Map.of("model_type", "RandomForest", "dataset_id", "ds_x", "version", 0)).statusCode(400)
                .body("errors.field", contains("version"));
        deploy(Map.of("model_type", "RandomForest", "dataset_id", "ds_x", "alias", "Not A Slug")).statusCode(400)
                .body("errors.field", contains("alias"));
    }
}
