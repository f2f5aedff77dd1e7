package dev.mlpipeline.dataset.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tells the field separator of a CSV file from its header and first lines, among those {@link
 * CsvReader} supports: comma, semicolon, tab and pipe.
 *
 * <p>The rule, on the first {@value #SAMPLE_BYTES} bytes (at most {@value #SAMPLE_RECORDS}
 * records; separators inside double quotes do not count):
 *
 * <ol>
 *   <li>a candidate is a separator that appears in the header;
 *   <li>no candidate: a one-column file, read with a comma;
 *   <li>one candidate: that one (a line with another number of fields is then reported by the
 *       profiler with its line number);
 *   <li>several: the one that appears on every sampled line exactly as often as in the header;
 *       when none or more than one does, the separator cannot be told and the caller must name it.
 * </ol>
 *
 * <p>Excel in most of Europe writes semicolons (the comma is the decimal mark there): such a file
 * has no comma in its header, so only the semicolon is a candidate.
 */
public final class DelimiterDetector {

    /** How much of the file is looked at, in bytes. */
    public static final int SAMPLE_BYTES = 64 * 1024;

    /** How many records (header included) are looked at, at most. */
    public static final int SAMPLE_RECORDS = 100;

    private DelimiterDetector() {
    }

    /**
     * Detects the separator from the start of a file. The stream is read (up to {@value
     * #SAMPLE_BYTES} bytes) and not reset or closed: pass a marked stream and reset it afterwards.
     *
     * @param in the raw bytes of the file
     * @return the separator, one of {@link CsvReader#DELIMITERS}
     * @throws CsvOptionException (field {@code delimiter}) when the separator cannot be told
     * @throws IOException if reading fails
     */
    public static char detect(InputStream in) throws IOException {
        byte[] head = in.readNBytes(SAMPLE_BYTES);
        boolean whole = head.length < SAMPLE_BYTES || in.read() < 0;
        return detect(decode(head), whole);
    }

    /**
     * Detects the separator from the start of a file, already decoded.
     *
     * @param text the first characters of the file
     * @param whole whether {@code text} is the whole file (else its last record may be cut short and
     *     is not looked at)
     * @return the separator
     * @throws CsvOptionException (field {@code delimiter}) when the separator cannot be told
     */
    static char detect(String text, boolean whole) {
        List<int[]> records = countPerRecord(text, whole);
        if (records.isEmpty()) {
            return ',';
        }
        int[] header = records.getFirst();
        List<Character> present = new ArrayList<>();
        for (int c = 0; c < CANDIDATES.length(); c++) {
            if (header[c] > 0) {
                present.add(CANDIDATES.charAt(c));
            }
        }
        if (present.isEmpty()) {
            return ',';
        }
        if (present.size() == 1) {
            return present.getFirst();
        }
        if (records.size() == 1) {
            // A header alone: the profiler reports that there are no data rows.
            return present.contains(',') ? ',' : present.getFirst();
        }
        List<Character> consistent = new ArrayList<>();
        for (char candidate : present) {
            int c = CANDIDATES.indexOf(candidate);
            boolean same = true;
            for (int[] record : records) {
                same &= record[c] == header[c];
            }
            if (same) {
                consistent.add(candidate);
            }
        }
        if (consistent.size() == 1) {
            return consistent.getFirst();
        }
        List<Character> named = consistent.isEmpty() ? present : consistent;
        throw new CsvOptionException("delimiter", "cannot tell the separator of the file: the header holds "
                + named.stream().map(DelimiterDetector::name).collect(Collectors.joining(" and "))
                + (consistent.isEmpty() ? ", and none of them splits the first lines into as many fields as the header"
                        : ", and each splits the first lines into as many fields as the header")
                + "; send the multipart part 'delimiter' with one of , ; | or tab");
    }

    /** How a separator is named in messages. */
    public static String name(char delimiter) {
        return switch (delimiter) {
            case '\t' -> "tab";
            case ',' -> "',' (comma)";
            case ';' -> "';' (semicolon)";
            case '|' -> "'|' (pipe)";
            default -> "'" + delimiter + "'";
        };
    }

    private static final String CANDIDATES = CsvReader.DELIMITERS;

    /** Per record (blank lines skipped), how often each candidate appears outside quotes. */
    private static List<int[]> countPerRecord(String text, boolean whole) {
        List<int[]> records = new ArrayList<>();
        int[] counts = new int[CANDIDATES.length()];
        boolean inQuotes = false;
        boolean empty = true;
        int start = text.startsWith("\uFEFF") ? 1 : 0;
        for (int i = start; i < text.length() && records.size() < SAMPLE_RECORDS; i++) {
            char ch = text.charAt(i);
            if (ch == '"') {
                inQuotes = !inQuotes;
                empty = false;
            } else if (inQuotes) {
                continue;
            } else if (ch == '\n' || ch == '\r') {
                if (!empty) {
                    records.add(counts);
                    counts = new int[CANDIDATES.length()];
                    empty = true;
                }
            } else {
                int c = CANDIDATES.indexOf(ch);
                if (c >= 0) {
                    counts[c]++;
                }
                empty = false;
            }
        }
        if (!empty && whole && records.size() < SAMPLE_RECORDS) {
            records.add(counts);
        }
        return records;
    }

    private static String decode(byte[] head) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(head.length);
        decoder.decode(ByteBuffer.wrap(head), out, true);
        return out.flip().toString();
    }
}
