package dev.mlpipeline.dataset;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One column of a dataset as inferred at upload. {@code type} is {@code numeric} when every
 * non-missing value is a decimal number, {@code categorical} otherwise. {@code distinct} is exact
 * up to a few thousand values and estimated (HyperLogLog, about 2% error) above.
 */
@Schema(name = "DatasetColumn")
public record DatasetColumn(
        String name,
        @Schema(enumeration = { "numeric", "categorical" }) String type,
        long missing,
        long distinct,
        @Schema(description = "false when distinct is an estimate") boolean distinctExact) {

    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    public boolean numeric() {
        return NUMERIC.equals(type);
    }
}
