package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folds, fold validation, leakage-free cross-validation, determinism, concurrency and cancellation. */
class CrossValidatorTest {

    // ------------------------------------------------------------------ folds

    @Test
    void stratifiedFoldsHoldEveryClassAndPartitionTheRows() {
        int[] labels = new int[80];
        for (int i = 0; i < labels.length; i++) labels[i] = i < 50 ? 7 : i < 73 ? 2 : 9; // 50 / 23 / 7 rows
        int k = 5;
        int[][] folds = CrossValidator.stratifiedKFold(labels, k, 42);
        assertEquals(k, folds.length);
        boolean[] seen = new boolean[labels.length];
        int minSize = Integer.MAX_VALUE;
        int maxSize = 0;
        for (int[] fold : folds) {
            for (int r : fold) {
                assertFalse(seen[r], "row " + r + " in two folds");
                seen[r] = true;
            }
            minSize = Math.min(minSize, fold.length);
            maxSize = Math.max(maxSize, fold.length);
        }
        for (boolean s : seen) assertTrue(s, "a row is in no fold");
        assertTrue(maxSize - minSize <= 1, "fold sizes " + minSize + ".." + maxSize);
        for (int label : new int[]{ 7, 2, 9 }) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int[] fold : folds) {
                int count = (int) Arrays.stream(fold).filter(r -> labels[r] == label).count();
                min = Math.min(min, count);
                max = Math.max(max, count);
            }
            assertTrue(min >= 1, "class " + label + " missing from a fold");
            assertTrue(max - min <= 1, "class " + label + " per fold " + min + ".." + max);
        }
        assertTrue(Arrays.deepEquals(folds, CrossValidator.stratifiedKFold(labels, k, 42)));
        assertFalse(Arrays.deepEquals(folds, CrossValidator.stratifiedKFold(labels, k, 43)));
        assertThrows(IllegalArgumentException.class, () -> CrossValidator.stratifiedKFold(labels, 1, 42));
    }

    @Test
    void kFoldIsAShuffledPartition() {
        int[][] folds = CrossValidator.kFold(23, 5, 1);
        int[] all = Arrays.stream(folds).flatMapToInt(Arrays::stream).sorted().toArray();
        int[] expected = new int[23];
        for (int i = 0; i < 23; i++) expected[i] = i;
        assertArrayEquals(expected, all);
        assertArrayEquals(new int[]{ 5, 5, 5, 4, 4 }, Arrays.stream(folds).mapToInt(f -> f.length).toArray());
        assertFalse(Arrays.equals(new int[]{ 0, 1, 2, 3, 4 }, folds[0]), "not shuffled");
        assertTrue(Arrays.deepEquals(folds, CrossValidator.kFold(23, 5, 1)));
        assertThrows(IllegalArgumentException.class, () -> CrossValidator.kFold(3, 4, 1));
    }

    // ------------------------------------------------------------------ fold validation

    /** 40 rows; class 'r' has 5 rows, so the 80% training split holds 4 of them. */
    private static final TestData.Loaded IMBALANCED = imbalanced();

    private static TestData.Loaded imbalanced() {
        StringBuilder csv = new StringBuilder("x,y,z\n");
        for (int i = 0; i < 40; i++)
            csv.append(i).append(',').append(i < 5 ? "r" : i % 2 == 0 ? "a" : "b")
                    .append(',').append(i * 0.5).append('\n');
        return TestData.inline(csv.toString());
    }

    private static TrainingSpec spec(String model, Task task, String target, Map<String, Object> params) {
        return new TrainingSpec(model, task, target, List.of(), params, null, 0.2, 42L);
    }

    @Test
    void foldCountIsValidated() {
        TrainingSpec cls = spec("DecisionTree", Task.CLASSIFICATION, "y", Map.of());
        for (int bad : new int[]{ 1, 0, 21 }) {
            PipelineValidationException e = assertThrows(PipelineValidationException.class,
                    () -> CrossValidator.validateFolds(IMBALANCED.table(), IMBALANCED.types(), cls, bad));
            assertEquals("cv_folds", e.field());
        }
        CrossValidator.validateFolds(IMBALANCED.table(), IMBALANCED.types(), cls, 4);
        PipelineValidationException e = assertThrows(PipelineValidationException.class,
                () -> CrossValidator.validateFolds(IMBALANCED.table(), IMBALANCED.types(), cls, 5));
        assertEquals("cv_folds", e.field());
        assertTrue(e.getMessage().contains("class 'r' has only 4 row(s) in the training split"), e.getMessage());
        // crossValidate refuses the same way before fitting anything.
        assertEquals("cv_folds", assertThrows(PipelineValidationException.class, () -> CrossValidator.crossValidate(
                IMBALANCED.table(), IMBALANCED.types(), cls, 5, "accuracy", null)).field());

        TestData.Loaded small = TestData.inline("x,z\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n7,7\n8,8\n9,9\n10,10\n11,11\n12,12");
        TrainingSpec reg = spec("DecisionTree", Task.REGRESSION, "z", Map.of()); // 12 rows → 9 training rows
        CrossValidator.validateFolds(small.table(), small.types(), reg, 9);
        PipelineValidationException rows = assertThrows(PipelineValidationException.class,
                () -> CrossValidator.validateFolds(small.table(), small.types(), reg, 10));
        assertEquals("cv_folds", rows.field());
        assertTrue(rows.getMessage().contains("only 9 row(s)"), rows.getMessage());
        // Request errors keep their own field; a scoring of the other task is refused.
        assertEquals("target_column", assertThrows(PipelineValidationException.class, () -> CrossValidator.validateFolds(
                small.table(), small.types(), spec("DecisionTree", Task.REGRESSION, "nope", Map.of()), 3)).field());
        assertEquals("scoring", assertThrows(PipelineValidationException.class, () -> CrossValidator.crossValidate(
                small.table(), small.types(), reg, 3, "accuracy", null)).field());
    }

    // ------------------------------------------------------------------ leakage

    /**
     * 60 rows: numeric x with some missing cells and a few huge values, categorical c with a level ("rare") on one
     * row only. Whatever fold those rows fall into, that fold's imputer, scaler and one-hot levels must not know them.
     */
    private static TestData.Loaded leakageTable() {
        StringBuilder csv = new StringBuilder("x,c,y\n");
        for (int i = 0; i < 60; i++) {
            String x = i % 7 == 3 ? "" : i % 10 == 4 ? "1000000" : Integer.toString(i);
            String c = i == 17 ? "rare" : i % 3 == 0 ? "u" : "v";
            csv.append(x).append(',').append(c).append(',').append(i % 2 == 0 ? "p" : "q").append('\n');
        }
        return TestData.inline(csv.toString());
    }

    private static double[] presentX(Trainer.Prepared p, int[] rows) {
        return Arrays.stream(rows).mapToObj(r -> (Double) p.cells().get(r)[0]).filter(d -> d != null)
                .mapToDouble(Double::doubleValue).toArray();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    @Test
    void preprocessingIsFittedOnTheFoldTrainingRowsOnly() {
        TestData.Loaded d = leakageTable();
        for (PreprocessingSpec prep : List.of(PreprocessingSpec.defaults(), new PreprocessingSpec(
                PreprocessingSpec.NumericImputation.MEAN, null, null, null, PreprocessingSpec.Scaling.MINMAX, null))) {
            TrainingSpec spec = new TrainingSpec("DecisionTree", Task.CLASSIFICATION, "y", List.of(), Map.of(), prep,
                    0.2, 42L);
            AtomicInteger foldsWithExtremeValidation = new AtomicInteger();
            AtomicInteger foldsWithRareValidation = new AtomicInteger();
            double[] scores = CrossValidator.crossValidate(d.table(), d.types(), spec, 4, "accuracy", null,
                    (p, fold, fitRows, valRows, pipeline, score) -> {
                        Preprocessor pre = pipeline.preprocessor();
                        for (int r : fitRows) assertTrue(Arrays.stream(valRows).noneMatch(v -> v == r));
                        assertEquals(48, fitRows.length + valRows.length); // the 80% training split only

                        double[] present = presentX(p, fitRows);
                        double fill = prep.numericImputation() == PreprocessingSpec.NumericImputation.MEDIAN
                                ? median(present) : Arrays.stream(present).average().orElseThrow();
                        assertEquals(fill, pre.numericFill(0), 1e-9, "imputation statistic of fold " + fold);
                        double[] imputed = Arrays.stream(fitRows).mapToDouble(r -> {
                            Double x = (Double) p.cells().get(r)[0];
                            return x == null ? fill : x;
                        }).toArray();
                        if (prep.scaling() == PreprocessingSpec.Scaling.STANDARD) {
                            double mean = Arrays.stream(imputed).average().orElseThrow();
                            double var = Arrays.stream(imputed).map(x -> (x - mean) * (x - mean)).sum() / imputed.length;
                            assertEquals(mean, pre.center(0), 1e-6, "scaler mean of fold " + fold);
                            assertEquals(Math.sqrt(var), pre.scale(0), 1e-6, "scaler sd of fold " + fold);
                        } else {
                            double min = Arrays.stream(imputed).min().orElseThrow();
                            double max = Arrays.stream(imputed).max().orElseThrow();
                            assertEquals(min, pre.center(0), 1e-9, "scaler min of fold " + fold);
                            assertEquals(max - min, pre.scale(0), 1e-9, "scaler range of fold " + fold);
                        }
                        // The extreme rows in this fold's validation part left no trace in its statistics.
                        long extremeFit = Arrays.stream(present).filter(x -> x == 1e6).count();
                        boolean extremeInValidation = Arrays.stream(presentX(p, valRows)).anyMatch(x -> x == 1e6);
                        if (extremeInValidation) foldsWithExtremeValidation.incrementAndGet();
                        if (extremeFit == 0) assertTrue(pre.center(0) < 100 && pre.numericFill(0) < 100, "leak");

                        List<String> levels = pre.features().get(1).categories();
                        boolean rareInValidation = Arrays.stream(valRows)
                                .anyMatch(r -> "rare".equals(p.cells().get(r)[1]));
                        if (rareInValidation) foldsWithRareValidation.incrementAndGet();
                        assertEquals(!rareInValidation, levels.contains("rare"), "one-hot levels of fold " + fold + ": "
                                + levels);
                    });
            assertEquals(4, scores.length);
            assertTrue(foldsWithExtremeValidation.get() >= 1, "no fold validated on an extreme row");
            assertEquals(1, foldsWithRareValidation.get(), "the 'rare' row is not in the training split");
        }
    }

    // ------------------------------------------------------------------ real data

    @Test
    void twoByTwoGridOnIrisGivesThreeFoldScoresPerConfiguration() {
        TestData.Loaded iris = TestData.load("iris");
        ModelType rf = ModelCatalog.find("RandomForest").orElseThrow();
        SearchSpace space = SearchSpace.parse(rf, Map.of("n_trees", List.of(10, 30),
                "max_depth", new ArrayList<>(Arrays.asList(null, 3))), "grid");
        List<Map<String, Object>> grid = space.grid();
        assertEquals(4, grid.size());
        for (Map<String, Object> config : grid) {
            TrainingSpec spec = spec("RandomForest", Task.CLASSIFICATION, "species",
                    rf.validate(SearchSpace.merge(Map.of("min_samples_leaf", 1), config)));
            double[] scores = CrossValidator.crossValidate(iris.table(), iris.types(), spec, 3, "accuracy", null);
            System.out.printf("iris RF %s 3-fold accuracy %s%n", config, Arrays.toString(scores));
            assertEquals(3, scores.length);
            for (double s : scores) assertTrue(s > 0.8 && s <= 1.0, Arrays.toString(scores));
            assertArrayEquals(scores, CrossValidator.crossValidate(iris.table(), iris.types(), spec, 3, "accuracy",
                    null), "same seed, same scores");
        }
        // Multiclass roc_auc is the macro one-vs-rest average; f1 is macro.
        TrainingSpec spec = spec("RandomForest", Task.CLASSIFICATION, "species", rf.validate(Map.of("n_trees", 20)));
        for (String scoring : List.of("roc_auc", "f1")) {
            double[] s = CrossValidator.crossValidate(iris.table(), iris.types(), spec, 3, scoring, null);
            assertTrue(Arrays.stream(s).allMatch(v -> v > 0.8 && v <= 1.0), scoring + " " + Arrays.toString(s));
        }
    }

    @Test
    void regressionScoresAndCancellation() {
        TestData.Loaded housing = TestData.load("california_housing");
        TrainingSpec spec = spec("DecisionTree", Task.REGRESSION, "median_house_value", Map.of("max_depth", 8));
        double[] r2 = CrossValidator.crossValidate(housing.table(), housing.types(), spec, 3, "r2", null);
        double[] rmse = CrossValidator.crossValidate(housing.table(), housing.types(), spec, 3, "neg_rmse", null);
        System.out.printf("california_housing DecisionTree(8) 3-fold r2 %s neg_rmse %s%n", Arrays.toString(r2),
                Arrays.toString(rmse));
        assertTrue(Arrays.stream(r2).allMatch(v -> v > 0.55 && v < 0.8), Arrays.toString(r2));
        assertTrue(Arrays.stream(rmse).allMatch(v -> v < -40_000 && v > -90_000), Arrays.toString(rmse));

        AtomicInteger polls = new AtomicInteger();
        CancellationToken afterAFold = () -> polls.incrementAndGet() > 3;
        assertThrows(TrainingCancelledException.class, () -> CrossValidator.crossValidate(housing.table(),
                housing.types(), spec, 3, "r2", afterAFold));
        assertThrows(TrainingCancelledException.class, () -> CrossValidator.crossValidate(housing.table(),
                housing.types(), spec("RandomForest", Task.REGRESSION, "median_house_value", Map.of()), 3, "r2",
                () -> true));
    }

    @Test
    void concurrentCallsOnTheSameTableGiveTheSequentialResults() throws Exception {
        TestData.Loaded titanic = TestData.load("titanic");
        List<TrainingSpec> specs = List.of(
                spec("RandomForest", Task.CLASSIFICATION, "Survived", Map.of("n_trees", 30)),
                spec("GradientBoosting", Task.CLASSIFICATION, "Survived", Map.of("n_trees", 30)),
                spec("RandomForest", Task.CLASSIFICATION, "Survived", Map.of("n_trees", 30, "max_depth", 4)),
                spec("LogisticRegression", Task.CLASSIFICATION, "Survived", Map.of()));
        List<double[]> sequential = new ArrayList<>();
        for (TrainingSpec s : specs) {
            sequential.add(CrossValidator.crossValidate(titanic.table(), titanic.types(), s, 5, "accuracy", null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<double[]>> futures = new ArrayList<>();
                for (TrainingSpec s : specs) {
                    futures.add(pool.submit(() -> CrossValidator.crossValidate(titanic.table(), titanic.types(), s, 5,
                            "accuracy", null)));
                }
                for (int i = 0; i < specs.size(); i++) {
                    assertArrayEquals(sequential.get(i), futures.get(i).get(), specs.get(i).modelType());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ tree counts sharing one fit

    private static TrainingSpec forest(Task task, String target, Map<String, Object> params) {
        return new TrainingSpec(ModelCatalog.RANDOM_FOREST, task, target, List.of(),
                ModelCatalog.find(ModelCatalog.RANDOM_FOREST).orElseThrow().validate(params), null, 0.2, 42L);
    }

    /** The first k trees of a forest are the forest of k trees: the shared fit scores every count exactly as alone. */
    @Test
    void treeCountsSharingOneFitScoreExactlyAsEachCountAlone() {
        TestData.Loaded d = TestData.load("titanic");
        int[] counts = { 20, 5, 40, 20 };
        for (Object depth : java.util.Arrays.asList(null, 4)) {
            Map<String, Object> params = new java.util.HashMap<>();
            params.put("max_depth", depth);
            params.put("n_trees", 7); // ignored
            double[][] shared = CrossValidator.crossValidateTreeCounts(d.table(), d.types(),
                    forest(Task.CLASSIFICATION, "Survived", params), counts, 3, "accuracy", null);
            for (int c = 0; c < counts.length; c++) {
                params.put("n_trees", counts[c]);
                double[] alone = CrossValidator.crossValidate(d.table(), d.types(), forest(Task.CLASSIFICATION, "Survived", params),
                        3, "accuracy", null);
                assertArrayEquals(alone, shared[c], "n_trees " + counts[c] + ", max_depth " + depth);
            }
        }
        double[][] regression = CrossValidator.crossValidateTreeCounts(d.table(), d.types(),
                forest(Task.REGRESSION, "Fare", Map.of("max_depth", 6)), new int[]{ 30, 10 }, 3, "r2", null);
        assertArrayEquals(CrossValidator.crossValidate(d.table(), d.types(), forest(Task.REGRESSION, "Fare",
                Map.of("max_depth", 6, "n_trees", 10)), 3, "r2", null), regression[1]);
        assertArrayEquals(CrossValidator.crossValidate(d.table(), d.types(), forest(Task.REGRESSION, "Fare",
                Map.of("max_depth", 6, "n_trees", 30)), 3, "r2", null), regression[0]);
        assertTrue(regression[1][0] != regression[0][0], "10 and 30 trees score differently");
    }
    /**
     * The shared fit is really cut, not refitted count by count: every forest is held as {@link FlatTrees} after its
     * fit, and its first k trees (with their vote weights) are a forest of their own, scoring as the forest of k trees
     * fitted alone.
     */
    @Test
    void aFittedForestIsCutToItsFirstTrees() {
        TestData.Loaded d = TestData.load("titanic");
        for (boolean binned : new boolean[]{ false, true }) {
            TrainingSpec spec = forest(Task.CLASSIFICATION, "Survived", Map.of("n_trees", 12));
            List<FittedPipeline> fitted = new ArrayList<>();
            ScopedValue.where(CrossValidator.BINNED_FOLDS, binned).call(() -> CrossValidator.crossValidate(d.table(),
                    d.types(), spec, 3, "accuracy", null, (p, fold, train, validation, pipeline, score) -> fitted.add(pipeline)));
            FlatTrees whole = (FlatTrees) fitted.get(0).estimator();
            FittedPipeline cut = CrossValidator.firstTrees(fitted.get(0), 5);
            FlatTrees first = (FlatTrees) cut.estimator();
            assertEquals(5, first.trees().length);
            for (int t = 0; t < 5; t++) {
                assertTrue(whole.trees()[t] == first.trees()[t], "tree " + t);
                assertEquals(whole.weights()[t], first.weights()[t]);
            }
        }
    }

    /**
     * Fold fits grow their forests with the binned learner (its trees vote with weight 1; Smile's with their
     * out-of-bag accuracy) unless {@link CrossValidator#BINNED_FOLDS} is bound to false; on titanic the two
     * learners' CV accuracies are within 0.02 of each other.
     */
    @Test
    void foldForestsAreBinnedUnlessBoundOtherwise() {
        TestData.Loaded d = TestData.load("titanic");
        TrainingSpec spec = forest(Task.CLASSIFICATION, "Survived", Map.of("n_trees", 30));
        double[] means = new double[2];
        for (int b = 0; b < 2; b++) {
            boolean binned = b == 1;
            List<double[]> weights = new ArrayList<>();
            double[] scores = ScopedValue.where(CrossValidator.BINNED_FOLDS, binned).call(() -> CrossValidator.crossValidate(
                    d.table(), d.types(), spec, 5, "accuracy", null,
                    (p, fold, train, validation, pipeline, score) -> weights.add(((FlatTrees) pipeline.estimator()).weights())));
            for (double[] w : weights) {
                assertEquals(binned, Arrays.stream(w).allMatch(v -> v == 1.0), "binned " + binned + ": " + Arrays.toString(w));
            }
            means[b] = Arrays.stream(scores).average().orElseThrow();
        }
        double[] byDefault = CrossValidator.crossValidate(d.table(), d.types(), spec, 5, "accuracy", null);
        assertEquals(means[1], Arrays.stream(byDefault).average().orElseThrow(), 0.0, "binned by default");
        assertEquals(means[0], means[1], 0.02, "Smile " + means[0] + ", binned " + means[1]);
    }
}
