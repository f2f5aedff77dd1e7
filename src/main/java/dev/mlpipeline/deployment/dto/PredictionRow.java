package dev.mlpipeline.deployment.dto;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Documentation only: the OpenAPI schema of one row of a predict request. The resource reads rows as
 * {@code Map<String, Object>} (feature name → number, string, boolean or null).
 */
@Schema(name = "PredictionRow", type = SchemaType.OBJECT, additionalProperties = Schema.True.class,
        description = "One row: feature name → value (number, string, boolean or null). Missing or null features are imputed as in training; unknown ones are ignored and listed in ignored_columns.")
public interface PredictionRow {
}
