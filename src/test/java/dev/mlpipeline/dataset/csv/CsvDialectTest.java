package dev.mlpipeline.dataset.csv;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.pipeline.ColumnType;

import static dev.mlpipeline.dataset.csv.CsvTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload data contract: separators, trimming, missing-value markers, placeholders, leading
 * zeros, declared types and likely identifiers. Each case of issue 11 with its neighbours.
 */
class CsvDialectTest {

    private static CsvProfile profile(String csv) throws IOException {
        return profile(csv, CsvOptions.defaults());
    }

    private static CsvProfile profile(String csv, CsvOptions options) throws IOException {
        return new CsvProfiler().profile(new ByteArrayInputStream(utf8(csv)), options);
    }

    private static ColumnProfile column(CsvProfile profile, String name) {
        return profile.columns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + name + " in " + profile.columns()));
    }

    private static List<String> codes(CsvProfile profile, String column) {
        return profile.warnings().stream().filter(w -> column.equals(w.column())).map(CsvWarning::code).toList();
    }

    private static CsvWarning warning(CsvProfile profile, String column, String code) {
        return profile.warnings().stream().filter(w -> column.equals(w.column()) && code.equals(w.code())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " warning for " + column + " in " + profile.warnings()));
    }

    private static List<String[]> records(String csv, char delimiter, boolean trim) throws IOException {
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(utf8(csv)), delimiter, trim)) {
            List<String[]> out = new ArrayList<>();
            for (String[] r = reader.next(); r != null; r = reader.next()) {
                out.add(r);
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- separators

    @Test
    void semicolonFileHasThreeColumns() throws IOException {
        CsvProfile p = profile("age;income;label\n34;52000;yes\n51;61000;no\n29;38000;yes\n");
        assertEquals(';', p.format().delimiter());
        assertEquals(List.of("age", "income", "label"), p.columns().stream().map(ColumnProfile::name).toList());
        assertEquals(ColumnType.NUMERIC, column(p, "age").type());
        assertEquals(ColumnType.NUMERIC, column(p, "income").type());
        assertEquals(ColumnType.CATEGORICAL, column(p, "label").type());
    }

    @Test
    void semicolonFileWithDecimalCommasIsStillSemicolonSeparated() throws IOException {
        CsvProfile p = profile("name;price\nTee;12,50\nCap;8,00\n");
        assertEquals(';', p.format().delimiter());
        assertEquals(2, p.columns().size());
    }

    @Test
    void tabAndPipeFiles() throws IOException {
        CsvProfile tab = profile("age\tincome\tlabel\n34\t52000\tyes\n51\t61000\tno\n");
        assertEquals('\t', tab.format().delimiter());
        assertEquals(3, tab.columns().size());
        assertEquals(ColumnType.NUMERIC, column(tab, "income").type());

        CsvProfile pipe = profile("age|income|label\n34|52000|yes\n51|61000|\"a|b\"\n");
        assertEquals('|', pipe.format().delimiter());
        assertEquals(3, pipe.columns().size());
        assertEquals(2, column(pipe, "label").distinct(), "a quoted pipe is part of the value");
    }

    @Test
    void commaWinsWhenOtherSeparatorsOnlyAppearInTheHeaderOrInQuotes() throws IOException {
        CsvProfile p = profile("price;usd,note\n1,\"a;b\"\n2,c\n");
        assertEquals(',', p.format().delimiter());
        assertEquals(List.of("price;usd", "note"), p.columns().stream().map(ColumnProfile::name).toList());
    }

    @Test
    void oneColumnFileIsReadWithCommas() throws IOException {
        CsvProfile p = profile("value\n1\n2\n");
        assertEquals(',', p.format().delimiter());
        assertEquals(1, p.columns().size());
    }

    @Test
    void undecidableSeparatorIsAnErrorNamingTheCandidates() {
        CsvOptionException e = assertThrows(CsvOptionException.class, () -> profile("a,b;c\n1,2;3\n4,5;6\n"));
        assertEquals("delimiter", e.field());
        assertTrue(e.getMessage().contains("',' (comma) and ';' (semicolon)"), e.getMessage());
        assertTrue(e.getMessage().contains("send the multipart part 'delimiter'"), e.getMessage());

        CsvOptionException none = assertThrows(CsvOptionException.class, () -> profile("a,b;c\n1;2\n1,2,3\n"));
        assertTrue(none.getMessage().contains("none of them"), none.getMessage());
    }

    @Test
    void declaredSeparatorOverridesDetection() throws IOException {
        CsvProfile p = profile("a,b;c\n1,2;3\n4,5;6\n", new CsvOptions(';', null, Map.of()));
        assertEquals(List.of("a,b", "c"), p.columns().stream().map(ColumnProfile::name).toList());
    }

    @Test
    void raggedFileStillNamesItsLine() {
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> profile("a,b\n1,2\n3\n"));
        assertEquals("line 3 has 1 fields, expected 2 (header has 2 columns)", e.getMessage());
    }

    @Test
    void detectorLooksPastTheSampleOnlyForWholeRecords() {
        StringBuilder csv = new StringBuilder("a;b\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(";x\n");
        }
        assertEquals(';', DelimiterDetector.detect(csv.toString(), false));
        assertEquals(';', DelimiterDetector.detect("\uFEFFa;b\n1;2", true));
    }

    // ---------------------------------------------------------------- trimming

    @Test
    void blankAfterEachDelimiterIsTrimmedAndTheColumnStaysNumeric() throws IOException {
        CsvProfile p = profile("age, workclass, hours, income\n39, State-gov, 40, <=50K\n50, Private, 13, >50K\n"
                + "38, Private, 40, <=50K\n");
        assertEquals(List.of("age", "workclass", "hours", "income"), p.columns().stream().map(ColumnProfile::name).toList());
        assertEquals(ColumnType.NUMERIC, column(p, "hours").type());
        assertEquals(2, column(p, "hours").distinct());
        assertEquals(2, column(p, "workclass").distinct());
        List<String> trimmed = p.warnings().stream().filter(w -> "hours".equals(w.column()) && w.code().equals("trimmed"))
                .map(CsvWarning::message).toList();
        assertEquals(2, trimmed.size(), trimmed.toString());
        assertTrue(trimmed.get(0).startsWith("the column name had blanks around it"), trimmed.get(0));
        assertTrue(trimmed.get(1).startsWith("3 values had blanks around them"), trimmed.get(1));
        assertFalse(codes(p, "age").contains("trimmed"), "age never had blanks");
    }

    @Test
    void quotedFieldsKeepTheirBlanks() throws IOException {
        List<String[]> r = records("name, city\n x , \"  New York \" \n\"\", \" \"\n", ',', true);
        assertArrayEquals(new String[]{ "name", "city" }, r.get(0));
        assertArrayEquals(new String[]{ "x", "  New York " }, r.get(1));
        assertArrayEquals(new String[]{ null, " " }, r.get(2));
    }

    @Test
    void trimmingCountsPerColumnAndBlankOnlyFieldsAreMissing() throws IOException {
        try (CsvReader reader = new CsvReader(new ByteArrayInputStream(utf8("a,b\n 1,2\n  ,3 \n")), ',', true)) {
            assertArrayEquals(new String[]{ "a", "b" }, reader.next());
            assertArrayEquals(new String[]{ "1", "2" }, reader.next());
            assertArrayEquals(new String[]{ null, "3" }, reader.next());
            assertNull(reader.next());
            assertEquals(2, reader.trimmedFields(0));
            assertEquals(1, reader.trimmedFields(1));
        }
    }

    @Test
    void tabSeparatedFilesTrimSpacesButSplitOnTabs() throws IOException {
        assertArrayEquals(new String[]{ "a", "b", null }, records("a \t b\t\n", '\t', true).get(0));
        assertArrayEquals(new String[]{ "a\t\tb" }, records("a\t\tb\n", ',', true).get(0), "inner tabs are kept");
        assertArrayEquals(new String[]{ "x", "y" }, records("\tx\t,y\n", ',', true).get(0),
                "tabs around a comma-separated value are blanks");
    }

    @Test
    void trimmingOffKeepsEverythingAsWritten() throws IOException {
        assertArrayEquals(new String[]{ " a ", " b" }, records(" a , b\n", ',', false).get(0));
    }

    // ---------------------------------------------------------------- missing values

    @Test
    void missingValueMarkersKeepANumericColumnNumeric() throws IOException {
        CsvProfile p = profile("age,income\n34,NA\n51,N/A\nnull,61000\n29,NaN\n40,52000\n");
        ColumnProfile income = column(p, "income");
        assertEquals(ColumnType.NUMERIC, income.type());
        assertEquals(3, income.missing());
        assertEquals(2, income.distinct());
        assertEquals(List.of("N/A", "NA", "NaN"), income.missingMarkers());
        assertEquals(ColumnType.NUMERIC, column(p, "age").type());
        assertEquals(1, column(p, "age").missing());
        assertTrue(warning(p, "income", "missing_markers").message().startsWith("3 values read as missing: 'N/A' (1)"),
                warning(p, "income", "missing_markers").message());
    }

    @Test
    void markersAreCaseSensitiveLikePandas() throws IOException {
        CsvProfile p = profile("x\n1\nNa\n2\n");
        assertEquals(ColumnType.CATEGORICAL, column(p, "x").type());
    }

    @Test
    void categoricalMarkersAreMissingToo() throws IOException {
        CsvProfile p = profile("color\nred\nnull\nblue\nNone\n");
        assertEquals(2, column(p, "color").missing());
        assertEquals(2, column(p, "color").distinct());
    }

    @Test
    void naValuesReplacePandasList() throws IOException {
        CsvOptions options = new CsvOptions(null, List.of("-"), Map.of());
        CsvProfile p = profile("country,score\nNA,-\nUS,3\nFR,4\n", options);
        assertEquals(0, column(p, "country").missing(), "NA is Namibia here");
        assertEquals(ColumnType.NUMERIC, column(p, "score").type());
        assertEquals(List.of("-"), column(p, "score").missingMarkers());
        assertEquals(List.of("-"), p.format().naValues());

        CsvProfile none = profile("x\nNA\nnull\n", new CsvOptions(null, List.of(), Map.of()));
        assertEquals(0, column(none, "x").missing());
    }

    @Test
    void repeatedPlaceholdersInAColumnOfNumbersAreMissing() throws IOException {
        CsvProfile p = profile("hours\n40\n?\n38\n45\n?\n50\n40\n-\n-\n60\n41\n42\n43\n44\n46\n47\n");
        ColumnProfile hours = column(p, "hours");
        assertEquals(ColumnType.NUMERIC, hours.type());
        assertEquals(4, hours.missing());
        assertEquals(11, hours.distinct());
        assertEquals(List.of("?", "-"), hours.missingMarkers());
        assertTrue(warning(p, "hours", "placeholders").message().contains("'?' (2), '-' (2) read as missing"),
                warning(p, "hours", "placeholders").message());
    }

    @Test
    void aLoneNonNumberOrCodesWithDigitsKeepAColumnCategorical() throws IOException {
        CsvProfile lone = profile("x\n1\n2\nabc\n3\n4\n");
        assertEquals(ColumnType.CATEGORICAL, column(lone, "x").type());
        assertTrue(warning(lone, "x", "not_numeric").message().contains("'abc' (line 4)"),
                warning(lone, "x", "not_numeric").message());

        CsvProfile codes = profile("x\n1\n2\nA1\nA1\n3\n4\n5\n6\n");
        assertEquals(ColumnType.CATEGORICAL, column(codes, "x").type());

        CsvProfile tooMany = profile("x\n1\n2\n3\n?\n?\n-\n-\n.\n.\nn/d\nn/d\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n");
        assertEquals(ColumnType.CATEGORICAL, column(tooMany, "x").type(), "four kinds of placeholders");
        assertEquals(19, column(tooMany, "x").distinct());

        CsvProfile mostlyText = profile("x\n1\n?\n?\n2\n");
        assertEquals(ColumnType.CATEGORICAL, column(mostlyText, "x").type(), "numbers must be three quarters");
    }

    // ---------------------------------------------------------------- leading zeros

    @Test
    void codesWithLeadingZerosAreCategorical() throws IOException {
        CsvProfile p = profile("zip,n\n02134,1\n00501,2\n10001,3\n");
        assertEquals(ColumnType.CATEGORICAL, column(p, "zip").type());
        assertEquals(ColumnType.NUMERIC, column(p, "n").type());
        assertTrue(warning(p, "zip", "leading_zeros").message().contains("'02134' (line 2)"),
                warning(p, "zip", "leading_zeros").message());
    }

    @Test
    void zeroItselfAndDecimalsBelowOneAreNotLeadingZeros() throws IOException {
        CsvProfile p = profile("x\n0\n0.5\n-0.25\n12\n");
        assertEquals(ColumnType.NUMERIC, column(p, "x").type());
        assertTrue(CsvProfiler.hasLeadingZero("-012"));
        assertTrue(CsvProfiler.hasLeadingZero("00"));
        assertFalse(CsvProfiler.hasLeadingZero("0e5"));
    }

    // ---------------------------------------------------------------- declared types

    @Test
    void declaredTypesOverrideInference() throws IOException {
        CsvOptions options = new CsvOptions(null, null, Map.of("zip", ColumnType.NUMERIC, "n", ColumnType.CATEGORICAL));
        CsvProfile p = profile("zip,n\n02134,1\n00501,2\n10001,3\n", options);
        assertEquals(ColumnType.NUMERIC, column(p, "zip").type());
        assertEquals(ColumnType.CATEGORICAL, column(p, "n").type());
        assertTrue(warning(p, "n", "declared_type").message().contains("inferred: numeric"));
        assertTrue(warning(p, "zip", "declared_type").message().contains("leading zeros"));
    }

    @Test
    void declaredNumericColumnNamesTheFirstValueThatIsNotANumber() {
        CsvOptions options = new CsvOptions(null, null, Map.of("age", ColumnType.NUMERIC));
        CsvOptionException e = assertThrows(CsvOptionException.class,
                () -> profile("age,x\n1,a\n2,b\nthirty,c\n?,d\n?,e\n", options));
        assertEquals("column_types", e.field());
        assertTrue(e.getMessage().startsWith("column 'age' is declared numeric in column_types, but line 4 holds"
                + " 'thirty', which is not a number"), e.getMessage());
    }

    @Test
    void declaredNumericColumnAcceptsPlaceholdersAndMarkers() throws IOException {
        CsvOptions options = new CsvOptions(null, null, Map.of("age", ColumnType.NUMERIC));
        CsvProfile p = profile("age\n1\n2\n?\n?\nNA\n3\n4\n5\n6\n", options);
        assertEquals(3, column(p, "age").missing());
    }

    @Test
    void declaredColumnMustExist() {
        CsvOptions options = new CsvOptions(null, null, Map.of("zipcode", ColumnType.CATEGORICAL));
        CsvOptionException e = assertThrows(CsvOptionException.class, () -> profile("zip\n1\n", options));
        assertEquals("column_types names 'zipcode', which is not a column of the file; its columns are: zip", e.getMessage());
    }

    // ---------------------------------------------------------------- identifiers

    @Test
    void aDistinctValueOnEveryRowIsALikelyIdentifier() throws IOException {
        StringBuilder csv = new StringBuilder("customer,plan,spend\n");
        for (int i = 0; i < 30; i++) {
            csv.append("C-").append(1000 + i).append(',').append(i % 3 == 0 ? "basic" : "pro").append(',').append(i).append('\n');
        }
        CsvProfile p = profile(csv.toString());
        assertTrue(column(p, "customer").likelyIdentifier());
        assertFalse(column(p, "plan").likelyIdentifier());
        assertFalse(column(p, "spend").likelyIdentifier(), "numeric columns are not flagged");
        assertTrue(warning(p, "customer", "likely_identifier").message().contains("every row (30 distinct of 30 values)"));
    }

    @Test
    void smallFilesHaveNoIdentifiers() throws IOException {
        assertFalse(column(profile("name\na\nb\nc\n"), "name").likelyIdentifier());
    }

    // ---------------------------------------------------------------- reading again

    @Test
    void recordCleanerReadsWhatTheProfileCounted() {
        CsvFormat format = new CsvFormat(';', true, CsvFormat.PANDAS_NA_VALUES);
        RecordCleaner cleaner = new RecordCleaner(format, List.of(ColumnType.NUMERIC, ColumnType.CATEGORICAL));
        assertArrayEquals(new String[]{ null, null }, cleaner.clean(new String[]{ "?", "NA" }));
        assertArrayEquals(new String[]{ "1.5", "02134" }, cleaner.clean(new String[]{ "1.5", "02134" }));
        assertArrayEquals(new String[]{ null, " x " }, cleaner.clean(new String[]{ null, " x " }));
    }
}
