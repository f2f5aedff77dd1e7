package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fit-time benchmark on the BASELINE.md protocol (80/20 stratified split, seed 42, median
 * imputation + standard scaling + one-hot): median wall time of repeated fits and the held-out
 * accuracy. Not a test; run it with {@code bench/fit.sh [dataset target repeats]}.
 */
public final class FitBenchmark {

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        String dataset = (args.length > 0 ? args[0] : "adult").replaceFirst("\\.csv$", "");
        String target = args.length > 1 ? args[1] : "income";
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        TestData.Loaded data = TestData.load(dataset);
        System.out.printf("%s: %d rows, %d cores%n", dataset, data.table().size(), Runtime.getRuntime().availableProcessors());
        for (String model : List.of(ModelCatalog.LOGISTIC_REGRESSION, ModelCatalog.RANDOM_FOREST)) {
            ModelType type = ModelCatalog.find(model).orElseThrow();
            TrainingSpec spec = new TrainingSpec(model, Task.CLASSIFICATION, target, null, type.validate(Map.of()),
                    PreprocessingSpec.defaults(), 0.2, 42);
            Trainer.train(data.table(), data.types(), spec, null, null); // warm-up (JIT, class loading)
            List<Double> seconds = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            TrainingResult result = null;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                result = Trainer.train(data.table(), data.types(), spec, null, null);
                seconds.add((System.nanoTime() - start) / 1e9);
                cpu.add((processCpuNanos() - cpuStart) / 1e9);
            }
            List<Double> sorted = seconds.stream().sorted().toList();
            List<Double> sortedCpu = cpu.stream().sorted().toList();
            // Process CPU time is less sensitive than wall time to other load on a shared machine.
            System.out.printf("%-20s fit s (median of %d): %.2f  [all: %s]  cpu s (median) %.2f  accuracy %.4f  f1 %.4f%n",
                    model, repeats, sorted.get(sorted.size() / 2),
                    seconds.stream().map(s -> String.format("%.2f", s)).toList(), sortedCpu.get(sortedCpu.size() / 2),
                    result.metrics().get("accuracy"), result.metrics().get("f1"));
        }
    }
}
