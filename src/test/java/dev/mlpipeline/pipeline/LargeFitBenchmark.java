package dev.mlpipeline.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Fit time, peak resident memory and held-out accuracy of one model on a large CSV (issue 18), with the
 * BASELINE.md protocol (80/20 stratified split, seed 42, default preprocessing). Not a test; run it with
 * {@code bench/fit-large.sh}. Prints one line; peak RSS is the process's {@code VmHWM}, so run one model per JVM.
 *
 * <p>Arguments: csv file, target column, model type, then hyperparameters as {@code name=value}.
 */
public final class LargeFitBenchmark {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String target = args[1];
        String model = args[2];
        Map<String, Object> given = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            given.put(kv[0], kv[1].matches("-?\\d+") ? (Object) Integer.valueOf(kv[1]) : Double.valueOf(kv[1]));
        }
        long readStart = System.nanoTime();
        TestData.Loaded data = TestData.parse(file);
        CellInterner interner = new CellInterner(data.table().columns().size()); // as the service's DatasetTables
        data.table().rows().forEach(interner::share);
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        ModelType type = ModelCatalog.find(model).orElseThrow();
        TrainingSpec spec = new TrainingSpec(model, Task.CLASSIFICATION, target, null, type.validate(given),
                PreprocessingSpec.defaults(), 0.2, 42);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        TrainingResult result = Trainer.train(data.table(), data.types(), spec, null, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
        // As the service's job: the artifact is written and hashed while the model is held (counted in the peak).
        byte[] artifact = ArtifactCodec.serialize(result.pipeline());
        String sha = ArtifactCodec.sha256(artifact);
        // CPU seconds are the steadier figure on a shared machine; wall time is what a user waits.
        System.out.printf("%s %s rows=%d read_s=%.1f train_s=%.1f cpu_s=%.1f peak_rss_mb=%d accuracy=%.4f%n", model,
                given, data.table().size(), readSeconds, seconds, cpu, peakRssMb(), result.metrics().get("accuracy"));
        if (result.pipeline().estimator() instanceof FlatTrees f) {
            long nodes = 0;
            for (var t : f.trees()) nodes += t.nodes();
            System.out.printf("trees=%d nodes_per_tree=%d%n", f.trees().length, nodes / f.trees().length);
        }
        System.out.printf("artifact_mb=%.1f sha256=%s%n", artifact.length / 1e6, sha.substring(0, 12));
    }

    /** Peak resident set size of this process (Linux {@code VmHWM}), in MiB; -1 elsewhere. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }
}
