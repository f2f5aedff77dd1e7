package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link BatchScorer} answers as {@link FittedPipeline#predict(List)}, bit for bit: the class, every
 * probability (compared as raw bits) and the number of missing features, on every row of adult, for
 * LogisticRegression and RandomForest; and on edge rows (missing, blank, unseen, absent column), whose
 * refused values get predict's message with the dataset's row number.
 */
class BatchScorerTest {

    @Test
    void logisticRegressionAnswersAsPredictOnEveryRowOfAdult() {
        check(TestData.train("adult", "LogisticRegression", Task.CLASSIFICATION, "income", Map.of()).pipeline());
    }

    @Test
    void randomForestAnswersAsPredictOnEveryRowOfAdult() {
        check(TestData.train("adult", "RandomForest", Task.CLASSIFICATION, "income", Map.of("n_trees", 20)).pipeline());
    }

    @Test
    void regressionAnswersAsPredictOnEveryRowOfCaliforniaHousing() {
        FittedPipeline pipeline = TestData.train("california_housing", "LinearRegression", Task.REGRESSION, "median_house_value",
                Map.of()).pipeline();
        TestData.Loaded data = TestData.load("california_housing");
        List<String[]> records = data.table().rows();
        Prediction expected = pipeline.predict(maps(data.table().columns(), records, pipeline));
        BatchScorer scorer = pipeline.batchScorer(data.table().columns());
        BatchScorer.Scores out = new BatchScorer.Scores(records.size(), scorer.classes());
        scorer.score(records, 0, out);
        for (int i = 0; i < records.size(); i++) {
            assertNull(out.error[i]);
            assertEquals(Double.doubleToRawLongBits((Double) expected.predictions().get(i)), Double.doubleToRawLongBits(out.value[i]),
                    "row " + i);
            assertEquals(expected.missingColumns().get(i).size(), out.missing[i], "row " + i);
        }
    }

    private static void check(FittedPipeline pipeline) {
        TestData.Loaded data = TestData.load("adult");
        List<String> columns = data.table().columns();
        List<String[]> records = new ArrayList<>(data.table().rows());
        // Edge rows: a missing and a blank numeric cell, an unseen and an empty category, a short record.
        String[] first = records.getFirst();
        records.add(with(columns, first, Map.of("age", "", "workclass", "Martian-sector")));
        records.add(with(columns, first, Map.of("hours-per-week", "  ", "education", "")));
        records.add(new String[]{ first[0] });
        BatchScorer scorer = pipeline.batchScorer(columns);
        BatchScorer.Scores out = new BatchScorer.Scores(records.size(), scorer.classes());
        scorer.score(records, 0, out);
        Prediction expected = pipeline.predict(maps(columns, records, pipeline));
        int k = scorer.classes();
        assertEquals(pipeline.labels().size(), k);
        for (int i = 0; i < records.size(); i++) {
            assertNull(out.error[i], "row " + i);
            assertEquals(expected.predictions().get(i), pipeline.labels().get(out.classIndex[i]), "row " + i);
            List<Double> probabilities = new ArrayList<>(expected.probabilities().get(i).values());
            for (int c = 0; c < k; c++) {
                assertEquals(Double.doubleToRawLongBits(probabilities.get(c)), Double.doubleToRawLongBits(out.probabilities[i * k + c]),
                        "row " + i + " class " + c);
            }
            assertEquals(expected.missingColumns().get(i).size(), out.missing[i], "row " + i);
        }
        assertEquals(pipeline.features().size() - 1, out.missing[records.size() - 1]);
    }

    @Test
    void aRefusedValueFailsItsRowOnlyWithPredictsMessage() {
        FittedPipeline pipeline = TestData.train("adult", "LogisticRegression", Task.CLASSIFICATION, "income", Map.of()).pipeline();
        TestData.Loaded data = TestData.load("adult");
        List<String> columns = data.table().columns();
        String[] good = data.table().rows().getFirst();
        List<String[]> records = List.of(good, with(columns, good, Map.of("age", "forty")), with(columns, good, Map.of("age", "1e999")),
                good);
        BatchScorer scorer = pipeline.batchScorer(columns);
        BatchScorer.Scores out = new BatchScorer.Scores(4, scorer.classes());
        scorer.score(records, 1000, out);
        assertNull(out.error[0]);
        assertNull(out.error[3]);
        InvalidRowException expected = assertThrows(InvalidRowException.class,
                () -> pipeline.predict(maps(columns, List.<String[]>of(records.get(1)), pipeline)));
        assertEquals("row 1001, field 'age': " + expected.reason(), out.error[1]);
        assertEquals("row 1001, field 'age': expected a number, got the string \"forty\"", out.error[1]);
        assertEquals("row 1002, field 'age': expected a finite number, got 1e999; send null (or leave the feature out) for a missing value",
                out.error[2]);
        assertEquals(Double.doubleToRawLongBits(out.probabilities[0]), Double.doubleToRawLongBits(out.probabilities[3 * scorer.classes()]));
    }

    private static String[] with(List<String> columns, String[] record, Map<String, String> cells) {
        String[] copy = record.clone();
        cells.forEach((column, value) -> copy[columns.indexOf(column)] = value);
        return copy;
    }

    /** Records as predict's rows, as the batch path built them before: feature name → cell, absent when the record is short. */
    private static List<Map<String, Object>> maps(List<String> columns, List<String[]> records, FittedPipeline pipeline) {
        List<Map<String, Object>> rows = new ArrayList<>(records.size());
        for (String[] record : records) {
            Map<String, Object> row = new HashMap<>();
            for (FeatureInfo f : pipeline.features()) {
                int c = columns.indexOf(f.name());
                if (c >= 0 && c < record.length) row.put(f.name(), record[c]);
            }
            rows.add(row);
        }
        return rows;
    }
}
