package dev.mlpipeline.pipeline;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Per-fit cost and 5-fold CV score of the two RandomForest learners on the BASELINE tuning folds: Smile's exact CART
 * forest against our binned {@link HistogramForest}, same trees, same {@code max_depth}, same folds, each
 * cross-validation single-threaded (a fork-join pool of one thread) and timed in CPU seconds of that thread, the two
 * learners interleaved. Tagged {@code benchmark}:
 *
 * <pre>
 * ./mvnw -B -o test -Dgroups=benchmark -Dtest=ForestLearnerBenchmark -Dforest.datasets=customers,titanic -Dforest.trees=100
 * </pre>
 */
@Tag("benchmark")
public class ForestLearnerBenchmark {

    private static final ModelType RF = ModelCatalog.find(ModelCatalog.RANDOM_FOREST).orElseThrow();

    public static void main(String[] args) throws Exception {
        new ForestLearnerBenchmark().learners();
    }

    @Test
    void learners() throws Exception {
        List<String> datasets = Arrays.asList(System.getProperty("forest.datasets", "customers,titanic,adult").split(","));
        int trees = Integer.getInteger("forest.trees", 100);
        List<String> lines = new ArrayList<>();
        for (TuningBenchmark.Grid g : TuningBenchmark.GRIDS) {
            if (!datasets.contains(g.dataset())) continue;
            TestData.Loaded d = TestData.load(g.dataset());
            for (Integer depth : Arrays.asList(null, 8)) {
                Map<String, Object> params = new HashMap<>();
                params.put("n_trees", trees);
                params.put("max_depth", depth);
                TrainingSpec spec = new TrainingSpec(ModelCatalog.RANDOM_FOREST, g.task(), g.target(), List.of(),
                        RF.validate(params), null, 0.2, 42L);
                double[] exact = null;
                double[] binned = null;
                double[] cpu = new double[2];
                for (int round = 0; round < 2; round++) { // round 0 warms both learners up; round 1 is timed
                    for (int learner = 0; learner < 2; learner++) {
                        boolean bin = learner == 1;
                        ForkJoinPool one = new ForkJoinPool(1);
                        try {
                            double[] result = one.submit(() -> {
                                long t0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                                double[] s = ScopedValue.where(CrossValidator.BINNED_FOLDS, bin).call(() -> CrossValidator
                                        .crossValidate(d.table(), d.types(), spec, 5, g.scoring(), null));
                                double seconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0) / 1e9;
                                double[] out = Arrays.copyOf(s, s.length + 1);
                                out[s.length] = seconds;
                                return out;
                            }).get();
                            cpu[learner] = result[5];
                            if (bin) binned = Arrays.copyOf(result, 5);
                            else
                                exact = Arrays.copyOf(result, 5);
                        } finally {
                            one.shutdown();
                        }
                    }
                    if (round == 0 && !Boolean.getBoolean("forest.warmup")) break;
                }
                double me = Arrays.stream(exact).average().orElseThrow();
                double mb = Arrays.stream(binned).average().orElseThrow();
                String line = String.format("| %s | %d | %s | %.3f | %.3f | %.1f× | %.4f | %.4f | %+.4f |", g.dataset(), trees,
                        depth, cpu[0] / 5, cpu[1] / 5, cpu[0] / cpu[1], me, mb, mb - me);
                System.out.println(line);
                lines.add(line);
                assertEquals(me, mb, 0.02, line);
            }
        }
        System.out.println("| dataset | trees | max_depth | Smile: CPU s per fold (fit + score) | binned: CPU s per fold | "
                + "speed-up | Smile: CV score | binned: CV score | difference |");
        lines.forEach(System.out::println);
    }
}
