package dev.mlpipeline.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Result of {@link FittedPipeline#predict(List)}, one entry per input row.
 *
 * @param predictions   label values (String, Long or Double as in the training data) or Double for regression
 * @param probabilities classification: per row, label string form → probability, in label order; null for regression
 */
public record Prediction(List<Object> predictions, List<Map<String, Double>> probabilities) {
}
