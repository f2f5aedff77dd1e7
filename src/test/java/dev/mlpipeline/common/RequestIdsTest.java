package dev.mlpipeline.common;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request ids: accepted from the client or made, echoed on every response, carried in problem bodies. */
@QuarkusTest
class RequestIdsTest {

    @Test
    void theClientsIdIsEchoedAndCarriedInProblems() {
        given().header("X-Request-Id", "abc").get("/api/datasets/ds_missing").then().statusCode(404)
                .header("X-Request-Id", "abc")
                .contentType("application/problem+json")
                .body("request_id", equalTo("abc"));
        given().header("X-Request-Id", "abc-2").get("/api/datasets").then().statusCode(200).header("X-Request-Id", "abc-2");
    }

    @Test
    void frameworkErrorsCarryTheIdToo() {
        given().header("X-Request-Id", "unknown-route-1").get("/api/no-such-thing").then().statusCode(404)
                .header("X-Request-Id", "unknown-route-1")
                .body("request_id", equalTo("unknown-route-1"));
        given().header("X-Request-Id", "malformed-1").contentType("application/json").body("{\"dataset_id\": ")
                .post("/api/training/jobs").then().statusCode(400)
                .body("request_id", equalTo("malformed-1"));
    }

    @Test
    void logLinesWrittenForTheRequestCarryItsId() throws Exception {
        try (dev.mlpipeline.LogCapture capture = dev.mlpipeline.LogCapture.start()) {
            // The upload is profiled on a worker thread and stored on the event loop; its INFO line comes last.
            java.nio.file.Path csv = java.nio.file.Files.createTempFile("request-id", ".csv");
            java.nio.file.Files.writeString(csv, "a,b\n1,x\n2,y\n");
            given().header("X-Request-Id", "upload-trace-1").multiPart("file", csv.toFile()).post("/api/datasets")
                    .then().statusCode(201).header("X-Request-Id", "upload-trace-1");
            var stored = capture.records().stream().filter(r -> r.getFormattedMessage().startsWith("Stored dataset")).toList();
            assertEquals(1, stored.size(), "one 'Stored dataset' line");
            assertEquals("upload-trace-1", stored.getFirst().getMdc(RequestIds.MDC_KEY));
        }
    }

    @Test
    void anIdIsMadeWhenNoneOrAnUnusableOneIsSent() {
        String made = given().get("/api/datasets").then().statusCode(200)
                .header("X-Request-Id", matchesPattern("req_[0-9a-z]{26}")).extract().header("X-Request-Id");
        String other = given().get("/api/datasets").then().statusCode(200).extract().header("X-Request-Id");
        assertNotEquals(made, other);
        String replaced = given().header("X-Request-Id", "<script>").get("/api/datasets").then().statusCode(200)
                .extract().header("X-Request-Id");
        assertTrue(replaced.startsWith("req_"), replaced);
        assertEquals("x".repeat(128), RequestIds.accept("x".repeat(128)));
        assertTrue(RequestIds.accept("x".repeat(129)).startsWith("req_"));
    }
}
