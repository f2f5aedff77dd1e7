package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BASELINE.md's grid search on every dataset it lists, run as one replica of the service runs a tuning job:
 * RandomForest {@code n_trees} {50, 100, 200} × {@code max_depth} {null, 8, 16}, 5 folds (stratified for
 * classification) on the training split, accuracy or R², then the refit of the best configuration on the whole
 * training split. Prints our wall time against scikit-learn's GridSearchCV (n_jobs=2) figure of BASELINE.md and
 * the best CV scores. Tagged {@code benchmark} (not in the default suite):
 *
 * <pre>
 * ./mvnw -B -o test -Dgroups=benchmark -Dtest=TuningBenchmark                       # every grid
 * ./mvnw -B -o test -Dgroups=benchmark -Dtest=TuningBenchmark -Dtuning.datasets=customers,iris
 * ./mvnw -B -o test -Dgroups=benchmark -Dtest=TuningBenchmark -Dtuning.mode=before  # one trial per task, no sharing
 * </pre>
 *
 * <p>{@code after} (the default) is what {@code TuningTrialWorker} does: the configurations that differ only in
 * {@code n_trees} are one task ({@link CrossValidator#crossValidateTreeCounts}: one forest of the largest count
 * per fold, scored with its first k trees), two tasks at a time (the worker pool of a 2-core replica), each on
 * one shared fork-join pool of two threads on which Smile builds the trees in parallel. {@code before} is the
 * service before issue 16: one configuration per task, two at a time, each on a fork-join pool of one thread.
 */
@Tag("benchmark")
public class TuningBenchmark {

    private static final ModelType RF = ModelCatalog.find(ModelCatalog.RANDOM_FOREST).orElseThrow();
    private static final int WORKERS = 2;

    /** A BASELINE.md grid: the dataset, its target and task, and scikit-learn's best CV score and wall time. */
    record Grid(String dataset, String target, Task task, String scoring, double sklearnBest, double sklearnSeconds) {
    }

    static final List<Grid> GRIDS = List.of(
            new Grid("customers", "Churn", Task.CLASSIFICATION, "accuracy", 0.8042, 14.8),
            new Grid("titanic", "Survived", Task.CLASSIFICATION, "accuracy", 0.8132, 6.4),
            new Grid("iris", "species", Task.CLASSIFICATION, "accuracy", 0.9583, 3.0),
            new Grid("adult", "income", Task.CLASSIFICATION, "accuracy", 0.8608, 205.0),
            new Grid("california_housing", "median_house_value", Task.REGRESSION, "r2", 0.8182, 301.5));

    private static List<Map<String, Object>> grid() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("n_trees", List.of(50, 100, 200));
        raw.put("max_depth", new ArrayList<>(Arrays.asList(null, 8, 16)));
        return SearchSpace.parse(RF, raw, SearchSpace.GRID).grid();
    }

    private static TrainingSpec spec(Grid g, Map<String, Object> config) {
        return new TrainingSpec(ModelCatalog.RANDOM_FOREST, g.task(), g.target(), List.of(), RF.validate(config), null, 0.2, 42L);
    }

    /** The same as the test, outside JUnit (e.g. under a profiler): {@code bench/tuning-grid.sh}. */
    public static void main(String[] args) throws Exception {
        new TuningBenchmark().baselineGrids();
    }

    @Test
    void baselineGrids() throws Exception {
        // Several modes (comma-separated) run interleaved, grid by grid, so that they share the machine's load.
        List<String> modes = Arrays.asList(System.getProperty("tuning.mode", "after").split(","));
        List<String> only = Arrays.asList(System.getProperty("tuning.datasets",
                "customers,titanic,iris,adult,california_housing").split(","));
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        List<String> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Grid g : GRIDS) {
            if (!only.contains(g.dataset())) {
                continue;
            }
            TestData.Loaded d = TestData.load(g.dataset());
            for (String mode : modes) {
                long t0 = System.nanoTime();
                long cpu0 = os.getProcessCpuTime();
                double[] means = "before".equals(mode) ? before(g, d) : after(g, d, !"exact".equals(mode));
                int best = 0;
                for (int i = 1; i < means.length; i++) {
                    if (means[i] > means[best]) best = i;
                }
                double search = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> bestConfig = grid().get(best);
                TrainingResult refit = "after".equals(mode) ? CrossValidator.refit(d.table(), d.types(), spec(g, bestConfig), null, null)
                        : Trainer.train(d.table(), d.types(), spec(g, bestConfig), null, null);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                String line = String.format("| %s | %s | %.1f (search %.1f) | %.1f | %.1f | %.2f× | %.4f %s | %.4f | %+.4f | test %s %.4f | load %.1f |",
                        g.dataset(), mode, seconds, search, cpu, g.sklearnSeconds(), g.sklearnSeconds() / seconds, means[best],
                        bestConfig, g.sklearnBest(), means[best] - g.sklearnBest(), g.scoring(),
                        refit.metrics().get(g.scoring()), os.getSystemLoadAverage());
                System.out.println(line);
                lines.add(line);
                // Printed first, checked at the end: one grid off target does not hide the others' figures.
                if (means[best] < g.sklearnBest() - 0.01 || Math.abs(means[best] - g.sklearnBest()) > 0.03) failures.add(line);
            }
        }
        System.out.println("| grid | mode | ours: wall s (45 CV fits + refit) | ours: CPU s | scikit-learn n_jobs=2 s (BASELINE.md) "
                + "| speed-up | ours: best CV (params) | scikit-learn best CV | difference | refit | 1-min load |");
        lines.forEach(System.out::println);
        // No accuracy bought with speed: the best CV score at most 0.01 below scikit-learn's (and never off by more
        // than 0.03: titanic's 712 rows put different learners and folds up to 0.025 above it, see docs/benchmarks.md).
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The service after issue 16: tree counts of a depth share their fits, two tasks at a time on a shared pool. */
    private static double[] after(Grid g, TestData.Loaded d, boolean binnedFolds) throws Exception {
        List<Map<String, Object>> configs = grid();
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            groups.computeIfAbsent(String.valueOf(configs.get(i).get("max_depth")), k -> new ArrayList<>()).add(i);
        }
        double[] means = new double[configs.size()];
        ForkJoinPool trees = new ForkJoinPool(WORKERS);
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (List<Integer> group : groups.values()) {
                tasks.add(workers.submit(() -> trees.submit(() -> {
                    int[] counts = group.stream().mapToInt(i -> (Integer) configs.get(i).get("n_trees")).toArray();
                    double[][] scores = ScopedValue.where(CrossValidator.BINNED_FOLDS, binnedFolds).call(() -> CrossValidator
                            .crossValidateTreeCounts(d.table(), d.types(), spec(g, configs.get(group.get(0))), counts, 5,
                                    g.scoring(), null));
                    for (int c = 0; c < counts.length; c++) means[group.get(c)] = Arrays.stream(scores[c]).average().orElseThrow();
                    return null;
                }).get()));
            }
            for (Future<?> task : tasks) task.get();
        } finally {
            workers.shutdownNow();
            trees.shutdownNow();
        }
        return means;
    }

    /** The service before issue 16: one configuration per task, two at a time, each on a pool of one thread. */
    private static double[] before(Grid g, TestData.Loaded d) throws Exception {
        List<Map<String, Object>> configs = grid();
        double[] means = new double[configs.size()];
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                int index = i;
                tasks.add(workers.submit(() -> {
                    ForkJoinPool single = new ForkJoinPool(1);
                    try {
                        double[] scores = single.submit(() -> ScopedValue.where(CrossValidator.BINNED_FOLDS, false)
                                .call(() -> CrossValidator.crossValidate(d.table(), d.types(), spec(g, configs.get(index)), 5,
                                        g.scoring(), null)))
                                .get();
                        means[index] = Arrays.stream(scores).average().orElseThrow();
                    } finally {
                        single.shutdown();
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) task.get();
        } finally {
            workers.shutdownNow();
        }
        return means;
    }
}
