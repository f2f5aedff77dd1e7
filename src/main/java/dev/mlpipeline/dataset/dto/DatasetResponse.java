package dev.mlpipeline.dataset.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.dataset.Dataset;
import dev.mlpipeline.dataset.DatasetColumn;

@Schema(name = "Dataset", description = "An uploaded CSV dataset with its inferred schema")
public record DatasetResponse(
        @Schema(examples = "ds_01m8qg9z4qdcxqa41renz0fdvb") String id,
        String name,
        String filename,
        long rowCount,
        int columnCount,
        long sizeBytes,
        @Schema(description = "SHA-256 of the uploaded bytes, lowercase hex") String sha256,
        Instant createdAt,
        List<DatasetColumn> columns) {

    public static DatasetResponse of(Dataset d) {
        return new DatasetResponse(d.id, d.name, d.filename, d.rowCount, d.columnCount, d.sizeBytes, d.sha256,
                d.createdAt, d.columns());
    }
}
