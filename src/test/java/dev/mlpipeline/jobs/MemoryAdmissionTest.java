package dev.mlpipeline.jobs;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;

/** Jobs estimated above the memory budget are refused at submission, with what they need and what to change. */
@QuarkusTest
@TestProfile(MemoryAdmissionTest.SmallBudget.class)
class MemoryAdmissionTest {

    /** A replica whose jobs may use 64 MiB. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipeline.jobs.memory-budget", "64M");
        }
    }

    @Test
    void aForestTooLargeForTheBudgetIsRefusedAndNothingIsStored() {
        String dataset = ApiFixtures.upload("titanic.csv");
        int before = given().get("/api/training/jobs").then().statusCode(200).extract().path("size()");
        // 5,000 fully grown trees on 712 training rows: about 160 MiB of nodes.
        given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                        + "\"hyperparameters\":{\"n_trees\":5000}}")
                .post("/api/training/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", matchesPattern("(?s).*needs about \\d+ MiB of heap.*more than the 64 MiB.*"))
                .body("detail", containsString("fewer trees (n_trees)"))
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("hyperparameters"));
        given().get("/api/training/jobs").then().statusCode(200).body("size()", equalTo(before));

        // The same forest at the default 100 trees fits.
        ApiFixtures.submitTraining("{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\","
                + "\"target_column\":\"Survived\"}");
    }

    @Test
    void aTuningGridIsJudgedByItsLargestConfiguration() {
        String dataset = ApiFixtures.upload("titanic.csv");
        given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                        + "\"search_space\":{\"n_trees\":[10,5000]}}")
                .post("/api/tuning/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("hyperparameters"))
                .body("detail", containsString("more than the 64 MiB"));
        ApiFixtures.submitTuning("{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"RandomForest\","
                + "\"target_column\":\"Survived\",\"search_space\":{\"n_trees\":[10,20]}}");
    }
}
