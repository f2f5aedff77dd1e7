package dev.mlpipeline.console;

import java.io.File;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's pages and actions over HTTP (the browser flow is {@link ConsoleBrowserTest}): pages
 * render, form posts need the CSRF token of their cookie, refusals come back as HTML with the API's
 * status and each field error next to its field, and nothing is stored when a form is refused.
 */
@QuarkusTest
class ConsolePagesTest {

    /** A page load: the CSRF cookie it sets and the token written into the page. */
    record Session(String cookie, String token) {
    }

    static Session session() {
        Response page = given().get("/console/datasets");
        page.then().statusCode(200).contentType(containsString("text/html"));
        String cookie = page.getCookie(ConsoleCsrf.COOKIE);
        assertNotNull(cookie, "the first console page sets the CSRF cookie");
        String html = page.asString();
        int at = html.indexOf("\"X-CSRF-Token\": \"") + "\"X-CSRF-Token\": \"".length();
        String token = html.substring(at, html.indexOf('"', at));
        assertEquals(cookie, token, "the page carries its cookie's token");
        return new Session(cookie, token);
    }

    @Test
    void everyPageRendersAsHtml() {
        for (String path : new String[]{ "/", "/console/datasets", "/console/train", "/console/tune", "/console/jobs", "/console/deployments", "/console/predict", "/console/batch-predictions" }) {
            given().get(path).then().statusCode(200).contentType(containsString("text/html"))
                    .body(containsString("<main id=\"main\""), containsString("/webjars/htmx.org/dist/htmx.min.js"));
        }
    }

    @Test
    void webjarsAreServedWithoutVersions() {
        given().get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200);
        given().get("/webjars/htmx-ext-sse/sse.js").then().statusCode(200);
        given().get("/webjars/chart.js/dist/chart.umd.min.js").then().statusCode(200);
        given().get("/console/assets/console.css").then().statusCode(200);
    }

    @Test
    void consolePagesAreNotInTheApiDocument() {
        given().get("/q/openapi").then().statusCode(200).body(not(containsString("/console")));
    }

    @Test
    void formPostsWithoutTheCsrfTokenAreRefused() {
        Session s = session();
        given().cookie(ConsoleCsrf.COOKIE, s.cookie()).formParam("job_id", "trn_x").post("/console/deployments")
                .then().statusCode(403);
        given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, "another-token-of-43-characters-aaaaaaaaaaaa")
                .formParam("job_id", "trn_x").post("/console/deployments").then().statusCode(403);
        given().header(ConsoleCsrf.HEADER, s.token()).formParam("job_id", "trn_x").post("/console/deployments")
                .then().statusCode(403);
        // with both: the service answers (no such job), as the API would
        given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, s.token()).header("HX-Request", "true")
                .formParam("job_id", "trn_doesnotexist").post("/console/deployments")
                .then().statusCode(404).contentType(containsString("text/html")).body(containsString("trn_doesnotexist"));
    }

    @Test
    void apiPostsNeedNoCsrfToken() {
        given().multiPart("file", new File("samples/iris.csv"), "text/csv").post("/api/datasets").then().statusCode(201);
    }

    @Test
    void aRefusedTrainingFormShowsEachErrorNextToItsFieldAndStoresNothing() {
        String datasetId = ApiFixtures.upload("titanic.csv");
        Session s = session();
        int before = given().get("/api/training/jobs?dataset_id=" + datasetId).then().extract().jsonPath().getList("$").size();
        String html = given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, s.token()).header("HX-Request", "true")
                .formParam("dataset_id", datasetId).formParam("model_type", "RandomForest").formParam("target_column", "Survived")
                .formParam("hyperparameters.n_trees", "0")
                .post("/console/train").then().statusCode(400).contentType(containsString("text/html")).extract().asString();
        // the error sits in the n_trees field's own block, referenced by the input's aria-describedby
        int field = html.indexOf("id=\"hp-n_trees\"");
        int error = html.indexOf("id=\"hp-n_trees-error\"");
        assertEquals(true, field > 0 && error > field, html);
        assertEquals(true, html.substring(field, html.indexOf("</div>", field)).contains("aria-invalid=\"true\""));
        assertEquals(before, given().get("/api/training/jobs?dataset_id=" + datasetId).then().extract().jsonPath().getList("$").size());
    }

    @Test
    void anAcceptedTrainingFormSendsTheBrowserToTheJobs() {
        String datasetId = ApiFixtures.upload("iris.csv");
        Session s = session();
        Response r = given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, s.token())
                .formParam("dataset_id", datasetId).formParam("model_type", "DecisionTree").formParam("target_column", "species")
                .post("/console/train");
        r.then().statusCode(200);
        String redirect = r.getHeader("HX-Redirect");
        assertNotNull(redirect);
        String jobId = redirect.substring(redirect.indexOf("#job-") + 5);
        ApiFixtures.awaitCompleted(jobId);
        given().get("/console/jobs").then().statusCode(200).body(containsString("job-" + jobId));
        given().get("/?dataset_id=" + datasetId).then().statusCode(200).body(containsString("DecisionTree"),
                containsString("/console/models/DecisionTree/versions/1?dataset_id=" + datasetId));
        given().get("/console/models/DecisionTree/versions/1?dataset_id=" + datasetId).then().statusCode(200)
                .body(containsString(jobId), containsString("Lineage"));
    }

    @Test
    void aMissingVersionIsA404Page() {
        given().get("/console/models/RandomForest/versions/999?dataset_id=ds_none").then().statusCode(404)
                .contentType(containsString("text/html"));
    }

    @Test
    void rollbackFromTheConsoleReactivatesThePreviousVersionAndWhatServedAtTAnswersFromTheHistory() {
        String datasetId = ApiFixtures.upload("iris.csv");
        String first = ApiFixtures.train("{\"dataset_id\":\"" + datasetId + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        String second = ApiFixtures.train("{\"dataset_id\":\"" + datasetId + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\","
                + "\"hyperparameters\":{\"max_depth\":2}}");
        try {
            Session s = session();
            // nothing active, nothing to roll back: the service's 409, as HTML
            ApiFixtures.undeploy();
            given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, s.token()).header("HX-Request", "true")
                    .formParam("reason", "too early").post("/console/deployments/rollback").then().statusCode(409)
                    .contentType(containsString("text/html")).body(containsString("no active deployment"));
            ApiFixtures.deploy(first, 201);
            java.time.Instant whileFirst = java.time.Instant.now();
            ApiFixtures.deploy(second, 201);
            given().get("/api/deployments/active").then().body("job_id", org.hamcrest.Matchers.equalTo(second));

            Response r = given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, s.token()).header("HX-Request", "true")
                    .formParam("reason", "v2 misclassifies setosa").post("/console/deployments/rollback");
            r.then().statusCode(200).header("HX-Redirect", "/console/deployments");
            given().get("/api/deployments/active").then().statusCode(200).body("job_id", org.hamcrest.Matchers.equalTo(first),
                    "reason", org.hamcrest.Matchers.equalTo("v2 misclassifies setosa"));
            String page = given().get("/console/deployments").then().statusCode(200).extract().asString();
            String history = page.substring(page.indexOf("id=\"history\""));
            // deploy v1, deploy v2, rollback to v1 (other tests' deployments may be in the history too)
            assertEquals(2, history.split("job <code>" + first + "</code>").length - 1, history);
            assertEquals(1, history.split("job <code>" + second + "</code>").length - 1, history);
            org.junit.jupiter.api.Assertions.assertTrue(history.indexOf(first) < history.indexOf(second), "newest first: " + history);
            org.junit.jupiter.api.Assertions.assertTrue(history.contains("Why: v2 misclassifies setosa"), history);
            org.junit.jupiter.api.Assertions.assertTrue(page.contains("id=\"rollback-button\""));

            // what served at T: an ISO instant, and a browser's datetime-local value (UTC)
            given().header("HX-Request", "true").get("/console/deployments/at?time=" + whileFirst).then().statusCode(200)
                    .body(containsString("id=\"served-at\""), containsString(first), containsString("replaced"));
            String local = java.time.LocalDateTime.ofInstant(java.time.Instant.now().plusSeconds(2), java.time.ZoneOffset.UTC)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            given().header("HX-Request", "true").get("/console/deployments/at?time=" + local).then().statusCode(200)
                    .body(containsString(first), containsString("still active"), containsString("v2 misclassifies setosa"));
            given().header("HX-Request", "true").get("/console/deployments/at?time=1990-01-01T00:00").then().statusCode(404)
                    .contentType(containsString("text/html"));
            given().header("HX-Request", "true").get("/console/deployments/at?time=yesterday").then().statusCode(400)
                    .body(containsString("time"), containsString("yesterday"));
        } finally {
            ApiFixtures.undeploy();
        }
    }

    /**
     * A job that finished between the jobs page's render and the browser connecting to its event stream is sent on
     * connect (else the page would show it running forever), and one created after the render comes as a new row.
     */
    @Test
    void theJobsStreamSendsWhatChangedSinceThePageWasRendered() throws Exception {
        String ds = ApiFixtures.upload("iris.csv");
        String body = "{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}";
        String before = ApiFixtures.submitTraining(body);
        long renderedAt = System.currentTimeMillis();
        ApiFixtures.awaitCompleted(before);
        Thread.sleep(5); // created strictly after the render
        String after = ApiFixtures.train(body);

        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port
                + "/console/jobs/events?rendered_at=" + renderedAt)).header("Accept", "text/event-stream").build();
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        java.util.Map<String, String> events = new java.util.HashMap<>();
        String name = null;
        try (var lines = response.body()) {
            var it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event:")) name = line.substring(6).trim();
                if (line.startsWith("data:") && name != null) {
                    String data = line.substring(5);
                    events.put(name.equals("job-new") ? "job-new:" + (data.contains(after) ? after : "other") : name, data);
                }
                if (line.startsWith(":") && line.contains("watching")) break; // the first read is complete
            }
        }
        assertNotNull(events.get("job-" + before), "the row of the job that finished after the render: " + events.keySet());
        assertTrue(events.get("job-" + before).contains("COMPLETED"), events.get("job-" + before));
        assertNotNull(events.get("job-new:" + after), "the job created after the render comes as a new row: " + events.keySet());
    }
}
