package dev.mlpipeline.dataset.csv;

import java.util.List;
import java.util.Map;

import dev.mlpipeline.pipeline.ColumnType;

/**
 * What an upload asks of the reading of its file; every option may be left out.
 *
 * @param delimiter the field separator (one of {@link CsvReader#DELIMITERS}), or {@code null} to
 *     detect it ({@link DelimiterDetector})
 * @param naValues the values read as missing besides the empty field, or {@code null} for {@link
 *     CsvFormat#PANDAS_NA_VALUES}; compared exactly (case-sensitive) with the trimmed value
 * @param columnTypes column name to declared type, overriding inference; empty for none
 */
public record CsvOptions(Character delimiter, List<String> naValues, Map<String, ColumnType> columnTypes) {

    /** Copies the collections. */
    public CsvOptions {
        naValues = naValues == null ? null : List.copyOf(naValues);
        columnTypes = columnTypes == null ? Map.of() : Map.copyOf(columnTypes);
        if (delimiter != null && CsvReader.DELIMITERS.indexOf(delimiter) < 0) {
            throw new IllegalArgumentException("unsupported delimiter: " + (int) delimiter);
        }
    }

    /**
     * Returns the options of an upload that sets none.
     *
     * @return detection of the separator, pandas' missing-value markers, inferred types
     */
    public static CsvOptions defaults() {
        return new CsvOptions(null, null, Map.of());
    }
}
