package dev.mlpipeline.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Artifact size, load time and predict rate of the two artifact formats for RandomForest(100) on adult (the
 * BASELINE.md split). Not a test; run it with {@code bench/artifact.sh}, which calls:
 * <ul>
 *   <li>{@code write DIR}: trains the forest twice with the same seed (flat trees, and Smile trees as the legacy
 *       artifacts hold), writes {@code DIR/new.bin} and {@code DIR/legacy.bin}, prints their sizes, and the
 *       single-thread predict rate of both in-memory models over the held-out rows (one row per call, as
 *       {@code FittedPipeline.predict} serves a 1-row request);
 *   <li>{@code load FILE N}: in a fresh JVM, the wall time of the first {@code ArtifactCodec.deserialize} (SHA-256
 *       check included: what a replica that never saw the model pays) and the median of N more, each with the CPU
 *       time of the loading thread (on a shared machine the wall time mostly measures the run queue).
 * </ul>
 */
public final class ArtifactBenchmark {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> write(Path.of(args[1]));
            case "load" -> load(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static TrainingResult train() {
        return TestData.train("adult", ModelCatalog.RANDOM_FOREST, Task.CLASSIFICATION, "income", Map.of());
    }

    private static void write(Path dir) throws Exception {
        Files.createDirectories(dir);
        TrainingResult legacy = Trainer.withSmileEstimators(ArtifactBenchmark::train);
        TrainingResult flat = train();
        long t0 = System.nanoTime();
        byte[] newBytes = ArtifactCodec.serialize(flat.pipeline());
        long t1 = System.nanoTime();
        byte[] legacyBytes = ArtifactCodec.serializeLegacy(legacy.pipeline());
        long t2 = System.nanoTime();
        Files.write(dir.resolve("new.bin"), newBytes);
        Files.write(dir.resolve("legacy.bin"), legacyBytes);
        System.out.printf("metrics equal: %s (%s)%n", legacy.metrics().equals(flat.metrics()), flat.metrics());
        System.out.printf("size new %d bytes, legacy %d bytes, new/legacy %.3f%n", newBytes.length, legacyBytes.length,
                newBytes.length / (double) legacyBytes.length);
        System.out.printf("write new %.0f ms, legacy %.0f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);

        List<Map<String, Object>> rows = ModelFormatTest.rows("adult");
        rows = rows.subList(0, 6513);
        for (int round = 0; round < 3; round++) {
            double flatRate = rate(flat.pipeline(), rows);
            double smileRate = rate(legacy.pipeline(), rows);
            System.out.printf("round %d predict 1-row calls, one thread: flat %.0f rows/s, Smile %.0f rows/s, ratio %.2f%n",
                    round, flatRate, smileRate, flatRate / smileRate);
        }
    }

    private static double rate(FittedPipeline p, List<Map<String, Object>> rows) {
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - start < 3_000_000_000L) {
            for (Map<String, Object> row : rows) {
                p.predict(List.of(row));
                n++;
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void load(Path file, int repeats) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String sha = ArtifactCodec.sha256(bytes);
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        FittedPipeline first = ArtifactCodec.deserialize(bytes, sha);
        double firstMs = (System.nanoTime() - start) / 1e6;
        double firstCpuMs = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
        List<Double> ms = new ArrayList<>();
        List<Double> cpuMs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            cpu = threads.getCurrentThreadCpuTime();
            start = System.nanoTime();
            ArtifactCodec.deserialize(bytes, sha);
            ms.add((System.nanoTime() - start) / 1e6);
            cpuMs.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
        }
        System.out.printf("load %s (%d bytes, %s): first %.0f ms wall (%.0f ms cpu of the loading thread), median of %d"
                + " more %.0f ms wall (%.0f ms cpu)%n", file.getFileName(), bytes.length, first.modelType(), firstMs,
                firstCpuMs, repeats, median(ms), median(cpuMs));
    }

    private static double median(List<Double> v) {
        List<Double> sorted = v.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
