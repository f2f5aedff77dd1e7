package dev.mlpipeline.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test-only CSV loader for the shared datasets (plain CSV, no quoting, empty field = missing). */
final class TestData {

    /** Dataset directory: system property / env DATASETS_DIR, default samples/ (the copies committed with the project). */
    static final Path DIR = Path.of(System.getProperty("datasets.dir",
            System.getenv().getOrDefault("DATASETS_DIR", "samples")));

    private static final Map<String, Loaded> CACHE = new ConcurrentHashMap<>();

    record Loaded(Table table, Map<String, ColumnType> types) {
    }

    private TestData() {
    }

    /** Loads (cached) a dataset of samples/; a missing file fails the calling test. */
    static Loaded load(String name) {
        Path file = DIR.resolve(name + ".csv");
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(file), "dataset not found: " + file.toAbsolutePath());
        return CACHE.computeIfAbsent(name, n -> parse(file));
    }

    static Loaded parse(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            List<String> columns = Arrays.asList(lines.get(0).split(",", -1));
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isEmpty()) continue;
                String[] cells = line.split(",", -1);
                for (int i = 0; i < cells.length; i++) if (cells[i].isEmpty()) cells[i] = null;
                rows.add(cells);
            }
            return new Loaded(new Table(columns, rows), inferTypes(columns, rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A column is numeric when every non-missing cell parses as a double (the MANIFEST's definition). */
    static Map<String, ColumnType> inferTypes(List<String> columns, List<String[]> rows) {
        Map<String, ColumnType> types = new HashMap<>();
        for (int j = 0; j < columns.size(); j++) {
            boolean numeric = true;
            for (String[] r : rows) {
                if (r[j] == null) continue;
                try {
                    Double.parseDouble(r[j]);
                } catch (NumberFormatException e) {
                    numeric = false;
                    break;
                }
            }
            types.put(columns.get(j), numeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL);
        }
        return types;
    }

    /** A table built from literal CSV text (first line = header). */
    static Loaded inline(String csv) {
        List<String> lines = csv.lines().toList();
        List<String> columns = Arrays.asList(lines.get(0).split(",", -1));
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            for (int i = 0; i < cells.length; i++) if (cells[i].isEmpty()) cells[i] = null;
            rows.add(cells);
        }
        return new Loaded(new Table(columns, rows), inferTypes(columns, rows));
    }

    static TrainingSpec spec(String model, Task task, String target, Map<String, Object> params) {
        ModelType type = ModelCatalog.find(model).orElseThrow();
        return new TrainingSpec(model, task, target, List.of(), type.validate(params), PreprocessingSpec.defaults(), 0.2, 42L);
    }

    static TrainingResult train(String dataset, String model, Task task, String target, Map<String, Object> params) {
        Loaded d = load(dataset);
        long t0 = System.nanoTime();
        TrainingResult r = Trainer.train(d.table(), d.types(), spec(model, task, target, params), ProgressListener.NONE,
                CancellationToken.NONE);
        System.out.printf("%-20s %-17s train=%5d test=%5d fit %.2f s  %s%n", dataset, model, r.trainRows(), r.testRows(),
                (System.nanoTime() - t0) / 1e9, r.metrics());
        return r;
    }
}
