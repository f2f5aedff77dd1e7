package dev.mlpipeline.dataset.csv;

/** The inferred type of a CSV column. */
public enum ColumnType {
    /** Every non-missing value is a decimal number (see {@link DecimalRecognizer}). */
    NUMERIC,
    /** Any other column, including a column with no non-missing value at all. */
    CATEGORICAL
}
