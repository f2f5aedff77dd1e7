package dev.mlpipeline.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import dev.mlpipeline.common.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static dev.mlpipeline.ApiFixtures.JOB_DEADLINE;
import static dev.mlpipeline.ApiFixtures.POLL;
import static dev.mlpipeline.ApiFixtures.deploy;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static dev.mlpipeline.ApiFixtures.uploadCsv;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch predictions over HTTP: queued on the job machinery, scored with the same pipeline as predict
 * (same answers), failing rows reported per row, results streamed as CSV and JSON lines, cancel and
 * delete.
 */
@QuarkusTest
class BatchPredictionResourceTest {

    static final io.restassured.path.json.config.JsonPathConfig DOUBLES = new io.restassured.path.json.config.JsonPathConfig(
            io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE);

    @AfterEach
    void undeployWhatTheTestDeployed() {
        undeploy();
    }

    static String submit(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/batch-predictions").then().statusCode(202)
                .header("Location", containsString("/api/batch-predictions/bpr_")).body("status", equalTo("PENDING"))
                .extract().path("id");
    }

    static JsonPath awaitFinished(String id) {
        await().atMost(JOB_DEADLINE).pollInterval(POLL).until(() -> List.of("COMPLETED", "FAILED", "CANCELLED")
                .contains(given().get("/api/batch-predictions/" + id).then().statusCode(200).extract().<String>path("status")));
        return given().get("/api/batch-predictions/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The rows of a CSV written by the service (no quoted commas in these datasets). */
    static List<List<String>> csv(String body) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : body.split("\n")) {
            rows.add(Arrays.asList(line.split(",", -1)));
        }
        return rows;
    }

    @Test
    void scoresAWholeDatasetAsPredictWouldAndStreamsCsvAndJsonLines() {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"RandomForest\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"n_trees\":20}}");
        deploy(job, 201);

        // job_id defaults to the active deployment's
        String id = submit("{\"dataset_id\":\"" + ds + "\"}");
        JsonPath done = awaitFinished(id);
        assertEquals("COMPLETED", done.getString("status"), done.prettify());
        assertEquals(job, done.getString("job_id"));
        assertEquals(891, done.getLong("rows_total"));
        assertEquals(891, done.getLong("rows_scored"));
        assertEquals(0, done.getLong("rows_failed"));
        assertEquals(1.0, done.getDouble("progress"));
        assertEquals(List.of("0", "1"), done.getList("class_labels"));

        Response csvResponse = given().get("/api/batch-predictions/" + id + "/result");
        csvResponse.then().statusCode(200).contentType(startsWith("text/csv"));
        List<List<String>> rows = csv(csvResponse.asString());
        assertEquals(List.of("Survived", "Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked", "prediction",
                "probability_0", "probability_1", "error"), rows.getFirst());
        assertEquals(892, rows.size());
        assertEquals(List.of("0", "3", "male", "22.0", "1", "0", "7.25", "S"), rows.get(1).subList(0, 8));

        // The first 20 rows as predict answers them.
        List<Map<String, Object>> requested = new ArrayList<>();
        for (List<String> row : rows.subList(1, 21)) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (int j = 1; j < 8; j++) {
                r.put(rows.getFirst().get(j), row.get(j).isEmpty() ? null : row.get(j));
            }
            requested.add(r);
        }
        // Numbers as doubles: RestAssured reads JSON decimals as floats by default.
        JsonPath predicted = given().contentType(ContentType.JSON).body(requested).post("/api/deployments/predict")
                .then().statusCode(200).extract().jsonPath().using(DOUBLES);
        for (int i = 0; i < 20; i++) {
            List<String> row = rows.get(i + 1);
            assertEquals(String.valueOf(predicted.getList("predictions").get(i)), row.get(8), "row " + i);
            assertEquals(predicted.getDouble("probabilities[" + i + "].'0'"), Double.parseDouble(row.get(9)), 0.0, "row " + i);
            assertEquals(predicted.getDouble("probabilities[" + i + "].'1'"), Double.parseDouble(row.get(10)), 0.0, "row " + i);
            assertEquals("", row.get(11));
        }

        Response ndjson = given().accept("application/x-ndjson").get("/api/batch-predictions/" + id + "/result");
        ndjson.then().statusCode(200).contentType(startsWith("application/x-ndjson"));
        String[] lines = ndjson.asString().split("\n");
        assertEquals(891, lines.length);
        JsonPath first = JsonPath.from(lines[0]).using(DOUBLES);
        assertEquals(0, first.getInt("row"));
        assertEquals(22.0, first.getDouble("input.Age"));
        assertEquals("male", first.getString("input.Sex"));
        assertEquals(predicted.getList("predictions").get(0), first.get("prediction"));
        assertEquals(predicted.getDouble("probabilities[0].'1'"), first.getDouble("probabilities.'1'"), 0.0);
        assertNull(first.get("error"));

        given().get("/api/batch-predictions?status=completed&limit=1000").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.rows_scored", equalTo(891));
        given().post("/api/batch-predictions/" + id + "/cancel").then().statusCode(409).contentType("application/problem+json");
        given().delete("/api/batch-predictions/" + id).then().statusCode(204);
        given().get("/api/batch-predictions/" + id).then().statusCode(404).contentType("application/problem+json");
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM batch_prediction_chunk WHERE batch_id = ?", id));
    }

    @Test
    void rowsFailingValidationAreReportedPerRowAndNeverAbortTheJob() {
        String titanic = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + titanic + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\"}");
        // Age is categorical in this file (mostly words): a word is refused for the numeric feature; the
        // fourth row has none of the model's features; Name is not one (kept as an input column).
        String ds = uploadCsv("scoring.csv", """
                Name,Pclass,Sex,Age,SibSp,Parch,Fare,Embarked
                A,3,male,22,1,0,7.25,S
                B,1,female,old,1,0,71.28,C
                C,3,female,young,0,0,7.92,S
                D,,,,,,,
                E,1,"female, adult",kid,1,0,53.1,S
                """);
        String id = submit("{\"dataset_id\":\"" + ds + "\",\"job_id\":\"" + job + "\"}");
        JsonPath done = awaitFinished(id);
        assertEquals("COMPLETED", done.getString("status"), done.prettify());
        assertEquals(5, done.getLong("rows_total"));
        assertEquals(1, done.getLong("rows_scored"));
        assertEquals(4, done.getLong("rows_failed"));

        String[] lines = given().accept("application/x-ndjson").get("/api/batch-predictions/" + id + "/result").then().statusCode(200)
                .extract().asString().split("\n");
        assertEquals(5, lines.length);
        assertNull(JsonPath.from(lines[0]).get("error"));
        assertNotNull(JsonPath.from(lines[0]).get("prediction"));
        assertTrue(JsonPath.from(lines[1]).getString("error").contains("Age"), lines[1]);
        assertNull(JsonPath.from(lines[1]).get("prediction"));
        assertNull(JsonPath.from(lines[1]).get("probabilities"));
        assertEquals("old", JsonPath.from(lines[1]).getString("input.Age"));
        assertTrue(JsonPath.from(lines[3]).getString("error").contains("none of the model's features"), lines[3]);
        assertEquals("female, adult", JsonPath.from(lines[4]).getString("input.Sex"));

        // The CSV keeps quoted fields quoted, and failed rows have empty prediction and probabilities.
        String csv = given().get("/api/batch-predictions/" + id + "/result").then().statusCode(200).extract().asString();
        assertTrue(csv.contains("\nE,1,\"female, adult\",kid,1,0,53.1,S,,,,"), csv);
    }

    @Test
    void cancelStopsAQueuedOrRunningBatchAndItsResultIsWhatWasWritten() {
        String ds = upload("titanic.csv");
        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"Survived\"}");
        // A batch RUNNING on a replica that is gone: cancel is immediate, whatever the workers do.
        String id = Ids.next("bpr");
        TestDatabase.update("INSERT INTO batch_prediction (id, dataset_id, job_id, model_type, version, task, input_columns,"
                + " numeric_predictions, status, rows_total, claimed_by, heartbeat_at, created_at, started_at)"
                + " VALUES (?, ?, ?, 'LogisticRegression', 1, 'classification', CAST(? AS text[]), true, 'RUNNING', 891,"
                + " 'replica-gone', now(), now(), now())", id, ds, job, "{Survived,Pclass}");
        given().get("/api/batch-predictions/" + id + "/result").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("RUNNING"));
        given().delete("/api/batch-predictions/" + id).then().statusCode(409).body("detail", containsString("cancel"));
        given().post("/api/batch-predictions/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().get("/api/batch-predictions/" + id + "/result").then().statusCode(200)
                .body(equalTo("Survived,Pclass,prediction,error\n"));
        given().post("/api/batch-predictions/" + id + "/cancel").then().statusCode(409);
        given().delete("/api/batch-predictions/" + id).then().statusCode(204);
    }

    @Test
    void badRequestsSayWhatToFix() {
        undeploy();
        String ds = upload("titanic.csv");
        given().contentType(ContentType.JSON).body("{}").post("/api/batch-predictions").then().statusCode(400)
                .body("errors[0].field", equalTo("dataset_id"));
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + ds + "\"}").post("/api/batch-predictions").then()
                .statusCode(400).body("errors[0].field", equalTo("job_id"));
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + ds + "\",\"job_id\":\"trn_nope\"}").post("/api/batch-predictions")
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"" + ds + "\",\"job_id\":\"bpr_x\"}").post("/api/batch-predictions")
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"dataset_id\":\"ds_nope\",\"job_id\":\"trn_nope\"}").post("/api/batch-predictions")
                .then().statusCode(404);
        given().get("/api/batch-predictions/bpr_nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/batch-predictions/bpr_nope/result").then().statusCode(404);
        given().get("/api/batch-predictions?status=DONE").then().statusCode(400).body("errors[0].field", equalTo("status"));
        // A batch id is no model version: deploy says so.
        given().contentType(ContentType.JSON).body("{\"job_id\":\"bpr_x\"}").post("/api/deployments/deploy").then().statusCode(404);
    }
}
