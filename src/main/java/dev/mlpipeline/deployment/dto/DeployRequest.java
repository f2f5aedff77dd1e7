package dev.mlpipeline.deployment.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DeployRequest")
public record DeployRequest(@Schema(required = true, description = "A COMPLETED training (trn_…) or tuning (tun_…) job",
        examples = "trn_01m8qga5wdqadasvxghm28h0pq") String jobId,
        @Schema(description = "Why (kept in the deployment history); at most 1000 characters", nullable = true,
                examples = "better recall on the November data") String reason) {

    /** A deploy without a reason. */
    public DeployRequest(String jobId) {
        this(jobId, null);
    }
}
