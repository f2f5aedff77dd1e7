package dev.mlpipeline.dataset.csv;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the tests. */
final class CsvTestSupport {

    private CsvTestSupport() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses all records of {@code bytes}. */
    static List<String[]> readAll(byte[] bytes) {
        return readAll(new ByteArrayInputStream(bytes));
    }

    static List<String[]> readAll(String csv) {
        return readAll(utf8(csv));
    }

    /** Parses all records, feeding the parser one byte per read call. */
    static List<String[]> readAllTrickled(byte[] bytes) {
        return readAll(trickle(new ByteArrayInputStream(bytes)));
    }

    static List<String[]> readAll(InputStream in) {
        try (CsvReader reader = new CsvReader(in)) {
            List<String[]> records = new ArrayList<>();
            for (String[] r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream that returns at most one byte per read, to exercise every buffer boundary. */
    static InputStream trickle(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    static CsvProfile profile(String csv) throws IOException {
        return CsvProfile.of(new ByteArrayInputStream(utf8(csv)));
    }

    static CsvProfile profile(byte[] bytes) throws IOException {
        return CsvProfile.of(new ByteArrayInputStream(bytes));
    }
}
