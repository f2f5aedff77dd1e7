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
}
