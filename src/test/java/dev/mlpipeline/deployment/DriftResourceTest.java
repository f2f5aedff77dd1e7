package dev.mlpipeline.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import dev.mlpipeline.common.TelemetryFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.JOB_DEADLINE;
import static dev.mlpipeline.ApiFixtures.POLL;
import static dev.mlpipeline.ApiFixtures.deploy;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prediction log and the drift endpoint over HTTP, on california_housing: rows drawn from the data
 * flag no feature; the same rows with {@code median_income} shifted by two standard deviations flag
 * exactly it; the gauges follow; bad windows are 400s and no deployment a 404.
 */
@QuarkusTest
class DriftResourceTest {

    private static final int ROWS = 1000;
    private static final int PER_REQUEST = 50;

    @Inject
    PredictionLog log;

    @Inject
    PredictionLogRepository repository;

    @Inject
    ModelCache cache;

    @AfterEach
    void cleanUp() {
        log.sampleRate = 1.0;
        undeploy();
    }

    @Test
    void noDeploymentIs404AndBadWindowsAre400() {
        undeploy();
        given().get("/api/deployments/active/drift").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("no active deployment"));
        given().queryParam("since", "yesterday").get("/api/deployments/active/drift").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("since"));
        given().queryParam("since", "2026-12-01T04:00:00Z").queryParam("until", "2026-12-01T03:00:00Z")
                .get("/api/deployments/active/drift").then().statusCode(400).body("errors[0].field", equalTo("since"));
        given().queryParam("until", "+999999-01-01T00:00:00Z").get("/api/deployments/active/drift").then().statusCode(400)
                .body("errors[0].field", equalTo("until"));
    }

    @Test
    void rowsFromTheTrainingDataFlagNothingAndAShiftedFeatureFlagsExactlyIt() throws IOException {
        String ds = upload("california_housing.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LinearRegression\",\"target_column\":\"median_house_value\"}");
        String deployment = deploy(job, 201).getString("id");

        List<Map<String, Object>> rows = sample(Path.of("samples/california_housing.csv"), "median_house_value", ROWS, 11);
        Instant t0 = Instant.now();
        predictAll(rows);
        Instant t1 = nextMillisecond();
        JsonPath same = awaitRows(t0, t1, ROWS);
        assertEquals(List.of(), same.getList("flagged_features"), () -> same.prettify());
        assertEquals(deployment, same.getString("deployment_id"));
        assertEquals(9, same.getList("features").size());
        assertTrue(same.getDouble("predictions.psi") < 0.1, () -> "prediction psi " + same.getDouble("predictions.psi"));
        // total_bedrooms is missing in about 1 % of the rows, in training and in the sample
        assertEquals(same.getDouble("features.find { it.name == 'total_bedrooms' }.training_missing_share"),
                same.getDouble("features.find { it.name == 'total_bedrooms' }.missing_share"), 0.02);

        double sd = standardDeviation(rows, "median_income");
        List<Map<String, Object>> shifted = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            copy.put("median_income", (Double) row.get("median_income") + 2 * sd);
            shifted.add(copy);
        }
        predictAll(shifted);
        Instant t2 = nextMillisecond();
        JsonPath drifted = awaitRows(t1, t2, ROWS);
        assertEquals(List.of("median_income"), drifted.getList("flagged_features"), () -> drifted.prettify());
        assertTrue(drifted.getDouble("features.find { it.name == 'median_income' }.psi") > 1.0);
        assertEquals(10, drifted.getList("features.find { it.name == 'median_income' }.bins").size(), "deciles: 10 bins");
        assertEquals(6, drifted.getList("features.find { it.name == 'ocean_proximity' }.bins").size(), "5 levels + unseen");

        // one table row per batch: far fewer than the predicted rows, and only the model's features stored
        assertEquals(2L * ROWS, TestDatabase.count("SELECT sum(row_count) FROM prediction_log WHERE deployment_id = ?", deployment));
        assertTrue(TestDatabase.count("SELECT count(*) FROM prediction_log WHERE deployment_id = ?", deployment) <= 2L * ROWS / PER_REQUEST);
        long batches = TestDatabase.count("SELECT count(*) FROM prediction_log WHERE deployment_id = ?", deployment);
        assertEquals(batches, TestDatabase.count("SELECT count(*) FROM prediction_log WHERE deployment_id = ?"
                + " AND json_array_length(rows->'features') = 9 AND NOT (rows->'features')::jsonb @> '[\"median_house_value\"]'"
                + " AND json_array_length(rows->'values') = row_count AND json_array_length(rows->'values'->0) = 9", deployment));

        // batches in the layout of earlier versions of the service (an object per input) are still read
        Instant old = Instant.now().minus(Duration.ofHours(1));
        TestDatabase.update("INSERT INTO prediction_log (deployment_id, first_at, last_at, row_count, rows) VALUES (?, ?, ?, 2, ?::json)",
                deployment, java.sql.Timestamp.from(old), java.sql.Timestamp.from(old.plusMillis(1)),
                "{\"at\": [" + old.toEpochMilli() + ", " + (old.toEpochMilli() + 1) + "], \"inputs\": [{\"median_income\": 3.5,"
                        + " \"ocean_proximity\": \"INLAND\"}, {\"median_income\": 4.5}], \"predictions\": [1.0e5, 2.0e5]}");
        given().queryParam("since", old.minusSeconds(1).toString()).queryParam("until", old.plusSeconds(1).toString())
                .get("/api/deployments/active/drift").then().statusCode(200).body("rows", equalTo(2))
                .body("features.find { it.name == 'median_income' }.missing_share", equalTo(0.0f))
                .body("features.find { it.name == 'ocean_proximity' }.missing_share", equalTo(0.5f));

        // the gauges cover the last hour: both phases, so median_income drifts there too
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("mlpipeline_drift_psi{feature=\"median_income\",model_type=\"LinearRegression\""))
                .body(containsString("mlpipeline_prediction_log_rows_total{outcome=\"written\"}")));

        // sample rate 0: predictions are not logged
        log.sampleRate = 0;
        Instant t3 = Instant.now();
        predictAll(rows.subList(0, PER_REQUEST));
        Instant t4 = nextMillisecond();
        assertEquals(0, log.queuedRows());
        given().queryParam("since", t3.toString()).queryParam("until", t4.toString()).get("/api/deployments/active/drift").then()
                .statusCode(200).body("rows", equalTo(0)).body("features[0].psi", equalTo(null));

        // a row the writer cannot serialize (here: it has no prediction) drops its own batch, counted as failed, and
        // the writer goes on with the next rows
        log.sampleRate = 1.0;
        double failedBefore = failedRows();
        ModelCache.Warm active = cache.active().orElseThrow();
        ModelCache.Warm other = new ModelCache.Warm("dep_unloggable", active.jobId(), active.source(), active.datasetId(), active.modelType(),
                active.version(), active.pipeline());
        log.record(other, rows.subList(0, 2), List.of(1.0));
        log.record(other, rows.subList(0, 3), List.of(1.0, 2.0, 3.0));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> log.queuedRows() == 0);
        assertEquals(3L, TestDatabase.count("SELECT coalesce(sum(row_count), 0) FROM prediction_log WHERE deployment_id = ?", "dep_unloggable"));
        assertEquals(failedBefore + 2, failedRows());
    }

    private static double failedRows() {
        return TelemetryFixtures.sample(TelemetryFixtures.scrape(), "mlpipeline_prediction_log_rows_total", Map.of("outcome", "failed"));
    }

    @Test
    void expiredBatchesAreDeleted() {
        TestDatabase.update("INSERT INTO prediction_log (deployment_id, first_at, last_at, row_count, rows)"
                + " VALUES ('dep_expired', now() - interval '8 days', now() - interval '8 days', 1,"
                + " '{\"at\": [0], \"inputs\": [{}], \"predictions\": [1]}')");
        TestDatabase.update("INSERT INTO prediction_log (deployment_id, first_at, last_at, row_count, rows)"
                + " VALUES ('dep_expired', now() - interval '6 days', now() - interval '6 days', 1,"
                + " '{\"at\": [0], \"inputs\": [{}], \"predictions\": [1]}')");
        int deleted = repository.deleteOlderThan(Duration.ofDays(7)).await().atMost(Duration.ofSeconds(30));
        assertTrue(deleted >= 1);
        assertEquals(1L, TestDatabase.count("SELECT count(*) FROM prediction_log WHERE deployment_id = 'dep_expired'"));
    }

    private static void predictAll(List<Map<String, Object>> rows) {
        for (int i = 0; i < rows.size(); i += PER_REQUEST) {
            given().contentType(ContentType.JSON).body(rows.subList(i, Math.min(rows.size(), i + PER_REQUEST)))
                    .post("/api/deployments/predict").then().statusCode(200);
        }
    }

    /** A millisecond after every row predicted so far was stamped; the next rows are stamped after it. */
    private static Instant nextMillisecond() {
        Instant boundary = Instant.ofEpochMilli(System.currentTimeMillis() + 1);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > boundary.toEpochMilli());
        return boundary;
    }

    private static JsonPath awaitRows(Instant since, Instant until, int rows) {
        JsonPath[] last = new JsonPath[1];
        await("drift of " + rows + " logged rows").atMost(JOB_DEADLINE).pollInterval(POLL).until(() -> {
            last[0] = given().queryParam("since", since.toString()).queryParam("until", until.toString())
                    .get("/api/deployments/active/drift").then().statusCode(200).extract().jsonPath();
            return last[0].getInt("rows") == rows;
        });
        given().queryParam("since", since.toString()).queryParam("until", until.toString()).get("/api/deployments/active/drift")
                .then().body("features.name", hasItem("median_income")).body("truncated", equalTo(false));
        return last[0];
    }

    /** {@code n} rows drawn with replacement (seeded) from a CSV without quoting, target left out, as a client sends them. */
    static List<Map<String, Object>> sample(Path csv, String target, int n, long seed) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String[] cells = lines.get(1 + random.nextInt(lines.size() - 1)).split(",", -1);
            Map<String, Object> row = new LinkedHashMap<>();
            for (int j = 0; j < header.length; j++) {
                if (header[j].equals(target) || cells[j].isEmpty()) continue;
                try {
                    row.put(header[j], Double.parseDouble(cells[j]));
                } catch (NumberFormatException e) {
                    row.put(header[j], cells[j]);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static double standardDeviation(List<Map<String, Object>> rows, String feature) {
        double sum = 0;
        double sq = 0;
        for (Map<String, Object> row : rows) {
            double x = (Double) row.get(feature);
            sum += x;
            sq += x * x;
        }
        double mean = sum / rows.size();
        return Math.sqrt(sq / rows.size() - mean * mean);
    }
}
