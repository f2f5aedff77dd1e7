package dev.mlpipeline.pipeline;

import java.util.Locale;
import java.util.Optional;

/**
 * Logical type of a dataset column, inferred at upload (or declared by the uploader) and used by
 * the whole code base: the CSV profiler, the dataset schema and the pipeline.
 */
public enum ColumnType {
    /** Every non-missing cell is a decimal number ({@link Double#parseDouble(String)} reads it). */
    NUMERIC,
    /** Free-form string levels, kept exactly as written. */
    CATEGORICAL;

    /** @return the API name: {@code numeric} or {@code categorical} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire an API name, in any letter case
     * @return the type, or empty when the name is not {@code numeric} or {@code categorical}
     */
    public static Optional<ColumnType> fromWire(String wire) {
        if (wire == null) return Optional.empty();
        for (ColumnType t : values()) {
            if (t.wireName().equals(wire.trim().toLowerCase(Locale.ROOT))) return Optional.of(t);
        }
        return Optional.empty();
    }
}
