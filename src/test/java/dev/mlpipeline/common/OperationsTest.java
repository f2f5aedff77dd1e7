package dev.mlpipeline.common;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, OpenAPI, Swagger UI, metrics and the problem+json shape of framework errors. */
@QuarkusTest
class OperationsTest {

    @Test
    void livenessAndReadinessAreUpWithTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        // Readiness also waits for the active model; start from a state with none deployed.
        given().delete("/api/deployments/active").then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(204), equalTo(404)));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")))
                .body("checks.name", hasItem("Active model warm"));
        given().post("/api/ping").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void openApiDocumentsEveryOperationWithIdTagAndSummary() {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Model Registry API"))
                .body("info.version", notNullValue())
                .body("info.description", notNullValue())
                .extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        assertFalse(paths.isEmpty());
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                Map<String, Object> operation = op.getValue();
                String where = op.getKey() + " " + path.getKey();
                assertTrue(operation.get("operationId") instanceof String s && !s.isBlank(), "operationId of " + where);
                assertTrue(operation.get("tags") instanceof List<?> l && !l.isEmpty(), "tags of " + where);
                assertTrue(operation.get("summary") instanceof String s && !s.isBlank(), "summary of " + where);
                operations++;
            }
        }
        assertTrue(operations >= 5, "operations found: " + operations);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void everyErrorResponseIsDocumentedAsProblemJson() {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertTrue(doc.getMap("components.schemas.Problem.properties").keySet().containsAll(List.of("type", "title", "status", "detail", "instance", "errors")),
                "the Problem schema is in the document");
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        int errors = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                @SuppressWarnings("unchecked")
                Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) op.getValue().get("responses");
                for (var response : responses.entrySet()) {
                    // The Open Inference Protocol's routes answer its own {"error": …} shape (KServe clients read it).
                    if (path.getKey().startsWith("/v2/")) continue;
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        String where = response.getKey() + " of " + op.getKey() + " " + path.getKey();
                        @SuppressWarnings("unchecked")
                        Map<String, Map<String, Map<String, Object>>> content = (Map<String, Map<String, Map<String, Object>>>) response.getValue()
                                .get("content");
                        assertTrue(content != null && content.containsKey("application/problem+json"), "problem+json content of " + where);
                        assertTrue(String.valueOf(content.get("application/problem+json").get("schema").get("$ref")).endsWith("/Problem"),
                                "Problem schema of " + where);
                        errors++;
                    }
                }
            }
        }
        assertTrue(errors >= 20, "error responses found: " + errors);
    }

    @Test
    void unknownRouteIsProblemJson404() {
        given().get("/api/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("type", notNullValue())
                .body("detail", containsString("/api/no-such-thing"))
                .body("instance", equalTo("/api/no-such-thing"));
    }

    @Test
    void wrongMethodIsProblemJson405() {
        given().put("/api/datasets").then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
    }

    @Test
    void problemBodiesNeverLeakJavaNames() {
        given().get("/api/datasets/ds_missing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", not(containsString("Exception")))
                .body("detail", containsString("ds_missing"))
                .body("errors", everyItem(notNullValue()));
    }

    @Test
    void operationsWithoutABodyAnswerClientsThatAcceptOnlyProblems() {
        // Generated clients send Accept: application/problem+json when errors are the only documented bodies.
        given().accept("application/problem+json").delete("/api/datasets/ds_missing").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().accept("application/problem+json").delete("/api/deployments/active").then()
                .statusCode(org.hamcrest.Matchers.anyOf(equalTo(204), equalTo(404)));
    }

    @Test
    void metricsAreExposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server"));
    }
}
