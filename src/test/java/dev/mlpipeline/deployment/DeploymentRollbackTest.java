package dev.mlpipeline.deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rollback and "what served at T" across three deploys, and the single active deployment under concurrent rollbacks and deploys. */
@QuarkusTest
class DeploymentRollbackTest {

    @AfterEach
    void undeployWhatTheTestDeployed() {
        undeploy();
    }

    private static JsonPath deploy(String job, String reason) {
        return given().contentType(ContentType.JSON).body("{\"job_id\":\"" + job + "\",\"reason\":\"" + reason + "\"}")
                .post("/api/deployments/deploy").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath at(Instant t) {
        return given().queryParam("time", t.toString()).get("/api/deployments/at").then().statusCode(200).extract().jsonPath();
    }

    private static String[] threeJobs() {
        String ds = upload("iris.csv");
        String[] jobs = new String[3];
        String[] types = { "LogisticRegression", "DecisionTree", "RandomForest" };
        for (int i = 0; i < 3; i++) {
            jobs[i] = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"" + types[i] + "\",\"target_column\":\"species\"}");
        }
        return jobs;
    }

    @Test
    void rollbackReactivatesThePreviousVersionAndAtAnswersFromTheIntervals() throws Exception {
        String[] jobs = threeJobs();
        undeploy();
        given().contentType(ContentType.JSON).body("{}").post("/api/deployments/rollback").then().statusCode(409).body("detail",
                containsString("no active deployment"));

        JsonPath d1 = deploy(jobs[0], "first");
        Thread.sleep(5); // distinct instants between the deploys
        Instant during1 = Instant.now();
        Thread.sleep(5);
        JsonPath d2 = deploy(jobs[1], "second");
        Thread.sleep(5);
        Instant during2 = Instant.now();
        Thread.sleep(5);
        JsonPath d3 = deploy(jobs[2], "third");
        Thread.sleep(5);
        Instant during3 = Instant.now();

        assertEquals(d1.getString("id"), at(during1).getString("id"));
        assertEquals("first", at(during1).getString("reason"));
        assertEquals(d2.getString("id"), at(during2).getString("id"));
        assertEquals(d3.getString("id"), at(during3).getString("id"));
        // the boundaries: a deployment serves from its created_at, until (excluding) its deactivated_at
        assertEquals(d2.getString("id"), at(Instant.parse(d2.getString("created_at"))).getString("id"));
        assertEquals(d1.getString("id"), at(Instant.parse(d2.getString("created_at")).minusNanos(1000)).getString("id"));
        given().queryParam("time", "2000-01-01T00:00:00Z").get("/api/deployments/at").then().statusCode(404);
        given().queryParam("time", "yesterday").get("/api/deployments/at").then().statusCode(400).body("errors[0].field", equalTo("time"));
        given().get("/api/deployments/at").then().statusCode(400);

        JsonPath rolled = given().contentType(ContentType.JSON).body("{\"reason\":\"error rate doubled\"}").post("/api/deployments/rollback")
                .then().statusCode(201).extract().jsonPath();
        assertEquals(jobs[1], rolled.getString("job_id"));
        assertEquals("error rate doubled", rolled.getString("reason"));
        given().get("/api/deployments/active").then().statusCode(200).body("job_id", equalTo(jobs[1]));
        assertEquals(d3.getString("id"), at(during3).getString("id"), "history is kept: T still answers the third deploy");
        given().contentType(ContentType.JSON).body("[{\"sepal_length\":6.3,\"sepal_width\":2.9,\"petal_length\":5.6,\"petal_width\":1.8}]")
                .post("/api/deployments/predict").then().statusCode(200).body("job_id", equalTo(jobs[1]));

        // without a reason, a default one; a second rollback goes back to what the first replaced
        JsonPath again = given().contentType(ContentType.JSON).body("{}").post("/api/deployments/rollback").then().statusCode(201).extract().jsonPath();
        assertEquals(jobs[2], again.getString("job_id"));
        assertEquals("rollback from " + rolled.getString("id"), again.getString("reason"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"" + "x".repeat(1001) + "\"}").post("/api/deployments/rollback")
                .then().statusCode(400).body("errors[0].field", equalTo("reason"));
    }

    @Test
    void concurrentRollbacksAndDeploysKeepOneActiveDeploymentAndDisjointIntervals() throws Exception {
        String[] jobs = threeJobs();
        deploy(jobs[0], "a");
        deploy(jobs[1], "b");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String job = jobs[i % 3];
                Callable<Integer> call = i % 2 == 0
                        ? () -> given().contentType(ContentType.JSON).body("{}").post("/api/deployments/rollback").then().extract().statusCode()
                        : () -> given().contentType(ContentType.JSON).body("{\"job_id\":\"" + job + "\"}").post("/api/deployments/deploy")
                                .then().extract().statusCode();
                results.add(pool.submit(call));
            }
            for (Future<Integer> result : results) {
                int status = result.get();
                assertTrue(status == 200 || status == 201 || status == 409, "status " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM deployment WHERE is_active"));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM deployment a JOIN deployment b ON a.id < b.id"
                + " AND tstzrange(a.created_at, coalesce(a.deactivated_at, 'infinity')) && tstzrange(b.created_at, coalesce(b.deactivated_at, 'infinity'))"),
                "no two deployments served at the same instant");
        given().get("/api/deployments/active").then().statusCode(200).body("job_id", anyOf(equalTo(jobs[0]), equalTo(jobs[1]), equalTo(jobs[2])));
    }
}
