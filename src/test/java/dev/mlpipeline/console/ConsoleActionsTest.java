package dev.mlpipeline.console;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import dev.mlpipeline.console.ConsolePagesTest.Session;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's registry, predict and batch actions over HTTP: each goes through the service of its
 * REST operation, so its effect shows in the API and on the other pages, and a refusal comes back
 * with the API's status and message next to the field, changing nothing.
 */
@QuarkusTest
class ConsoleActionsTest {

    /** A form post as htmx sends it: the CSRF cookie and header, and HX-Request. */
    static RequestSpecification post(Session s) {
        return given().cookie(ConsoleCsrf.COOKIE, s.cookie()).header(ConsoleCsrf.HEADER, s.token()).header("HX-Request", "true");
    }

    /** Trains a small DecisionTree on a fresh upload of iris (its v1) and returns the dataset id. */
    static String irisV1() {
        String ds = ApiFixtures.upload("iris.csv");
        ApiFixtures.train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
        return ds;
    }

    static String version(String ds) {
        return "/console/models/DecisionTree/versions/1?dataset_id=" + ds;
    }

    static String action(String ds, String what) {
        return "/console/models/DecisionTree/versions/1/" + what + "?dataset_id=" + ds;
    }

    @Test
    void anAliasSetOnTheVersionPageIsShownOnTheRegistryPageAndCanBeRemoved() {
        String ds = irisV1();
        Session s = ConsolePagesTest.session();
        post(s).formParam("alias", "champion").post(action(ds, "aliases")).then().statusCode(200)
                .body(containsString("<code class=\"alias\">champion</code>"), containsString("Alias champion points at v1."));
        given().get("/api/registry/models/DecisionTree/aliases/champion?dataset_id=" + ds).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo(1));
        given().get("/?dataset_id=" + ds).then().statusCode(200).body(containsString("<code class=\"alias\">champion</code>"));
        given().get(version(ds)).then().statusCode(200).body(containsString("id=\"remove-alias-champion\""));

        post(s).post(action(ds, "aliases/champion/delete")).then().statusCode(200).body(containsString("No alias points at v1."));
        given().get("/api/registry/models/DecisionTree/aliases/champion?dataset_id=" + ds).then().statusCode(404);
    }

    @Test
    void aBadAliasIsShownNextToItsFieldAndChangesNothing() {
        String ds = irisV1();
        Session s = ConsolePagesTest.session();
        String html = post(s).formParam("alias", "Bad Alias!").post(action(ds, "aliases")).then().statusCode(400)
                .contentType(containsString("text/html")).extract().asString();
        int field = html.indexOf("id=\"alias-name\"");
        int error = html.indexOf("id=\"alias-name-error\"");
        assertTrue(field > 0 && error > field, html);
        assertTrue(html.substring(error).startsWith("id=\"alias-name-error\">'Bad Alias!' is not an alias name")
                || html.contains("&#39;Bad Alias!&#39; is not an alias name"), html);
        assertTrue(html.substring(field, error).contains("aria-invalid=\"true\""), html);
        assertTrue(html.contains("value=\"Bad Alias!\""), "the typed value is kept: " + html);
        given().get("/api/registry/models/DecisionTree/versions/1?dataset_id=" + ds).then().statusCode(200)
                .body("aliases.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void anArchivedVersionLeavesTheRegistryRefusesAnAliasAndComesBackWhenUnarchived() {
        String ds = irisV1();
        Session s = ConsolePagesTest.session();
        String href = "/console/models/DecisionTree/versions/1?dataset_id=" + ds;
        given().get("/?dataset_id=" + ds).then().statusCode(200).body(containsString(href));

        post(s).post(action(ds, "archive")).then().statusCode(200).body(containsString("id=\"archived-badge\""),
                containsString("id=\"unarchive-button\""));
        given().get("/api/registry/models/DecisionTree/versions/1?dataset_id=" + ds).then().body("archived", org.hamcrest.Matchers.equalTo(true));
        given().get("/?dataset_id=" + ds).then().statusCode(200).body(not(containsString(href)));
        given().get("/?dataset_id=" + ds + "&include_archived=true").then().statusCode(200).body(containsString(href),
                containsString("[ARCHIVED]"));

        // the 409 of PUT …/aliases/{alias} for an archived version, next to the alias field
        String html = post(s).formParam("alias", "champion").post(action(ds, "aliases")).then().statusCode(409).extract().asString();
        int error = html.indexOf("id=\"alias-name-error\"");
        assertTrue(error > html.indexOf("id=\"alias-name\"") && html.indexOf("is archived and cannot be aliased", error) > 0, html);

        post(s).post(action(ds, "unarchive")).then().statusCode(200).body(containsString("id=\"archive-button\""));
        given().get("/?dataset_id=" + ds).then().statusCode(200).body(containsString(href));
    }

    @Test
    void tagsAreEditedAsAMergePatchRemovalIncludedAndTheRegistryFiltersByTag() {
        String ds = irisV1();
        Session s = ConsolePagesTest.session();
        post(s).formParam("description", "first cut").formParam("new_tag_key", "team").formParam("new_tag_value", "fraud")
                .post(action(ds, "metadata")).then().statusCode(200).body(containsString("name=\"tag.team\" value=\"fraud\""));
        // a second tag set through the API meanwhile: the form leaves the tags it did not change alone
        given().contentType("application/merge-patch+json").body("{\"tags\":{\"owner\":\"ana\"}}")
                .patch("/api/registry/models/DecisionTree/versions/1?dataset_id=" + ds).then().statusCode(200);
        post(s).formParam("description", "first cut").formParam("was.team", "fraud").formParam("tag.team", "fraud")
                .formParam("remove.team", "on").formParam("new_tag_key", "stage").formParam("new_tag_value", "prod")
                .post(action(ds, "metadata")).then().statusCode(200);
        var v = given().get("/api/registry/models/DecisionTree/versions/1?dataset_id=" + ds).then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.Map.of("stage", "prod", "owner", "ana"), v.getMap("tags"));
        assertEquals("first cut", v.getString("description"));

        given().get("/?dataset_id=" + ds + "&tag=stage:prod").then().statusCode(200)
                .body(containsString("/console/models/DecisionTree/versions/1?dataset_id=" + ds), containsString("stage=prod"));
        given().get("/?dataset_id=" + ds + "&tag=team").then().statusCode(200)
                .body(not(containsString("/console/models/DecisionTree/versions/1?dataset_id=" + ds)));

        // a bad tag key: the API's errors[] entry next to the new-tag field, nothing changed
        String html = post(s).formParam("description", "changed").formParam("new_tag_key", "bad key!").formParam("new_tag_value", "x")
                .post(action(ds, "metadata")).then().statusCode(400).extract().asString();
        int error = html.indexOf("id=\"new-tag-error\"");
        assertTrue(error > html.indexOf("id=\"new-tag-key\"") && html.indexOf("is not a tag key", error) > 0, html);
        v = given().get("/api/registry/models/DecisionTree/versions/1?dataset_id=" + ds).then().extract().jsonPath();
        assertEquals("first cut", v.getString("description"));
        assertEquals(java.util.Map.of("stage", "prod", "owner", "ana"), v.getMap("tags"));
    }

    @Test
    void theVersionPageChartsTheFeatureImportance() {
        String ds = irisV1();
        String html = given().get(version(ds)).then().statusCode(200).extract().asString();
        assertTrue(html.contains("data-chart=\"importance\""), html);
        int table = html.indexOf("<table id=\"importance\"");
        assertTrue(table > 0 && html.indexOf("petal_length", table) > 0, html);
    }

    @Test
    void anExplainedPredictionShowsTheContributionsAndTheDriftTableItsFeatures() {
        String ds = ApiFixtures.upload("titanic.csv");
        String job = ApiFixtures.train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"Survived\","
                + "\"hyperparameters\":{\"max_depth\":4}}");
        ApiFixtures.deploy(job, 201);
        try {
            Session s = ConsolePagesTest.session();
            given().get("/console/predict").then().statusCode(200).body(containsString("id=\"explain-row\""),
                    containsString("hx-get=\"/console/predict/drift\""));
            String html = post(s).formParam("f.Pclass", "3").formParam("t.Pclass", "numeric").formParam("f.Sex", "male")
                    .formParam("t.Sex", "categorical").formParam("explain", "true").post("/console/predict").then().statusCode(200)
                    .extract().asString();
            assertTrue(html.contains("data-chart=\"contributions\""), html);
            assertTrue(html.contains("class=\"base-value\""), html);
            // Age was left empty: imputed, and marked so
            int age = html.indexOf("<tr class=\"imputed\"><th scope=\"row\">Age");
            assertTrue(age > 0, html);
            // without the box: no explanation
            post(s).formParam("f.Pclass", "1").formParam("t.Pclass", "numeric").post("/console/predict").then().statusCode(200)
                    .body(not(containsString("data-chart=\"contributions\"")));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> given()
                    .get("/console/predict/drift").then().statusCode(200)
                    .body(containsString("<table id=\"drift-table\""), containsString("<th scope=\"row\">Pclass"),
                            containsString("<th scope=\"row\">Sex"), not(containsString(": 0 logged rows"))));
        } finally {
            ApiFixtures.undeploy();
        }
        given().get("/console/predict/drift").then().statusCode(200).body(containsString("id=\"drift-unavailable\""));
    }

    @Test
    void aBatchPredictionCreatedFromTheConsoleIsListedWithItsResultLink() {
        String ds = irisV1();
        String job = given().get("/api/registry/models/DecisionTree/versions/1?dataset_id=" + ds).then().extract().path("job_id");
        Session s = ConsolePagesTest.session();
        given().get("/console/batch-predictions").then().statusCode(200).body(containsString("id=\"batch-form\""),
                containsString("sse-connect=\"/console/batch-predictions/events?rendered_at="));
        String html = post(s).formParam("dataset_id", ds).formParam("job_id", job).post("/console/batch-predictions").then()
                .statusCode(200).extract().asString();
        String id = html.substring(html.indexOf("Batch prediction bpr_") + "Batch prediction ".length());
        id = id.substring(0, id.indexOf(' '));
        String batch = id;
        await().atMost(ApiFixtures.JOB_DEADLINE).pollInterval(ApiFixtures.POLL).until(() -> "COMPLETED"
                .equals(given().get("/api/batch-predictions/" + batch).then().extract().path("status")));
        given().get("/console/batch-predictions").then().statusCode(200).body(containsString("id=\"batch-" + batch + "\""),
                containsString("href=\"/api/batch-predictions/" + batch + "/result\""), containsString("150 scored"));
        given().accept(ContentType.ANY).get("/api/batch-predictions/" + batch + "/result").then().statusCode(200)
                .contentType(containsString("text/csv"));

        // refused: no dataset; the API's message next to the dataset field
        String refused = post(s).formParam("dataset_id", "").post("/console/batch-predictions").then().statusCode(400).extract().asString();
        int error = refused.indexOf("id=\"batch-dataset-error\"");
        assertTrue(error > refused.indexOf("id=\"batch-dataset\"") && refused.indexOf("is required", error) > 0, refused);
    }
}
