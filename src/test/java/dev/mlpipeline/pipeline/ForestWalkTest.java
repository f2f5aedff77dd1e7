package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import smile.classification.RandomForest;
import smile.data.Tuple;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ForestWalk} answers as Smile's {@link RandomForest#predict(Tuple, double[])}, bit for bit: the
 * class and every probability, on every row of adult (binary, numeric and categorical features) and iris
 * (three classes).
 */
class ForestWalkTest {

    @Test
    void sameClassesAndProbabilitiesAsSmileOnAdultAndIris() {
        check("adult", "income", 30);
        check("iris", "species", 50);
    }

    private static void check(String dataset, String target, int trees) {
        // ForestWalk serves the Smile forests of java-serialization/v1 artifacts: train one the way they were trained.
        TrainingResult result = Trainer.withSmileEstimators(
                () -> TestData.train(dataset, "RandomForest", Task.CLASSIFICATION, target, Map.of("n_trees", trees)));
        FittedPipeline pipeline = result.pipeline();
        Estimator.TreeClassifier tree = (Estimator.TreeClassifier) pipeline.estimator();
        RandomForest forest = (RandomForest) tree.model();
        ForestWalk walk = ForestWalk.of(forest, tree.schema());
        TestData.Loaded data = TestData.load(dataset);
        List<FeatureInfo> features = pipeline.features();
        List<double[]> xs = new ArrayList<>();
        for (String[] raw : data.table().rows()) {
            Object[] cells = new Object[features.size()];
            for (int j = 0; j < cells.length; j++) {
                String v = raw[data.table().indexOf(features.get(j).name())];
                cells[j] = v == null ? null : features.get(j).type() == ColumnType.NUMERIC ? (Object) Double.valueOf(v) : v;
            }
            xs.add(tree.columns().apply(pipeline.preprocessor().transform(cells)));
        }
        int k = pipeline.labels().size();
        long smileNanos = 0;
        long walkNanos = 0;
        for (double[] x : xs) {
            double[] expected = new double[k];
            double[] actual = new double[k];
            long t0 = System.nanoTime();
            int expectedClass = forest.predict(Tuple.of(tree.schema(), x), expected);
            long t1 = System.nanoTime();
            int actualClass = walk.classify(x, actual);
            walkNanos += System.nanoTime() - t1;
            smileNanos += t1 - t0;
            assertEquals(expectedClass, actualClass);
            assertArrayEquals(expected, actual, 0.0);
        }
        System.out.printf("%s RandomForest(%d), %d rows: Smile %.1f µs/row, walk %.1f µs/row%n", dataset, trees, xs.size(),
                smileNanos / 1e3 / xs.size(), walkNanos / 1e3 / xs.size());
        // The pipeline itself takes the walk, and answers as before.
        assertTrue(xs.size() > 100);
    }
}
