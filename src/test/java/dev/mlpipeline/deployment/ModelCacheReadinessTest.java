package dev.mlpipeline.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness waits for the active model only during the warm-up after start; a load failure is reported, not fatal. */
class ModelCacheReadinessTest {

    private static final Duration WARM_UP = Duration.ofSeconds(120);
    private static final Duration EARLY = Duration.ofSeconds(30);
    private static final Duration LATE = Duration.ofSeconds(121);
    private static final Instant T1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T2 = T1.plusSeconds(60);

    private static ModelCache.Warm warm(String deploymentId) {
        return new ModelCache.Warm(deploymentId, "trn_1", "training", "ds_1", "DecisionTree", 3, null);
    }

    private static ModelCache.LoadFailure failure(String deploymentId, String cause) {
        return new ModelCache.LoadFailure(deploymentId, "trn_2", "RandomForest", 2, cause, T2);
    }

    private static HealthCheckResponse check(ModelCache cache, Duration sinceStart) {
        return ModelCacheReadiness.check(cache, sinceStart, WARM_UP);
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }

    @Test
    void beforeTheFirstSyncItWaitsForTheWarmUpOnly() {
        ModelCache cache = new ModelCache();
        HealthCheckResponse early = check(cache, EARLY);
        assertEquals(HealthCheckResponse.Status.DOWN, early.getStatus());
        assertEquals("unknown", data(early).get("model_status"));
        assertEquals(90L, data(early).get("warm_up_remaining_seconds"));
        assertEquals(HealthCheckResponse.Status.UP, check(cache, LATE).getStatus());
    }

    @Test
    void nothingDeployedOrAWarmModelIsReadyAtOnce() {
        ModelCache cache = new ModelCache();
        cache.expect(T1, null);
        assertEquals(HealthCheckResponse.Status.UP, check(cache, Duration.ZERO).getStatus());
        assertEquals("none", data(check(cache, Duration.ZERO)).get("model_status"));

        cache.install(T2, warm("dep_a"));
        HealthCheckResponse serving = check(cache, Duration.ZERO);
        assertEquals(HealthCheckResponse.Status.UP, serving.getStatus());
        assertEquals("serving", data(serving).get("model_status"));
        assertEquals("dep_a", data(serving).get("serving_deployment"));
        assertEquals("DecisionTree v3", data(serving).get("model"));
    }

    @Test
    void aLoadingModelHoldsReadinessDuringTheWarmUpOnly() {
        ModelCache cache = new ModelCache();
        cache.expect(T1, "dep_a");
        HealthCheckResponse early = check(cache, EARLY);
        assertEquals(HealthCheckResponse.Status.DOWN, early.getStatus());
        assertEquals("loading", data(early).get("model_status"));
        assertEquals("dep_a", data(early).get("desired_deployment"));
        HealthCheckResponse late = check(cache, LATE);
        assertEquals(HealthCheckResponse.Status.UP, late.getStatus());
        assertEquals("loading", data(late).get("model_status"));
        assertFalse(data(late).containsKey("warm_up_remaining_seconds"));
    }

    @Test
    void aModelThatCannotLoadIsReportedAndDoesNotHoldReadinessPastTheWarmUp() {
        ModelCache cache = new ModelCache();
        cache.expect(T1, "dep_broken");
        assertTrue(cache.fail(failure("dep_broken", "The model artifact of job 'trn_2' cannot be loaded: sha256 mismatch.")));

        assertEquals(HealthCheckResponse.Status.DOWN, check(cache, EARLY).getStatus());
        HealthCheckResponse late = check(cache, LATE);
        assertEquals(HealthCheckResponse.Status.UP, late.getStatus());
        Map<String, Object> data = data(late);
        assertEquals("failed", data.get("model_status"));
        assertEquals("dep_broken", data.get("desired_deployment"));
        assertEquals("RandomForest v2", data.get("model"));
        assertEquals("trn_2", data.get("job_id"));
        assertEquals("The model artifact of job 'trn_2' cannot be loaded: sha256 mismatch.", data.get("load_error"));
        assertFalse(data.containsKey("serving_deployment"));
    }

    @Test
    void aFailureLastsUntilTheDeploymentIsWarmOrReplaced() {
        ModelCache cache = new ModelCache();
        cache.expect(T1, "dep_broken");
        assertTrue(cache.fail(failure("dep_broken", "cause one")));
        assertFalse(cache.fail(failure("dep_broken", "cause one")), "the same failure again is no news");
        assertTrue(cache.fail(failure("dep_broken", "cause two")), "another cause is news");
        // A re-check of the same deployment keeps the failure...
        cache.expect(T1, "dep_broken");
        assertEquals("cause two", cache.failure().orElseThrow().cause());
        // ...a failure of a deployment that is not the desired one is ignored...
        assertFalse(cache.fail(failure("dep_other", "unrelated")));
        assertEquals("dep_broken", cache.failure().orElseThrow().deploymentId());
        // ...and a newer deployment clears it, as does a warm model.
        cache.expect(T2, "dep_next");
        assertTrue(cache.failure().isEmpty());
        assertTrue(cache.fail(failure("dep_next", "cause three")));
        cache.install(T2.plusSeconds(1), warm("dep_next"));
        assertTrue(cache.failure().isEmpty());
        assertFalse(cache.fail(failure("dep_next", "late report of an attempt that lost the race")));
        assertTrue(cache.active().isPresent());
    }
}
