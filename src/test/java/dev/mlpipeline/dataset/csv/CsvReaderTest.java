package dev.mlpipeline.dataset.csv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static dev.mlpipeline.dataset.csv.CsvTestSupport.readAll;
import static dev.mlpipeline.dataset.csv.CsvTestSupport.readAllTrickled;
import static dev.mlpipeline.dataset.csv.CsvTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {

    private static void assertRecords(String csv, String[]... expected) {
        assertRecords(utf8(csv), expected);
    }

    private static void assertRecords(byte[] csv, String[]... expected) {
        for (List<String[]> actual : List.of(readAll(csv), readAllTrickled(csv))) {
            assertEquals(expected.length, actual.size(), "record count");
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], actual.get(i), "record " + i);
            }
        }
    }

    private static String[] r(String... fields) {
        return fields;
    }

    private static CsvFormatException parseError(String csv) {
        return parseError(utf8(csv));
    }

    private static CsvFormatException parseError(byte[] csv) {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> readAll(csv));
        CsvFormatException trickled = assertThrows(CsvFormatException.class, () -> readAllTrickled(csv));
        assertEquals(e.getMessage(), trickled.getMessage(), "same error whatever the buffering");
        assertEquals(e.line(), trickled.line());
        return e;
    }

    /** Returns the start line of every record. */
    private static List<Long> startLines(String csv) throws IOException {
        List<Long> lines = new ArrayList<>();
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(utf8(csv)))) {
            while (reader.next() != null) {
                lines.add(reader.recordStartLine());
            }
        }
        return lines;
    }

    @Test
    void plainRecords() {
        assertRecords("a,b,c\n1,2,3\n", r("a", "b", "c"), r("1", "2", "3"));
    }

    @Test
    void lastRecordWithoutLineBreak() {
        assertRecords("a,b\n1,2", r("a", "b"), r("1", "2"));
    }

    @Test
    void crlfAndLoneCrEndRecords() {
        assertRecords("a,b\r\n1,2\r\n", r("a", "b"), r("1", "2"));
        assertRecords("a,b\r1,2\r", r("a", "b"), r("1", "2"));
        assertRecords("a\r\nb\nc\rd", r("a"), r("b"), r("c"), r("d"));
    }

    @Test
    void emptyFieldsAreNull() {
        assertRecords(
                "a,b,c\n,x,\n\"\",\"\",y\n,,\n",
                r("a", "b", "c"),
                r(null, "x", null),
                r(null, null, "y"),
                r(null, null, null));
    }

    @Test
    void trailingCommaAtEndOfInputIsAnEmptyField() {
        assertRecords("a,b\n1,", r("a", "b"), r("1", null));
    }

    @Test
    void valuesAreNotTrimmed() {
        assertRecords("a, b ,\tc\t\n", r("a", " b ", "\tc\t"));
        assertRecords("\" x \", \n", r(" x ", " "));
    }

    @Test
    void quotedFieldsWithCommasQuotesAndLineBreaks() {
        assertRecords(
                "name,text\n\"Smith, J.\",\"say \"\"hi\"\"\"\n\"a\nb\",\"c\r\nd\"\n\"e\rf\",\"\"\"\"\n",
                r("name", "text"),
                r("Smith, J.", "say \"hi\""),
                r("a\nb", "c\r\nd"),
                r("e\rf", "\""));
    }

    @Test
    void quotedFieldAtEndOfInput() {
        assertRecords("a\n\"x,y\"", r("a"), r("x,y"));
    }

    @Test
    void byteOrderMarkIsSkipped() {
        assertRecords("\uFEFFa,b\n1,2\n", r("a", "b"), r("1", "2"));
        assertRecords("\uFEFF\"a\",b\n", r("a", "b"));
        assertRecords("\uFEFF");
        // A BOM anywhere else is data.
        assertRecords("a,\uFEFFb\n", r("a", "\uFEFFb"));
    }

    @Test
    void multiByteCharacters() {
        assertRecords("città,naïve,日本語,😀\n\"é,è\",x\n", r("città", "naïve", "日本語", "😀"), r("é,è", "x"));
    }

    @Test
    void blankLinesAreSkippedAndTrailingLineBreakAddsNoRecord() {
        assertRecords("");
        assertRecords("\n\r\n\r");
        assertRecords("\na,b\n\n1,2\r\n\r\n\n", r("a", "b"), r("1", "2"));
    }

    @Test
    void recordStartLineCountsPhysicalLines() throws IOException {
        assertEquals(List.of(1L, 2L, 3L, 6L, 7L), startLines("h1,h2\na,b\n\"x\ny\",z\n\nc,d\r\ne,f\r"));
        assertEquals(List.of(1L, 2L), startLines("h\r\n\"a\r\n\"\r\n"));
    }

    @Test
    void recordStartLineIsZeroBeforeFirstRecord() throws IOException {
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(utf8("a\n")))) {
            assertEquals(0, reader.recordStartLine());
            reader.next();
            assertEquals(1, reader.recordStartLine());
            assertNull(reader.next());
            assertNull(reader.next(), "stays at end of input");
        }
    }

    @Test
    void unterminatedQuoteNamesTheLineWhereTheFieldStarted() {
        CsvFormatException e = parseError("a,b\n1,2\n3,\"four\nfive\nsix\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void quoteInsideUnquotedField() {
        CsvFormatException e = parseError("a,b\n1,2\n3,fo\"ur\n");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("line 3, column 2: a quote"), e.getMessage());
    }

    @Test
    void garbageAfterClosingQuote() {
        CsvFormatException e = parseError("a,b\n\"x\ny\"z,1\n");
        assertEquals(3, e.line(), "the line of the closing quote");
        assertTrue(e.getMessage().contains("unexpected character 'z' after the closing quote"),
                e.getMessage());
        assertEquals(1, parseError("\"a\" ,b\n").line());
    }

    @Test
    void invalidUtf8NamesItsLine() {
        byte[] csv = concat(utf8("a,b\n1,2\nx,"), new byte[]{ (byte) 0xC3, 0x28 }, utf8("\n"));
        CsvFormatException e = parseError(csv);
        assertEquals(3, e.line());
        assertEquals(
                "the file is not valid UTF-8 text: invalid byte sequence on line 3; save or export"
                        + " the file with UTF-8 encoding",
                e.getMessage());
    }

    @Test
    void invalidUtf8OnFirstByteAndAfterAFullBuffer() {
        assertEquals(1, parseError(new byte[]{ (byte) 0xFF, 'a' }).line());
        // Latin-1 'é' far into the file, beyond the first decoded chunk.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("row").append(i).append('\n');
        }
        byte[] csv = concat(utf8(sb.toString()), new byte[]{ 'c', 'a', 'f', (byte) 0xE9, '\n' });
        assertEquals(20_001, parseError(csv).line());
    }

    @Test
    void truncatedMultiByteSequenceAtEndOfInput() {
        assertEquals(2, parseError(concat(utf8("a\nb"), new byte[]{ (byte) 0xE6, (byte) 0x97 })).line());
    }

    @Test
    void lonelySurrogateEncodingIsRejected() {
        // CESU-8 / "modified UTF-8" encoding of a surrogate is not valid UTF-8.
        assertEquals(1, parseError(new byte[]{ 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80 }).line());
    }

    @Test
    void nulBytesMeanBinaryData() {
        CsvFormatException e = parseError(utf8("a,b\n1,2\n3,\u0000\u0000\u0001\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("the file looks like binary data, not CSV text"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(line 3)"), e.getMessage());
        // Also inside a quoted field, and other control characters.
        assertEquals(2, parseError("a\n\"x\u0007\"\n").line());
        assertEquals(1, parseError("a\u001Bb\n").line());
    }

    @Test
    void binaryJunkIsReportedAsBinary() {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        junk[0] = (byte) 0x89; // like a PNG signature: invalid UTF-8 right away
        junk[100] = 0;
        CsvFormatException e = parseError(junk);
        assertTrue(e.getMessage().startsWith("the file looks like binary data, not CSV text"),
                e.getMessage());
        // A zip (xlsx) file: starts with "PK\3\4".
        byte[] zip = concat(new byte[]{ 'P', 'K', 3, 4, 20, 0, 6, 0 }, junk);
        assertTrue(parseError(zip).getMessage().startsWith("the file looks like binary data"));
    }

    @Test
    void tooLongRecordIsRejected() throws IOException {
        String csv = "a\n" + "x".repeat(100) + "\n";
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(utf8(csv)), 50)) {
            reader.next();
            CsvFormatException e = assertThrows(CsvFormatException.class, reader::next);
            assertEquals(2, e.line());
        }
        String unclosed = "a\n\"" + "x\n".repeat(100);
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(utf8(unclosed)), 50)) {
            reader.next();
            CsvFormatException e = assertThrows(CsvFormatException.class, reader::next);
            assertEquals(2, e.line());
            assertTrue(e.getMessage().contains("closing quote"), e.getMessage());
        }
    }

    @Test
    void longFieldsSpanningManyBuffers() {
        String big = "x".repeat(300_000);
        String quoted = "q\"\"".repeat(50_000);
        assertRecords(
                "a,b\n" + big + ",\"" + quoted + "\"\n",
                r("a", "b"),
                r(big, "q\"".repeat(50_000)));
    }

    /** Writes random records, quoting where needed, and checks that they parse back. */
    @Test
    void randomRecordsRoundTrip() {
        Random random = new Random(7);
        int[] codePoints = "ab ,\"\r\n\té€😀".codePoints().toArray();
        List<String[]> records = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            String[] record = new String[1 + random.nextInt(5)];
            for (int j = 0; j < record.length; j++) {
                int length = random.nextInt(8);
                StringBuilder value = new StringBuilder();
                for (int k = 0; k < length; k++) {
                    value.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
                }
                record[j] = value.isEmpty() ? null : value.toString();
                if (j > 0) {
                    csv.append(',');
                }
                if (record[j] != null) {
                    boolean quote = random.nextBoolean() || record[j].matches("(?s).*[,\"\r\n].*");
                    csv.append(quote ? "\"" + record[j].replace("\"", "\"\"") + "\"" : record[j]);
                } else if (record.length == 1 || random.nextBoolean()) {
                    csv.append("\"\""); // an empty line would be skipped, so quote a lone null
                }
            }
            csv.append(List.of("\n", "\r\n", "\r").get(random.nextInt(3)));
            records.add(record);
        }
        assertRecords(csv.toString(), records.toArray(String[][]::new));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
