package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: for random rows (drawn from the dataset, with random cells blanked, replaced by out-of-range numbers or by
 * unseen levels), every model type's explanation adds up — base value plus the per-feature contributions equals the
 * model's raw output (probability, log-odds, margin or value, see {@link RawOutput}) to 1e-6 — on the pipeline as
 * loaded from its serialized artifact, and the raw output agrees with the prediction the same object returns.
 */
class ExplanationPropertyTest {

    private static final int ROWS = 40;
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest(name = "{1} on {0}")
    @CsvSource({ "customers, LogisticRegression, Churn, classification", "customers, RandomForest, Churn, classification", "customers, GradientBoosting, Churn, classification", "customers, DecisionTree, Churn, classification", "adult, LogisticRegression, income, classification", "adult, RandomForest, income, classification", "adult, GradientBoosting, income, classification", "adult, DecisionTree, income, classification", "iris, LogisticRegression, species, classification", "iris, RandomForest, species, classification", "iris, GradientBoosting, species, classification", "iris, DecisionTree, species, classification", "california_housing, LinearRegression, median_house_value, regression", "california_housing, Ridge, median_house_value, regression", "california_housing, Lasso, median_house_value, regression", "california_housing, RandomForest, median_house_value, regression", "california_housing, GradientBoosting, median_house_value, regression", "california_housing, DecisionTree, median_house_value, regression",
    })
    void explanationsAddUpToTheRawOutput(String dataset, String model, String target, String task) {
        Map<String, Object> params = new HashMap<>();
        if (model.equals("RandomForest") || model.equals("GradientBoosting")) params.put("n_trees", 15);
        TrainingResult trained = TestData.train(dataset, model, Task.fromWire(task), target, params);
        byte[] bytes = ArtifactCodec.serialize(trained.pipeline());
        FittedPipeline loaded = ArtifactCodec.deserialize(bytes, ArtifactCodec.sha256(bytes));

        List<Map<String, Object>> rows = randomRows(TestData.load(dataset), loaded, target, new SplittableRandom(7));
        Prediction plain = loaded.predict(rows);
        Prediction explained = loaded.predict(rows, true);
        assertEquals(plain.predictions(), explained.predictions(), "explaining must not change predictions");
        assertEquals(loaded.rawOutput(), explained.explanationOutput());
        assertEquals(rows.size(), explained.explanations().size());

        for (int i = 0; i < rows.size(); i++) {
            Explanation e = explained.explanations().get(i);
            assertEquals(explained.missingColumns().get(i), e.imputedFeatures(), "row " + i + " imputed features");
            Map<String, Double> raw = new LinkedHashMap<>();
            for (var out : e.contributions().entrySet()) {
                assertEquals(loaded.features().size(), out.getValue().size(), "one contribution per input feature");
                double sum = e.baseValue().get(out.getKey());
                for (double v : out.getValue().values()) sum += v;
                raw.put(out.getKey(), sum);
                assertEquals(e.rawOutput().get(out.getKey()), sum, TOLERANCE);
            }
            checkRawOutput(loaded, explained, i, raw);
        }
    }

    /** The explained raw output against what the model predicted for the row, in the raw output's own terms. */
    private static void checkRawOutput(FittedPipeline p, Prediction pred, int i, Map<String, Double> raw) {
        String where = p.modelType() + " row " + i;
        switch (p.rawOutput()) {
            case VALUE -> assertEquals((Double) pred.predictions().get(i), raw.get(Explanation.VALUE),
                    TOLERANCE * Math.max(1, Math.abs((Double) pred.predictions().get(i))), where);
            case PROBABILITY -> pred.probabilities().get(i).forEach((label, prob) -> assertEquals(prob, raw.get(label), TOLERANCE, where + " class " + label));
            case LOG_ODDS -> pred.probabilities().get(i).forEach((label, prob) -> {
                double r = raw.get(label);
                assertEquals(prob, 1 / (1 + Math.exp(-r)), 1e-9, where + " class " + label);
                // ln(p / (1 - p)) from the returned probability is accurate to ~1e-16 / (p (1 - p)).
                if (prob * (1 - prob) > 1e-8) assertEquals(Math.log(prob / (1 - prob)), r, TOLERANCE, where);
            });
            case MARGIN -> {
                Map<String, Double> probs = pred.probabilities().get(i);
                double max = raw.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                double z = 0;
                for (double r : raw.values()) z += Math.exp(r - max);
                for (var e : probs.entrySet()) {
                    assertEquals(e.getValue(), Math.exp(raw.get(e.getKey()) - max) / z, 1e-9, where + " class " + e.getKey());
                }
                // Margins are defined up to a constant: compare their differences with the log ratios.
                String first = probs.keySet().iterator().next();
                for (var e : probs.entrySet()) {
                    double a = e.getValue();
                    double b = probs.get(first);
                    if (a > 1e-8 && b > 1e-8) {
                        assertEquals(Math.log(a / b), raw.get(e.getKey()) - raw.get(first), TOLERANCE, where);
                    }
                }
            }
        }
    }

    /**
     * Rows of the dataset chosen at random; each feature is, with some probability, left out (imputed), set to a
     * number outside the training range, or (categorical) set to a level never seen in training.
     */
    static List<Map<String, Object>> randomRows(TestData.Loaded data, FittedPipeline p, String target,
            SplittableRandom random) {
        List<String> columns = data.table().columns();
        List<FeatureSchema> schema = p.inputSchema();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n = 0; n < ROWS; n++) {
            String[] source = data.table().rows().get(random.nextInt(data.table().rows().size()));
            Map<String, Object> row = new HashMap<>();
            for (FeatureSchema f : schema) {
                String cell = source[columns.indexOf(f.name())];
                double u = random.nextDouble();
                if (u < 0.08) continue; // missing: imputed
                if (f.type() == ColumnType.NUMERIC) {
                    Object v = cell == null ? null : Double.parseDouble(cell);
                    if (u > 0.92 && f.min() != null) {
                        double span = f.max() - f.min() + 1;
                        v = f.min() - span + 3 * span * random.nextDouble();
                    }
                    row.put(f.name(), v);
                } else {
                    row.put(f.name(), u > 0.95 ? "never-seen-level" : cell);
                }
            }
            assertTrue(!row.containsKey(target));
            rows.add(row);
        }
        return rows;
    }
}
