package dev.mlpipeline.deployment.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What to deploy, in exactly one of three forms: {@code job_id}; {@code model_type + dataset_id +
 * version}; {@code model_type + dataset_id + alias}.
 */
@Schema(name = "DeployRequest", description = "Exactly one of: {job_id}; {model_type, dataset_id, version}; {model_type, dataset_id, alias}")
public record DeployRequest(
        @Schema(description = "A COMPLETED training (trn_…) or tuning (tun_…) job", examples = "trn_01m8qga5wdqadasvxghm28h0pq") String jobId,
        @Schema(description = "With dataset_id and version or alias: the model type of the version", examples = "RandomForest") String modelType,
        @Schema(description = "With model_type and version or alias: the dataset of the version", examples = "ds_01m8qg9z4qdcxqa41renz0fdvb") String datasetId,
        @Schema(description = "With model_type and dataset_id: the version number", minimum = "1", examples = "1") Integer version,
        @Schema(description = "With model_type and dataset_id: an alias of the (dataset, model type)", examples = "champion") String alias) {
}
