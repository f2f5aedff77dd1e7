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
        @Schema(description = "Per row, categorical feature → the value sent, for values matching no training level (encoded as no level, never replaced by a guess)") List<Map<String, Object>> unseenCategories) {
}
