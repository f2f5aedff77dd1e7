package dev.mlpipeline.pipeline;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request validation, hyperparameters, preprocessing specs, task inference, metrics, splits. */
class ValidationTest {

    private static final TestData.Loaded SMALL = TestData.inline("""
            a,b,c,y,z
            1,x,0.5,p,1.5
            2,y,1.5,q,2.5
            3,x,,p,3.5
            4,y,2.5,q,4.5
            5,x,3.5,p,5.5
            6,,4.5,q,6.5
            7,x,5.5,p,7.5
            8,y,6.5,q,
            9,x,7.5,p,9.5
            10,y,8.5,q,10.5
            11,x,9.5,p,11.5
            12,y,10.5,q,12.5
            """);

    private static TrainingSpec spec(String model, Task task, String target, List<String> features, double testSize) {
        return new TrainingSpec(model, task, target, features, Map.of(), null, testSize, 7L);
    }

    private static PipelineValidationException invalid(TrainingSpec spec) {
        return assertThrows(PipelineValidationException.class, () -> Trainer.validate(SMALL.table(), SMALL.types(), spec));
    }

    @Test
    void requestChecks() {
        PipelineValidationException e = invalid(spec("DecisionTree", Task.CLASSIFICATION, "foo", List.of(), 0.2));
        assertEquals("target_column", e.field());
        assertTrue(e.getMessage().contains("'foo' is not a column") && e.getMessage().contains("a, b, c, y, z"));
        assertEquals("feature_columns", invalid(spec("DecisionTree", Task.CLASSIFICATION, "y", List.of("nope"), 0.2)).field());
        assertEquals("feature_columns", invalid(spec("DecisionTree", Task.CLASSIFICATION, "y", List.of("a", "y"), 0.2)).field());
        assertEquals("model_type", invalid(spec("LogisticRegression", Task.REGRESSION, "z", List.of(), 0.2)).field());
        assertEquals("model_type", invalid(spec("Xgb", Task.REGRESSION, "z", List.of(), 0.2)).field());
        assertEquals("task", invalid(spec("DecisionTree", Task.REGRESSION, "b", List.of(), 0.2)).field());
        assertEquals("test_size", invalid(spec("DecisionTree", Task.CLASSIFICATION, "y", List.of(), 0.05)).field());
        assertEquals("test_size", invalid(spec("DecisionTree", Task.CLASSIFICATION, "y", List.of(), 1.0)).field());
        // z has one missing target → 11 usable rows, fine; 'c' is missing in one row → fewer than 10? no: 11.
        Trainer.validate(SMALL.table(), SMALL.types(), spec("DecisionTree", Task.REGRESSION, "z", List.of(), 0.2));

        TestData.Loaded oneClass = TestData.inline("a,y\n1,k\n2,k\n3,k\n4,k\n5,k\n6,k\n7,k\n8,k\n9,k\n10,k\n11,k");
        PipelineValidationException e2 = assertThrows(PipelineValidationException.class, () -> Trainer.validate(
                oneClass.table(), oneClass.types(), spec("DecisionTree", Task.CLASSIFICATION, "y", List.of(), 0.2)));
        assertTrue(e2.getMessage().contains("at least 2 classes"), e2.getMessage());

        TestData.Loaded tiny = TestData.inline("a,y\n1,k\n2,j\n3,k\n4,j\n5,");
        assertEquals("dataset", assertThrows(PipelineValidationException.class, () -> Trainer.validate(
                tiny.table(), tiny.types(), spec("DecisionTree", Task.CLASSIFICATION, "y", List.of(), 0.2))).field());
    }

    @Test
    void smallTableTrainsWithMissingValuesAndTargetRowsDropped() {
        TrainingResult r = Trainer.train(SMALL.table(), SMALL.types(), spec("DecisionTree", Task.REGRESSION, "z",
                List.of("a", "b", "c"), 0.25), null, null);
        assertEquals(11, r.trainRows() + r.testRows());
        assertEquals(List.of("x", "y"), r.pipeline().features().get(1).categories());
    }

    @Test
    void hyperparameterValidation() {
        ModelType rf = ModelCatalog.find("RandomForest").orElseThrow();
        Map<String, Object> d = rf.validate(null);
        assertEquals(100, d.get("n_trees"));
        assertNull(d.get("max_depth"));
        assertEquals(1.0, d.get("subsample"));

        Map<String, Object> given = new HashMap<>();
        given.put("n_trees", 50L);
        given.put("max_depth", new BigDecimal("8"));
        given.put("subsample", 1);
        given.put("mtry", null);
        Map<String, Object> v = rf.validate(given);
        assertEquals(50, v.get("n_trees"));
        assertEquals(8, v.get("max_depth"));
        assertEquals(1.0, v.get("subsample"));

        PipelineValidationException e = assertThrows(PipelineValidationException.class, () -> rf.validate(Map.of("trees", 5)));
        assertEquals("hyperparameters.trees", e.field());
        assertTrue(e.getMessage().contains("n_trees, max_depth"), e.getMessage());
        e = assertThrows(PipelineValidationException.class, () -> rf.validate(Map.of("n_trees", 2.5)));
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
        e = assertThrows(PipelineValidationException.class, () -> rf.validate(Map.of("n_trees", "100")));
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
        e = assertThrows(PipelineValidationException.class, () -> rf.validate(Map.of("n_trees", 0)));
        assertEquals("hyperparameters.n_trees", e.field());
        assertTrue(e.getMessage().contains("out of range [1, 5000]"), e.getMessage());
        Map<String, Object> nullTrees = new HashMap<>();
        nullTrees.put("n_trees", null);
        assertThrows(PipelineValidationException.class, () -> rf.validate(nullTrees));
        assertThrows(PipelineValidationException.class, () -> rf.validate(Map.of("subsample", true)));
        assertThrows(PipelineValidationException.class,
                () -> ModelCatalog.find("LinearRegression").orElseThrow().validate(Map.of("lambda", 1)));
        assertEquals(1.0, rf.validate(Map.of("n_trees", 3.0)).get("subsample"));
        assertEquals(3, rf.validate(Map.of("n_trees", 3.0)).get("n_trees"));
    }

    @Test
    void preprocessingSpecMaps() {
        PreprocessingSpec d = PreprocessingSpec.defaults();
        assertEquals(Map.of("numeric_imputation", "median", "categorical_imputation", "most_frequent",
                "scaling", "standard", "encoding", "one_hot"), d.toMap());
        assertEquals(d, PreprocessingSpec.fromMap(d.toMap()));
        assertEquals(d, PreprocessingSpec.fromMap(Map.of()));
        PreprocessingSpec c = PreprocessingSpec.fromMap(Map.of("numeric_imputation", "constant", "numeric_fill_value", -1,
                "categorical_imputation", "constant", "scaling", "minmax"));
        assertEquals(-1.0, c.numericFillValue());
        assertEquals("missing", c.categoricalFillValue());
        assertEquals("min_max", c.toMap().get("scaling"));
        assertEquals(c, PreprocessingSpec.fromMap(c.toMap()));
        assertEquals("preprocessing.scale", assertThrows(PipelineValidationException.class,
                () -> PreprocessingSpec.fromMap(Map.of("scale", "none"))).field());
        assertEquals("preprocessing.scaling", assertThrows(PipelineValidationException.class,
                () -> PreprocessingSpec.fromMap(Map.of("scaling", "robust"))).field());
        assertThrows(PipelineValidationException.class,
                () -> PreprocessingSpec.fromMap(Map.of("numeric_fill_value", 3)));
    }

    @Test
    void taskInference() {
        assertEquals(Task.CLASSIFICATION, Trainer.inferTask(ColumnType.CATEGORICAL, List.of("a", "b")));
        assertEquals(Task.CLASSIFICATION, Trainer.inferTask(ColumnType.NUMERIC, List.of("0", "1")));
        assertEquals(Task.REGRESSION, Trainer.inferTask(ColumnType.NUMERIC, List.of("0.5", "1")));
        List<String> many = java.util.stream.IntStream.range(0, 21).mapToObj(Integer::toString).toList();
        assertEquals(Task.REGRESSION, Trainer.inferTask(ColumnType.NUMERIC, many));
        assertEquals(Task.CLASSIFICATION, Task.fromWire("classification"));
        assertEquals("regression", Task.REGRESSION.wireName());
        assertThrows(PipelineValidationException.class, () -> Task.fromWire("clustering"));
    }

    @Test
    void metricsMatchHandComputedValues() {
        int[] truth = { 0, 0, 1, 1 };
        int[] pred = { 0, 1, 1, 1 };
        double[][] prob = { { 0.9, 0.1 }, { 0.4, 0.6 }, { 0.35, 0.65 }, { 0.2, 0.8 } };
        Map<String, Double> m = Metrics.classification(truth, pred, prob, 2);
        assertEquals(0.75, m.get("accuracy"), 1e-12);
        assertEquals((1.0 + 2.0 / 3) / 2, m.get("precision"), 1e-12);
        assertEquals(0.75, m.get("recall"), 1e-12);
        assertEquals(1.0, m.get("roc_auc"), 1e-12);
        Map<String, Double> r = Metrics.regression(new double[]{ 1, 2, 3 }, new double[]{ 1, 2, 4 });
        assertEquals(Math.sqrt(1.0 / 3), r.get("rmse"), 1e-12);
        assertEquals(0.5, r.get("r2"), 1e-12);
        assertEquals(-Math.sqrt(1.0 / 3), Metrics.score("neg_rmse", new double[]{ 1, 2, 3 }, new double[]{ 1, 2, 4 }), 1e-12);
        assertThrows(PipelineValidationException.class, () -> Metrics.checkScoring("r2", Task.CLASSIFICATION));
    }

    @Test
    void splitsMatchNumpy() {
        // numpy.random.RandomState(42).permutation(10)
        assertEquals(List.of(8, 1, 5, 0, 7, 2, 9, 4, 3, 6),
                java.util.Arrays.stream(new NumpyRandom(42).permutation(10)).boxed().toList());
        Splits.TrainTest t = Splits.trainTest(10, null, 0, 0.2, 42);
        // train_test_split(range(10), test_size=0.2, random_state=42) → test [8, 1], train [5, 0, 7, 2, 9, 4, 3, 6]
        assertEquals(List.of(8, 1), java.util.Arrays.stream(t.test()).boxed().toList());
        assertEquals(8, t.train().length);
    }
}
