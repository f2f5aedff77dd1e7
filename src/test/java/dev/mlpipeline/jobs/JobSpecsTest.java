package dev.mlpipeline.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.dataset.DatasetTables.LoadedTable;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.PipelineValidationException;
import dev.mlpipeline.pipeline.Table;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.TrainingSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Up-front checks of a job request against its dataset, without a server (the HTTP cases are in the resource tests). */
class JobSpecsTest {

    /** 30 rows: two numeric features, a categorical one, a 3-class label, a 1-3 rating and an integer-valued price. */
    private static final LoadedTable DATA = table();

    private static LoadedTable table() {
        List<String[]> rows = new ArrayList<>();
        String[] labels = { "a", "b", "c" };
        for (int i = 0; i < 30; i++) {
            rows.add(new String[]{ Integer.toString(i), Double.toString(i * 0.5), i % 2 == 0 ? "red" : "blue", labels[i % 3], Integer
                    .toString(1 + i % 3), Integer.toString(1000 + 37 * i) });
        }
        Table t = new Table(List.of("x", "y", "colour", "label", "rating", "price"), rows);
        return new LoadedTable("ds_1", "toy", t, Map.of("x", ColumnType.NUMERIC, "y", ColumnType.NUMERIC,
                "colour", ColumnType.CATEGORICAL, "label", ColumnType.CATEGORICAL, "rating", ColumnType.NUMERIC,
                "price", ColumnType.NUMERIC), java.util.Set.of());
    }

    private static JobSpecs.Request request(String model, String target, String task, List<String> features,
            Map<String, Object> hyperparameters, Double testSize) {
        return new JobSpecs.Request(model, target, task, features, hyperparameters, testSize, null, null);
    }

    private static String fieldOf(Runnable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call::run);
        return e.errors().getFirst().field();
    }

    @Test
    void defaultsAreFilledIn() {
        TrainingSpec spec = JobSpecs.validate(DATA, request("DecisionTree", "label", null, null, null, null));
        assertEquals(Task.CLASSIFICATION, spec.task());
        assertEquals(List.of("x", "y", "colour", "rating", "price"), spec.featureColumns(), "every other column, in order");
        assertEquals(JobSpecs.DEFAULT_TEST_SIZE, spec.testSize());
        assertEquals(JobSpecs.DEFAULT_SEED, spec.randomSeed());
        assertTrue(spec.hyperparameters().containsKey("max_depth"), spec.hyperparameters().toString());
    }

    @Test
    void theTaskIsInferredFromTheTargetUnlessGiven() {
        // 30 distinct integer prices: more than Trainer.MAX_INFERRED_CLASSES, so regression.
        assertEquals(Task.REGRESSION, JobSpecs.validate(DATA, request("DecisionTree", "price", null, null, null, null)).task());
        // Three integer ratings are inferred as classes; an explicit task overrides that.
        assertEquals(Task.CLASSIFICATION, JobSpecs.validate(DATA, request("DecisionTree", "rating", null, null, null, null)).task());
        assertEquals(Task.REGRESSION, JobSpecs.validate(DATA, request("DecisionTree", "rating", "Regression",
                List.of("x", "y"), null, 0.5)).task());
        // Inferred but unsupported: the target column is at fault; given and unsupported: the task is.
        assertEquals("target_column", fieldOf(() -> JobSpecs.validate(DATA, request("LogisticRegression", "price", null, null, null, null))));
        assertEquals("task", fieldOf(() -> JobSpecs.validate(DATA, request("LogisticRegression", "label", "regression", null, null, null))));
        assertEquals("task", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", "clustering", null, null, null))));
    }

    @Test
    void everyBadFieldIsNamed() {
        assertEquals("model_type", fieldOf(() -> JobSpecs.validate(DATA, request(null, "label", null, null, null, null))));
        assertEquals("model_type", fieldOf(() -> JobSpecs.validate(DATA, request("NeuralNet", "label", null, null, null, null))));
        assertEquals("target_column", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", " ", null, null, null, null))));
        assertEquals("target_column", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "colour2", null, null, null, null))));
        assertEquals("feature_columns", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", null, List.of("x", "z"), null, null))));
        assertEquals("feature_columns", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", null, List.of("label"), null, null))));
        assertEquals("feature_columns", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", null, List.of("x", "x"), null, null))));
        assertEquals("hyperparameters.max_depth", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", null, null,
                Map.of("max_depth", "deep"), null))));
        for (double bad : new double[]{ 0, 1, -0.1, 1.5, Double.NaN }) {
            assertEquals("test_size", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", null, null, null, bad))), "" + bad);
        }
        // The pipeline's own split check: 0.01 of 30 rows leaves no test rows.
        assertEquals("test_size", fieldOf(() -> JobSpecs.validate(DATA, request("DecisionTree", "label", null, null, null, 0.01))));
    }

    @Test
    void missingBodyOrDatasetIsRefusedBeforeAnythingElse() {
        InvalidInputException noBody = assertThrows(InvalidInputException.class,
                () -> JobSpecs.requireDataset(null, "ds_1", "dataset_id, model_type"));
        assertTrue(noBody.getMessage().contains("dataset_id, model_type"), noBody.getMessage());
        assertEquals("dataset_id", fieldOf(() -> JobSpecs.requireDataset(new Object(), " ", "x")));
        JobSpecs.requireDataset(new Object(), "ds_1", "x");
    }

    @Test
    void translateTurnsPipelineFailuresInto400s() {
        assertEquals("hyperparameters.n_trees", fieldOf(() -> JobSpecs.translate(() -> {
            throw new PipelineValidationException("hyperparameters.n_trees", "must be at least 1");
        })));
        assertEquals("request", fieldOf(() -> JobSpecs.translate(() -> {
            throw new PipelineValidationException(null, "no rows");
        })));
        assertEquals("model_type", fieldOf(() -> JobSpecs.translate(() -> {
            throw new dev.mlpipeline.pipeline.ModelUnavailableException("needs OpenBLAS");
        })));
        assertEquals(42, JobSpecs.translate(() -> 42));
    }
}
