package dev.mlpipeline.dataset.csv;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mlpipeline.pipeline.ColumnType;

/**
 * Validates and profiles a whole CSV file in a single pass over its bytes.
 *
 * <h2>Reading</h2>
 *
 * The separator is the one the options name, else {@linkplain DelimiterDetector detected} among
 * comma, semicolon, tab and pipe. The file is parsed with {@link CsvReader} (see there for the
 * accepted syntax) with trimming on: blanks around unquoted fields are removed, quoted fields are
 * kept as written. It must:
 *
 * <ul>
 *   <li>not be empty (a file with nothing but a byte order mark or empty lines counts as empty);
 *   <li>start with a header whose column names are all non-blank and pairwise different (compared
 *       exactly after trimming: case-sensitive), with at most {@link #MAX_COLUMNS} columns;
 *   <li>have at least one data row, each with exactly as many fields as the header.
 * </ul>
 *
 * <p>A value is missing when it is empty or one of the missing-value markers (pandas' list unless
 * the options give one; compared exactly).
 *
 * <h2>Types</h2>
 *
 * A column named in the options' column types takes that type; a numeric one must hold only
 * numbers, missing values and placeholders (below), else a {@link CsvOptionException} names the
 * first value that is not. Otherwise:
 *
 * <ul>
 *   <li>{@link ColumnType#NUMERIC} when every value is a strict decimal number ({@link
 *       DecimalRecognizer}) and none has a leading zero ({@code 02134}, {@code 00501}: codes, which
 *       a number would change);
 *   <li>also {@link ColumnType#NUMERIC} when the only other values are at most {@value
 *       #MAX_PLACEHOLDERS} placeholders: tokens without digits that each appear at least twice,
 *       with numbers making up at least three quarters of the values (a {@code ?} or {@code -} in
 *       a column of numbers). The placeholders are then read as missing;
 *   <li>{@link ColumnType#CATEGORICAL} otherwise, also for a column with no value at all.
 * </ul>
 *
 * <p>A categorical column with at least {@value #MIN_IDENTIFIER_VALUES} values, nearly all ({@code
 * >= 95%}) distinct, is flagged as a likely identifier. Each step that changed a value or chose a
 * type for a reason that is not obvious becomes a {@link CsvWarning}.
 *
 * <p>While reading it also computes the SHA-256 and size of the raw bytes and the row count.
 * Memory stays bounded whatever the input: distinct values are counted exactly up to {@value
 * #EXACT_DISTINCT_LIMIT} per column (and while a budget of {@value #EXACT_DISTINCT_BUDGET} values
 * shared by all columns lasts), then estimated with HyperLogLog (about 1.6% standard error), which
 * {@link ColumnProfile#distinctExact()} reports. Counting holds at most about 16 MiB of hashes plus
 * 4 KiB per estimated column; the parser holds at most one record of {@link
 * CsvReader#DEFAULT_MAX_RECORD_CHARS} characters; per column at most {@value #MAX_PLACEHOLDERS}
 * non-numeric tokens and the markers found are remembered.
 *
 * <p>Instances are stateless and may be shared between threads.
 */
public final class CsvProfiler {

    /** The most columns a file may have. */
    public static final int MAX_COLUMNS = 4096;

    /** Distinct values counted exactly per column before switching to an estimate. */
    public static final int EXACT_DISTINCT_LIMIT = 4096;

    /** Distinct values counted exactly over all columns of a file together. */
    public static final int EXACT_DISTINCT_BUDGET = 1 << 19;

    /** The most distinct placeholder tokens a numeric column may hold. */
    public static final int MAX_PLACEHOLDERS = 3;

    /** The fewest values a categorical column needs to be taken for an identifier. */
    public static final int MIN_IDENTIFIER_VALUES = 20;

    /** Share of distinct values from which a categorical column is taken for an identifier. */
    public static final double IDENTIFIER_DISTINCT_SHARE = 0.95;

    /** Creates a profiler. */
    public CsvProfiler() {
    }

    /**
     * Validates and profiles a CSV file with the default options. The stream is read to its end
     * (unless an error stops it earlier) but not closed: closing it is the caller's business.
     *
     * @param in the raw bytes of the file
     * @return the profile of the file
     * @throws CsvFormatException if the input is not an acceptable CSV file
     * @throws CsvOptionException if the separator cannot be told
     * @throws IOException if reading the stream fails
     */
    public CsvProfile profile(InputStream in) throws IOException {
        return profile(in, CsvOptions.defaults());
    }

    /**
     * Validates and profiles a CSV file. The stream is read to its end (unless an error stops it
     * earlier) but not closed.
     *
     * @param in the raw bytes of the file
     * @param options separator, missing-value markers and declared column types
     * @return the profile of the file, with the format to read it again
     * @throws CsvFormatException if the input is not an acceptable CSV file
     * @throws CsvOptionException if the separator cannot be told, or a declared column type names no
     *     column or contradicts a value
     * @throws IOException if reading the stream fails
     */
    public CsvProfile profile(InputStream in, CsvOptions options) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        char delimiter;
        if (options.delimiter() != null) {
            delimiter = options.delimiter();
        } else {
            buffered.mark(DelimiterDetector.SAMPLE_BYTES + 1);
            delimiter = DelimiterDetector.detect(buffered);
            buffered.reset();
        }
        CsvFormat format = new CsvFormat(delimiter, true,
                options.naValues() == null ? CsvFormat.PANDAS_NA_VALUES : options.naValues());
        CountingInputStream counted = new CountingInputStream(buffered);
        MessageDigest sha256 = newSha256();
        CsvReader reader = format.reader(new DigestInputStream(counted, sha256));

        String[] header = reader.next();
        if (header == null) {
            throw new CsvFormatException("the file is empty");
        }
        checkHeader(header, reader.recordStartLine());
        checkDeclaredColumns(header, options.columnTypes());
        long[] headerTrimmed = new long[header.length];
        for (int i = 0; i < header.length; i++) {
            headerTrimmed[i] = reader.trimmedFields(i);
        }

        Set<String> na = format.naSet();
        int maxNaLength = format.naValues().stream().mapToInt(String::length).max().orElse(-1);
        // pandas' markers are never numbers: then a number needs no lookup (the common case, and the hot path).
        boolean numericMarkers = format.naValues().stream().anyMatch(DecimalRecognizer::isDecimal);
        // First characters of the markers (ASCII; any other first character is looked up): most values skip the set.
        boolean[] naFirst = new boolean[128];
        for (String marker : format.naValues()) {
            if (!marker.isEmpty() && marker.charAt(0) < 128) {
                naFirst[marker.charAt(0)] = true;
            }
        }
        DistinctCounter.Budget budget = new DistinctCounter.Budget(EXACT_DISTINCT_BUDGET);
        ColumnStats[] stats = new ColumnStats[header.length];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new ColumnStats(header[i], new DistinctCounter(EXACT_DISTINCT_LIMIT, budget), na, maxNaLength,
                    numericMarkers, naFirst);
        }

        long rows = 0;
        String[] record;
        while ((record = reader.next()) != null) {
            long line = reader.recordStartLine();
            if (record.length != header.length) {
                throw new CsvFormatException(
                        "line " + line + " has " + record.length + " fields, expected "
                                + header.length + " (header has " + header.length + " columns)"
                                + (header.length == 1 && delimiter == ',' && options.delimiter() == null
                                        ? "; the header holds none of the separators , ; | or tab, so the file"
                                                + " was read as one column"
                                        : ""),
                        line);
            }
            for (int i = 0; i < record.length; i++) {
                stats[i].add(record[i], line);
            }
            rows++;
        }
        if (rows == 0) {
            throw new CsvFormatException("the file has a header but no data rows");
        }

        List<ColumnProfile> columns = new ArrayList<>(header.length);
        List<CsvWarning> warnings = new ArrayList<>();
        for (int i = 0; i < header.length; i++) {
            if (headerTrimmed[i] > 0) {
                warnings.add(new CsvWarning(header[i], "trimmed", "the column name had blanks around it in the"
                        + " header; it is read as '" + header[i] + "'"));
            }
            long valuesTrimmed = reader.trimmedFields(i) - headerTrimmed[i];
            if (valuesTrimmed > 0) {
                warnings.add(new CsvWarning(header[i], "trimmed", count(valuesTrimmed, "value") + " had blanks"
                        + " around them, removed: unquoted values are trimmed (enclose a value in quotes to keep"
                        + " its blanks)"));
            }
            columns.add(stats[i].toProfile(options.columnTypes().get(header[i]), warnings));
        }
        return new CsvProfile(columns, rows, counted.count(), HexFormat.of().formatHex(sha256.digest()), format,
                warnings);
    }

    private static void checkHeader(String[] header, long line) {
        if (header.length > MAX_COLUMNS) {
            throw new CsvFormatException(
                    "the header has " + header.length + " columns; at most " + MAX_COLUMNS
                            + " are supported",
                    line);
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            String name = header[i];
            int position = i + 1;
            if (name == null || name.isBlank()) {
                throw new CsvFormatException(
                        "the header (line " + line + ") has an empty name for column " + position
                                + "; every column needs a name",
                        line);
            }
            Integer previous = positions.putIfAbsent(name, position);
            if (previous != null) {
                throw new CsvFormatException(
                        "the header (line " + line + ") has the column name '" + name + "' twice"
                                + " (columns " + previous + " and " + position + "); column names"
                                + " must be unique",
                        line);
            }
        }
    }

    private static void checkDeclaredColumns(String[] header, Map<String, ColumnType> declared) {
        List<String> names = List.of(header);
        for (String name : declared.keySet().stream().sorted().toList()) {
            if (!names.contains(name)) {
                throw new CsvOptionException("column_types", "column_types names '" + name + "', which is not a"
                        + " column of the file; its columns are: " + String.join(", ", names));
            }
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String quote(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    /** True for a decimal number whose integer part starts with a zero followed by a digit. */
    static boolean hasLeadingZero(String decimal) {
        int i = decimal.charAt(0) == '-' || decimal.charAt(0) == '+' ? 1 : 0;
        return decimal.length() > i + 1 && decimal.charAt(i) == '0' && Character.isDigit(decimal.charAt(i + 1));
    }

    /** A non-numeric value seen in a column: how often, and where first. */
    private static final class Token {
        final String value;
        long count;
        final long firstLine;

        Token(String value, long firstLine) {
            this.value = value;
            this.firstLine = firstLine;
        }

        boolean fits() {
            return count >= 2 && value.chars().noneMatch(Character::isDigit);
        }
    }

    /** What is collected about one column while reading. */
    private static final class ColumnStats {
        private final String name;
        private final DistinctCounter distinct;
        private final Set<String> na;
        private final int maxNaLength;
        private final boolean numericMarkers;
        private final boolean[] naFirst;
        /** Empty fields. */
        private long empty;
        /** Values other than empty fields and markers. */
        private long values;
        private long numbers;
        private long leadingZeros;
        private String firstLeadingZero;
        private long firstLeadingZeroLine;
        private long notNumbers;
        private String firstNotNumber;
        private long firstNotNumberLine;
        /**
         * The first non-numeric tokens, in order of appearance (a small array: compared with equals,
         * cheaper than hashing on this hot path); null once there were too many.
         */
        private Token[] tokens = new Token[MAX_PLACEHOLDERS];
        private int tokenCount;
        private Map<String, long[]> markers;

        ColumnStats(String name, DistinctCounter distinct, Set<String> na, int maxNaLength, boolean numericMarkers,
                boolean[] naFirst) {
            this.name = name;
            this.naFirst = naFirst;
            this.distinct = distinct;
            this.na = na;
            this.maxNaLength = maxNaLength;
            this.numericMarkers = numericMarkers;
        }

        void add(String value, long line) {
            if (value == null) {
                empty++;
                return;
            }
            boolean decimal = DecimalRecognizer.isDecimal(value);
            char first = value.charAt(0);
            if ((!decimal || numericMarkers) && value.length() <= maxNaLength && (first >= 128 || naFirst[first])
                    && na.contains(value)) {
                if (markers == null) {
                    markers = new HashMap<>();
                }
                markers.computeIfAbsent(value, k -> new long[1])[0]++;
                return;
            }
            values++;
            if (decimal) {
                numbers++;
                if (hasLeadingZero(value) && leadingZeros++ == 0) {
                    firstLeadingZero = value;
                    firstLeadingZeroLine = line;
                }
                distinct.add(StringHash.hash64(value));
                return;
            }
            if (notNumbers++ == 0) {
                firstNotNumber = value;
                firstNotNumberLine = line;
            }
            if (tokens == null) {
                distinct.add(StringHash.hash64(value));
                return;
            }
            for (int i = 0; i < tokenCount; i++) {
                if (tokens[i].value.equals(value)) {
                    tokens[i].count++;
                    return;
                }
            }
            if (tokenCount == MAX_PLACEHOLDERS) {
                // Too many kinds of non-numbers for placeholders: count them all as values from now on.
                for (Token t : tokens) {
                    distinct.add(StringHash.hash64(t.value));
                }
                tokens = null;
                distinct.add(StringHash.hash64(value));
                return;
            }
            Token token = new Token(value, line);
            token.count = 1;
            tokens[tokenCount++] = token;
        }

        private List<Token> tokens() {
            return tokens == null ? List.of() : java.util.Arrays.asList(tokens).subList(0, tokenCount);
        }

        /** True when the non-numeric values can be read as missing in a column of numbers. */
        private boolean placeholdersFit() {
            if (tokens == null || tokenCount == 0 || numbers < 3 * notNumbers) {
                return false;
            }
            return tokens().stream().allMatch(Token::fits);
        }

        ColumnProfile toProfile(ColumnType declared, List<CsvWarning> warnings) {
            boolean placeholders = notNumbers > 0 && placeholdersFit();
            ColumnType inferred;
            if (values == 0) {
                inferred = ColumnType.CATEGORICAL;
            } else if (notNumbers == 0) {
                inferred = leadingZeros > 0 ? ColumnType.CATEGORICAL : ColumnType.NUMERIC;
            } else {
                inferred = placeholders && leadingZeros == 0 ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
            }
            ColumnType type = declared == null ? inferred : declared;
            if (type == ColumnType.NUMERIC && notNumbers > 0 && !placeholders) {
                throw contradiction();
            }

            List<String> missingMarkers = new ArrayList<>();
            long markerCount = 0;
            if (markers != null) {
                List<Map.Entry<String, long[]>> found = new ArrayList<>(markers.entrySet());
                found.sort(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey));
                for (var e : found) {
                    missingMarkers.add(e.getKey());
                    markerCount += e.getValue()[0];
                }
                warnings.add(new CsvWarning(name, "missing_markers", count(markerCount, "value") + " read as"
                        + " missing: " + found.stream().map(e -> quote(e.getKey()) + " (" + e.getValue()[0] + ")")
                                .collect(Collectors.joining(", "))
                        + "; the markers come from na_values (pandas' list"
                        + " unless the upload sends its own)"));
            }
            long missing = empty + markerCount;
            long present = values;
            if (type == ColumnType.NUMERIC && notNumbers > 0) {
                missing += notNumbers;
                present -= notNumbers;
                tokens().forEach(t -> missingMarkers.add(t.value));
                warnings.add(new CsvWarning(name, "placeholders", "typed numeric: " + count(numbers, "value")
                        + " are numbers, and the repeated placeholder" + (tokenCount == 1 ? " " : "s ")
                        + tokens().stream().map(t -> quote(t.value) + " (" + t.count + ")")
                                .collect(Collectors.joining(", "))
                        + " read as missing; declare the column categorical in"
                        + " column_types to keep them as values"));
            } else if (type == ColumnType.CATEGORICAL) {
                tokens().forEach(t -> distinct.add(StringHash.hash64(t.value)));
            }

            if (declared != null && declared != inferred) {
                warnings.add(new CsvWarning(name, "declared_type", "typed " + declared.wireName() + " as column_types"
                        + " declares (inferred: " + inferred.wireName() + (leadingZeros > 0 && declared == ColumnType.NUMERIC
                                ? ", as values such as " + quote(firstLeadingZero) + " have leading zeros; they are read as"
                                        + " numbers"
                                : "")
                        + ")"));
            } else if (declared == null && inferred == ColumnType.CATEGORICAL && leadingZeros > 0 && notNumbers == 0) {
                warnings.add(new CsvWarning(name, "leading_zeros", "typed categorical: " + count(leadingZeros, "value")
                        + " such as " + quote(firstLeadingZero) + " (line " + firstLeadingZeroLine + ") start with a"
                        + " zero that a number would drop, as in postal or account codes; declare the column numeric"
                        + " in column_types to read them as numbers"));
            } else if (declared == null && inferred == ColumnType.CATEGORICAL && numbers > 0 && numbers >= notNumbers) {
                warnings.add(new CsvWarning(name, "not_numeric", "typed categorical although " + numbers + " of "
                        + values + " values are numbers: " + count(notNumbers, "value") + " are not, the first "
                        + quote(firstNotNumber) + " (line " + firstNotNumberLine + "); if such values mean"
                        + " 'missing', add them to na_values"));
            }

            long distinctCount = distinct.count();
            boolean identifier = type == ColumnType.CATEGORICAL && present >= MIN_IDENTIFIER_VALUES
                    && distinctCount >= IDENTIFIER_DISTINCT_SHARE * present;
            if (identifier) {
                warnings.add(new CsvWarning(name, "likely_identifier", "a distinct value on "
                        + (distinctCount >= present ? "every" : "almost every") + " row (" + distinctCount + " distinct"
                        + (distinct.isExact() ? "" : ", estimated") + " of " + present + " values): likely an"
                        + " identifier, which a model cannot learn from; training leaves it out of the default"
                        + " features (name it in feature_columns to use it)"));
            }
            return new ColumnProfile(name, type, missing, distinctCount, distinct.isExact(), missingMarkers, identifier);
        }

        private CsvOptionException contradiction() {
            String value = firstNotNumber;
            long line = firstNotNumberLine;
            // Name the first value that could not be a placeholder, if there is one.
            for (Token t : tokens()) {
                if (!t.fits()) {
                    value = t.value;
                    line = t.firstLine;
                    break;
                }
            }
            return new CsvOptionException("column_types", "column '" + name + "' is declared numeric in"
                    + " column_types, but line " + line + " holds " + quote(value) + ", which is not a number; fix"
                    + " the value, add it to na_values if it means 'missing', or declare the column categorical");
        }
    }
}
