package dev.mlpipeline.security;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every operation of {@code /q/openapi} against issue 12's role table ({@link AccessPolicy}): without a
 * token 401 (problem+json, {@code WWW-Authenticate: Bearer}); with a token lacking the role 403; with a
 * token holding exactly that role neither. An operation missing from the table fails the first test,
 * so no endpoint ships unclassified.
 */
@QuarkusTest
@TestProfile(SecurityOnProfile.class)
class RoleMatrixTest {

    private static final Map<Role, String> HOLDING = new EnumMap<>(Role.class);
    private static final Map<Role, String> LACKING = new EnumMap<>(Role.class);
    private static JsonPath doc;

    /** An operation of the document. */
    record Op(String method, String path, String id, String contentType) {
    }

    /** Once per class, from the first test: a static @BeforeAll may run before RestAssured knows the port of this profile's boot. */
    @BeforeEach
    void tokens() {
        if (doc != null) {
            return;
        }
        for (Role role : Role.values()) {
            HOLDING.put(role, SecurityFixtures.token("matrix-" + role.wireName(), role.wireName()));
        }
        // a token with everything but the role (and what includes it)
        LACKING.put(Role.VIEWER, HOLDING.get(Role.PREDICTOR));
        LACKING.put(Role.PREDICTOR, SecurityFixtures.token("matrix-viewer-trainer", "viewer", "trainer"));
        LACKING.put(Role.TRAINER, HOLDING.get(Role.DEPLOYER));
        LACKING.put(Role.DEPLOYER, HOLDING.get(Role.TRAINER));
        LACKING.put(Role.ADMIN, SecurityFixtures.token("matrix-all-but-admin", "viewer", "predictor", "trainer", "deployer"));
        doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }

    static List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                if (!Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    continue;
                }
                String contentType = null;
                if (op.getValue().get("requestBody") instanceof Map<?, ?> body && body.get("content") instanceof Map<?, ?> content) {
                    contentType = content.keySet().iterator().next().toString();
                }
                ops.add(new Op(op.getKey().toUpperCase(), path.getKey(), (String) op.getValue().get("operationId"), contentType));
            }
        }
        return ops;
    }

    @Test
    void everyOperationIsClassified() {
        Set<String> unclassified = new TreeSet<>();
        for (Op op : operations()) {
            if (AccessPolicy.find(op.id()).isEmpty()) {
                unclassified.add(op.id() + " (" + op.method() + " " + op.path() + ")");
            }
        }
        assertTrue(unclassified.isEmpty(), "operations missing from security/AccessPolicy: " + unclassified);
        assertTrue(operations().size() >= 30, "operations found: " + operations().size());
    }

    @Test
    void everyOperationRefusesWithoutTheRoleAndAdmitsWithIt() {
        int checked = 0;
        for (Op op : operations()) {
            AccessPolicy.Access access = AccessPolicy.of(op.id());
            if (access.open()) {
                continue;
            }
            Response anonymous = call(given(), op);
            assertEquals(401, anonymous.statusCode(), op + " without a token: " + anonymous.asString());
            assertTrue(anonymous.contentType().startsWith("application/problem+json"), op + ": " + anonymous.contentType());
            assertTrue(anonymous.header("WWW-Authenticate").startsWith("Bearer"), op + ": " + anonymous.header("WWW-Authenticate"));

            Response lacking = call(SecurityFixtures.as(LACKING.get(access.role())), op);
            assertEquals(403, lacking.statusCode(), op + " with a token lacking " + access.role() + ": " + lacking.asString());
            assertTrue(lacking.contentType().startsWith("application/problem+json"), op + ": " + lacking.contentType());

            Response holding = call(SecurityFixtures.as(HOLDING.get(access.role())), op);
            assertTrue(holding.statusCode() != 401 && holding.statusCode() != 403,
                    op + " with a " + access.role() + " token answered " + holding.statusCode() + ": " + holding.asString());
            checked++;
        }
        assertTrue(checked >= 30, "operations checked: " + checked);
    }

    /** The operation with placeholder path parameters and an empty body: with the role it may fail, but never with 401 or 403. */
    private static Response call(RequestSpecification request, Op op) {
        String path = op.path().replaceAll("\\{version}", "1").replaceAll("\\{[^}]+}", "none");
        if (op.contentType() != null && op.contentType().startsWith("multipart")) {
            request = request.multiPart("name", "none");
        } else if (op.contentType() != null) {
            request = request.contentType(op.contentType()).body(op.id().equals("predict") ? "[{}]" : "{}");
        }
        return request.request(op.method(), path);
    }

    @Test
    void healthOpenApiSwaggerAndMetricsAreOpen() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void theDocumentDeclaresTheBearerScheme() {
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertEquals(List.of(Map.of("bearer", List.of())), doc.getList("security"));
        assertEquals("trainer", doc.getString("paths.'/api/datasets'.post.x-required-role"));
        assertEquals(List.of(), doc.getList("paths.'/api/session'.post.security"));
        assertEquals("#/components/schemas/Problem",
                doc.getString("paths.'/api/deployments/deploy'.post.responses.'403'.content.'application/problem+json'.schema.$ref"));
    }

    @Test
    void aBadTokenIsAnInvalidTokenChallenge() {
        given().header("Authorization", "Bearer mlp_notatoken").get("/api/datasets").then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("detail", containsString("unknown"));
        given().header("Authorization", "Bearer something-else").get("/api/datasets").then().statusCode(401)
                .body("detail", containsString("mlp_"));
    }
}
