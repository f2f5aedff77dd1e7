package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training profile and the drift of live rows against it, on real datasets: rows drawn from the
 * training data flag nothing; the same rows with one numeric feature shifted by two standard
 * deviations flag exactly that feature.
 */
class DriftTest {

    private static final int ROWS = 2000;

    @Test
    void californiaHousingRowsFromTheDataFlagNothingAndAShiftedFeatureFlagsExactlyItself() {
        assertShiftFlagsOnly("california_housing", "median_house_value", Task.REGRESSION, "LinearRegression", "median_income");
        assertShiftFlagsOnly("california_housing", "median_house_value", Task.REGRESSION, "LinearRegression", "housing_median_age");
    }

    @Test
    void adultRowsFromTheDataFlagNothingAndAShiftedFeatureFlagsExactlyItself() {
        assertShiftFlagsOnly("adult", "income", Task.CLASSIFICATION, "LogisticRegression", "age");
    }

    private static void assertShiftFlagsOnly(String dataset, String target, Task task, String model, String shifted) {
        TestData.Loaded d = TestData.load(dataset);
        TrainingResult result = Trainer.train(d.table(), d.types(), TestData.spec(model, task, target, Map.of()), null, null);
        TrainingProfile profile = result.profile();
        assertEquals(d.table().columns().size() - 1, profile.features().size());
        assertEquals(result.trainRows(), profile.trainRows());

        List<Map<String, Object>> rows = sample(d, target, ROWS, 7);
        Drift.Report same = Drift.compare(profile, rows, result.pipeline().predict(rows).predictions(), 0.2);
        assertEquals(ROWS, same.rows());
        assertEquals(List.of(), same.flaggedFeatures(), () -> dataset + ": " + psis(same));
        for (Drift.FeatureDrift f : same.features()) {
            assertTrue(f.distribution().psi() < 0.1, () -> f.name() + " psi " + f.distribution().psi());
            assertEquals(f.trainingMissingRate(), f.missingShare(), 0.03, f.name() + " missing share");
        }
        assertTrue(same.predictions().psi() < 0.1, () -> "predictions psi " + same.predictions().psi());

        double sd = standardDeviation(d, shifted);
        List<Map<String, Object>> moved = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new LinkedHashMap<>(row);
            if (copy.get(shifted) != null) copy.put(shifted, (Double) copy.get(shifted) + 2 * sd);
            moved.add(copy);
        }
        Drift.Report drifted = Drift.compare(profile, moved, result.pipeline().predict(moved).predictions(), 0.2);
        assertEquals(List.of(shifted), drifted.flaggedFeatures(), () -> dataset + ": " + psis(drifted));
    }

    @Test
    void psiIsTheSumOfShareDifferencesTimesTheirLogRatioWithEmptyBinsAtEpsilon() {
        assertEquals(0.0, Drift.psi(new double[]{ 0.2, 0.3, 0.5 }, new double[]{ 0.2, 0.3, 0.5 }), 1e-15);
        double expected = (0.25 - 0.5) * Math.log(0.25 / 0.5) + (0.75 - 0.5) * Math.log(0.75 / 0.5);
        assertEquals(expected, Drift.psi(new double[]{ 0.5, 0.5 }, new double[]{ 0.25, 0.75 }), 1e-15);
        assertEquals(0.2747, expected, 1e-4);
        // a bin empty on both sides adds nothing; empty on one side: (1e-4 - 0.1) ln(1e-4 / 0.1)
        assertEquals(0.0, Drift.psi(new double[]{ 1, 0 }, new double[]{ 1, 0 }), 1e-15);
        assertEquals((0.9 - 1) * Math.log(0.9) + (0.1 - 1e-4) * Math.log(0.1 / 1e-4),
                Drift.psi(new double[]{ 1, 0 }, new double[]{ 0.9, 0.1 }), 1e-12);
    }

    @Test
    void decileEdgesAreNumpysLinearQuantilesAndBinsAreRightClosed() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) v[i] = i + 1; // np.quantile(np.arange(1, 101), [.1, …, .9])
        TrainingProfile.Histogram h = TrainingProfile.Histogram.deciles(v);
        assertEquals(List.of(10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1), h.edges().stream()
                .map(e -> Math.round(e * 10) / 10.0).toList());
        assertEquals(10, h.bins());
        h.shares().forEach(s -> assertEquals(0.1, s, 1e-12));
        double[] edges = h.edgeArray();
        assertEquals(0, h.bin(edges, edges[0]), "an edge closes its bin");
        assertEquals(1, h.bin(edges, Math.nextUp(edges[0])));
        assertEquals(9, h.bin(edges, 1e9));

        // ties collapse edges: a zero-inflated column keeps one edge at 0
        double[] zeros = new double[100];
        zeros[99] = 5;
        TrainingProfile.Histogram z = TrainingProfile.Histogram.deciles(zeros);
        assertEquals(List.of(0.0), z.edges());
        assertEquals(List.of(0.99, 0.01), z.shares());
    }

    @Test
    void categoricalValuesMatchLevelsAsPredictDoesAndOthersAreUnseen() {
        TrainingProfile profile = new TrainingProfile(List.of(new TrainingProfile.FeatureProfile("flag", ColumnType.CATEGORICAL, 0.0,
                new TrainingProfile.Histogram(null, List.of("False", "True"), List.of(0.5, 0.5, 0.0)))),
                new TrainingProfile.Histogram(null, List.of("0", "1"), List.of(0.5, 0.5)), 10, 2);
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(Map.of("flag", false));
        rows.add(Map.of("flag", "TRUE"));
        rows.add(Map.of("flag", "maybe"));
        rows.add(Map.of());
        Drift.Report r = Drift.compare(profile, rows, List.of(0L, 1L, 1L, 1L), 0.2);
        Drift.FeatureDrift f = r.features().get(0);
        assertEquals(List.of(1 / 3.0, 1 / 3.0, 1 / 3.0), f.distribution().live());
        assertEquals(0.25, f.missingShare());
        assertTrue(f.distribution().flagged(), "a third unseen");
        assertEquals(List.of(0.25, 0.75), r.predictions().live());

        Drift.Report none = Drift.compare(profile, List.of(), List.of(), 0.2);
        assertNull(none.features().get(0).distribution().psi());
        assertNull(none.features().get(0).missingShare());
        assertFalse(none.features().get(0).distribution().flagged());
    }

    @Test
    void profileSurvivesItsJsonForm() {
        TestData.Loaded d = TestData.load("titanic");
        TrainingResult result = Trainer.train(d.table(), d.types(), TestData.spec("DecisionTree", Task.CLASSIFICATION, "Survived", Map.of()),
                null, null);
        TrainingProfile p = result.profile();
        Map<String, Object> json = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(p.toMap(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                });
        assertEquals(p, TrainingProfile.fromMap(json));
        assertEquals(List.of("0", "1"), p.predictions().levels());
    }

    /** {@code n} rows drawn with replacement (seeded) from the dataset, as a client would send them. */
    private static List<Map<String, Object>> sample(TestData.Loaded d, String target, int n, long seed) {
        Random random = new Random(seed);
        List<String> columns = d.table().columns();
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = random.nextInt(d.table().size());
            Map<String, Object> row = new LinkedHashMap<>();
            for (int j = 0; j < columns.size(); j++) {
                String c = columns.get(j);
                String cell = d.table().cell(i, j);
                if (c.equals(target) || cell == null) continue;
                row.put(c, d.types().get(c) == ColumnType.NUMERIC ? (Object) Double.parseDouble(cell) : cell);
            }
            rows.add(row);
        }
        return rows;
    }

    private static double standardDeviation(TestData.Loaded d, String column) {
        int j = d.table().indexOf(column);
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int i = 0; i < d.table().size(); i++) {
            String cell = d.table().cell(i, j);
            if (cell == null) continue;
            double x = Double.parseDouble(cell);
            sum += x;
            sq += x * x;
            n++;
        }
        double mean = sum / n;
        return Math.sqrt(sq / n - mean * mean);
    }

    private static String psis(Drift.Report r) {
        StringBuilder s = new StringBuilder();
        for (Drift.FeatureDrift f : r.features()) s.append(f.name()).append('=').append(String.format("%.4f ", f.distribution().psi()));
        return s.toString();
    }
}
