package dev.mlpipeline.dataset.dto;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.dataset.Dataset;
import dev.mlpipeline.dataset.DatasetColumn;
import dev.mlpipeline.dataset.DatasetWarning;

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
        List<DatasetColumn> columns,
        // Not an OpenAPI enum: client generators cannot name a constant for the tab character.
        @Schema(description = "The field separator the file was read with: `,` `;` `|` or a tab character") String delimiter,
        @Schema(description = "Values read as missing besides empty fields") List<String> naValues,
        @Schema(description = "How the file was read: values trimmed, values read as missing, why a type was chosen, likely identifiers") List<DatasetWarning> warnings,
        @Schema(description = "Who uploaded it (token name or OIDC name); null without credentials", nullable = true) String createdBy) {

    public static DatasetResponse of(Dataset d) {
        var format = d.format();
        return new DatasetResponse(d.id, d.name, d.filename, d.rowCount, d.columnCount, d.sizeBytes, d.sha256,
                d.createdAt, d.columns(), String.valueOf(format.delimiter()), format.naValues(),
                d.schema.warnings() == null ? List.of() : d.schema.warnings(), d.createdBy);
    }
}
