package dev.mlpipeline.console;

import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import dev.mlpipeline.security.SecurityFixtures;
import dev.mlpipeline.security.SecurityOnProfile;
import dev.mlpipeline.security.TokenAuthenticationMechanism;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console with security on (as in prod): pages need a session, the sign-in page sets it through the
 * same service as {@code POST /api/session}, the pages offer only what the session's roles allow, and
 * the server refuses the rest whether or not it was offered.
 */
@QuarkusTest
@TestProfile(SecurityOnProfile.class)
class ConsoleSignInTest {

    /** A browser's cookies: the CSRF pair (cookie and page token are equal) and the session, once signed in. */
    record Visitor(String csrf, String session) {

        RequestSpecification request() {
            RequestSpecification r = given().redirects().follow(false).cookie(ConsoleCsrf.COOKIE, csrf).header(ConsoleCsrf.HEADER, csrf);
            return session == null ? r : r.cookie(TokenAuthenticationMechanism.COOKIE, session);
        }
    }

    /** Loads the sign-in page as a new browser does: the CSRF cookie it sets is the token written into the page. */
    static Visitor visit() {
        Response page = given().redirects().follow(false).get("/console/sign-in");
        page.then().statusCode(200).contentType(containsString("text/html")).body(containsString("id=\"sign-in-form\""),
                not(containsString("sign-out-button")));
        String cookie = page.getCookie(ConsoleCsrf.COOKIE);
        String html = page.asString();
        int at = html.indexOf("\"X-CSRF-Token\": \"") + "\"X-CSRF-Token\": \"".length();
        assertEquals(cookie, html.substring(at, html.indexOf('"', at)));
        return new Visitor(cookie, null);
    }

    /** Signs in through the console's form (as htmx posts it) and returns the browser with its session cookie. */
    static Visitor signIn(String token, String next) {
        Visitor v = visit();
        Response r = v.request().header("HX-Request", "true").formParam("token", token).formParam("next", next).post("/console/sign-in");
        r.then().statusCode(200).header("HX-Redirect", next);
        String setCookie = r.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith(TokenAuthenticationMechanism.COOKIE + "=" + token + ";"), setCookie);
        for (String attribute : new String[]{ "Path=/", "HttpOnly", "Secure", "SameSite=Strict" }) {
            assertTrue(setCookie.contains("; " + attribute), attribute + " in " + setCookie);
        }
        return new Visitor(v.csrf(), r.getCookie(TokenAuthenticationMechanism.COOKIE));
    }

    /** Runs fixture calls (ApiFixtures) as the bootstrap admin. */
    static <T> T asAdmin(Supplier<T> calls) {
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + SecurityOnProfile.BOOTSTRAP).build();
        try {
            return calls.get();
        } finally {
            RestAssured.requestSpecification = null;
        }
    }

    /** A completed DecisionTree on iris, not deployed; returns {dataset id, job id}. */
    static String[] trainedVersion() {
        return asAdmin(() -> {
            String datasetId = ApiFixtures.upload("iris.csv");
            String jobId = ApiFixtures.train("{\"dataset_id\":\"" + datasetId + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"species\"}");
            return new String[]{ datasetId, jobId };
        });
    }

    @AfterEach
    void undeploy() {
        asAdmin(() -> {
            ApiFixtures.undeploy();
            return null;
        });
    }

    @Test
    void pagesWithoutAValidSessionGoToTheSignInPageAndComeBack() {
        given().redirects().follow(false).get("/console/deployments").then().statusCode(303)
                .header("Location", "/console/sign-in?next=%2Fconsole%2Fdeployments");
        given().redirects().follow(false).get("/?dataset_id=ds_x").then().statusCode(303)
                .header("Location", "/console/sign-in?next=%2F%3Fdataset_id%3Dds_x");
        // a revoked or unknown session cookie is no session
        given().redirects().follow(false).cookie(TokenAuthenticationMechanism.COOKIE, "mlp_unknown0123456789").get("/console/jobs").then()
                .statusCode(303).header("Location", "/console/sign-in?next=%2Fconsole%2Fjobs");
        // htmx follows HX-Redirect, back to the page it was on
        given().header("HX-Request", "true").header("HX-Current-URL", "http://localhost:8081/console/jobs").get("/console/deployments/at?time=x")
                .then().statusCode(200).header("HX-Redirect", "/console/sign-in?next=%2Fconsole%2Fjobs");
        // the API keeps answering problem+json
        given().get("/api/deployments").then().statusCode(401).contentType(containsString("application/problem+json"));
    }

    @Test
    void aBadTokenGetsTheSignInPageWithAnErrorAndNoSession() {
        Visitor v = visit();
        Response fragment = v.request().header("HX-Request", "true").formParam("token", "mlp_notatoken").formParam("next", "/console/jobs")
                .post("/console/sign-in");
        fragment.then().statusCode(401).contentType(containsString("text/html")).body(containsString("id=\"sign-in-error\""),
                containsString("Not signed in"));
        assertNull(fragment.getHeader("Set-Cookie"));
        assertNull(fragment.getHeader("HX-Redirect"));
        // without htmx: the whole page again, with the error
        v.request().formParam("token", "mlp_notatoken").post("/console/sign-in").then().statusCode(401)
                .body(containsString("id=\"sign-in-form\""), containsString("id=\"sign-in-error\""));
        // an empty token: the field's error, as POST /api/session answers it
        v.request().header("HX-Request", "true").formParam("token", " ").post("/console/sign-in").then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("token"));
        // the form is CSRF-protected like every other console form
        given().cookie(ConsoleCsrf.COOKIE, v.csrf()).formParam("token", "mlp_notatoken").post("/console/sign-in").then().statusCode(403);
    }

    @Test
    void aViewerSeesNoActionsAndTheServerRefusesThemAnyway() {
        String[] trained = trainedVersion();
        String name = "console-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        Visitor viewer = signIn(SecurityFixtures.token(name, "viewer"), "/console/deployments");

        viewer.request().get("/console/deployments").then().statusCode(200).body(containsString("id=\"signed-in\""), containsString(name),
                containsString("(viewer)"), containsString("id=\"sign-out-button\""), containsString("id=\"at-form\""),
                not(containsString("hx-post=\"/console/deployments\"")), not(containsString("rollback-button")),
                not(containsString("undeploy-button")));
        String versionPage = "/console/models/DecisionTree/versions/1?dataset_id=" + trained[0];
        viewer.request().get(versionPage).then().statusCode(200).body(containsString(trained[1]), not(containsString("deploy-button")));
        viewer.request().get("/console/datasets").then().statusCode(200).body(not(containsString("upload-form")));
        viewer.request().get("/console/train?dataset_id=" + trained[0]).then().statusCode(200)
                .body(not(containsString("submit-job")), not(containsString("<form id=\"job-form\"")), containsString("needs the role"),
                        not(containsString("href=\"/console/train\"")));
        viewer.request().get("/?dataset_id=" + trained[0]).then().statusCode(200).body(containsString("DecisionTree"));

        // posting the deploy form anyway: refused by the server (403, as HTML), nothing deployed
        viewer.request().header("HX-Request", "true").formParam("job_id", trained[1]).post("/console/deployments").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("deployer"), not(containsString("<main")));
        viewer.request().formParam("job_id", trained[1]).post("/console/deployments").then().statusCode(403)
                .contentType(containsString("text/html")).body(containsString("<main"), containsString(name));
        viewer.request().header("HX-Request", "true").formParam("reason", "x").post("/console/deployments/rollback").then().statusCode(403);
        viewer.request().header("HX-Request", "true").formParam("dataset_id", trained[0]).formParam("model_type", "DecisionTree")
                .formParam("target_column", "species").post("/console/train").then().statusCode(403);
        SecurityFixtures.as(SecurityOnProfile.BOOTSTRAP).get("/api/deployments/active").then().statusCode(404);
        int jobs = SecurityFixtures.as(SecurityOnProfile.BOOTSTRAP).get("/api/training/jobs?dataset_id=" + trained[0]).then().statusCode(200)
                .extract().jsonPath().getList("$").size();
        assertEquals(1, jobs, "the refused training form stored nothing");
    }

    @Test
    void aDeployerDeploysFromTheConsoleAndTheHistorySaysWhoAndWhy() {
        String[] trained = trainedVersion();
        String name = "console-deployer-" + UUID.randomUUID().toString().substring(0, 8);
        Visitor deployer = signIn(SecurityFixtures.token(name, "deployer"), "/console/models/DecisionTree/versions/1?dataset_id=" + trained[0]);
        deployer.request().get("/console/models/DecisionTree/versions/1?dataset_id=" + trained[0]).then().statusCode(200)
                .body(containsString("id=\"deploy-button\""));
        deployer.request().get("/console/deployments").then().statusCode(200).body(containsString("hx-post=\"/console/deployments\""));
        deployer.request().header("HX-Request", "true").formParam("job_id", trained[1]).formParam("reason", "first release")
                .post("/console/deployments").then().statusCode(200).body(containsString("is deployed"));
        SecurityFixtures.as(SecurityOnProfile.BOOTSTRAP).get("/api/deployments/active").then().statusCode(200)
                .body("job_id", equalTo(trained[1]), "deployed_by", equalTo(name), "reason", equalTo("first release"));
        deployer.request().get("/console/deployments").then().statusCode(200).body(containsString("rollback-button"),
                containsString("undeploy-button"), containsString("<span class=\"deployed-by\">" + name + "</span>"),
                containsString("Why: first release"));
        // a deployer does not train: the train page offers no form
        deployer.request().get("/console/train").then().statusCode(200).body(not(containsString("submit-job")));
    }

    @Test
    void signingOutClearsTheSession() {
        Visitor admin = signIn(SecurityOnProfile.BOOTSTRAP, "/");
        admin.request().get("/").then().statusCode(200).body(containsString("Signed in as <strong>bootstrap</strong>"));
        Response out = admin.request().header("HX-Request", "true").post("/console/sign-out");
        out.then().statusCode(200).header("HX-Redirect", "/console/sign-in");
        String setCookie = out.getHeader("Set-Cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.startsWith(TokenAuthenticationMechanism.COOKIE + "=;") && setCookie.contains("Max-Age=0"), setCookie);
        // the API's sign-in sets the same cookie the console's does
        Response api = given().contentType("application/json").body("{\"token\": \"" + SecurityOnProfile.BOOTSTRAP + "\"}").post("/api/session");
        api.then().statusCode(204);
        assertEquals(api.getCookie(TokenAuthenticationMechanism.COOKIE), SecurityOnProfile.BOOTSTRAP);
        given().redirects().follow(false).cookie(TokenAuthenticationMechanism.COOKIE, api.getCookie(TokenAuthenticationMechanism.COOKIE))
                .get("/console/deployments").then().statusCode(anyOf(equalTo(200)));
    }
}
