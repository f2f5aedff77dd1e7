package dev.mlpipeline.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link FittedPipeline#predict(List)}, one entry per input row in every list.
 *
 * @param predictions      label values (String, Long or Double as in the training data) or Double for regression
 * @param probabilities    classification: per row, label string form → probability, in label order; null for
 *                         regression
 * @param missingColumns   per row, the features that were missing (absent, null, NaN or blank) and were imputed
 *                         as in training, in feature order
 * @param unseenCategories per row, categorical feature → the value sent, for values that match no training level
 *                         (they encode as all zeros), in feature order
 * @param explanationOutput  what the explanations add up to; null when not explained
 * @param explanations       per row, its explanation; null when not explained
 */
public record Prediction(List<Object> predictions, List<Map<String, Double>> probabilities,
        List<List<String>> missingColumns, List<Map<String, Object>> unseenCategories, RawOutput explanationOutput,
        List<Explanation> explanations) {

    /** A prediction without explanations. */
    public Prediction(List<Object> predictions, List<Map<String, Double>> probabilities,
            List<List<String>> missingColumns, List<Map<String, Object>> unseenCategories) {
        this(predictions, probabilities, missingColumns, unseenCategories, null, null);
    }
}
