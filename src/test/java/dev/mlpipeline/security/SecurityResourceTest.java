package dev.mlpipeline.security;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.ApiFixtures;
import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import static dev.mlpipeline.security.SecurityFixtures.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API tokens, the session cookie, the audit trail and who-did-what columns, with security on. */
@QuarkusTest
@TestProfile(SecurityOnProfile.class)
class SecurityResourceTest {

    @Test
    void aTrainerTokenIsShownOnceStoredAsAHashAndRevokedAtOnce() {
        JsonPath created = as(SecurityOnProfile.BOOTSTRAP).contentType(ContentType.JSON)
                .body(Map.of("name", "ci-training", "roles", List.of("trainer"), "expires_in_days", 30))
                .post("/api/tokens").then().statusCode(201).header("Location", containsString("/api/tokens"))
                .body("created_by", org.hamcrest.Matchers.equalTo("bootstrap")).extract().jsonPath();
        String secret = created.getString("token");
        String id = created.getString("id");
        assertTrue(secret.matches("mlp_[0-9a-z]{52}"), secret);
        Instant expires = Instant.parse(created.getString("expires_at"));
        assertTrue(Duration.between(Instant.now(), expires).toDays() >= 29, "expires in 30 days: " + expires);

        // only the SHA-256 is stored
        String sha = HexFormat.of().formatHex(ApiTokenService.sha256(secret));
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM api_token WHERE id = ? AND encode(secret_sha256, 'hex') = ?", id, sha));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM api_token WHERE position(? in encode(secret_sha256, 'escape')) > 0", secret));

        // the trainer uploads; a trainer may not deploy (403) nor create tokens
        String dataset = as(secret).multiPart("file", new File("samples/iris.csv"), "text/csv").post("/api/datasets")
                .then().statusCode(201).body("created_by", org.hamcrest.Matchers.equalTo("ci-training")).extract().path("id");
        as(secret).contentType(ContentType.JSON).body("{\"job_id\":\"trn_none\"}").post("/api/deployments/deploy").then().statusCode(403)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("deployer"));
        as(secret).contentType(ContentType.JSON).body("{\"name\":\"x\",\"roles\":[\"admin\"]}").post("/api/tokens").then().statusCode(403);

        // listed without secret, with last_used_at
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> as(SecurityOnProfile.BOOTSTRAP).get("/api/tokens").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.last_used_at", notNullValue())
                .body("find { it.id == '" + id + "' }.token", nullValue())
                .body(not(containsString(secret))));

        // revoked: refused on this replica at once
        as(SecurityOnProfile.BOOTSTRAP).delete("/api/tokens/" + id).then().statusCode(204);
        as(secret).get("/api/datasets/" + dataset).then().statusCode(401).body("detail", containsString("revoked"))
                .header("WWW-Authenticate", containsString("invalid_token"));
        as(SecurityOnProfile.BOOTSTRAP).delete("/api/tokens/tok_none").then().statusCode(404);
    }

    @Test
    void tokensNeverReachTheLog() {
        try (dev.mlpipeline.LogCapture log = dev.mlpipeline.LogCapture.start()) {
            String secret = SecurityFixtures.token("logged-" + System.nanoTime(), "viewer");
            as(secret).get("/api/datasets").then().statusCode(200);
            as(secret).delete("/api/datasets/ds_none").then().statusCode(403);
            as(secret + "x").get("/api/datasets").then().statusCode(401);
            given().contentType(ContentType.JSON).body(Map.of("token", secret + "x")).post("/api/session").then().statusCode(401);
            given().cookie("mlp_session", secret).get("/api/datasets").then().statusCode(200);
            for (var record : log.records()) {
                String line = new org.jboss.logmanager.formatters.PatternFormatter("%s %e %X").format(record);
                assertFalse(line.contains(secret) || line.contains(SecurityOnProfile.BOOTSTRAP), "a token in the log: " + line);
            }
        }
    }

    @Test
    void anExpiredTokenIsRefusedWithinTheCacheTime() {
        String secret = SecurityFixtures.token("expiring", "viewer");
        as(secret).get("/api/datasets").then().statusCode(200);
        TestDatabase.update("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE name = 'expiring'");
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> as(secret).get("/api/datasets").statusCode() == 401);
        as(secret).get("/api/datasets").then().statusCode(401).body("detail", containsString("expired"));
    }

    @Test
    void badTokenRequestsAre400sNamingTheField() {
        as(SecurityOnProfile.BOOTSTRAP).contentType(ContentType.JSON).body("{\"name\":\"\",\"roles\":[\"root\"],\"expires_in_days\":0}")
                .post("/api/tokens").then().statusCode(400)
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("roles[0]")).body("errors.field", hasItem("expires_in_days"));
        as(SecurityOnProfile.BOOTSTRAP).contentType(ContentType.JSON).body("{\"name\":\"x\",\"roles\":[]}")
                .post("/api/tokens").then().statusCode(400).body("errors.field", hasItem("roles"));
    }

    @Test
    void theSessionCookieAuthenticatesLikeTheHeader() {
        String secret = SecurityFixtures.token("console-user", "viewer");
        Response signedIn = given().contentType(ContentType.JSON).body(Map.of("token", secret)).post("/api/session");
        assertEquals(204, signedIn.statusCode(), signedIn.asString());
        String cookie = signedIn.header("Set-Cookie");
        assertTrue(cookie.startsWith("mlp_session=" + secret), cookie);
        for (String attribute : List.of("HttpOnly", "Secure", "SameSite=Strict", "Path=/")) {
            assertTrue(cookie.contains(attribute), attribute + " in " + cookie);
        }
        given().cookie("mlp_session", secret).get("/api/datasets").then().statusCode(200);
        given().cookie("mlp_session", secret).delete("/api/datasets/ds_none").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("token", "mlp_wrong")).post("/api/session").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        String cleared = given().delete("/api/session").then().statusCode(204).extract().header("Set-Cookie");
        assertTrue(cleared.startsWith("mlp_session=;") && cleared.contains("Max-Age=0"), cleared);
    }

    @Test
    void everyMutationIsAuditedAllowedOrRefusedNewestFirst() {
        String name = "auditor-" + System.nanoTime();
        String viewer = SecurityFixtures.token(name, "viewer");
        String tokenId = SecurityFixtures.idOf(name);
        // refused 403 (viewer deleting), refused 401 (no token), allowed with the bootstrap token
        as(viewer).header("X-Request-Id", "audit-403-" + name).delete("/api/datasets/ds_audited").then().statusCode(403);
        given().delete("/api/datasets/ds_audited_anon").then().statusCode(401);
        as(SecurityOnProfile.BOOTSTRAP).delete("/api/datasets/ds_audited").then().statusCode(404);
        as(viewer).get("/api/datasets").then().statusCode(200); // a read: not audited

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> as(SecurityOnProfile.BOOTSTRAP)
                .queryParam("actor", name).get("/api/audit").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1)));
        JsonPath refused = as(SecurityOnProfile.BOOTSTRAP).queryParam("actor", tokenId).get("/api/audit").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(403), refused.getList("status"));
        assertEquals("deleteDataset", refused.getString("[0].operation"));
        assertEquals("ds_audited", refused.getString("[0].target_id"));
        assertEquals(tokenId, refused.getString("[0].actor_id"));
        assertEquals("audit-403-" + name, refused.getString("[0].request_id"));
        assertEquals("DELETE", refused.getString("[0].method"));
        assertTrue(refused.getString("[0].client_address").matches("[0-9a-f:.]+"), refused.getString("[0].client_address"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> as(SecurityOnProfile.BOOTSTRAP).queryParam("operation", "deleteDataset")
                .get("/api/audit").then().statusCode(200)
                .body("findAll { it.target_id == 'ds_audited_anon' }.status", hasItem(401))
                .body("findAll { it.target_id == 'ds_audited_anon' }.actor", hasItem("anonymous"))
                .body("findAll { it.target_id == 'ds_audited' && it.actor == 'bootstrap' }.status", hasItem(404)));

        // newest first, one page at a time
        Response first = as(SecurityOnProfile.BOOTSTRAP).queryParam("limit", 1).get("/api/audit");
        first.then().statusCode(200).header("X-Next-Cursor", notNullValue()).header("Link", containsString("rel=\"next\""));
        Response second = as(SecurityOnProfile.BOOTSTRAP).queryParam("limit", 1).queryParam("cursor", first.header("X-Next-Cursor")).get("/api/audit");
        Instant a = Instant.parse(first.jsonPath().getString("[0].at"));
        Instant b = Instant.parse(second.jsonPath().getString("[0].at"));
        assertFalse(b.isAfter(a), a + " then " + b);
        assertTrue(first.jsonPath().getLong("[0].id") != second.jsonPath().getLong("[0].id"));
        as(SecurityOnProfile.BOOTSTRAP).queryParam("cursor", "bogus").get("/api/audit").then().statusCode(400).body("errors[0].field",
                org.hamcrest.Matchers.equalTo("cursor"));
        as(SecurityOnProfile.BOOTSTRAP).queryParam("since", "yesterday").get("/api/audit").then().statusCode(400);
        as(SecurityOnProfile.BOOTSTRAP).queryParam("since", Instant.now().plusSeconds(3600).toString()).get("/api/audit").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void theAuditTableIsAppendOnlyExceptForTheAdminPurge() {
        as(SecurityOnProfile.BOOTSTRAP).delete("/api/datasets/ds_append_only").then().statusCode(404);
        await().atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.count("SELECT count(*) FROM audit_event") > 0);
        assertThrows(IllegalStateException.class, () -> TestDatabase.update("UPDATE audit_event SET status = 200"));
        assertThrows(IllegalStateException.class, () -> TestDatabase.update("DELETE FROM audit_event"));
        assertThrows(IllegalStateException.class, () -> TestDatabase.update("TRUNCATE audit_event"));
        long before = TestDatabase.count("SELECT count(*) FROM audit_event");
        as(SecurityOnProfile.BOOTSTRAP).queryParam("before", "2000-01-01T00:00:00Z").delete("/api/audit").then().statusCode(200)
                .body("deleted", org.hamcrest.Matchers.equalTo(0));
        as(SecurityOnProfile.BOOTSTRAP).delete("/api/audit").then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("before"));
        assertTrue(TestDatabase.count("SELECT count(*) FROM audit_event") >= before);
        await().atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.count(
                "SELECT count(*) FROM audit_event WHERE operation = 'purgeAuditEvents' AND status = 200") == 1);
    }

    @Test
    void deploysRecordWhoAndWhy() {
        String deployer = SecurityFixtures.token("release-bot", "deployer");
        String trainer = SecurityFixtures.token("trainer-bot", "trainer");
        String dataset = as(trainer).multiPart("file", new File("samples/iris.csv"), "text/csv").post("/api/datasets")
                .then().statusCode(201).extract().path("id");
        String job = as(trainer).contentType(ContentType.JSON)
                .body("{\"dataset_id\":\"" + dataset + "\",\"model_type\":\"LogisticRegression\",\"target_column\":\"species\"}")
                .post("/api/training/jobs").then().statusCode(202).body("created_by", org.hamcrest.Matchers.equalTo("trainer-bot"))
                .extract().path("id");
        await().atMost(ApiFixtures.JOB_DEADLINE).pollInterval(ApiFixtures.POLL)
                .until(() -> "COMPLETED".equals(as(trainer).get("/api/training/jobs/" + job).path("status")));
        as(deployer).contentType(ContentType.JSON).body(Map.of("job_id", job, "reason", "ticket ML-42")).post("/api/deployments/deploy")
                .then().statusCode(201).body("deployed_by", org.hamcrest.Matchers.equalTo("release-bot"))
                .body("reason", org.hamcrest.Matchers.equalTo("ticket ML-42"));
        as(deployer).get("/api/deployments").then().statusCode(200).body("[0].deployed_by", org.hamcrest.Matchers.equalTo("release-bot"))
                .body("[0].reason", org.hamcrest.Matchers.equalTo("ticket ML-42"));
        as(deployer).delete("/api/deployments/active").then().statusCode(204);
    }
}
