package dev.mlpipeline.dataset.csv;

import java.util.Objects;

/**
 * Profile of one column of a CSV file.
 *
 * @param name the column name, exactly as in the header
 * @param type {@link ColumnType#NUMERIC} if every non-missing value is a decimal number and there
 *     is at least one; {@link ColumnType#CATEGORICAL} otherwise (also for an all-missing column)
 * @param missing the number of rows whose value in this column is empty ({@code ""} included)
 * @param distinct the number of distinct non-missing values; an estimate when {@code distinctExact}
 *     is false
 * @param distinctExact true if {@code distinct} was counted exactly, false if it is a HyperLogLog
 *     estimate (typical relative error about 1.6%)
 */
public record ColumnProfile(
        String name, ColumnType type, long missing, long distinct, boolean distinctExact) {

    /** Checks the components. */
    public ColumnProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (missing < 0 || distinct < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }
}
