package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import smile.classification.LogisticRegression;

/**
 * The logistic regression model fit alone (issue 16 part 4): {@link SparseLogistic#fit} on a dataset's preprocessed
 * training split (BASELINE.md protocol: 80/20 stratified, seed 42, default preprocessing, lambda 1, tol 1e-4,
 * max_iter 1000), once per solver and repeat, interleaved; prints the median wall and process CPU milliseconds over
 * the second half of the repeats (the first half warms the JIT up) and the objective reached. Not a test; run it
 * like {@code FitPhasesBenchmark} (bench/fit-phases.sh builds the class path):
 * {@code java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt)
 * dev.mlpipeline.pipeline.LogisticFitBenchmark /work/shared/datasets/adult.csv income 20}.
 */
public final class LogisticFitBenchmark {

    public static void main(String[] args) {
        TestData.Loaded data = FitPhasesBenchmark.data(args[0]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Trainer.Prepared p = Trainer.prepare(data.table(), data.types(),
                TestData.spec(ModelCatalog.LOGISTIC_REGRESSION, Task.CLASSIFICATION, args[1], Map.of()));
        int[] rows = p.split(0.2, 42).train();
        List<Object[]> cells = new ArrayList<>(rows.length);
        for (int r : rows) cells.add(p.cells().get(r));
        Preprocessor pre = Preprocessor.fit(p.features(), p.featureTypes(), cells, p.preprocessing());
        double[][] x = pre.transform(cells);
        int[] y = new int[rows.length];
        for (int i = 0; i < y.length; i++) y[i] = p.yClass()[rows[i]];
        var options = new LogisticRegression.Options(1.0, 1e-4, 1000);
        int k = smile.classification.ClassLabels.fit(y).k;
        List<SparseLogistic.Solver> solvers = k == 2 ? List.of(SparseLogistic.Solver.values())
                : List.of(SparseLogistic.Solver.LBFGS);
        Map<SparseLogistic.Solver, List<double[]>> times = new java.util.EnumMap<>(SparseLogistic.Solver.class);
        Map<SparseLogistic.Solver, Double> objective = new java.util.EnumMap<>(SparseLogistic.Solver.class);
        for (int rep = 0; rep < repeats; rep++) {
            for (SparseLogistic.Solver solver : solvers) {
                long w = System.nanoTime();
                long c = FitPhasesBenchmark.cpu();
                LogisticRegression m = SparseLogistic.fit(x, y, pre.featureBlocks(), options, solver,
                        ProgressListener.NONE, CancellationToken.NONE);
                double[] t = { (System.nanoTime() - w) / 1e6, (FitPhasesBenchmark.cpu() - c) / 1e6 };
                if (rep >= repeats / 2) times.computeIfAbsent(solver, s -> new ArrayList<>()).add(t);
                objective.put(solver, -m.loglikelihood());
            }
        }
        System.out.printf("%s: %d training rows, %d design columns, %d cores%n", args[0], x.length, x[0].length,
                Runtime.getRuntime().availableProcessors());
        times.forEach((solver, v) -> System.out.printf("%-19s median wall %.1f ms, CPU %.1f ms; objective %.6f%n",
                solver, median(v, 0), median(v, 1), objective.get(solver)));
    }

    private static double median(List<double[]> v, int i) {
        List<Double> s = v.stream().map(a -> a[i]).sorted().toList();
        return s.get(s.size() / 2);
    }
}
