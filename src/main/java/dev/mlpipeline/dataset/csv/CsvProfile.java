package dev.mlpipeline.dataset.csv;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * The result of validating and profiling a whole CSV file in one pass.
 *
 * @param columns one profile per column, in header order (unmodifiable)
 * @param rowCount the number of data rows (the header and skipped blank lines not counted)
 * @param sizeBytes the size of the input in bytes, as read
 * @param sha256 the SHA-256 of the raw input bytes, as 64 lowercase hex digits
 * @param format how the file was read (and must be read again)
 * @param warnings what the uploader should know about how the file was read, column by column
 */
public record CsvProfile(List<ColumnProfile> columns, long rowCount, long sizeBytes, String sha256, CsvFormat format,
        List<CsvWarning> warnings) {

    /** Checks the components and makes the lists unmodifiable. */
    public CsvProfile {
        columns = List.copyOf(columns);
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(format, "format");
    }

    /**
     * Validates and profiles a CSV file with the default options (separator detected, pandas'
     * missing-value markers, types inferred). The stream is read to its end but not closed.
     *
     * @param in the raw bytes of the file
     * @return the profile
     * @throws CsvFormatException if the input is not an acceptable CSV file
     * @throws CsvOptionException if the separator cannot be told
     * @throws IOException if reading the stream fails
     */
    public static CsvProfile of(InputStream in) throws IOException {
        return new CsvProfiler().profile(in);
    }
}
