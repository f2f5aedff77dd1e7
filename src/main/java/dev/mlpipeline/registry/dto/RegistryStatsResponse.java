package dev.mlpipeline.registry.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RegistryStats", description = "Counts over every model version in the registry")
public record RegistryStatsResponse(
        @Schema(description = "(dataset, model type) pairs with at least one version") long totalModels,
        @Schema(description = "All versions ever taken, archived ones included") long totalVersions,
        long trainingVersions,
        long tuningVersions,
        @Schema(description = "Archived versions (counted in total_versions too; left out of best_metric_per_model)") long archivedVersions,
        @Schema(description = "Datasets with at least one model version") long datasets,
        @Schema(description = "The active deployment, or null", nullable = true) ActiveDeployment activeDeployment,
        @Schema(description = "Versions per model type, by model type name") Map<String, Long> versionsPerModelType,
        @Schema(description = "Per (dataset, model type, task): the unarchived version with the best primary test metric (accuracy for classification, r2 for regression)") List<BestMetric> bestMetricPerModel) {

    @Schema(name = "RegistryActiveDeployment")
    public record ActiveDeployment(String id, String jobId, @Schema(enumeration = {
            "training", "tuning" }) String source, String datasetId, String datasetName,
            String modelType, int version, Instant createdAt) {
    }

    @Schema(name = "RegistryBestMetric")
    public record BestMetric(String modelType, String datasetId, String datasetName,
            @Schema(enumeration = {
                    "classification", "regression" }) String task,
            @Schema(enumeration = { "accuracy", "r2" }) String metric, double value, int version, String jobId,
            @Schema(enumeration = { "training", "tuning" }) String source) {
    }
}
