package dev.mlpipeline.deployment.dto;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.deployment.Deployment;

@Schema(name = "Deployment")
public record DeploymentResponse(String id, String jobId, @Schema(enumeration = {
        "training", "tuning" }) String source,
        String datasetId, String datasetName, String modelType, int version, boolean isActive, Instant createdAt,
        @Schema(description = "When another deployment or an undeploy replaced it", nullable = true) Instant deactivatedAt,
        @Schema(description = "Who deployed it: token name, OIDC name, bootstrap; null without credentials", nullable = true) String deployedBy,
        @Schema(description = "Why, as given to deploy or rollback", nullable = true) String reason) {

    public static DeploymentResponse of(Deployment d) {
        return new DeploymentResponse(d.id, d.jobId, d.source, d.dataset.id, d.dataset.name, d.modelType, d.version,
                d.active, d.createdAt, d.deactivatedAt, d.deployedBy, d.reason);
    }
}
