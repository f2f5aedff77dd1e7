package dev.mlpipeline.pipeline;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every catalog model trains on a dataset of each task it supports. */
class ModelTypesTest {

    @Test
    void catalogContents() {
        List<String> names = ModelCatalog.all().stream().map(ModelType::name).toList();
        assertEquals(List.of("LogisticRegression", "RandomForest", "GradientBoosting", "DecisionTree",
                "LinearRegression", "Ridge", "Lasso"), names);
        for (ModelType m : ModelCatalog.all()) {
            System.out.println(m.name() + " " + m.tasks() + " available=" + m.available()
                    + (m.detail() == null ? "" : " detail=" + m.detail()));
            assertEquals(m.available(), m.detail() == null, m.name());
        }
        assertTrue(ModelCatalog.find("RandomForest").orElseThrow().supports(Task.REGRESSION));
        assertFalse(ModelCatalog.find("LogisticRegression").orElseThrow().supports(Task.REGRESSION));
        assertTrue(ModelCatalog.find("nope").isEmpty());
    }

    @Test
    void everyModelTrains() {
        for (ModelType m : ModelCatalog.all()) {
            if (!m.available()) {
                System.out.println("skipping unavailable " + m.name() + ": " + m.detail());
                continue;
            }
            for (Task task : m.tasks()) {
                // Small/fast settings keep this test quick; defaults are covered by BaselineTest.
                Map<String, Object> params = m.hyperparameters().stream().anyMatch(h -> h.name().equals("n_trees"))
                        ? Map.of("n_trees", 20) : Map.of();
                TrainingResult r = task == Task.CLASSIFICATION
                        ? TestData.train("titanic", m.name(), task, "Survived", params)
                        : TestData.train("california_housing", m.name(), task, "median_house_value", params);
                if (task == Task.CLASSIFICATION) {
                    assertTrue(r.metrics().get("accuracy") > 0.7, m.name() + " " + r.metrics());
                    assertTrue(r.metrics().containsKey("roc_auc"));
                    assertEquals(List.of(0L, 1L), r.pipeline().labels());
                } else {
                    assertTrue(r.metrics().get("r2") > 0.5, m.name() + " " + r.metrics());
                    assertNull(r.pipeline().labels());
                }
            }
        }
    }

    @Test
    void multiclassGradientBoostingAndTree() {
        for (String model : List.of("GradientBoosting", "DecisionTree")) {
            TrainingResult r = TestData.train("iris", model, Task.CLASSIFICATION, "species", Map.of());
            assertTrue(r.metrics().get("accuracy") > 0.85, model);
            assertEquals(List.of("setosa", "versicolor", "virginica"), r.pipeline().labels());
            assertFalse(r.metrics().containsKey("roc_auc"));
        }
    }

    @Test
    void lassoAndRidgeUseLambda() {
        ModelType lasso = ModelCatalog.find("Lasso").orElseThrow();
        Assumptions.assumeTrue(lasso.available(), lasso.detail());
        TrainingResult r = TestData.train("california_housing", "Lasso", Task.REGRESSION, "median_house_value",
                Map.of("lambda", 10.0));
        assertTrue(r.metrics().get("r2") > 0.6);
    }
}
