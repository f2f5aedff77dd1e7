package dev.mlpipeline.dataset.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.pipeline.ColumnType;

import static dev.mlpipeline.dataset.csv.CsvTestSupport.profile;
import static dev.mlpipeline.dataset.csv.CsvTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvProfilerTest {

    private static CsvFormatException profileError(String csv) {
        return profileError(utf8(csv));
    }

    private static CsvFormatException profileError(byte[] csv) {
        return assertThrows(CsvFormatException.class, () -> profile(csv));
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void profilesColumns() throws Exception {
        String csv = "id,score,label,empty,mixed\n"
                + "1,-1.5e3,a,,1\n"
                + "2,.5,\"b, c\",,x\n"
                + "3,,a,\"\",2\n"
                + "3,5.,\"multi\nline\",,\n";
        byte[] bytes = utf8(csv);
        CsvProfile profile = profile(bytes);

        assertEquals(4, profile.rowCount());
        assertEquals(bytes.length, profile.sizeBytes());
        assertEquals(sha256(bytes), profile.sha256());
        assertEquals(
                List.of(
                        new ColumnProfile("id", ColumnType.NUMERIC, 0, 3, true),
                        new ColumnProfile("score", ColumnType.NUMERIC, 1, 3, true),
                        new ColumnProfile("label", ColumnType.CATEGORICAL, 0, 3, true),
                        new ColumnProfile("empty", ColumnType.CATEGORICAL, 4, 0, true),
                        new ColumnProfile("mixed", ColumnType.CATEGORICAL, 1, 3, true)),
                profile.columns());
    }

    @Test
    void shaAndSizeCoverTheRawBytesIncludingBomAndCrlf() throws Exception {
        byte[] bytes = utf8("\uFEFFa,b\r\n1,2\r\n\r\n");
        CsvProfile profile = profile(bytes);
        assertEquals(bytes.length, profile.sizeBytes());
        assertEquals(sha256(bytes), profile.sha256());
        assertEquals(1, profile.rowCount());
        assertEquals("a", profile.columns().get(0).name(), "BOM is not part of the first name");
    }

    @Test
    void numbersWithQuotedSpacesOrSuffixesAreCategorical() throws Exception {
        // NaN is a missing-value marker and an unquoted " 2" is trimmed; a quoted " 2" keeps its blank.
        CsvProfile profile = profile("a,b,c,d,e\n1,NaN,1d, 2,\" 2\"\n2,3,4,5,6\n");
        assertEquals(ColumnType.NUMERIC, profile.columns().get(0).type());
        assertEquals(ColumnType.NUMERIC, profile.columns().get(1).type());
        assertEquals(1, profile.columns().get(1).missing());
        assertEquals(ColumnType.CATEGORICAL, profile.columns().get(2).type());
        assertEquals(ColumnType.NUMERIC, profile.columns().get(3).type());
        assertEquals(ColumnType.CATEGORICAL, profile.columns().get(4).type());
    }

    @Test
    void distinctValuesAreCaseSensitiveAndQuotedBlanksCount() throws Exception {
        CsvProfile profile = profile("x\nYes\nyes\n yes\n\" yes\"\nYes\n");
        assertEquals(3, profile.columns().get(0).distinct(), "Yes, yes and ' yes' (quoted)");
    }

    @Test
    void manyDistinctValuesSwitchToAnEstimate() throws Exception {
        StringBuilder csv = new StringBuilder("id,few\n");
        int rows = 50_000;
        for (int i = 0; i < rows; i++) {
            csv.append("user-").append(i).append(',').append(i % 10).append('\n');
        }
        CsvProfile profile = profile(csv.toString());
        ColumnProfile id = profile.columns().get(0);
        assertFalse(id.distinctExact());
        assertEquals(rows, id.distinct(), rows * 0.05);
        assertEquals(ColumnType.CATEGORICAL, id.type());
        ColumnProfile few = profile.columns().get(1);
        assertTrue(few.distinctExact());
        assertEquals(10, few.distinct());
        assertEquals(ColumnType.NUMERIC, few.type());
    }

    @Test
    void exactlyAtTheLimitStaysExact() throws Exception {
        StringBuilder csv = new StringBuilder("v\n");
        for (int i = 0; i < CsvProfiler.EXACT_DISTINCT_LIMIT; i++) {
            csv.append(i).append('\n');
        }
        ColumnProfile column = profile(csv.toString()).columns().get(0);
        assertTrue(column.distinctExact());
        assertEquals(CsvProfiler.EXACT_DISTINCT_LIMIT, column.distinct());

        csv.append("one more\n");
        column = profile(csv.toString()).columns().get(0);
        assertFalse(column.distinctExact());
        assertTrue(column.distinct() > CsvProfiler.EXACT_DISTINCT_LIMIT, "never below what is known");
    }

    @Test
    void emptyFile() {
        for (String csv : List.of("", "\n\n", "\r\n", "\uFEFF")) {
            CsvFormatException e = profileError(csv);
            assertEquals("the file is empty", e.getMessage());
            assertEquals(0, e.line());
        }
    }

    @Test
    void headerOnly() {
        for (String csv : List.of("a,b", "a,b\n", "a,b\r\n\r\n\n")) {
            assertEquals("the file has a header but no data rows", profileError(csv).getMessage());
        }
    }

    @Test
    void emptyColumnName() {
        CsvFormatException e = profileError("a,,c\n1,2,3\n");
        assertEquals(1, e.line());
        assertEquals(
                "the header (line 1) has an empty name for column 2; every column needs a name",
                e.getMessage());
        assertTrue(profileError("a,b,\n1,2,3\n").getMessage().contains("column 3"));
        assertTrue(profileError("a,\"\",c\n1,2,3\n").getMessage().contains("column 2"));
        assertTrue(profileError("a,  ,c\n1,2,3\n").getMessage().contains("column 2"));
    }

    @Test
    void duplicateColumnNames() {
        CsvFormatException e = profileError("a,b,c,b\n1,2,3,4\n");
        assertEquals(1, e.line());
        assertEquals(
                "the header (line 1) has the column name 'b' twice (columns 2 and 4); column names"
                        + " must be unique",
                e.getMessage());
    }

    @Test
    void namesDifferingInCaseOrQuotedSpacesAreDistinct() throws Exception {
        CsvProfile profile = profile("a,A,\"a \"\n1,2,3\n");
        assertEquals(List.of("a", "A", "a "), profile.columns().stream().map(ColumnProfile::name).toList());
    }

    @Test
    void namesEqualAfterTrimmingAreDuplicates() {
        assertTrue(profileError("a,A,a \n1,2,3\n").getMessage().contains("the column name 'a' twice"));
    }

    @Test
    void raggedRowNamesItsLine() {
        CsvFormatException e = profileError("a,b,c\n1,2,3\n4,5\n");
        assertEquals(3, e.line());
        assertEquals("line 3 has 2 fields, expected 3 (header has 3 columns)", e.getMessage());
        assertEquals(
                "line 2 has 4 fields, expected 3 (header has 3 columns)",
                profileError("a,b,c\n1,2,3,4\n").getMessage());
    }

    @Test
    void raggedRowAfterARecordSpanningTwoLines() {
        CsvFormatException e = profileError("a,b\n\"two\nlines\",x\n\n1,2,3\n");
        assertEquals(5, e.line());
        assertEquals("line 5 has 3 fields, expected 2 (header has 2 columns)", e.getMessage());
    }

    @Test
    void readerErrorsPassThrough() {
        assertEquals(3, profileError("a,b\n1,2\n\"3,4\n").line());
        byte[] latin1 = { 'a', '\n', 'c', 'a', 'f', (byte) 0xC3, 0x28, '\n' };
        assertTrue(profileError(latin1).getMessage().startsWith("the file is not valid UTF-8"));
        assertTrue(profileError("a\n\u0000\u0000\n").getMessage().contains("binary data"));
    }

    @Test
    void tooManyColumns() {
        String header = String.join(",", java.util.stream.IntStream.rangeClosed(0, CsvProfiler.MAX_COLUMNS)
                .mapToObj(i -> "c" + i).toList());
        CsvFormatException e = profileError(header + "\n");
        assertTrue(e.getMessage().startsWith("the header has 4097 columns"), e.getMessage());
    }

    @Test
    void streamIsNotClosed() throws IOException {
        boolean[] closed = { false };
        ByteArrayInputStream in = new ByteArrayInputStream(utf8("a\n1\n")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new CsvProfiler().profile(in);
        assertFalse(closed[0]);
    }
}
