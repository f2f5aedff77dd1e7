package dev.mlpipeline.training.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/training/jobs}; only dataset_id, model_type and target_column are required. */
@Schema(name = "CreateTrainingJobRequest")
public record CreateTrainingJobRequest(
        @Schema(required = true, examples = "ds_01m8qg9z4qdcxqa41renz0fdvb") String datasetId,
        @Schema(required = true, examples = "RandomForest", description = "A model type of GET /api/model-types") String modelType,
        @Schema(required = true, examples = "Survived") String targetColumn,
        @Schema(enumeration = {
                "classification", "regression" }, description = "Inferred from the target when absent") String task,
        @Schema(description = "Default: every column but the target") List<String> featureColumns,
        @Schema(description = "Values for the model type's hyperparameters; the rest take their defaults") Map<String, Object> hyperparameters,
        @Schema(description = "test_size in (0, 1); default 0.2") Double testSize,
        @Schema(description = "Seed of the split and the model; default 42") Long randomSeed,
        @Schema(description = "numeric_imputation (mean|median|constant), numeric_fill_value, categorical_imputation (most_frequent|constant), categorical_fill_value, scaling (standard|min_max|none), encoding (one_hot)") Map<String, Object> preprocessing) {
}
