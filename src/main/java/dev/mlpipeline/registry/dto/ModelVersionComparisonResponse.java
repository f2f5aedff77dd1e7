package dev.mlpipeline.registry.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Versions of one (dataset, model type) side by side. Every list of values follows the order of {@code versions}. */
@Schema(name = "ModelVersionComparison", description = "Versions side by side: metrics, the hyperparameters that differ, the best "
        + "by the task's main metric. Every `values` list follows the order of `versions`.")
public record ModelVersionComparisonResponse(
        String modelType,
        String datasetId,
        String datasetName,
        @Schema(enumeration = {
                "classification", "regression" }) String task,
        List<ComparedVersion> versions,
        @Schema(description = "Every numeric test metric any of the versions has, in the order the first version lists them") List<MetricComparison> metrics,
        @Schema(description = "Hyperparameters whose values are not all equal (a missing one counts as null)") List<HyperparameterComparison> differingHyperparameters,
        @Schema(description = "The best version by the task's main metric; null when none of them has it", nullable = true) Best best,
        @Schema(description = "Per input feature, each version's stored feature importance side by side (see FeatureImportance), features in "
                + "the order of the best version's permutation ranking; empty when none of the versions has importance") List<FeatureImportanceComparison> featureImportance) {

    @Schema(name = "ComparedVersion")
    public record ComparedVersion(int version, String jobId, @Schema(enumeration = {
            "training", "tuning" }) String source,
            Instant createdAt, List<String> aliases, boolean archived) {
    }

    @Schema(name = "MetricComparison")
    public record MetricComparison(@Schema(examples = "accuracy") String name,
            @Schema(description = "True for scores (accuracy, f1, r2, …), false for errors (rmse, mae, …)") boolean higherIsBetter,
            @Schema(description = "Per version; null where a version lacks the metric") List<Double> values,
            @Schema(description = "The version with the best value (the newest on a tie); null when none has one", nullable = true) Integer bestVersion) {
    }

    @Schema(name = "HyperparameterComparison")
    public record HyperparameterComparison(@Schema(examples = "n_trees") String name,
            @Schema(type = SchemaType.ARRAY, description = "Per version, the JSON value it was fitted with (null when absent)") List<Object> values) {
    }

    @Schema(name = "FeatureImportanceComparison")
    public record FeatureImportanceComparison(@Schema(examples = "Sex") String feature,
            @Schema(description = "Per version, the model's own importance (impurity decrease or standardized coefficients, see "
                    + "FeatureImportance.model_method); null where a version has none") List<Double> modelImportance,
            @Schema(description = "Per version, the permutation importance mean (drop of the main score); null where a version has none") List<Double> permutationImportanceMean) {
    }

    @Schema(name = "ComparisonBest")
    public record Best(@Schema(description = "The task's main metric (the default scoring): accuracy for classification, r2 for regression",
            enumeration = {
                    "accuracy", "r2" }) String metric,
            @Schema(enumeration = { "higher_is_better", "lower_is_better" }) String direction,
            int version, String jobId, double value) {
    }
}
