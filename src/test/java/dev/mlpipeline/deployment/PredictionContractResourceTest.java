package dev.mlpipeline.deployment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, predictions over HTTP: JSON booleans against True/False levels, yes/no levels that must not
 * match them, partial and all-unknown rows, strict mode, NaN and Infinity, and the input schema endpoint
 * the 400s point to.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionContractResourceTest {

    @Inject
    DeploymentService service;

    String datasetId;
    String jobId;

    /**
     * is_member (True/False as pandas writes them) decides the label; plan is yes/no; amount numeric. Trained
     * once (RestAssured is set up per test, so not in a @BeforeAll), deployed before each test.
     */
    @BeforeEach
    void trainAndDeploy() {
        if (jobId != null) {
            given().contentType(ContentType.JSON).body("{\"job_id\":\"" + jobId + "\"}").post("/api/deployments/deploy")
                    .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
            return;
        }
        StringBuilder csv = new StringBuilder("customer,is_member,plan,amount,label\n");
        for (int i = 0; i < 80; i++) {
            boolean member = i % 2 == 0;
            csv.append("c").append(i).append(',').append(member ? "True" : "False").append(',')
                    .append(i % 3 == 0 ? "yes" : "no").append(',').append(i % 10 == 9 ? "NA" : String.valueOf(20 + i))
                    .append(',').append(member ? "stays" : "leaves").append('\n');
        }
        datasetId = given().multiPart("file", "members.csv", csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/api/datasets").then().statusCode(201)
                .body("columns.find { it.name == 'customer' }.likely_identifier", equalTo(true))
                .extract().path("id");
        jobId = dev.mlpipeline.ApiFixtures.train("{\"dataset_id\":\"" + datasetId + "\",\"model_type\":\"DecisionTree\","
                + "\"target_column\":\"label\"}");
        dev.mlpipeline.ApiFixtures.deploy(jobId, 201);
    }

    /** Leaves nothing deployed (through the service: RestAssured is not set up after the last test). */
    @AfterAll
    void undeploy() {
        service.undeploy().onFailure().recoverWithNull().await().indefinitely();
    }

    private static ValidatableResponse post(String body, String query) {
        return given().contentType(ContentType.JSON).body(body).post("/api/deployments/predict" + query).then();
    }

    private String schemaPath() {
        return "/api/registry/models/DecisionTree/versions/1/schema?dataset_id=" + datasetId;
    }

    @Test
    void jsonBooleanFalseIsTheLevelFalse() {
        JsonPath p = DeploymentResourceTest.predict("[{\"is_member\":false,\"plan\":\"no\",\"amount\":30},"
                + "{\"is_member\":\"False\",\"plan\":\"no\",\"amount\":30},"
                + "{\"is_member\":true,\"plan\":\"no\",\"amount\":30},"
                + "{\"is_member\":\"TRUE\",\"plan\":\"no\",\"amount\":30}]");
        assertEquals(List.of("leaves", "leaves", "stays", "stays"), p.getList("predictions"));
        assertEquals(p.getMap("probabilities[0]"), p.getMap("probabilities[1]"));
        assertEquals(List.of(Map.of(), Map.of(), Map.of(), Map.of()), p.getList("unseen_categories"));
        assertEquals(List.of(List.of(), List.of(), List.of(), List.of()), p.getList("missing_columns"));
        assertEquals(List.of(), p.getList("ignored_columns"));
    }

    @Test
    void yesNoLevelsAreNotBooleansAndTheMismatchIsReported() {
        post("[{\"is_member\":true,\"plan\":true,\"amount\":30},{\"is_member\":true,\"plan\":\"Yes\",\"amount\":30}]", "")
                .statusCode(200)
                .body("unseen_categories[0].plan", equalTo(true))
                .body("unseen_categories[1].plan", equalTo("Yes"))
                .body("missing_columns[0]", hasSize(0));
    }

    @Test
    void partialRowIsPredictedWithItsMissingFeaturesListed() {
        post("[{\"is_member\":true}]", "").statusCode(200)
                .body("predictions", contains("stays"))
                .body("missing_columns[0]", contains("plan", "amount"))
                .body("unseen_categories[0].size()", equalTo(0));
    }

    @Test
    void rowWithNoneOfTheFeaturesIsA400PointingToTheSchema() {
        post("[{\"is_member\":true},{\"pclass\":3}]", "").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("[1]"))
                .body("errors[0].message", containsString("none of the model's features (its keys: pclass)"))
                .body("detail", containsString("the model expects: is_member, plan, amount"))
                .body("detail", containsString(schemaPath()));
        post("[{}]", "").statusCode(400).body("errors[0].field", equalTo("[0]"));
        post("[{\"is_member\":null,\"amount\":NaN}]", "").statusCode(400).body("errors[0].field", equalTo("[0]"));
    }

    @Test
    void strictTurnsEveryMissingFeatureAndUnseenValueIntoA400ListingThemAll() {
        post("[{\"is_member\":true},{\"is_member\":\"maybe\",\"plan\":\"no\",\"amount\":1}]", "?strict=true")
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("[0].plan", "[0].amount", "[1].is_member"))
                .body("errors[2].message", containsString("\"maybe\" matches no training level"))
                .body("detail", containsString(schemaPath()));
        post("[{\"is_member\":true,\"plan\":\"no\",\"amount\":1}]", "?strict=true").statusCode(200);
        post("[{\"is_member\":true}]", "?strict=false").statusCode(200);
        post("[{\"is_member\":true}]", "?strict=maybe").statusCode(400).body("errors[0].field", equalTo("strict"));
    }

    @Test
    void deploymentLevelStrictDefault() {
        DeploymentService target = ClientProxy.unwrap(service);
        target.strictByDefault = true;
        try {
            post("[{\"is_member\":true}]", "").statusCode(400).body("errors.field", contains("[0].plan", "[0].amount"));
            post("[{\"is_member\":true}]", "?strict=false").statusCode(200);
        } finally {
            target.strictByDefault = false;
        }
    }

    @Test
    void bareNanIsMissingAndInfinityIsA400NamingTheField() {
        post("[{\"is_member\":true,\"plan\":\"no\",\"amount\":NaN}]", "").statusCode(200)
                .body("missing_columns[0]", contains("amount"));
        post("[{\"is_member\":true,\"plan\":\"no\",\"amount\":Infinity}]", "").statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("[0].amount"))
                .body("detail", containsString("finite"))
                .body("detail", containsString(schemaPath()));
        post("[{\"is_member\":true,\"plan\":\"no\",\"amount\":-Infinity}]", "").statusCode(400)
                .body("errors[0].field", equalTo("[0].amount"));
    }

    @Test
    void schemaEndpointListsFeaturesWithLevelsRangesAndMissingRates() {
        JsonPath schema = given().get(schemaPath()).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("is_member", "plan", "amount"), schema.getList("features.name"), "the identifier is left out");
        assertEquals(List.of("categorical", "categorical", "numeric"), schema.getList("features.type"));
        assertEquals(List.of("False", "True"), schema.getList("features[0].levels"));
        assertEquals(List.of("no", "yes"), schema.getList("features[1].levels"));
        assertEquals(0.0f, schema.getFloat("features[0].missing_rate"));
        float min = schema.getFloat("features[2].min");
        float max = schema.getFloat("features[2].max");
        assertTrue(min >= 20 && max <= 99 && min < max, min + ".." + max);
        float rate = schema.getFloat("features[2].missing_rate");
        assertTrue(rate > 0 && rate < 0.2, "NA markers were read as missing: " + rate);
        assertEquals("label", schema.getString("target_column"));
        assertEquals(List.of("leaves", "stays"), schema.getList("labels"));
        assertEquals(jobId, schema.getString("job_id"));
        given().get("/api/registry/models/DecisionTree/versions/99/schema?dataset_id=" + datasetId).then()
                .statusCode(404).contentType("application/problem+json");
        given().get("/api/registry/models/NoSuchModel/versions/1/schema").then().statusCode(404);
        given().get("/api/registry/models/DecisionTree/versions/zero/schema?dataset_id=" + datasetId).then()
                .statusCode(400).body("errors[0].field", equalTo("version"));
    }

    @Test
    void schemaOfAVersionThatIsNotDeployedLoadsItsArtifact() {
        String other = dev.mlpipeline.ApiFixtures.train("{\"dataset_id\":\"" + datasetId + "\",\"model_type\":\"LogisticRegression\","
                + "\"target_column\":\"label\",\"feature_columns\":[\"plan\",\"amount\"]}");
        given().get("/api/registry/models/LogisticRegression/versions/1/schema?dataset_id=" + datasetId).then()
                .statusCode(200)
                .body("job_id", equalTo(other))
                .body("features.name", contains("plan", "amount"))
                .body("features[0].min", nullValue());
    }
}
