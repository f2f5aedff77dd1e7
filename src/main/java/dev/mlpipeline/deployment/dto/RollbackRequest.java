package dev.mlpipeline.deployment.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "RollbackRequest")
public record RollbackRequest(@Schema(description = "Why (kept in the deployment history); at most 1000 characters; default: rollback from <deployment id>",
        nullable = true, examples = "error rate doubled after the last deploy") String reason) {
}
