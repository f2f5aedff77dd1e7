package dev.mlpipeline.registry.dto;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a model version expects as prediction input, as learned on its training split. */
@Schema(name = "ModelVersionSchema", description = "The input schema of a model version: its features with types, training levels, ranges and missing rates")
public record ModelVersionSchemaResponse(
        String modelType,
        int version,
        String datasetId,
        String jobId,
        @Schema(enumeration = {
                "training", "tuning" }) String source,
        @Schema(enumeration = { "classification", "regression" }) String task,
        String targetColumn,
        @Schema(description = "Classification: the labels in model order; null for regression", nullable = true) List<Object> labels,
        @Schema(description = "In model order; every prediction row is matched against these") List<Feature> features) {

    @Schema(name = "ModelVersionFeature")
    public record Feature(
            String name,
            @Schema(enumeration = {
                    "numeric", "categorical" }) String type,
            @Schema(description = "Categorical: the training levels (JSON booleans and numbers match them by value); empty for numeric") List<String> levels,
            @Schema(description = "Numeric: smallest training value; null if unknown (models trained before it was recorded)", nullable = true) Double min,
            @Schema(description = "Numeric: largest training value; null if unknown", nullable = true) Double max,
            @Schema(description = "Fraction (0..1) of training rows where the feature was missing; null if unknown", nullable = true) Double missingRate,
            @Schema(description = "The value a missing feature is imputed with (a number, or a level)") Object imputedWith) {
    }
}
