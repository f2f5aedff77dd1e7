package dev.mlpipeline.common;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What Swagger UI's "Try it out" sends: the request examples of the document, with only their ids
 * replaced by real ones, succeed; and the response examples have the fields of the live responses.
 */
@QuarkusTest
class OpenApiExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void undeploy() {
        given().delete("/api/deployments/active").then().statusCode(anyOf(equalTo(204), equalTo(404)));
    }

    @Test
    void prefilledBodiesForTrainingTuningDeployAndPredictSucceed() throws Exception {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();

        Response upload = given().multiPart("file", new File("samples/titanic.csv"), "text/csv").multiPart("name", "titanic")
                .post("/api/datasets").then().statusCode(201).extract().response();
        assertSameFields(doc, "/api/datasets", "201", upload);
        String datasetId = upload.path("id");

        Map<String, Object> train = example(doc, "/api/training/jobs", "requestBody");
        train.put("dataset_id", datasetId);
        Response queued = given().contentType("application/json").body(train).post("/api/training/jobs")
                .then().statusCode(202).extract().response();
        assertSameFields(doc, "/api/training/jobs", "202", queued);
        String jobId = queued.path("id");

        Map<String, Object> tune = example(doc, "/api/tuning/jobs", "requestBody");
        tune.put("dataset_id", datasetId);
        Response tuning = given().contentType("application/json").body(tune).post("/api/tuning/jobs")
                .then().statusCode(202).extract().response();
        assertSameFields(doc, "/api/tuning/jobs", "202", tuning);
        given().post("/api/tuning/jobs/" + tuning.path("id") + "/cancel").then().statusCode(anyOf(equalTo(200), equalTo(409)));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> given().get("/api/training/jobs/" + jobId).then().statusCode(200).extract().path("status"),
                status -> status.equals("COMPLETED"));

        Map<String, Object> deploy = example(doc, "/api/deployments/deploy", "requestBody");
        deploy.put("job_id", jobId);
        Response deployed = given().contentType("application/json").body(deploy).post("/api/deployments/deploy")
                .then().statusCode(201).extract().response();
        assertSameFields(doc, "/api/deployments/deploy", "201", deployed);

        Object rows = doc.get("paths.'/api/deployments/predict'.post.requestBody.content.'application/json'.examples.titanic.value");
        Response predicted = given().contentType("application/json").body(JSON.writeValueAsString(rows)).post("/api/deployments/predict")
                .then().statusCode(200).body("predictions", hasSize(2)).body("ignored_columns", hasSize(0))
                .extract().response();
        assertSameFields(doc, "/api/deployments/predict", "200", predicted);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> example(JsonPath doc, String path, String where) {
        Map<String, Object> value = doc.getMap("paths.'" + path + "'.post." + where + ".content.'application/json'.examples.titanic.value");
        return new java.util.LinkedHashMap<>(value);
    }

    /** The response example of the operation has the same fields as the live response. */
    private static void assertSameFields(JsonPath doc, String path, String status, Response live) {
        Map<String, Object> example = doc.getMap("paths.'" + path + "'.post.responses.'" + status + "'.content.'application/json'.examples.titanic.value");
        Map<String, Object> actual = live.jsonPath().getMap("$");
        assertEquals(new java.util.TreeSet<>(actual.keySet()), new java.util.TreeSet<>(example.keySet()),
                "fields of the " + status + " example of POST " + path);
        for (String key : List.of("status", "job_type", "source", "model_type", "task", "target_column", "dataset_name", "name")) {
            if (example.containsKey(key)) {
                assertEquals(example.get(key), actual.get(key), key + " of the " + status + " example of POST " + path);
            }
        }
    }
}
