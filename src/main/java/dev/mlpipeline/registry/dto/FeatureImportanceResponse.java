package dev.mlpipeline.registry.dto;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Documentation only: the OpenAPI schema of a version's stored feature importance (served as stored, see
 * {@code pipeline.FeatureImportance}).
 */
@Schema(name = "FeatureImportance",
        description = "Feature importance of one model version, per input feature (one-hot levels summed back to their categorical column)")
public record FeatureImportanceResponse(
        @Schema(enumeration = {
                "impurity_decrease", "standardized_coefficients" },
                description = "impurity_decrease (tree models): total decrease of the split criterion brought by the feature's splits, summed over the trees, normalised to sum 1 (scikit-learn's feature_importances_); standardized_coefficients (linear and logistic regression): |coefficient| x training standard deviation of each column, summed over the feature's columns (and classes), in raw-output units") String modelMethod,
        @Schema(enumeration = { "accuracy", "r2" }, description = "Score whose drop the permutation importance measures: the task's main score") String scoring,
        @Schema(description = "Shuffles per feature (scikit-learn's n_repeats)", example = "5") int nRepeats,
        @Schema(description = "Seed of the shuffles: the job's random_seed", example = "42") long randomState,
        @Schema(description = "Score on the unshuffled test split", nullable = true) Double baselineScore,
        @Schema(description = "One entry per input feature, by decreasing permutation_importance_mean") List<Feature> features) {

    @Schema(name = "FeatureImportanceEntry")
    public record Feature(
            String feature,
            @Schema(description = "The model's own importance (see model_method)", nullable = true) Double modelImportance,
            @Schema(description = "Mean drop of the score over n_repeats shuffles of the feature on the test split (scikit-learn's permutation_importance importances_mean)",
                    nullable = true) Double permutationImportanceMean,
            @Schema(description = "Standard deviation of those drops (importances_std)", nullable = true) Double permutationImportanceStd) {
    }
}
