package dev.mlpipeline.dataset;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One column of a dataset as inferred at upload (or declared in {@code column_types}). {@code
 * type} is {@code numeric} when every non-missing value is a decimal number without leading zeros
 * (placeholders such as {@code ?} read as missing), {@code categorical} otherwise. {@code distinct}
 * is exact up to a few thousand values and estimated (HyperLogLog, about 2% error) above. Datasets
 * stored before {@code missing_markers} and {@code likely_identifier} existed read them as empty
 * and false.
 */
@Schema(name = "DatasetColumn")
public record DatasetColumn(
        String name,
        @Schema(enumeration = {
                "numeric", "categorical" }) String type,
        long missing,
        long distinct,
        @Schema(description = "false when distinct is an estimate") boolean distinctExact,
        @Schema(description = "Values of this column read as missing besides empty fields: markers from na_values, then placeholders of a numeric column") List<String> missingMarkers,
        @Schema(description = "A categorical column with a distinct value on (almost) every row; training leaves it out of the default features") boolean likelyIdentifier) {

    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    public DatasetColumn {
        missingMarkers = missingMarkers == null ? List.of() : List.copyOf(missingMarkers);
    }

    public boolean numeric() {
        return NUMERIC.equals(type);
    }
}
