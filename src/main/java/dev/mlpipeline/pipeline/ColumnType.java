package dev.mlpipeline.pipeline;

/** Logical type of a dataset column, as declared by the dataset schema. */
public enum ColumnType {
    /** Every non-missing cell parses with {@link Double#parseDouble(String)}. */
    NUMERIC,
    /** Free-form string levels. */
    CATEGORICAL
}
