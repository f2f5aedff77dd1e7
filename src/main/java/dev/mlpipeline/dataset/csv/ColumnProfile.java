package dev.mlpipeline.dataset.csv;

import java.util.List;
import java.util.Objects;

import dev.mlpipeline.pipeline.ColumnType;

/**
 * Profile of one column of a CSV file.
 *
 * @param name the column name as read (unquoted names trimmed)
 * @param type the inferred or declared type (see {@link CsvProfiler})
 * @param missing the number of rows whose value in this column is missing: empty, a missing-value
 *     marker, or (numeric columns) a placeholder read as missing
 * @param distinct the number of distinct other values; an estimate when {@code distinctExact} is
 *     false
 * @param distinctExact true if {@code distinct} was counted exactly, false if it is a HyperLogLog
 *     estimate (typical relative error about 1.6%)
 * @param missingMarkers the values of this column read as missing besides the empty field (markers
 *     from {@code na_values}, then placeholders), most frequent first
 * @param likelyIdentifier a categorical column with a distinct value on (almost) every row
 */
public record ColumnProfile(
        String name,
        ColumnType type,
        long missing,
        long distinct,
        boolean distinctExact,
        List<String> missingMarkers,
        boolean likelyIdentifier) {

    /** Checks the components. */
    public ColumnProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        missingMarkers = missingMarkers == null ? List.of() : List.copyOf(missingMarkers);
        if (missing < 0 || distinct < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** A profile with no missing-value markers that is not an identifier. */
    public ColumnProfile(String name, ColumnType type, long missing, long distinct, boolean distinctExact) {
        this(name, type, missing, distinct, distinctExact, List.of(), false);
    }
}
