package dev.mlpipeline.registry;

import java.util.Map;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static dev.mlpipeline.ApiFixtures.deploy;
import static dev.mlpipeline.ApiFixtures.train;
import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_85;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_91;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry page cache (issue 16 part 6): a page is served again while nothing in the registry
 * changed, and the next page after any change shows it. Every change here is made either through the
 * API or with SQL behind the service's back (as another replica or a job worker would), so the test
 * proves that no replica can serve a page from before a change, not only the one that made it.
 */
@QuarkusTest
class RegistryPageCacheTest {

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    RegistryPageCache cache;

    RegistryFixtures db;

    @BeforeEach
    void fixtures() {
        db = new RegistryFixtures(sessions);
    }

    @AfterEach
    void end() {
        undeploy();
    }

    private static ValidatableResponse page(String ds) {
        return given().get("/api/registry/models?limit=5&dataset_id=" + ds).then().statusCode(200);
    }

    private long generation() {
        return sessions.withSession(s -> s.createNativeQuery("SELECT generation FROM registry_generation", Long.class)
                .getSingleResult()).await().indefinitely();
    }

    @Test
    void anUnchangedRegistryServesTheKeptPageAndEveryChangeShowsOnTheNextPage() {
        String ds = upload("customers.csv");
        String v1 = db.training(ds, "RandomForest", "COMPLETED", ACC_85);
        String body = page(ds).body("[0].latest_version", equalTo(1)).extract().asString();
        long kept = cache.size();
        assertEquals(body, page(ds).extract().asString(), "same page while nothing changed");
        assertEquals(kept, cache.size(), "the second read is the kept page, not a new one");

        // a job completing (written with SQL, as a worker replica does): the next page has it
        String v2 = db.training(ds, "RandomForest", "COMPLETED", ACC_91);
        page(ds).body("[0].latest_version", equalTo(2)).body("[0].versions.job_id", contains(v2, v1));

        // a running job's progress is not a registry change: the generation stays
        String running = db.training(ds, "RandomForest", "RUNNING", null);
        long before = generation();
        db.sql("UPDATE training_job SET progress = 0.5 WHERE id = ?1", running);
        assertEquals(before, generation());

        // an alias
        given().contentType(ContentType.JSON).body(Map.of("dataset_id", ds, "version", 1))
                .put("/api/registry/models/RandomForest/aliases/champion").then().statusCode(200);
        page(ds).body("[0].versions[1].aliases", contains("champion"));
        // an alias moved with SQL behind the service's back
        db.sql("DELETE FROM model_version_alias WHERE job_id = ?1", v1);
        page(ds).body("[0].versions[1].aliases", empty());

        // tags and description
        given().contentType("application/merge-patch+json").body("{\"description\": \"kept\", \"tags\": {\"team\": \"fraud\"}}")
                .patch("/api/registry/models/RandomForest/versions/2?dataset_id=" + ds).then().statusCode(200);
        page(ds).body("[0].versions[0].description", equalTo("kept")).body("[0].versions[0].tags.team", equalTo("fraud"));

        // archive, then unarchive
        given().post("/api/registry/models/RandomForest/versions/2/archive?dataset_id=" + ds).then().statusCode(200);
        page(ds).body("[0].latest_version", equalTo(1)).body("[0].versions.job_id", contains(v1));
        given().post("/api/registry/models/RandomForest/versions/2/unarchive?dataset_id=" + ds).then().statusCode(200);
        page(ds).body("[0].latest_version", equalTo(2));

        // a deployment (SQL, as another replica's deploy writes it), then its end through the API
        db.deploy(v1, "training", ds, "RandomForest", 1);
        page(ds).body("[0].deployed_version", equalTo(1)).body("[0].versions[1].is_deployed", equalTo(true));
        undeploy();
        page(ds).body("[0].deployed_version", nullValue());

        // the dataset's name
        db.sql("UPDATE dataset SET name = 'renamed for the cache test' WHERE id = ?1", ds);
        page(ds).body("[0].dataset_name", equalTo("renamed for the cache test"));
    }

    @Test
    void aJobCompletedByTheServiceAndADeployThroughTheApiShowOnTheNextPageAndInTheConsole() {
        String ds = upload("titanic.csv");
        String filter = "&model_type=DecisionTree";
        given().get("/api/registry/models?limit=5&dataset_id=" + ds + filter).then().statusCode(200).body("size()", equalTo(0));
        String link = "/console/models/DecisionTree/versions/1";
        given().get("/?dataset_id=" + ds).then().statusCode(200).body(not(containsString(link)));

        String job = train("{\"dataset_id\":\"" + ds + "\",\"model_type\":\"DecisionTree\",\"target_column\":\"Survived\","
                + "\"random_seed\":7}");
        given().get("/api/registry/models?limit=5&dataset_id=" + ds + filter).then().statusCode(200)
                .body("[0].versions.job_id", contains(job)).body("[0].deployed_version", nullValue());
        String html = given().get("/?dataset_id=" + ds).then().statusCode(200).extract().asString();
        assertTrue(html.contains(link), "the console's registry shows the new version");

        deploy(job, 201);
        given().get("/api/registry/models?limit=5&dataset_id=" + ds + filter).then().statusCode(200)
                .body("[0].deployed_version", equalTo(1));
    }
}
