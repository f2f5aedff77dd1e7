package dev.mlpipeline.batch;

import java.util.ArrayList;
import java.util.List;

import dev.mlpipeline.pipeline.BatchScorer;
import dev.mlpipeline.pipeline.FeatureInfo;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.Task;

/**
 * Scores chunks of dataset records with a {@link BatchScorer} (the answers of {@link FittedPipeline#predict},
 * bit for bit, without its per-row maps) and turns them into one stored result chunk. A row the pipeline
 * refuses (a value of the wrong type) or that holds none of the model's features gets an {@code error}
 * instead of a prediction; it never fails the chunk. Thread-safe: each scoring thread takes its own
 * {@link Scorer}.
 */
final class BatchRows {

    private final FittedPipeline pipeline;
    private final List<String> columns;
    /** Per feature, whether the dataset has its column (a feature it lacks is imputed, and reported). */
    private final boolean[] present;
    private final String[] featureName;
    private final int featureCount;
    /** The labels as stored (classification), in model order. */
    private final String[] labels;

    BatchRows(FittedPipeline pipeline, List<String> columns) {
        this.pipeline = pipeline;
        this.columns = List.copyOf(columns);
        List<FeatureInfo> features = pipeline.features();
        this.featureCount = features.size();
        this.present = new boolean[featureCount];
        this.featureName = new String[featureCount];
        for (int j = 0; j < featureCount; j++) {
            featureName[j] = features.get(j).name();
            present[j] = columns.contains(featureName[j]);
        }
        this.labels = pipeline.task() == Task.CLASSIFICATION ? pipeline.labels().stream().map(String::valueOf).toArray(String[]::new)
                : null;
    }

    /** Whether the dataset holds at least one of the model's features. */
    boolean anyFeature() {
        for (boolean p : present) {
            if (p) {
                return true;
            }
        }
        return false;
    }

    /** The model's features the dataset has no column for. */
    List<String> absentFeatures() {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < featureCount; j++) {
            if (!present[j]) {
                out.add(featureName[j]);
            }
        }
        return out;
    }

    /** A scorer for one thread, with its buffers for chunks of up to {@code capacity} rows. */
    Scorer scorer(int capacity) {
        BatchScorer scorer = pipeline.batchScorer(columns);
        return new Scorer(scorer, new BatchScorer.Scores(capacity, scorer.classes()));
    }

    /** One thread's scorer and answer buffers. */
    final class Scorer {
        private final BatchScorer scorer;
        private final BatchScorer.Scores scores;

        private Scorer(BatchScorer scorer, BatchScorer.Scores scores) {
            this.scorer = scorer;
            this.scores = scores;
        }

        /**
         * @param first   the 0-based dataset index of {@code records.get(0)}
         * @param records the chunk's cleaned records (null = missing), at most the capacity
         * @return the chunk as stored: inputs as CSV records, predictions, probabilities, errors
         */
        BatchPredictionRepository.Chunk score(long first, List<String[]> records) {
            int n = records.size();
            scorer.score(records, first, scores);
            int k = scorer.classes();
            String[] input = new String[n];
            String[] prediction = new String[n];
            Double[] probabilities = labels == null ? null : new Double[n * k];
            String[] error = null;
            int failed = 0;
            for (int i = 0; i < n; i++) {
                input[i] = Csv.record(records.get(i));
                String message = scores.error[i];
                if (message == null && scores.missing[i] == featureCount) {
                    message = "row " + (first + i) + " has none of the model's features (all missing); the model expects: "
                            + String.join(", ", featureName);
                }
                if (message != null) {
                    if (error == null) {
                        error = new String[n];
                    }
                    error[i] = message;
                    failed++;
                    continue;
                }
                if (labels != null) {
                    prediction[i] = labels[scores.classIndex[i]];
                    for (int c = 0; c < k; c++) {
                        probabilities[i * k + c] = scores.probabilities[i * k + c];
                    }
                } else {
                    prediction[i] = String.valueOf(scores.value[i]);
                }
            }
            return new BatchPredictionRepository.Chunk(first, input, prediction, probabilities, error, n - failed, failed);
        }
    }
}
