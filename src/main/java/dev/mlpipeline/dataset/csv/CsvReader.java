package dev.mlpipeline.dataset.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Objects;

/**
 * A streaming RFC 4180 CSV parser over the raw bytes of a file.
 *
 * <h2>Input</h2>
 *
 * <ul>
 *   <li>The bytes must be valid UTF-8; a leading UTF-8 byte order mark is skipped. Invalid bytes
 *       give a {@link CsvFormatException} naming the line they are on.
 *   <li>Control characters below U+0020 other than tab, CR and LF (a NUL byte, for example) are
 *       taken as a sign of a binary file and rejected, inside quoted fields too.
 *   <li>The separator is a comma. A record ends at LF, CRLF or a lone CR.
 *   <li>A field may be enclosed in double quotes; it may then contain commas, line breaks (kept
 *       exactly as written: CR, LF or CRLF) and quotes written twice ({@code ""}). A quote inside
 *       an unquoted field, any character other than a comma or line break right after a closing
 *       quote, and a quote never closed are errors.
 * </ul>
 *
 * <h2>Output</h2>
 *
 * <ul>
 *   <li>{@link #next()} returns each record as an array of fields. An empty field, quoted ({@code
 *       ""}) or not, is returned as {@code null} (a missing value); any other value is returned as
 *       written, without trimming.
 *   <li>Lines that are completely empty are skipped wherever they are, and a final line break does
 *       not produce an extra record. A consequence: in a one-column file a missing value must be
 *       written as {@code ""}, as an empty line is not a record.
 *   <li>Line numbers are physical lines, counted from 1; a line break inside a quoted field starts
 *       a new line. {@link #recordStartLine()} gives the line on which the last returned record
 *       started.
 * </ul>
 *
 * <p>Memory is bounded: the parser holds one buffer of bytes, one of characters and the current
 * record, and a record longer than a fixed number of characters is rejected (by default {@value
 * #DEFAULT_MAX_RECORD_CHARS}), which also stops a quote that is never closed from swallowing the
 * whole file.
 *
 * <p>Instances are not thread-safe.
 */
public final class CsvReader implements Closeable {

    /** Default maximum length of one record, in characters (separators and quotes included). */
    public static final int DEFAULT_MAX_RECORD_CHARS = 1 << 20;

    private static final int BYTE_BUFFER_SIZE = 1 << 16;
    private static final int CHAR_BUFFER_SIZE = 1 << 16;
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final String[] NO_FIELDS = new String[0];

    /** Why decoding stopped: the kind of problem found in the bytes. */
    private enum DecodeProblem {
        NOT_UTF8,
        BINARY
    }

    private final InputStream in;
    private final int maxRecordChars;
    private final CharsetDecoder decoder =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(BYTE_BUFFER_SIZE).flip();
    private final char[] buf = new char[CHAR_BUFFER_SIZE];
    private final CharBuffer chars = CharBuffer.wrap(buf);
    private final ArrayList<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();

    /** Next character to parse in {@link #buf}. */
    private int pos;
    /** End of the decoded characters in {@link #buf}. */
    private int limit;
    /** Number of characters decoded before {@code buf[0]}. */
    private long bufferStart;
    /** Offset, in characters from the start of the input, of the current record's first char. */
    private long recordStart;

    private boolean inputExhausted;
    private boolean endOfChars;
    private boolean atStart = true;
    private DecodeProblem pendingProblem;

    private long line = 1;
    private long recordStartLine;

    /**
     * Creates a reader with the default record length limit.
     *
     * @param in the raw bytes of the CSV file; closed by {@link #close()}
     */
    public CsvReader(InputStream in) {
        this(in, DEFAULT_MAX_RECORD_CHARS);
    }

    /**
     * Creates a reader.
     *
     * @param in the raw bytes of the CSV file; closed by {@link #close()}
     * @param maxRecordChars the longest record accepted, in characters (separators and quotes
     *     included); a longer one gives a {@link CsvFormatException}
     */
    public CsvReader(InputStream in, int maxRecordChars) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxRecordChars < 1) {
            throw new IllegalArgumentException("maxRecordChars must be positive: " + maxRecordChars);
        }
        this.maxRecordChars = maxRecordChars;
    }

    /**
     * Reads the next record.
     *
     * @return the fields of the next record, with {@code null} for each empty field, or {@code
     *     null} at the end of the input
     * @throws CsvFormatException if the input is malformed at this point
     * @throws IOException if reading the underlying stream fails
     */
    public String[] next() throws IOException {
        if (!skipBlankLines()) {
            return null;
        }
        recordStartLine = line;
        recordStart = bufferStart + pos;
        fields.clear();
        while (true) {
            if (pos == limit && !fill()) {
                fields.add(null); // the input ends right after a comma
                break;
            }
            fields.add(buf[pos] == '"' ? readQuoted() : readUnquoted());
            checkRecordLength(-1);
            if (pos == limit && !fill()) {
                break;
            }
            char c = buf[pos++];
            if (c == ',') {
                continue;
            }
            line++;
            if (c == '\r') {
                skipLineFeed();
            }
            break;
        }
        if (field.capacity() > CHAR_BUFFER_SIZE) {
            field.setLength(0);
            field.trimToSize(); // do not keep the memory of one huge field for the whole file
        }
        return fields.toArray(NO_FIELDS);
    }

    /**
     * Returns where the last record returned by {@link #next()} started.
     *
     * @return the 1-based physical line of the first character of that record, or 0 before the
     *     first record
     */
    public long recordStartLine() {
        return recordStartLine;
    }

    /**
     * Closes the underlying stream.
     *
     * @throws IOException if closing the stream fails
     */
    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Consumes empty lines; returns false at the end of the input. */
    private boolean skipBlankLines() throws IOException {
        while (true) {
            if (pos == limit && !fill()) {
                return false;
            }
            char c = buf[pos];
            if (c == '\n') {
                pos++;
                line++;
            } else if (c == '\r') {
                pos++;
                line++;
                skipLineFeed();
            } else {
                return true;
            }
        }
    }

    /** After a CR: consumes a following LF, so that CRLF counts as one line break. */
    private void skipLineFeed() throws IOException {
        if ((pos < limit || fill()) && buf[pos] == '\n') {
            pos++;
        }
    }

    /**
     * Reads an unquoted field starting at {@code pos}; stops before the comma or line break ending
     * it, or at the end of the input.
     */
    private String readUnquoted() throws IOException {
        int start = pos;
        boolean spilled = false;
        while (true) {
            final char[] b = buf;
            final int lim = limit;
            int p = pos;
            while (p < lim) {
                char c = b[p];
                if (c > '"') {
                    if (c == ',') {
                        break;
                    }
                } else if (c < ' ' ? c != '\t' : c == '"') {
                    break;
                }
                p++;
            }
            pos = p;
            if (p < lim) {
                char c = b[p];
                if (c == ',' || c == '\n' || c == '\r') {
                    break;
                }
                throw c == '"' ? quoteInUnquotedField() : binaryData(c);
            }
            // The field goes on past the end of the buffer: keep what we have and refill.
            if (!spilled) {
                field.setLength(0);
                spilled = true;
            }
            field.append(b, start, p - start);
            checkRecordLength(-1);
            boolean more = fill();
            start = pos;
            if (!more) {
                break;
            }
        }
        if (!spilled) {
            return pos == start ? null : new String(buf, start, pos - start);
        }
        field.append(buf, start, pos - start);
        return field.isEmpty() ? null : field.toString();
    }

    /**
     * Reads a quoted field whose opening quote is at {@code pos}; stops before the comma or line
     * break after the closing quote, or at the end of the input.
     */
    private String readQuoted() throws IOException {
        final long quoteLine = line;
        pos++;
        field.setLength(0);
        while (true) {
            if (pos == limit) {
                checkRecordLength(quoteLine);
                if (!fill()) {
                    throw new CsvFormatException(
                            "line " + quoteLine + ": a quoted field that starts on this line is never"
                                    + " closed; add the missing closing quote (\"), and write any"
                                    + " quote inside a quoted field twice (\"\")",
                            quoteLine);
                }
            }
            final char[] b = buf;
            final int lim = limit;
            final int start = pos;
            int p = start;
            while (p < lim) {
                char c = b[p];
                if (c < ' ' ? c != '\t' : c == '"') {
                    break;
                }
                p++;
            }
            field.append(b, start, p - start);
            pos = p;
            if (p == lim) {
                continue;
            }
            char c = b[p];
            pos++;
            if (c == '"') {
                if ((pos < limit || fill()) && buf[pos] == '"') {
                    field.append('"');
                    pos++;
                    continue;
                }
                break;
            }
            if (c == '\n') {
                field.append('\n');
                line++;
            } else if (c == '\r') {
                field.append('\r');
                line++;
                if ((pos < limit || fill()) && buf[pos] == '\n') {
                    field.append('\n');
                    pos++;
                }
            } else {
                throw binaryData(c);
            }
        }
        if (pos < limit || fill()) {
            char c = buf[pos];
            if (c != ',' && c != '\n' && c != '\r') {
                throw new CsvFormatException(
                        "line " + line + ", column " + (fields.size() + 1) + ": unexpected "
                                + describe(c) + " after the closing quote of a quoted field; a"
                                + " quote inside a quoted field must be written twice (\"\")",
                        line);
            }
        }
        return field.isEmpty() ? null : field.toString();
    }

    /**
     * Rejects the current record if it is too long.
     *
     * @param quoteLine the line of the opening quote if inside a quoted field, else -1
     */
    private void checkRecordLength(long quoteLine) {
        if (bufferStart + pos - recordStart <= maxRecordChars) {
            return;
        }
        if (quoteLine > 0) {
            throw new CsvFormatException(
                    "line " + quoteLine + ": a quoted field that starts on this line runs for more"
                            + " than " + maxRecordChars + " characters; most likely its closing"
                            + " quote (\") is missing",
                    quoteLine);
        }
        throw new CsvFormatException(
                "line " + recordStartLine + ": the record that starts on this line is longer than "
                        + maxRecordChars + " characters",
                recordStartLine);
    }

    private CsvFormatException quoteInUnquotedField() {
        return new CsvFormatException(
                "line " + line + ", column " + (fields.size() + 1) + ": a quote (\") appears inside"
                        + " an unquoted field; a field that contains quotes must be enclosed in"
                        + " quotes, with each quote inside it written twice (\"\")",
                line);
    }

    private CsvFormatException binaryData(char c) {
        return new CsvFormatException(
                "the file looks like binary data, not CSV text: it contains the control character "
                        + String.format("0x%02X", (int) c) + " (line " + line + ")",
                line);
    }

    private CsvFormatException decodeFailure(DecodeProblem problem) {
        if (problem == DecodeProblem.BINARY) {
            return new CsvFormatException(
                    "the file looks like binary data, not CSV text (line " + line + ")", line);
        }
        return new CsvFormatException(
                "the file is not valid UTF-8 text: invalid byte sequence on line " + line
                        + "; save or export the file with UTF-8 encoding",
                line);
    }

    private static String describe(char c) {
        if (c < ' ' || c == 0x7F) {
            return String.format("control character 0x%02X", (int) c);
        }
        return "character '" + c + "'";
    }

    /**
     * Replaces the (fully consumed) character buffer with the next decoded characters.
     *
     * @return false at the end of the input
     */
    private boolean fill() throws IOException {
        while (true) {
            if (endOfChars) {
                return false;
            }
            bufferStart += limit;
            pos = 0;
            limit = 0;
            if (pendingProblem != null) {
                throw decodeFailure(pendingProblem);
            }
            decodeChunk();
            limit = chars.position();
            if (limit == 0) {
                endOfChars = true;
                return false;
            }
            if (atStart) {
                atStart = false;
                if (buf[0] == BYTE_ORDER_MARK) {
                    pos = 1;
                    if (limit == 1) {
                        continue;
                    }
                }
            }
            return true;
        }
    }

    /**
     * Decodes bytes into {@link #chars} until it is full, the bytes read so far are used up, or
     * the input ends. A decoding error found after some characters were decoded is remembered and
     * reported once those characters are parsed, so that it carries the right line number.
     */
    private void decodeChunk() throws IOException {
        chars.clear();
        while (true) {
            CoderResult result = decoder.decode(bytes, chars, inputExhausted);
            if (result.isError()) {
                DecodeProblem problem = classifyUndecodable();
                if (chars.position() == 0) {
                    throw decodeFailure(problem);
                }
                pendingProblem = problem;
                return;
            }
            if (result.isOverflow()) {
                return;
            }
            if (inputExhausted) {
                decoder.flush(chars);
                return;
            }
            if (chars.position() > 0) {
                return;
            }
            readBytes();
        }
    }

    /**
     * Tells whether undecodable bytes are more likely binary data or text in another encoding:
     * binary if a NUL byte follows within the next buffer's worth of bytes. Decoding stops at the
     * error anyway, so reading ahead here costs nothing.
     */
    private DecodeProblem classifyUndecodable() throws IOException {
        while (!inputExhausted && bytes.limit() < bytes.capacity()) {
            readBytes();
        }
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (bytes.get(i) == 0) {
                return DecodeProblem.BINARY;
            }
        }
        return DecodeProblem.NOT_UTF8;
    }

    private void readBytes() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            inputExhausted = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }
}
