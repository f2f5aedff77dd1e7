package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mlpipeline.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import static dev.mlpipeline.ApiFixtures.undeploy;
import static dev.mlpipeline.ApiFixtures.upload;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_78;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_85;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_91;
import static dev.mlpipeline.registry.RegistryFixtures.ACC_92;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's registry metadata over fixture versions (rows written as the job code writes them):
 * aliases (including concurrent moves), JSON merge patch of tags and description, tag filters,
 * archive rules and statistics.
 */
@QuarkusTest
class RegistryMetadataResourceTest {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    @Inject
    Mutiny.SessionFactory sessions;

    RegistryFixtures db;

    @BeforeEach
    void fixtures() {
        db = new RegistryFixtures(sessions);
    }

    @AfterEach
    void end() {
        undeploy();
    }

    /** A dataset with RandomForest versions 1 (training), 2 (tuning), 3 (training); returns [dataset, job1, job2, job3]. */
    private String[] threeVersions() {
        String ds = upload("customers.csv");
        String v1 = db.training(ds, "RandomForest", "COMPLETED", ACC_85);
        String v2 = db.tuning(ds, "RandomForest", "COMPLETED", ACC_91, 0.91);
        String v3 = db.training(ds, "RandomForest", "COMPLETED", ACC_92);
        return new String[]{ ds, v1, v2, v3 };
    }

    private static io.restassured.response.ValidatableResponse putAlias(String alias, String ds, int version) {
        return given().contentType(ContentType.JSON).body(Map.of("dataset_id", ds, "version", version))
                .put("/api/registry/models/RandomForest/aliases/" + alias).then();
    }

    @Test
    void anAliasIsSetMovedShownInEveryViewAndDeleted() {
        String[] s = threeVersions();
        String ds = s[0];
        putAlias("champion", ds, 1).statusCode(200)
                .body("alias", equalTo("champion")).body("version", equalTo(1)).body("job_id", equalTo(s[1]))
                .body("source", equalTo("training")).body("previous_version", nullValue())
                .body("dataset_id", equalTo(ds)).body("model_type", equalTo("RandomForest"));
        putAlias("challenger", ds, 2).statusCode(200).body("source", equalTo("tuning"));
        given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200)
                .body("[0].versions.version", contains(3, 2, 1))
                .body("[0].versions.aliases", contains(List.of(), List.of("challenger"), List.of("champion")));

        // moving: one update; the answer names the version it left
        putAlias("champion", ds, 3).statusCode(200).body("version", equalTo(3)).body("previous_version", equalTo(1));
        putAlias("challenger", ds, 3).statusCode(200).body("previous_version", equalTo(2));
        given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds).then().statusCode(200)
                .body("aliases", contains(List.of("challenger", "champion"), List.of(), List.of()));
        given().get("/api/registry/models/RandomForest/versions/3?dataset_id=" + ds).then().statusCode(200)
                .body("aliases", contains("challenger", "champion"));
        given().get("/api/registry/models?dataset_id=" + ds + "&limit=5&versions_limit=1").then().statusCode(200)
                .body("[0].versions[0].aliases", contains("challenger", "champion"));
        given().get("/api/registry/models/RandomForest/aliases/champion?dataset_id=" + ds).then().statusCode(200)
                .body("version", equalTo(3)).body("job_id", equalTo(s[3])).body("aliases", contains("challenger", "champion"));

        given().delete("/api/registry/models/RandomForest/aliases/champion?dataset_id=" + ds).then().statusCode(204);
        given().delete("/api/registry/models/RandomForest/aliases/champion?dataset_id=" + ds).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("champion"));
        given().get("/api/registry/models/RandomForest/aliases/champion?dataset_id=" + ds).then().statusCode(404);
        given().get("/api/registry/models/RandomForest/versions/3?dataset_id=" + ds).then().body("aliases", contains("challenger"));
        // an alias belongs to its (dataset, model type): another dataset has none of these
        String other = upload("iris.csv");
        db.training(other, "RandomForest", "COMPLETED", ACC_78);
        given().get("/api/registry/models/RandomForest/aliases/challenger?dataset_id=" + other).then().statusCode(404);
    }

    @Test
    void badAliasRequestsAre4xxAndStoreNothing() {
        String[] s = threeVersions();
        String ds = s[0];
        for (String bad : List.of("Champion", "9lives", "has%20space", "latest", "v2", "a".repeat(64))) {
            putAlias(bad, ds, 1).statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("alias"));
        }
        given().contentType(ContentType.JSON).body("{\"version\": 1}").put("/api/registry/models/RandomForest/aliases/champion")
                .then().statusCode(400).body("errors.field", contains("dataset_id"));
        given().contentType(ContentType.JSON).body("{}").put("/api/registry/models/RandomForest/aliases/champion")
                .then().statusCode(400).body("errors.field", contains("dataset_id", "version"));
        given().contentType(ContentType.JSON).body("{\"dataset_id\": \"" + ds + "\", \"version\": \"x\"}")
                .put("/api/registry/models/RandomForest/aliases/champion").then().statusCode(400);
        putAlias("champion", ds, 4).statusCode(404).body("detail", containsString("Version 4"));
        putAlias("champion", "ds_nope", 1).statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("dataset_id", ds, "version", 1))
                .put("/api/registry/models/NoSuchModel/aliases/champion").then().statusCode(404);
        given().delete("/api/registry/models/RandomForest/aliases/champion").then().statusCode(400)
                .body("errors[0].field", equalTo("dataset_id"));
        assertEquals(0, TestDatabase.count("SELECT count(*) FROM model_version_alias WHERE dataset_id = ?", ds));
    }

    /**
     * Two clients move one alias back and forth between two versions at the same time (40 moves
     * each): every move succeeds, and at the end the alias exists once, on one version, the same in
     * the alias lookup, the listing and the table.
     */
    @Test
    void concurrentMovesOfOneAliasEndOnOneVersion() throws Exception {
        String[] s = threeVersions();
        String ds = s[0];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<List<Integer>>> clients = new ArrayList<>();
            for (int client = 0; client < 2; client++) {
                int first = client == 0 ? 1 : 3;
                int second = client == 0 ? 2 : 1;
                clients.add(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        statuses.add(putAlias("champion", ds, i % 2 == 0 ? first : second).extract().statusCode());
                    }
                    return statuses;
                });
            }
            for (Future<List<Integer>> f : pool.invokeAll(clients)) {
                assertTrue(f.get().stream().allMatch(code -> code == 200), "every move answered 200: " + f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, TestDatabase.count("SELECT count(*) FROM model_version_alias WHERE dataset_id = ? AND alias = 'champion'", ds));
        int pointed = given().get("/api/registry/models/RandomForest/aliases/champion?dataset_id=" + ds).then().statusCode(200)
                .extract().path("version");
        List<List<String>> aliases = given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds).then()
                .statusCode(200).extract().path("aliases");
        List<Integer> versions = given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds).then()
                .extract().path("version");
        int holders = 0;
        for (int i = 0; i < versions.size(); i++) {
            if (aliases.get(i).contains("champion")) {
                holders++;
                assertEquals(pointed, versions.get(i), "the listing shows the alias where the lookup says");
            }
        }
        assertEquals(1, holders, "exactly one version holds the alias: " + aliases);
    }

    @Test
    void mergePatchSetsAndRemovesTagsAndDescription() {
        String[] s = threeVersions();
        String ds = s[0];
        String v1 = "/api/registry/models/RandomForest/versions/1?dataset_id=" + ds;
        given().contentType(MERGE_PATCH).body("{\"description\": \"first forest\", \"tags\": {\"team\": \"fraud\", \"stage\": \"dev\"}}")
                .patch(v1).then().statusCode(200)
                .body("version", equalTo(1)).body("description", equalTo("first forest"))
                .body("tags", equalTo(Map.of("team", "fraud", "stage", "dev")));
        // application/json is accepted too; null removes one tag, absent members stay
        given().contentType(ContentType.JSON).body("{\"tags\": {\"stage\": null, \"owner\": \"ana\"}}").patch(v1).then().statusCode(200)
                .body("description", equalTo("first forest")).body("tags", equalTo(Map.of("team", "fraud", "owner", "ana")));
        given().contentType(MERGE_PATCH).body("{\"description\": null}").patch(v1).then().statusCode(200)
                .body("description", nullValue()).body("tags", equalTo(Map.of("team", "fraud", "owner", "ana")));
        given().contentType(MERGE_PATCH).body("{}").patch(v1).then().statusCode(200)
                .body("tags", equalTo(Map.of("team", "fraud", "owner", "ana")));
        // the listing shows them
        given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds).then()
                .body("find { it.version == 1 }.tags", equalTo(Map.of("team", "fraud", "owner", "ana")))
                .body("find { it.version == 2 }.tags", equalTo(Map.of()))
                .body("find { it.version == 2 }.description", nullValue());

        // a bad patch changes nothing and names every field to fix
        given().contentType(MERGE_PATCH).body("{\"description\": 3, \"tags\": {\"team\": 1, \"bad key\": \"x\"}, \"color\": \"red\"}")
                .patch(v1).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("description", "tags.team", "tags.bad key", "color"));
        given().contentType(MERGE_PATCH).body("{\"tags\": {\"team\": \"a\\u0000b\"}}").patch(v1).then().statusCode(400)
                .body("errors[0].field", equalTo("tags.team"));
        given().contentType(MERGE_PATCH).body("[1]").patch(v1).then().statusCode(400);
        given().contentType(MERGE_PATCH).body("{\"tags\": ").patch(v1).then().statusCode(400);
        given().contentType(MERGE_PATCH).body("{\"tags\": [\"a\"]}").patch(v1).then().statusCode(400).body("errors[0].field", equalTo("tags"));
        given().contentType(ContentType.TEXT).body("{}").patch(v1).then().statusCode(415);
        given().get(v1.replace("?", "?x=1&")).then().body("tags", equalTo(Map.of("team", "fraud", "owner", "ana")));

        // "tags": null removes them all
        given().contentType(MERGE_PATCH).body("{\"tags\": null}").patch(v1).then().statusCode(200).body("tags", equalTo(Map.of()));
        given().contentType(MERGE_PATCH).body("{\"tags\": {\"a\": \"b\"}}")
                .patch("/api/registry/models/RandomForest/versions/9?dataset_id=" + ds).then().statusCode(404);
    }

    @Test
    void tagFiltersKeepVersionsWithEveryTag() {
        String[] s = threeVersions();
        String ds = s[0];
        String base = "/api/registry/models/RandomForest/versions/";
        given().contentType(MERGE_PATCH).body("{\"tags\": {\"team\": \"fraud\", \"stage\": \"prod\"}}").patch(base + "1?dataset_id=" + ds)
                .then().statusCode(200);
        given().contentType(MERGE_PATCH).body("{\"tags\": {\"team\": \"fraud\"}}").patch(base + "3?dataset_id=" + ds).then().statusCode(200);
        given().contentType(MERGE_PATCH).body("{\"tags\": {\"team\": \"risk\"}}").patch(base + "2?dataset_id=" + ds).then().statusCode(200);
        given().get("/api/registry/models?dataset_id=" + ds + "&tag=team:fraud").then().statusCode(200)
                .body("[0].versions.version", contains(3, 1)).body("[0].latest_version", equalTo(3));
        given().get("/api/registry/models?dataset_id=" + ds + "&tag=team:fraud&tag=stage:prod").then().statusCode(200)
                .body("[0].versions.version", contains(1));
        given().get("/api/registry/models?dataset_id=" + ds + "&tag=stage").then().statusCode(200)
                .body("[0].versions.version", contains(1));
        given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds + "&tag=team:risk").then().statusCode(200)
                .body("version", contains(2));
        // no version matches: no entry at all (not an entry without versions)
        given().get("/api/registry/models?dataset_id=" + ds + "&tag=team:none").then().statusCode(200).body("", empty());
        given().get("/api/registry/models?tag=team:fraud&tag=team:risk&dataset_id=" + ds).then().statusCode(200).body("", empty());
        given().get("/api/registry/models?tag=:fraud").then().statusCode(400).body("errors[0].field", equalTo("tag"));
    }

    @Test
    void archivedVersionsAreHiddenUnaliasableUndeployableAndTheirNumbersStayTaken() {
        String[] s = threeVersions();
        String ds = s[0];
        String base = "/api/registry/models/RandomForest/versions/";
        long archivedBefore = given().get("/api/registry/stats").then().statusCode(200).extract().<Number>path("archived_versions").longValue();

        given().post(base + "2/archive?dataset_id=" + ds).then().statusCode(200).body("version", equalTo(2)).body("archived", equalTo(true));
        given().post(base + "2/archive?dataset_id=" + ds).then().statusCode(200).body("archived", equalTo(true));
        given().get("/api/registry/models?dataset_id=" + ds).then().statusCode(200).body("[0].versions.version", contains(3, 1));
        given().get("/api/registry/models/RandomForest/versions?dataset_id=" + ds).then().body("version", contains(3, 1));
        given().get("/api/registry/models?dataset_id=" + ds + "&include_archived=true").then().statusCode(200)
                .body("[0].versions.version", contains(3, 2, 1)).body("[0].versions.archived", contains(false, true, false));
        given().get("/api/registry/models?dataset_id=" + ds + "&include_archived=maybe").then().statusCode(400)
                .body("errors[0].field", equalTo("include_archived"));
        given().get(base + "2?dataset_id=" + ds).then().statusCode(200).body("archived", equalTo(true));
        given().get("/api/registry/stats").then().body("archived_versions", equalTo((int) archivedBefore + 1));

        // not aliasable, not deployable; its number is never reused
        putAlias("champion", ds, 2).statusCode(409).contentType("application/problem+json").body("detail", containsString("archived"));
        given().contentType(ContentType.JSON).body(Map.of("model_type", "RandomForest", "dataset_id", ds, "version", 2))
                .post("/api/deployments/deploy").then().statusCode(409).body("detail", containsString("archived"));
        given().contentType(ContentType.JSON).body(Map.of("job_id", s[2])).post("/api/deployments/deploy").then().statusCode(409)
                .body("detail", containsString("archived"));
        given().get("/api/registry/next-version?dataset_id=" + ds + "&model_type=RandomForest&job_type=training").then()
                .body("next_version", equalTo(4));
        // whatever the code does, PostgreSQL refuses an active deployment of an archived version
        assertThrows(RuntimeException.class, () -> db.deploy(s[2], "tuning", ds, "RandomForest", 2));

        // the aliased and the deployed versions cannot be archived
        putAlias("champion", ds, 1).statusCode(200);
        given().post(base + "1/archive?dataset_id=" + ds).then().statusCode(409).body("detail", containsString("champion"));
        db.deploy(s[3], "training", ds, "RandomForest", 3);
        given().post(base + "3/archive?dataset_id=" + ds).then().statusCode(409).body("detail", containsString("active deployment"));
        given().get("/api/registry/models?dataset_id=" + ds).then().body("[0].versions.archived", contains(false, false));

        given().post(base + "2/unarchive?dataset_id=" + ds).then().statusCode(200).body("archived", equalTo(false));
        given().post(base + "2/unarchive?dataset_id=" + ds).then().statusCode(200).body("archived", equalTo(false));
        given().get("/api/registry/models?dataset_id=" + ds).then().body("[0].versions.version", contains(3, 2, 1));
        putAlias("challenger", ds, 2).statusCode(200);
        given().post(base + "7/archive?dataset_id=" + ds).then().statusCode(404);
        given().post("/api/registry/models/NoSuchModel/versions/1/archive?dataset_id=" + ds).then().statusCode(404);
    }

    /** A (dataset, model type) whose every version is archived is no entry, and pages over the others stay full. */
    @Test
    void pagesSkipEntriesWhoseVersionsAreAllArchived() {
        String a = upload("customers.csv");
        String b = upload("customers.csv");
        String c = upload("customers.csv");
        for (String ds : List.of(a, b, c)) {
            db.training(ds, "GradientBoosting", "COMPLETED", ACC_85);
        }
        given().post("/api/registry/models/GradientBoosting/versions/1/archive?dataset_id=" + b).then().statusCode(200);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = given().get("/api/registry/models?model_type=GradientBoosting&limit=1" + (cursor == null ? "" : "&cursor=" + cursor))
                    .then().statusCode(200).body("", hasSize(1)).extract();
            seen.add(page.path("[0].dataset_id"));
            cursor = page.header("X-Next-Cursor");
            pages++;
        } while (cursor != null && pages < 1000);
        assertTrue(seen.containsAll(List.of(a, c)), "both unarchived entries listed");
        assertTrue(!seen.contains(b), "the archived-only entry is not");
        given().get("/api/registry/models?model_type=GradientBoosting&include_archived=true").then()
                .body("dataset_id", hasItem(b));
    }
}
