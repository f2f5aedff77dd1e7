package dev.mlpipeline.pipeline;

import java.util.Map;

/**
 * Outcome of {@link Trainer#train}.
 *
 * @param pipeline  the fitted pipeline (trained on the training split)
 * @param metrics   metrics on the held-out test split
 * @param trainRows rows used for fitting
 * @param testRows  rows used for the metrics
 * @param featureImportance model and permutation importance per input feature (see {@link FeatureImportance})
 * @param profile   the training split's feature distributions and the test split's predictions, for drift
 */
public record TrainingResult(FittedPipeline pipeline, Map<String, Double> metrics, int trainRows, int testRows,
        FeatureImportance featureImportance, TrainingProfile profile) {
}
