package dev.mlpipeline.registry.dto;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON merge patch (RFC 7386) of {@code PATCH /api/registry/models/{model_type}/versions/{version}}:
 * documentation of its shape (the service reads the patch as a JSON tree, since a member set to
 * null and an absent member mean different things).
 */
@Schema(name = "UpdateModelVersionRequest", description = "JSON merge patch (RFC 7386) of a version's description and tags: "
        + "an absent member is left as it is, null removes (the description, one tag, or with \"tags\": null every tag)")
public record UpdateModelVersionRequest(
        @Schema(description = "New description, up to 5000 characters; null removes it", nullable = true,
                examples = "Random forest on the 2026-11 titanic extract") String description,
        @Schema(type = SchemaType.OBJECT, additionalProperties = String.class, nullable = true,
                description = "Tags to set (string values) or remove (null values); at most 50 per patch. Keys: 1..64 of "
                        + "letters, digits, '_', '-', '.', '/' starting with a letter or digit; values: up to 256 characters") Map<String, String> tags) {
}
