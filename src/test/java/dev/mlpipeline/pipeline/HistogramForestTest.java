package dev.mlpipeline.pipeline;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramForestTest {

    private static final ProgressListener NONE = ProgressListener.NONE;

    /** Layout of tree columns used as they are: numeric (-1) or nominal with the given levels. */
    private static Estimators.TreeColumns layout(int... sizes) {
        int[] start = new int[sizes.length];
        for (int j = 0; j < sizes.length; j++) start[j] = j;
        return new Estimators.TreeColumns(start, sizes);
    }

    /** Class probabilities of a forest for a vector of tree columns (its trees' leaf posteriori, averaged). */
    private static int classify(FlatTrees forest, double[] z, double[] post) {
        java.util.Arrays.fill(post, 0);
        for (FlatTrees.Tree t : forest.trees()) {
            int leaf = t.leaf(z);
            for (int c = 0; c < post.length; c++) post[c] += t.value(leaf, c, post.length) / forest.trees().length;
        }
        return post[1] > post[0] ? 1 : 0;
    }

    @Test
    void fewDistinctValuesGetOneBinEachWithMidpointEdges() {
        double[] edges = HistogramForest.edges(new double[]{ 3, 1, 2, 2, 1, 3 });
        assertArrayEquals(new double[]{ 1.5, 2.5, Double.POSITIVE_INFINITY }, edges);
    }

    @Test
    void manyDistinctValuesGetQuantileBinsThatSeparateEveryEdgeFromItsNeighbours() {
        double[] values = new SplittableRandom(1).doubles(50_000).toArray();
        double[] edges = HistogramForest.edges(values);
        assertTrue(edges.length <= HistogramForest.MAX_BINS && edges.length > 200, "bins: " + edges.length);
        assertEquals(Double.POSITIVE_INFINITY, edges[edges.length - 1]);
        for (int b = 1; b < edges.length; b++) assertTrue(edges[b] > edges[b - 1]);
        // Quantile bins: each holds about 1/256 of the rows.
        int[] counts = new int[edges.length];
        for (double v : values) {
            int b = Arrays.binarySearch(edges, v);
            counts[b < 0 ? -b - 1 : b]++;
        }
        for (int c : counts) assertTrue(c > 100 && c < 300, "bin count " + c);
    }

    @Test
    void candidatesAreTheColumnsOfTheOneHotMatrix() {
        // numeric, nominal of 3 levels (+ unseen), numeric, nominal of 1 level (+ unseen)
        int[][] slots = HistogramForest.slots(new int[]{ -1, 4, -1, 2 });
        assertArrayEquals(new int[][]{ { 0, -1 }, { 1, 0 }, { 1, 1 }, { 1, 2 }, { 2, -1 }, { 3, 0 } }, slots);
    }

    /**
     * scikit-learn's threshold is midway between the two adjacent values of the node's own rows, not between values
     * adjacent in the whole column. With subsample just below 1 every row is drawn once, so each node's rows are
     * known: route them and check every numeric split against them.
     */
    @Test
    void thresholdsLieMidwayBetweenTheValuesOfTheNode() {
        int n = 3_000;
        SplittableRandom r = new SplittableRandom(3);
        double[] a = new double[n];
        double[] b = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(40);
            b[i] = r.nextInt(200) / 7.0; // non-integer values, each its own bin
            y[i] = (a[i] % 7 < 3) ^ (b[i] > 30) ^ (r.nextInt(10) == 0) ? 1 : 0;
        }
        var forest = HistogramForest.fit(new double[][]{ a, b }, new int[]{ -1, -1 }, y, null, 2,
                new HistogramForest.Options(3, 2, Integer.MAX_VALUE, 1, 0.99999), 5, NONE, CancellationToken.NONE,
                layout(-1, -1));
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) x[i] = new double[]{ a[i], b[i] };
        int checked = 0;
        for (FlatTrees.Tree t : forest.trees()) {
            double[] below = new double[t.nodes()];
            double[] above = new double[t.nodes()];
            Arrays.fill(below, Double.NEGATIVE_INFINITY);
            Arrays.fill(above, Double.POSITIVE_INFINITY);
            for (double[] z : x) {
                int node = 0;
                while (t.feature[node] >= 0) {
                    double v = z[t.feature[node]];
                    if (v <= t.split[node]) {
                        below[node] = Math.max(below[node], v);
                        node = node + 1;
                    } else {
                        above[node] = Math.min(above[node], v);
                        node = t.right[node];
                    }
                }
            }
            for (int node = 0; node < t.nodes(); node++) {
                if (t.feature[node] < 0) continue;
                double mid = below[node] + (above[node] - below[node]) / 2;
                assertEquals(mid, t.split[node], 1e-9 * Math.max(1, Math.abs(mid)), "node " + node);
                checked++;
            }
        }
        assertTrue(checked > 100, "splits checked: " + checked);
    }

    /** XOR: neither column alone gains anything at the root, yet scikit-learn splits there and then fits it exactly. */
    @Test
    void aSplitThatGainsNothingIsStillTakenAsScikitLearnDoes() {
        int n = 400;
        double[] a = new double[n];
        double[] b = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i % 2;
            b[i] = (i / 2) % 2;
            y[i] = (int) a[i] ^ (int) b[i];
        }
        var forest = HistogramForest.fit(new double[][]{ a, b }, new int[]{ -1, -1 }, y, null, 2,
                new HistogramForest.Options(5, 2, Integer.MAX_VALUE, 1, 0.99999), 1, NONE, CancellationToken.NONE,
                layout(-1, -1));
        double[] post = new double[2];
        for (int i = 0; i < 4; i++) assertEquals(y[i], classify(forest, new double[]{ a[i], b[i] }, post), "row " + i);
        for (FlatTrees.Tree t : forest.trees()) assertEquals(7, t.nodes(), "a root split and one split per side");
    }

    @Test
    void learnsANumericThresholdAndANominalLevelExactly() {
        int n = 2_000;
        SplittableRandom r = new SplittableRandom(7);
        double[] num = new double[n];
        double[] level = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            num[i] = r.nextDouble() * 10;
            level[i] = r.nextInt(3);
            y[i] = num[i] > 6.25 || level[i] == 1 ? 1 : 0;
        }
        var model = HistogramForest.fit(new double[][]{ num, level }, new int[]{ -1, 4 }, y, null, 2,
                new HistogramForest.Options(10, 2, Integer.MAX_VALUE, 1, 1.0), 3, ProgressListener.NONE,
                CancellationToken.NONE, layout(-1, 3));
        double[] post = new double[2];
        assertEquals(1, classify(model, new double[]{ 6.3, 0 }, post));
        assertEquals(0, classify(model, new double[]{ 6.2, 2 }, post));
        assertEquals(1, classify(model, new double[]{ 1.0, 1 }, post));
        assertEquals(1.0, post[0] + post[1], 1e-12);
        // An unseen level (index 3) goes with the rest of a "level == v" split.
        assertEquals(0, classify(model, new double[]{ 1.0, 3 }, post));
        assertEquals(2, model.importance().length);
        assertEquals(1.0, model.importance()[0] + model.importance()[1], 1e-9);
    }

    @Test
    void maxDepthAndMinSamplesLeafBoundTheTrees() {
        int n = 5_000;
        SplittableRandom r = new SplittableRandom(11);
        double[] a = r.doubles(n).toArray();
        double[] b = r.doubles(n).toArray();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = Math.sin(6 * a[i]) + b[i] + 0.1 * r.nextGaussian();
        var shallow = HistogramForest.fit(new double[][]{ a, b }, new int[]{ -1, -1 }, null, y, 0,
                new HistogramForest.Options(3, 2, 3, 1, 1.0), 1, NONE, CancellationToken.NONE, layout(-1, -1));
        for (var t : shallow.trees()) assertTrue(t.nodes() <= 15, "depth 3 allows 15 nodes, got " + t.nodes());
        var coarse = HistogramForest.fit(new double[][]{ a, b }, new int[]{ -1, -1 }, null, y, 0,
                new HistogramForest.Options(3, 2, Integer.MAX_VALUE, 200, 0.5), 1, NONE, CancellationToken.NONE,
                layout(-1, -1));
        for (var t : coarse.trees()) {
            // subsample 0.5 without replacement: weights are 0/1, so a leaf's size is its distinct rows.
            for (int i = 0; i < t.nodes(); i++) if (t.feature[i] < 0) assertTrue(t.size[i] >= 200);
        }
    }

    @Test
    void fitsAreReproducibleAndReportProgressUpToOne() {
        double[] a = new SplittableRandom(5).doubles(3_000).toArray();
        int[] y = Arrays.stream(a).mapToInt(v -> v > 0.4 ? 1 : 0).toArray();
        AtomicInteger calls = new AtomicInteger();
        double[] last = { 0 };
        var options = new HistogramForest.Options(8, 1, Integer.MAX_VALUE, 1, 1.0);
        var one = HistogramForest.fit(new double[][]{ a }, new int[]{ -1 }, y, null, 2, options, 42, f -> {
            calls.incrementAndGet();
            synchronized (last) {
                last[0] = Math.max(last[0], f);
            }
        }, CancellationToken.NONE, layout(-1));
        var two = HistogramForest.fit(new double[][]{ a }, new int[]{ -1 }, y, null, 2, options, 42, ProgressListener.NONE,
                CancellationToken.NONE, layout(-1));
        assertEquals(8, calls.get());
        assertEquals(1.0, last[0]);
        for (int t = 0; t < 8; t++) assertArrayEquals(one.trees()[t].split, two.trees()[t].split);
    }

    @Test
    void aCancelledFitStops() {
        double[] a = new SplittableRandom(5).doubles(3_000).toArray();
        int[] y = Arrays.stream(a).mapToInt(v -> v > 0.4 ? 1 : 0).toArray();
        assertThrows(TrainingCancelledException.class, () -> HistogramForest.fit(new double[][]{ a }, new int[]{ -1 }, y,
                null, 2, new HistogramForest.Options(50, 1, Integer.MAX_VALUE, 1, 1.0), 1, NONE, () -> true,
                layout(-1)));
    }

    /** Evaluation (metrics, permutation importance) scores a forest in batches, tree by tree: the same bits as row by row. */
    @Test
    void batchedEvaluationEqualsRowByRowPrediction() {
        TestData.Loaded d = TestData.load("titanic");
        for (Task task : Task.values()) {
            String target = task == Task.CLASSIFICATION ? "Survived" : "Fare";
            Trainer.Prepared p = Trainer.prepare(d.table(), d.types(),
                    TestData.spec("RandomForest", task, target, Map.of("n_trees", 20)));
            FittedPipeline f = Trainer.fit(p, p.split(0.2, 42).train(), 42, NONE, CancellationToken.NONE);
            assertInstanceOf(FlatTrees.class, f.estimator());
            int n = p.cells().size();
            assertTrue(n > FittedPipeline.FOREST_BATCH, "more than one batch");
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) x[i] = f.preprocessor().transform(p.cells().get(i));
            if (task == Task.CLASSIFICATION) {
                double[][] post = new double[n][];
                int[] batched = f.classify(x, post);
                for (int i = 0; i < n; i++) {
                    double[] one = new double[2];
                    assertEquals(f.estimator().classify(x[i], one), batched[i], "row " + i);
                    assertArrayEquals(one, post[i], 0.0, "row " + i);
                }
            } else {
                double[] batched = f.regress(x);
                for (int i = 0; i < n; i++) assertEquals(f.estimator().regress(x[i]), batched[i], 0.0, "row " + i);
            }
        }
    }

    /** The binned learner against Smile's exact one on the same real datasets, BASELINE.md protocol. */
    @Test
    void scoresLikeSmilesForestOnAdultAndCaliforniaHousing() {
        var adult = TestData.load("adult");
        var cls = new TrainingSpec(ModelCatalog.RANDOM_FOREST, Task.CLASSIFICATION, "income", null,
                ModelCatalog.find(ModelCatalog.RANDOM_FOREST).orElseThrow().validate(Map.of("n_trees", 30)),
                PreprocessingSpec.defaults(), 0.2, 42);
        double exact = ScopedValue.where(Estimators.BINNED_FOREST, false)
                .call(() -> Trainer.train(adult.table(), adult.types(), cls, null, null)).metrics().get("accuracy");
        TrainingResult binned = Trainer.train(adult.table(), adult.types(), cls, null, null);
        // The binned forest weighs its trees equally; Smile's forest weighs them by their out-of-bag accuracy.
        FlatTrees forest = assertInstanceOf(FlatTrees.class, binned.pipeline().estimator());
        for (double w : forest.weights()) assertEquals(1.0, w);
        assertEquals(exact, binned.metrics().get("accuracy"), 0.01, "adult accuracy, Smile " + exact);

        var housing = TestData.load("california_housing");
        var reg = new TrainingSpec(ModelCatalog.RANDOM_FOREST, Task.REGRESSION, "median_house_value", null,
                ModelCatalog.find(ModelCatalog.RANDOM_FOREST).orElseThrow().validate(Map.of("n_trees", 20)),
                PreprocessingSpec.defaults(), 0.2, 42);
        double binnedR2 = Trainer.train(housing.table(), housing.types(), reg, null, null).metrics().get("r2");
        double exactR2 = ScopedValue.where(Estimators.BINNED_FOREST, false)
                .call(() -> Trainer.train(housing.table(), housing.types(), reg, null, null)).metrics().get("r2");
        assertEquals(exactR2, binnedR2, 0.02, "california r2, Smile " + exactR2);
    }
}
