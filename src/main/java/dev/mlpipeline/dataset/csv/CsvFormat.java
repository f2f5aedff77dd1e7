package dev.mlpipeline.dataset.csv;

import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a stored file is read, decided once at upload and kept with the dataset so that training
 * and preview read the same values the profile counted.
 *
 * @param delimiter the field separator, one of {@link CsvReader#DELIMITERS}
 * @param trim whether blanks around unquoted fields are removed
 * @param naValues values read as missing besides the empty field (exact, case-sensitive match)
 */
public record CsvFormat(char delimiter, boolean trim, List<String> naValues) {

    /**
     * pandas' default missing-value markers ({@code pandas.read_csv} with {@code
     * keep_default_na=True}, pandas 2.x), the empty string left out since it is always missing.
     */
    public static final List<String> PANDAS_NA_VALUES = List.of(
            "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
            "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");

    /** How datasets uploaded before the data contract were read: commas, no trimming, no markers. */
    public static final CsvFormat LEGACY = new CsvFormat(',', false, List.of());

    /** Checks and copies. */
    public CsvFormat {
        if (CsvReader.DELIMITERS.indexOf(delimiter) < 0) {
            throw new IllegalArgumentException("unsupported delimiter: " + (int) delimiter);
        }
        naValues = List.copyOf(Objects.requireNonNull(naValues, "naValues"));
    }

    /**
     * Opens a reader of this format.
     *
     * @param in the raw bytes of the file; closed with the reader
     * @return the reader
     */
    public CsvReader reader(InputStream in) {
        return new CsvReader(in, delimiter, trim);
    }

    /**
     * Returns the missing-value markers as a set, for lookups.
     *
     * @return the markers
     */
    public Set<String> naSet() {
        return Set.copyOf(naValues);
    }
}
