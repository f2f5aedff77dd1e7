package dev.mlpipeline.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.awaitCompleted;
import static dev.mlpipeline.ApiFixtures.deploy;
import static dev.mlpipeline.ApiFixtures.submitTuning;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Feature importance in the version lineage and {@code predict?explain=true} over HTTP. */
@QuarkusTest
class ExplanationResourceTest {

    private static final String PASSENGERS = "[{\"Pclass\":3,\"Sex\":\"male\",\"Age\":22,\"SibSp\":1,\"Parch\":0,\"Fare\":7.25,\"Embarked\":\"S\"},"
            + "{\"Pclass\":1,\"Sex\":\"female\",\"SibSp\":1,\"Parch\":0,\"Fare\":71.28,\"Embarked\":\"C\"}]";

    @AfterEach
    void undeployWhatTheTestDeployed() {
        undeploy();
    }

    @Test
    void trainingStoresFeatureImportanceAndPredictExplainsRowsThatAddUp() {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"n_trees\":20}}");
        JsonPath lineage = given().get("/api/registry/models/RandomForest/versions/1?dataset_id=" + ds).then().statusCode(200)
                .body("feature_importance.model_method", equalTo("impurity_decrease"))
                .body("feature_importance.scoring", equalTo("accuracy"))
                .body("feature_importance.n_repeats", equalTo(5))
                .body("feature_importance.random_state", equalTo(42))
                .body("feature_importance.features", hasSize(7))
                .body("feature_importance.features[0].feature", equalTo("Sex"))
                .extract().jsonPath();
        double mdi = 0;
        for (Map<String, Object> f : lineage.<Map<String, Object>>getList("feature_importance.features")) {
            mdi += ((Number) f.get("model_importance")).doubleValue();
            assertTrue(f.get("permutation_importance_std") instanceof Number, f.toString());
        }
        assertEquals(1.0, mdi, 1e-6);
        assertEquals(lineage.getDouble("metrics.accuracy"), lineage.getDouble("feature_importance.baseline_score"), 1e-9);

        deploy(job, 201);
        // Without explain: nothing more than before.
        given().contentType(ContentType.JSON).body(PASSENGERS).post("/api/deployments/predict").then().statusCode(200)
                .body("explanations", nullValue()).body("explanation_output", nullValue());

        JsonPath p = given().contentType(ContentType.JSON).body(PASSENGERS).post("/api/deployments/predict?explain=true")
                .then().statusCode(200).body("explanation_output", equalTo("probability"))
                .body("explanations", hasSize(2)).extract().jsonPath();
        assertEquals(List.of(), p.getList("explanations[0].imputed_features"));
        assertEquals(List.of("Age"), p.getList("explanations[1].imputed_features"));
        for (int row = 0; row < 2; row++) {
            for (String label : List.of("0", "1")) {
                double sum = p.getDouble("explanations[" + row + "].base_value.'" + label + "'");
                Map<String, Number> contributions = p.getMap("explanations[" + row + "].contributions.'" + label + "'");
                assertEquals(List.of("Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"),
                        new ArrayList<>(contributions.keySet()));
                for (Number v : contributions.values()) sum += v.doubleValue();
                double probability = p.getDouble("probabilities[" + row + "].'" + label + "'");
                assertEquals(probability, sum, 1e-6, "row " + row + " class " + label);
                assertEquals(probability, p.getDouble("explanations[" + row + "].raw_output.'" + label + "'"), 1e-6);
            }
        }
        // Sex matters for these two passengers.
        assertTrue(p.getDouble("explanations[1].contributions.'1'.Sex") > 0.05, p.prettify());

        given().contentType(ContentType.JSON).body(PASSENGERS).post("/api/deployments/predict?explain=maybe").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("explain"));
    }

    @Test
    void explainedRequestsAreCapped() {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\"}");
        deploy(job, 201);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("Pclass", 1 + i % 3);
            row.put("Sex", i % 2 == 0 ? "male" : "female");
            row.put("Age", 20 + i % 50);
            rows.add(row);
        }
        given().contentType(ContentType.JSON).body(rows).post("/api/deployments/predict?explain=true").then()
                .statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("mlpipeline.deployments.explain-max-rows"));
        given().contentType(ContentType.JSON).body(rows).post("/api/deployments/predict").then().statusCode(200)
                .body("predictions", hasSize(1001));
        // 1,000 rows are explained; binary logistic regression explains the log-odds.
        JsonPath p = given().contentType(ContentType.JSON).body(rows.subList(0, 1000)).post("/api/deployments/predict?explain=true")
                .then().statusCode(200).body("explanation_output", equalTo("log_odds")).body("explanations", hasSize(1000))
                .extract().jsonPath();
        for (int row : new int[]{ 0, 1, 999 }) {
            double prob = p.getDouble("probabilities[" + row + "].'1'");
            double sum = p.getDouble("explanations[" + row + "].base_value.'1'");
            Map<String, Number> c = p.getMap("explanations[" + row + "].contributions.'1'");
            for (Number v : c.values()) sum += v.doubleValue();
            assertEquals(Math.log(prob / (1 - prob)), sum, 1e-6, "row " + row);
            assertEquals(-sum, p.getDouble("explanations[" + row + "].raw_output.'0'"), 1e-6);
            assertEquals(List.of("SibSp", "Parch", "Fare", "Embarked"), p.getList("explanations[" + row + "].imputed_features"));
        }
    }

    @Test
    void tuningJobsStoreFeatureImportanceToo() {
        String ds = upload("titanic.csv");
        String job = submitTuning("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\","
                + "\"cv_folds\":3,\"search_space\":{\"lambda\":[0.1,1.0]}}");
        awaitCompleted(job);
        int version = given().get("/api/tuning/jobs/" + job).then().extract().path("version");
        given().get("/api/registry/models/LogisticRegression/versions/" + version + "?dataset_id=" + ds).then().statusCode(200)
                .body("source", equalTo("tuning"))
                .body("feature_importance.model_method", equalTo("standardized_coefficients"))
                .body("feature_importance.features", hasSize(7))
                .body("feature_importance.features[0].permutation_importance_mean", notNullValue());
    }
}
