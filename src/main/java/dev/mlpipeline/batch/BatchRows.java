package dev.mlpipeline.batch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mlpipeline.pipeline.FeatureInfo;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.InvalidRowException;
import dev.mlpipeline.pipeline.Prediction;
import dev.mlpipeline.pipeline.Task;

/**
 * Scores one chunk of dataset records with {@link FittedPipeline#predict}, the code path of the seed's
 * predict, and turns the answers into stored result rows. A row the pipeline refuses (a value of the
 * wrong type) or that holds none of the model's features gets an {@code error} instead of a prediction;
 * it never fails the chunk. Thread-safe (no state).
 */
final class BatchRows {

    private final FittedPipeline pipeline;
    /** Per feature, its column in the dataset's records, or -1 when the dataset lacks it (imputed, reported). */
    private final int[] featureColumn;
    private final String[] featureName;
    private final int featureCount;

    BatchRows(FittedPipeline pipeline, List<String> columns) {
        this.pipeline = pipeline;
        List<FeatureInfo> features = pipeline.features();
        this.featureCount = features.size();
        this.featureColumn = new int[featureCount];
        this.featureName = new String[featureCount];
        for (int j = 0; j < featureCount; j++) {
            featureName[j] = features.get(j).name();
            featureColumn[j] = columns.indexOf(featureName[j]);
        }
    }

    /** Whether the dataset holds at least one of the model's features. */
    boolean anyFeature() {
        for (int c : featureColumn) {
            if (c >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The model's features the dataset has no column for. */
    List<String> absentFeatures() {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < featureCount; j++) {
            if (featureColumn[j] < 0) {
                out.add(featureName[j]);
            }
        }
        return out;
    }

    /**
     * @param first the 0-based dataset index of {@code records.get(0)}
     */
    BatchPredictionRepository.Rows score(long first, List<String[]> records) {
        int n = records.size();
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (String[] record : records) {
            rows.add(row(record));
        }
        long[] index = new long[n];
        String[] input = new String[n];
        String[] prediction = new String[n];
        String[] probabilities = new String[n];
        String[] error = new String[n];
        int failed = 0;
        Prediction whole;
        try {
            whole = pipeline.predict(rows);
        } catch (InvalidRowException e) {
            whole = null; // some row is refused: score the chunk row by row to find which
        }
        for (int i = 0; i < n; i++) {
            index[i] = first + i;
            input[i] = Csv.record(records.get(i));
            Prediction p = whole;
            int at = i;
            if (p == null) {
                try {
                    p = pipeline.predict(List.of(rows.get(i)));
                    at = 0;
                } catch (InvalidRowException e) {
                    error[i] = "row " + (first + i) + ", column " + e.field() + ": " + e.getMessage();
                    failed++;
                    continue;
                }
            }
            if (p.missingColumns().get(at).size() == featureCount) {
                error[i] = "row " + (first + i) + " has none of the model's features (all missing); the model expects: "
                        + String.join(", ", featureName);
                failed++;
                continue;
            }
            prediction[i] = String.valueOf(p.predictions().get(at));
            if (pipeline.task() == Task.CLASSIFICATION) {
                StringBuilder sb = new StringBuilder(16 * p.probabilities().get(at).size());
                for (Double probability : p.probabilities().get(at).values()) {
                    if (!sb.isEmpty()) {
                        sb.append(',');
                    }
                    sb.append(probability);
                }
                probabilities[i] = sb.toString();
            }
        }
        return new BatchPredictionRepository.Rows(index, input, prediction, probabilities, error, n - failed, failed);
    }

    /** A record as predict's row: feature name → the cell (a String, or null when missing). */
    private Map<String, Object> row(String[] record) {
        Map<String, Object> row = HashMap.newHashMap(featureCount);
        for (int j = 0; j < featureCount; j++) {
            int c = featureColumn[j];
            if (c >= 0 && c < record.length) {
                row.put(featureName[j], record[c]);
            }
        }
        return row;
    }
}
