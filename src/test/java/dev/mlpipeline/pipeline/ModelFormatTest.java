package dev.mlpipeline.pipeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary artifact format: every model type predicts the same as the Smile model it was flattened from (to 1e-12,
 * on every row of a real dataset), survives the round trip unchanged, is at most half the size of the legacy
 * artifact, and malformed streams are refused.
 */
class ModelFormatTest {

    /** Every row of the dataset as a prediction request (raw strings: blank cells are missing values). */
    static List<Map<String, Object>> rows(String dataset) {
        Table t = TestData.load(dataset).table();
        List<Map<String, Object>> out = new ArrayList<>(t.size());
        for (String[] r : t.rows()) {
            Map<String, Object> m = new HashMap<>();
            for (int j = 0; j < r.length; j++) m.put(t.columns().get(j), r[j]);
            out.add(m);
        }
        return out;
    }

    static void assertSamePredictions(Prediction expected, Prediction actual, double tolerance, String what) {
        assertEquals(expected.predictions().size(), actual.predictions().size(), what);
        for (int i = 0; i < expected.predictions().size(); i++) {
            Object e = expected.predictions().get(i);
            Object a = actual.predictions().get(i);
            if (e instanceof Double d) {
                assertEquals(d, (Double) a, tolerance * Math.max(1, Math.abs(d)), what + " row " + i);
            } else {
                assertEquals(e, a, what + " row " + i);
            }
            if (expected.probabilities() != null) {
                Map<String, Double> pe = expected.probabilities().get(i);
                Map<String, Double> pa = actual.probabilities().get(i);
                assertEquals(pe.keySet(), pa.keySet());
                for (String k : pe.keySet()) assertEquals(pe.get(k), pa.get(k), tolerance, what + " row " + i + " p(" + k + ")");
            }
        }
        assertEquals(expected.missingColumns(), actual.missingColumns(), what);
        assertEquals(expected.unseenCategories(), actual.unseenCategories(), what);
    }

    @ParameterizedTest(name = "{1} {2} on {0}")
    @CsvSource({ "iris, RandomForest, CLASSIFICATION, species", "iris, GradientBoosting, CLASSIFICATION, species", "iris, DecisionTree, CLASSIFICATION, species", "iris, LogisticRegression, CLASSIFICATION, species", "titanic, RandomForest, CLASSIFICATION, Survived", "titanic, GradientBoosting, CLASSIFICATION, Survived", "titanic, DecisionTree, CLASSIFICATION, Survived", "titanic, LogisticRegression, CLASSIFICATION, Survived", "customers, RandomForest, CLASSIFICATION, Churn", "customers, GradientBoosting, CLASSIFICATION, Churn", "titanic, RandomForest, REGRESSION, Fare", "titanic, GradientBoosting, REGRESSION, Fare", "titanic, DecisionTree, REGRESSION, Fare", "california_housing, RandomForest, REGRESSION, median_house_value", "california_housing, GradientBoosting, REGRESSION, median_house_value", "california_housing, DecisionTree, REGRESSION, median_house_value", "california_housing, LinearRegression, REGRESSION, median_house_value", "california_housing, Ridge, REGRESSION, median_house_value", "california_housing, Lasso, REGRESSION, median_house_value",
    })
    void flatModelPredictsAsSmileAndRoundTripsExactly(String dataset, String model, Task task, String target) {
        Map<String, Object> params = model.equals("RandomForest") || model.equals("GradientBoosting")
                ? Map.of("n_trees", 12) : Map.of();
        TrainingResult smile = Trainer.withSmileEstimators(() -> TestData.train(dataset, model, task, target, params));
        // The flat copy of Smile's model (a RandomForest would otherwise be grown by HistogramForest).
        TrainingResult flat = ScopedValue.where(Estimators.BINNED_FOREST, false)
                .call(() -> TestData.train(dataset, model, task, target, params));
        boolean trees = !model.equals("LogisticRegression") && !model.equals("LinearRegression") && !model.equals("Ridge")
                && !model.equals("Lasso");
        if (trees) assertInstanceOf(FlatTrees.class, flat.pipeline().estimator());
        assertEquals(smile.metrics(), flat.metrics(), "held-out metrics of the flat model");

        List<Map<String, Object>> rows = rows(dataset);
        Prediction expected = smile.pipeline().predict(rows);
        Prediction fromFlat = flat.pipeline().predict(rows);
        assertSamePredictions(expected, fromFlat, 1e-12, model + " flat vs Smile");

        byte[] bytes = ArtifactCodec.serialize(flat.pipeline());
        FittedPipeline back = ArtifactCodec.deserialize(bytes, ArtifactCodec.sha256(bytes));
        assertSamePredictions(fromFlat, back.predict(rows), 0.0, model + " after the round trip");
        assertEquals(flat.pipeline().inputSchema(), back.inputSchema());
        assertEquals(flat.pipeline().labels(), back.labels());
        assertEquals(flat.pipeline().hyperparameters(), back.hyperparameters());
        assertEquals(flat.pipeline().preprocessing(), back.preprocessing());
        assertEquals(flat.pipeline().sampleRows(), back.sampleRows());
        assertEquals(flat.pipeline().modelType(), back.modelType());
        assertEquals(flat.pipeline().targetColumn(), back.targetColumn());
        assertEquals(flat.pipeline().task(), back.task());
        assertArrayEqualsBytes(bytes, ArtifactCodec.serialize(back));

        byte[] legacy = ArtifactCodec.serializeLegacy(smile.pipeline());
        FittedPipeline legacyBack = ArtifactCodec.deserialize(legacy, ArtifactCodec.sha256(legacy));
        assertSamePredictions(expected, legacyBack.predict(rows), 0.0, model + " legacy artifact");
        System.out.printf("%s %s on %s: %d bytes (legacy %d, %.2f)%n", model, task, dataset, bytes.length, legacy.length,
                bytes.length / (double) legacy.length);
        if (trees) assertTrue(bytes.length * 2 <= legacy.length, bytes.length + " vs legacy " + legacy.length);
    }

    @ParameterizedTest(name = "{1} {2} on {0}")
    @CsvSource({ "iris, RandomForest, CLASSIFICATION, species", "iris, GradientBoosting, CLASSIFICATION, species", "iris, DecisionTree, CLASSIFICATION, species", "titanic, RandomForest, CLASSIFICATION, Survived", "titanic, GradientBoosting, CLASSIFICATION, Survived", "titanic, RandomForest, REGRESSION, Fare", "titanic, GradientBoosting, REGRESSION, Fare", "titanic, DecisionTree, REGRESSION, Fare", "titanic, LogisticRegression, CLASSIFICATION, Survived", "california_housing, Ridge, REGRESSION, median_house_value",
    })
    void flatTreeShapEqualsSmileTreeShapAndSurvivesTheRoundTrip(String dataset, String model, Task task, String target) {
        Map<String, Object> params = model.equals("RandomForest") || model.equals("GradientBoosting")
                ? Map.of("n_trees", 12) : Map.of();
        FittedPipeline smile = Trainer.withSmileEstimators(() -> TestData.train(dataset, model, task, target, params)).pipeline();
        FittedPipeline flat = ScopedValue.where(Estimators.BINNED_FOREST, false)
                .call(() -> TestData.train(dataset, model, task, target, params)).pipeline();
        List<Map<String, Object>> rows = rows(dataset).subList(0, 60);
        Prediction expected = smile.predict(rows, true);
        Prediction actual = flat.predict(rows, true);
        assertEquals(expected.explanationOutput(), actual.explanationOutput());
        assertSameExplanations(expected, actual, 1e-9, model);
        byte[] bytes = ArtifactCodec.serialize(flat);
        Prediction back = ArtifactCodec.deserialize(bytes, ArtifactCodec.sha256(bytes)).predict(rows, true);
        assertSameExplanations(actual, back, 0.0, model + " after the round trip");
    }

    private static void assertSameExplanations(Prediction expected, Prediction actual, double tolerance, String what) {
        assertEquals(expected.explanations().size(), actual.explanations().size());
        for (int i = 0; i < expected.explanations().size(); i++) {
            Explanation e = expected.explanations().get(i);
            Explanation a = actual.explanations().get(i);
            assertClose(e.baseValue(), a.baseValue(), tolerance, what + " base, row " + i);
            assertClose(e.rawOutput(), a.rawOutput(), tolerance, what + " raw output, row " + i);
            assertEquals(e.contributions().keySet(), a.contributions().keySet());
            for (String o : e.contributions().keySet()) {
                assertClose(e.contributions().get(o), a.contributions().get(o), tolerance, what + " output " + o + ", row " + i);
            }
        }
    }

    private static void assertClose(Map<String, Double> e, Map<String, Double> a, double tolerance, String what) {
        assertEquals(e.keySet(), a.keySet(), what);
        for (String k : e.keySet()) assertEquals(e.get(k), a.get(k), tolerance, what + " " + k);
    }

    private static void assertArrayEqualsBytes(byte[] expected, byte[] actual) {
        assertEquals(ArtifactCodec.sha256(expected), ArtifactCodec.sha256(actual), "re-encoding gives the same bytes");
    }

    private static byte[] forest() {
        return ArtifactCodec.serialize(
                TestData.train("titanic", "RandomForest", Task.CLASSIFICATION, "Survived", Map.of("n_trees", 3)).pipeline());
    }

    private static ArtifactIntegrityException refused(byte[] bytes) {
        return assertThrows(ArtifactIntegrityException.class, () -> ArtifactCodec.deserialize(bytes, ArtifactCodec.sha256(bytes)));
    }

    @Test
    void truncatedExtendedAndNewerStreamsAreRefusedWithAReason() {
        byte[] bytes = forest();
        for (int cut : new int[]{ 3, 10, bytes.length / 2, bytes.length - 1 }) {
            byte[] truncated = java.util.Arrays.copyOf(bytes, cut);
            refused(truncated);
        }
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertTrue(refused(longer).getMessage().contains("bytes after the end"), refused(longer).getMessage());
        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putShort(4, (short) 2);
        assertTrue(refused(newer).getMessage().contains("version 2"), refused(newer).getMessage());
        byte[] unknown = { 'X', 'Y', 1, 2 };
        assertTrue(refused(unknown).getMessage().contains("no format"), refused(unknown).getMessage());
    }

    @Test
    void everySingleByteCorruptionIsRefusedOrStillDecodesToAWorkingModel() {
        // With a matching checksum (as if the writer had been faulty), flipping any byte must never escape as
        // anything but ArtifactIntegrityException, nor give a pipeline that fails to predict its sample rows
        // with an exception other than InvalidRowException.
        byte[] bytes = ArtifactCodec.serialize(
                TestData.train("iris", "DecisionTree", Task.CLASSIFICATION, "species", Map.of()).pipeline());
        int refusedCount = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte[] b = bytes.clone();
            b[i] ^= (byte) 0x41;
            try {
                FittedPipeline p = ArtifactCodec.deserialize(b, ArtifactCodec.sha256(b));
                try {
                    p.predict(p.sampleRows());
                } catch (InvalidRowException ok) {
                    // a changed feature type makes the sample a wrong-typed row: reported, not a crash
                }
            } catch (ArtifactIntegrityException e) {
                refusedCount++;
            }
        }
        assertTrue(refusedCount > bytes.length / 10, refusedCount + " of " + bytes.length);
    }
}
