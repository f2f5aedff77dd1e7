package dev.mlpipeline.dataset.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.mlpipeline.pipeline.ColumnType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Profiles every CSV file of the shared datasets folder and compares the result with what its
 * {@code MANIFEST.md} says. The folder is the system property {@code datasets.dir} (default {@code
 * samples}, the copies committed with the project).
 */
class DatasetManifestTest {

    private static final Path DATASETS = Path.of(System.getProperty("datasets.dir", "samples"));

    private static final Pattern SECTION = Pattern.compile("(?m)^## `([^`]+\\.csv)`");
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    private static final Pattern LEVELS = Pattern.compile("`([^`]+)` \\((\\d+) levels?\\)");
    private static final Pattern COUNT_AFTER_TICK = Pattern.compile("`([^`]+)` ([\\d,]+)");

    /** What the manifest says about one file. */
    private record Expected(
            String file,
            long rows,
            int columns,
            long bytes,
            String sha256,
            Map<String, ColumnType> types,
            Map<String, Long> missing,
            Map<String, Long> levels) {
    }

    @TestFactory
    Stream<DynamicTest> everyDatasetMatchesTheManifest() throws IOException {
        Path manifest = DATASETS.resolve("MANIFEST.md");
        org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(manifest), "no datasets at " + DATASETS.toAbsolutePath());
        Map<String, Expected> expected = parseManifest(Files.readString(manifest));

        List<Path> files;
        try (Stream<Path> listing = Files.list(DATASETS)) {
            files = listing.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        assertTrue(!files.isEmpty(), "no CSV files in " + DATASETS);
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    Expected e = expected.get(file.getFileName().toString());
                    assertNotNull(e, file + " is not described in MANIFEST.md");
                    check(e, file);
                }));
    }

    private static void check(Expected e, Path file) throws IOException {
        CsvProfile profile;
        try (InputStream in = Files.newInputStream(file)) {
            profile = CsvProfile.of(in);
        }
        assertEquals(e.rows(), profile.rowCount(), "rows");
        assertEquals(e.bytes(), profile.sizeBytes(), "bytes");
        assertEquals(e.sha256(), profile.sha256(), "sha256");
        assertEquals(e.columns(), profile.columns().size(), "columns");
        assertEquals(e.types().keySet(), columnNames(profile), "column names");
        long totalMissing = 0;
        for (ColumnProfile column : profile.columns()) {
            String name = column.name();
            assertEquals(e.types().get(name), column.type(), "type of " + name);
            assertEquals(e.missing().getOrDefault(name, 0L), column.missing(), "missing in " + name);
            totalMissing += column.missing();
            if (e.levels().containsKey(name)) {
                assertEquals(e.levels().get(name), column.distinct(), "levels of " + name);
                assertTrue(column.distinctExact(), "exact distinct count for " + name);
            }
        }
        assertEquals(e.missing().values().stream().mapToLong(Long::longValue).sum(), totalMissing);
    }

    private static Set<String> columnNames(CsvProfile profile) {
        return profile.columns().stream().map(ColumnProfile::name).collect(Collectors.toSet());
    }

    /** Reads the per-file sections of MANIFEST.md. */
    private static Map<String, Expected> parseManifest(String text) {
        Map<String, Expected> result = new HashMap<>();
        Matcher section = SECTION.matcher(text);
        List<int[]> bounds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (section.find()) {
            if (!bounds.isEmpty()) {
                bounds.getLast()[1] = section.start();
            }
            bounds.add(new int[]{ section.end(), text.length() });
            names.add(section.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            result.put(names.get(i), parseSection(names.get(i), text.substring(bounds.get(i)[0], bounds.get(i)[1])));
        }
        return result;
    }

    private static Expected parseSection(String file, String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^- \\*\\*([^*]+):\\*\\* (.*)$").matcher(body);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        Matcher size = Pattern.compile("([\\d,]+) rows × (\\d+) columns \\(([\\d,]+) bytes\\)")
                .matcher(field(fields, file, "Size"));
        assertTrue(size.find(), file + ": size line");

        Map<String, ColumnType> types = new HashMap<>();
        Map<String, Long> levels = new HashMap<>();
        for (Map.Entry<String, String> entry : fields.entrySet()) {
            if (entry.getKey().startsWith("Numeric features")) {
                Matcher t = TICKED.matcher(entry.getValue());
                while (t.find()) {
                    types.put(t.group(1), ColumnType.NUMERIC);
                }
            } else if (entry.getKey().startsWith("Categorical features")) {
                Matcher l = LEVELS.matcher(entry.getValue());
                while (l.find()) {
                    types.put(l.group(1), ColumnType.CATEGORICAL);
                    levels.put(l.group(1), Long.parseLong(l.group(2)));
                }
            }
        }

        // The target: numeric for regression, else numeric only if every class label is a number.
        String task = field(fields, file, "Task / target");
        Matcher target = TICKED.matcher(task);
        assertTrue(target.find(), file + ": target");
        if (task.startsWith("regression")) {
            types.put(target.group(1), ColumnType.NUMERIC);
        } else {
            Matcher classes = COUNT_AFTER_TICK.matcher(field(fields, file, "Classes"));
            boolean numeric = true;
            long count = 0;
            while (classes.find()) {
                numeric &= DecimalRecognizer.isDecimal(classes.group(1));
                count++;
            }
            types.put(target.group(1), numeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL);
            levels.put(target.group(1), count);
        }

        Map<String, Long> missing = new HashMap<>();
        String missingLine = field(fields, file, "Missing values");
        int dash = missingLine.indexOf('—');
        if (dash >= 0) {
            Matcher c = COUNT_AFTER_TICK.matcher(missingLine.substring(dash));
            while (c.find()) {
                missing.put(c.group(1), number(c.group(2)));
            }
        }
        assertEquals(number(missingLine.substring(0, missingLine.indexOf(' '))),
                missing.values().stream().mapToLong(Long::longValue).sum(), file + ": missing cells");

        Matcher sha = TICKED.matcher(field(fields, file, "SHA-256"));
        assertTrue(sha.find(), file + ": sha");
        return new Expected(file, number(size.group(1)), Integer.parseInt(size.group(2)),
                number(size.group(3)), sha.group(1), types, missing, levels);
    }

    private static String field(Map<String, String> fields, String file, String name) {
        String value = fields.get(name);
        assertNotNull(value, file + ": no '" + name + "' in MANIFEST.md");
        return value;
    }

    private static long number(String s) {
        return Long.parseLong(s.replace(",", ""));
    }
}
