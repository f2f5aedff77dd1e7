package dev.mlpipeline.deployment.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "PredictionResponse")
public record PredictionResponse(
        @Schema(description = "One per row, in the dataset's own label values (classification) or numbers (regression)") List<Object> predictions,
        @Schema(description = "Classification only (null for regression): per row, the probability of each label",
                nullable = true) List<Map<String, Double>> probabilities,
        String deploymentId,
        String jobId,
        String modelType,
        int version,
        @Schema(description = "Columns of the request the model does not use") List<String> ignoredColumns,
        @Schema(description = "Per row, the model's features that were missing (absent, null, NaN or blank) and were imputed as in training") List<List<String>> missingColumns,
        @Schema(description = "Per row, categorical feature → the value sent, for values matching no training level (encoded as no level, never replaced by a guess)") List<Map<String, Object>> unseenCategories,
        @Schema(nullable = true, // no enumeration: with null allowed the linters refuse the null example

                description = "With explain=true (null otherwise): what each explanation adds up to, the model's raw output per output key. probability: the class probabilities (RandomForest, DecisionTree classification); log_odds: ln(p / (1 - p)) of each class (binary LogisticRegression and GradientBoosting); margin: per-class logits whose softmax is the probabilities (multi-class LogisticRegression and GradientBoosting; LogisticRegression fixes the last class at 0); value: the prediction (regression)") String explanationOutput,
        @Schema(nullable = true,
                description = "With explain=true (null otherwise): per row, base_value + the sum of contributions = raw_output, for every output key") List<ExplanationResponse> explanations) {

    /** A response without explanations. */
    public PredictionResponse(List<Object> predictions, List<Map<String, Double>> probabilities, String deploymentId,
            String jobId, String modelType, int version, List<String> ignoredColumns, List<List<String>> missingColumns,
            List<Map<String, Object>> unseenCategories) {
        this(predictions, probabilities, deploymentId, jobId, modelType, version, ignoredColumns, missingColumns,
                unseenCategories, null, null);
    }
}
