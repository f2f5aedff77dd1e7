package dev.mlpipeline.dataset.csv;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Validates and profiles a whole CSV file in a single pass over its bytes.
 *
 * <p>The file is parsed with {@link CsvReader} (see there for the accepted syntax) and must also:
 *
 * <ul>
 *   <li>not be empty (a file with nothing but a byte order mark or empty lines counts as empty);
 *   <li>start with a header whose column names are all non-blank and pairwise different (compared
 *       exactly: case-sensitive, no trimming), with at most {@link #MAX_COLUMNS} columns;
 *   <li>have at least one data row, each with exactly as many fields as the header.
 * </ul>
 *
 * <p>While reading it computes the SHA-256 and size of the raw bytes, the row count and, per
 * column, the number of missing (empty) values, the number of distinct other values and the type:
 * {@link ColumnType#NUMERIC} when every non-missing value is a strict decimal number ({@link
 * DecimalRecognizer}), otherwise {@link ColumnType#CATEGORICAL}. A column with no non-missing value
 * at all is {@link ColumnType#CATEGORICAL}: there is no evidence that it is numeric.
 *
 * <p>Memory stays bounded whatever the input: distinct values are counted exactly up to {@value
 * #EXACT_DISTINCT_LIMIT} per column (and while a budget of {@value #EXACT_DISTINCT_BUDGET} values
 * shared by all columns lasts), then estimated with HyperLogLog (about 1.6% standard error), which
 * {@link ColumnProfile#distinctExact()} reports. Counting holds at most about 16 MiB of hashes plus
 * 4 KiB per estimated column; the parser holds at most one record of {@link
 * CsvReader#DEFAULT_MAX_RECORD_CHARS} characters.
 *
 * <p>Instances are immutable and may be shared between threads; each call to {@link
 * #profile(InputStream)} is independent.
 */
public final class CsvProfiler {

    /** The most columns a file may have. */
    public static final int MAX_COLUMNS = 4096;

    /** Distinct values counted exactly per column before switching to an estimate. */
    public static final int EXACT_DISTINCT_LIMIT = 4096;

    /** Distinct values counted exactly over all columns of a file together. */
    public static final int EXACT_DISTINCT_BUDGET = 1 << 19;

    private final long maxBytes;

    /** Creates a profiler without a size limit. */
    public CsvProfiler() {
        this(Long.MAX_VALUE);
    }

    /**
     * Creates a profiler that rejects inputs larger than a limit.
     *
     * @param maxBytes the largest input accepted, in bytes; reading stops with a {@link
     *     CsvTooLargeException} as soon as more bytes than this have been read
     */
    public CsvProfiler(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Validates and profiles a CSV file. The stream is read to its end (unless an error stops it
     * earlier) but not closed: closing it is the caller's business.
     *
     * @param in the raw bytes of the file
     * @return the profile of the file
     * @throws CsvFormatException if the input is not an acceptable CSV file
     * @throws CsvTooLargeException if the input is larger than this profiler's byte limit
     * @throws IOException if reading the stream fails
     */
    public CsvProfile profile(InputStream in) throws IOException {
        ByteLimitInputStream counted = new ByteLimitInputStream(in, maxBytes);
        MessageDigest sha256 = newSha256();
        CsvReader reader = new CsvReader(new DigestInputStream(counted, sha256));

        String[] header = reader.next();
        if (header == null) {
            throw new CsvFormatException("the file is empty");
        }
        checkHeader(header, reader.recordStartLine());

        DistinctCounter.Budget budget = new DistinctCounter.Budget(EXACT_DISTINCT_BUDGET);
        ColumnStats[] stats = new ColumnStats[header.length];
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new ColumnStats(new DistinctCounter(EXACT_DISTINCT_LIMIT, budget));
        }

        long rows = 0;
        String[] record;
        while ((record = reader.next()) != null) {
            if (record.length != header.length) {
                long line = reader.recordStartLine();
                throw new CsvFormatException(
                        "line " + line + " has " + record.length + " fields, expected "
                                + header.length + " (header has " + header.length + " columns)",
                        line);
            }
            for (int i = 0; i < record.length; i++) {
                stats[i].add(record[i]);
            }
            rows++;
        }
        if (rows == 0) {
            throw new CsvFormatException("the file has a header but no data rows");
        }

        List<ColumnProfile> columns = new ArrayList<>(header.length);
        for (int i = 0; i < header.length; i++) {
            columns.add(stats[i].toProfile(header[i]));
        }
        return new CsvProfile(
                columns, rows, counted.count(), HexFormat.of().formatHex(sha256.digest()));
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

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support SHA-256", e);
        }
    }

    /** What is collected about one column while reading. */
    private static final class ColumnStats {
        private final DistinctCounter distinct;
        private long missing;
        private boolean anyValue;
        private boolean allNumeric = true;

        ColumnStats(DistinctCounter distinct) {
            this.distinct = distinct;
        }

        void add(String value) {
            if (value == null) {
                missing++;
                return;
            }
            anyValue = true;
            if (allNumeric && !DecimalRecognizer.isDecimal(value)) {
                allNumeric = false;
            }
            distinct.add(StringHash.hash64(value));
        }

        ColumnProfile toProfile(String name) {
            ColumnType type = anyValue && allNumeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
            return new ColumnProfile(name, type, missing, distinct.count(), distinct.isExact());
        }
    }
}
