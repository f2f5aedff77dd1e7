package dev.mlpipeline.tuning.dto;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api/tuning/jobs}: the training fields plus the search. */
@Schema(name = "CreateTuningJobRequest")
public record CreateTuningJobRequest(
        @Schema(required = true, examples = "ds_01m8qg9z4qdcxqa41renz0fdvb") String datasetId,
        @Schema(required = true, examples = "GradientBoosting", description = "A model type of GET /api/model-types") String modelType,
        @Schema(required = true, examples = "Survived") String targetColumn,
        @Schema(enumeration = {
                "classification", "regression" }) String task,
        List<String> featureColumns,
        @Schema(description = "Fixed hyperparameters; searched ones override them") Map<String, Object> hyperparameters,
        Double testSize,
        Long randomSeed,
        Map<String, Object> preprocessing,
        @Schema(enumeration = { "grid", "random" }, description = "Default grid") String strategy,
        @Schema(required = true, description = "Per hyperparameter: a list of values, or (random search) {\"min\", \"max\", \"log\"}",
                examples = "{\"n_trees\": [50, 100], \"max_depth\": [3, 5]}") Map<String, Object> searchSpace,
        @Schema(description = "Configurations drawn by random search (required for it)") Integer nIter,
        @Schema(description = "Folds of cross-validation on the training split, 2..20; default 5") Integer cvFolds,
        @Schema(description = "accuracy, f1, roc_auc, precision, recall (classification); r2, neg_rmse, neg_mae (regression). Default accuracy or r2") String scoring) {
}
