package dev.mlpipeline.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training job's time goes (issues 16 and 18): the phases of {@link Trainer#train} run one by one on the
 * BASELINE.md protocol (80/20 stratified split, seed 42, default preprocessing), with process CPU seconds and wall
 * seconds per phase. {@code fit} (preprocessing fitted and applied to the training split, then the model fit) is
 * what scikit-learn's {@code Pipeline.fit} time covers. Not a test; run it with {@code bench/fit-phases.sh}.
 *
 * <p>Arguments: a dataset name of the datasets directory or a CSV path, the target column, repeats (the first is
 * a JIT warm-up and reported separately), optionally the model type (default LogisticRegression).
 */
public final class FitPhasesBenchmark {

    /** @return the process's CPU time in ns (JIT and GC included) */
    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** @return a CSV file (path ending in .csv) or a shared dataset by name */
    static TestData.Loaded data(String csvOrName) {
        return csvOrName.endsWith(".csv") ? TestData.parse(Path.of(csvOrName)) : TestData.load(csvOrName);
    }

    public static void main(String[] args) {
        TestData.Loaded data = data(args[0]);
        String target = args[1];
        int repeats = Integer.parseInt(args[2]);
        String model = args.length > 3 ? args[3] : ModelCatalog.LOGISTIC_REGRESSION;
        ModelType type = ModelCatalog.find(model).orElseThrow();
        // Optional hyperparameters after the model, as name=value (e.g. n_trees=50); integers or numbers.
        Map<String, Object> given = new java.util.HashMap<>();
        for (int a = 4; a < args.length; a++) {
            String[] kv = args[a].split("=", 2);
            given.put(kv[0], kv[1].matches("-?\\d+") ? (Object) Integer.valueOf(kv[1]) : (Object) Double.valueOf(kv[1]));
        }
        TrainingSpec spec = new TrainingSpec(model, Task.CLASSIFICATION, target, null, type.validate(given),
                PreprocessingSpec.defaults(), 0.2, 42);
        System.out.printf("%s rows=%d cores=%d%n", args[0], data.table().size(), Runtime.getRuntime().availableProcessors());
        Map<String, List<double[]>> phases = new LinkedHashMap<>();
        double accuracy = 0;
        for (int rep = 0; rep < repeats; rep++) {
            Map<String, double[]> one = new LinkedHashMap<>();
            long[] t = { System.nanoTime(), cpu() };
            long[] start = t.clone();
            Trainer.Prepared p = Trainer.prepare(data.table(), data.types(), spec);
            Splits.TrainTest split = p.split(spec.testSize(), spec.randomSeed());
            lap(one, "prepare+split", t);
            FittedPipeline pipeline = Trainer.fit(p, split.train(), spec.randomSeed(), ProgressListener.NONE,
                    CancellationToken.NONE);
            lap(one, "fit", t);
            Trainer.TestPredictions predicted = Trainer.predict(p, pipeline, split.test());
            accuracy = Trainer.metrics(p, predicted, split.test()).get("accuracy");
            lap(one, "metrics", t);
            Importances.compute(p, pipeline, split.train(), split.test(), spec.randomSeed(), Importances.N_REPEATS,
                    CancellationToken.NONE);
            lap(one, "importance", t);
            TrainingProfile.of(p, pipeline, split.train(), split.test(), predicted.classes(), predicted.values());
            lap(one, "profile", t);
            one.put("train(total)", new double[]{ (System.nanoTime() - start[0]) / 1e9, (cpu() - start[1]) / 1e9 });
            StringBuilder line = new StringBuilder(rep == 0 ? "warm-up " : "run " + rep + "   ");
            one.forEach((k, v) -> line.append(String.format(" %s %.3f (%.3f)", k, v[1], v[0])));
            System.out.println(line);
            if (rep > 0) one.forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        StringBuilder line = new StringBuilder(model + " median cpu s (wall s):");
        phases.forEach((k, v) -> line.append(String.format(" %s %.3f (%.3f)", k, median(v, 1), median(v, 0))));
        System.out.println(line.append(String.format(" accuracy %.4f", accuracy)));
    }

    private static void lap(Map<String, double[]> out, String name, long[] t) {
        long w = System.nanoTime();
        long c = cpu();
        out.put(name, new double[]{ (w - t[0]) / 1e9, (c - t[1]) / 1e9 });
        t[0] = w;
        t[1] = c;
    }

    private static double median(List<double[]> v, int i) {
        List<Double> s = v.stream().map(a -> a[i]).sorted().toList();
        return s.isEmpty() ? Double.NaN : s.get(s.size() / 2);
    }
}
