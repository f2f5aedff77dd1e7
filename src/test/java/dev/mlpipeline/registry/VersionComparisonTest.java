package dev.mlpipeline.registry;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse.ComparedVersion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static VersionComparison.Candidate v(int version, String metrics, String hyper) throws Exception {
        JsonNode m = JSON.readTree(metrics);
        JsonNode h = JSON.readTree(hyper);
        return new VersionComparison.Candidate(new ComparedVersion(version, "trn_" + version, "training", Instant.EPOCH, List.of(), false), m, h);
    }

    @Test
    void regressionRanksByR2AndErrorsAreBetterLower() throws Exception {
        ModelVersionComparisonResponse r = VersionComparison.compare("Ridge", "ds", "houses", Task.REGRESSION, List.of(
                v(1, "{\"rmse\": 3.0, \"mae\": 2.0, \"r2\": 0.70}", "{\"alpha\": 1, \"fit_intercept\": true}"),
                v(2, "{\"rmse\": 2.5, \"mae\": 2.2, \"r2\": 0.75}", "{\"alpha\": 1.0, \"fit_intercept\": true}"),
                v(3, "{\"rmse\": 2.9, \"mae\": 1.9, \"r2\": 0.72}", "{\"alpha\": 10, \"fit_intercept\": true, \"solver\": \"svd\"}")));
        assertEquals("r2", r.best().metric());
        assertEquals("higher_is_better", r.best().direction());
        assertEquals(2, r.best().version());
        assertEquals(0.75, r.best().value());
        var rmse = r.metrics().stream().filter(m -> m.name().equals("rmse")).findFirst().orElseThrow();
        assertFalse(rmse.higherIsBetter());
        assertEquals(2, rmse.bestVersion());
        assertEquals(3, r.metrics().stream().filter(m -> m.name().equals("mae")).findFirst().orElseThrow().bestVersion());
        // 1 and 1.0 are the same alpha; fit_intercept is the same everywhere; solver is missing in two
        assertEquals(List.of("alpha", "solver"), r.differingHyperparameters().stream().map(h -> h.name()).toList());
        assertEquals("[1, 1.0, 10]", r.differingHyperparameters().get(0).values().toString());
        assertEquals("[null, null, \"svd\"]", r.differingHyperparameters().get(1).values().toString());
    }

    @Test
    void tiesGoToTheNewestAndMissingMetricsAreNull() throws Exception {
        ModelVersionComparisonResponse r = VersionComparison.compare("RandomForest", "ds", "t", Task.CLASSIFICATION, List.of(
                v(4, "{\"accuracy\": 0.8}", "{}"), v(2, "{\"accuracy\": 0.8, \"roc_auc\": 0.9}", "{}"), v(3, "{\"f1\": 0.5}", "{}")));
        assertEquals(4, r.best().version());
        var auc = r.metrics().stream().filter(m -> m.name().equals("roc_auc")).findFirst().orElseThrow();
        assertEquals(java.util.Arrays.asList(null, 0.9, null), auc.values());
        assertTrue(r.differingHyperparameters().isEmpty());

        ModelVersionComparisonResponse none = VersionComparison.compare("RandomForest", "ds", "t", Task.CLASSIFICATION,
                List.of(v(1, "{\"f1\": 0.5}", "{}"), v(2, "{}", "{}")));
        assertNull(none.best());
    }
}
