package dev.mlpipeline.jobs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query that KEDA's PostgreSQL scaler runs ({@code deploy/kubernetes/overlays/keda/scaledobject.yaml})
 * is valid against the Flyway schema and counts the jobs that need a worker, as the API reports them.
 */
@QuarkusTest
class KedaQueueQueryTest {

    @Inject
    Pool pool;

    static String kedaQuery() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(Path.of("deploy/kubernetes/overlays/keda/scaledobject.yaml").toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if ("ScaledObject".equals(doc.path("kind").asText())) {
                    return doc.path("spec").path("triggers").path(0).path("metadata").path("query").asText();
                }
            }
        }
        throw new AssertionError("no ScaledObject");
    }

    private long queueDepth(String query) {
        return pool.query(query).execute().await().indefinitely().iterator().next().getLong(0);
    }

    /** PENDING and RUNNING jobs of every kind, as the API lists them. */
    private static long apiCount() {
        long count = 0;
        for (String list : List.of("/api/training/jobs", "/api/tuning/jobs", "/api/batch-predictions")) {
            for (String status : List.of("PENDING", "RUNNING")) {
                count += given().get(list + "?status=" + status + "&limit=1000").then().statusCode(200)
                        .extract().jsonPath().getList("$").size();
            }
        }
        return count;
    }

    @Test
    void theScalerQueryCountsTheJobsThatNeedAWorker() throws IOException {
        String query = kedaQuery();
        // Other test classes' jobs may still be finishing: compare the query with the API at one moment,
        // retried until a moment where nothing changed in between.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(apiCount(), queueDepth(query)));

        String ds = given().multiPart("file", new File("samples/titanic.csv"), "text/csv").post("/api/datasets")
                .then().statusCode(201).extract().path("id");
        String job = given().contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\",\"hyperparameters\":{\"n_trees\":3000}}")
                .post("/api/training/jobs").then().statusCode(202).extract().path("id");
        try {
            // PENDING or already RUNNING: either way it needs a worker, and the query counts it.
            assertTrue(queueDepth(query) >= 1, "the new job is counted");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(apiCount(), queueDepth(query)));
        } finally {
            given().post("/api/training/jobs/" + job + "/cancel").then().statusCode(200);
        }
        // Cancelled, it no longer needs a worker.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(apiCount(), queueDepth(query)));
        assertEquals(0, pool.preparedQuery("SELECT count(*) FROM training_job WHERE id = $1 AND status IN ('PENDING', 'RUNNING')")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(job)).await().indefinitely().iterator().next().getLong(0));
    }
}
