package dev.mlpipeline.dataset;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipeline.dataset.csv.CsvWarning;

/**
 * Something the uploader should know about how the file was read (see {@link CsvWarning}).
 *
 * @param column the column it is about, or null for the whole file
 * @param code a stable key
 * @param message the explanation
 */
@Schema(name = "DatasetWarning", description = "How a column was read: values trimmed, values read as missing, why a type was chosen, a likely identifier")
public record DatasetWarning(
        @Schema(description = "The column it is about; null for the whole file") String column,
        @Schema(enumeration = {
                "trimmed", "missing_markers", "placeholders", "leading_zeros", "not_numeric", "declared_type", "likely_identifier" }) String code,
        String message) {

    static DatasetWarning of(CsvWarning w) {
        return new DatasetWarning(w.column(), w.code(), w.message());
    }
}
