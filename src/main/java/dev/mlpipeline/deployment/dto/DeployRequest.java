package dev.mlpipeline.deployment.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "DeployRequest")
public record DeployRequest(@Schema(required = true, description = "A COMPLETED training (trn_…) or tuning (tun_…) job",
        examples = "trn_01m8qga5wdqadasvxghm28h0pq") String jobId) {
}
