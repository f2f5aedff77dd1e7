package dev.mlpipeline.security;

import java.util.List;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Tokens for the security tests. */
public final class SecurityFixtures {

    private SecurityFixtures() {
    }

    /** A request with {@code Authorization: Bearer token}. */
    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** Creates a token with those roles (as the bootstrap admin) and returns its secret. */
    public static String token(String name, String... roles) {
        return as(SecurityOnProfile.BOOTSTRAP).contentType(ContentType.JSON)
                .body(java.util.Map.of("name", name, "roles", List.of(roles), "expires_in_days", 1))
                .post("/api/tokens").then().statusCode(201).extract().path("token");
    }

    /** The id of a token created by {@link #token}: looked up by name in the list. */
    public static String idOf(String name) {
        List<String> ids = as(SecurityOnProfile.BOOTSTRAP).get("/api/tokens").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.name == '" + name + "' }.id");
        return ids.getFirst();
    }
}
