package dev.mlpipeline.batch.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CreateBatchPredictionRequest")
public record CreateBatchPredictionRequest(
        @Schema(required = true,
                description = "The uploaded dataset whose rows are scored (it may hold the target column or others; they are kept as input columns)") String datasetId,
        @Schema(nullable = true,
                description = "The COMPLETED training (trn_…) or tuning (tun_…) job whose model version scores; default: the active deployment's") String jobId) {
}
