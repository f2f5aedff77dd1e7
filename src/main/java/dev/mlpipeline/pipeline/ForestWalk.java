package dev.mlpipeline.pipeline;

import java.util.Arrays;

import smile.classification.RandomForest;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.math.MathEx;
import smile.model.cart.DecisionNode;

/**
 * Smile's {@link RandomForest#predict(Tuple, double[])} with the model's formula bound once per row
 * instead of once per tree. Smile projects the row through the forest's formula, then each tree projects
 * it again through its own (the same columns, in the same order): that second projection, a new bound
 * tuple per tree, was most of the cost of a forest of 100 trees (measured in {@code docs/benchmarks.md}).
 * Here the row is projected once, into an array-backed tuple of the formula's output schema, and every
 * tree is walked on it through Smile's own nodes ({@code Node.predict}, {@code DecisionNode.posteriori});
 * the probabilities are summed with the trees' weights, normalized and arg-maxed exactly as Smile does,
 * so the answers are the same bit for bit ({@code ForestWalkTest}). Immutable and thread-safe.
 */
final class ForestWalk {

    /** The walk last used on this thread: a pipeline predicts many rows in a row with the same forest. */
    private static final ThreadLocal<ForestWalk> LAST = new ThreadLocal<>();

    private final RandomForest forest;
    private final RandomForest.Model[] models;
    private final StructType bound;
    /** For each column of the formula's output, the column of the input tuple it comes from. */
    private final int[] source;
    private final int[] classes;

    private ForestWalk(RandomForest forest, StructType bound, int[] source, int[] classes) {
        this.forest = forest;
        this.models = forest.models();
        this.bound = bound;
        this.source = source;
        this.classes = classes;
    }

    /**
     * @param schema the schema of the tuples the forest is given ({@code Estimator.TreeClassifier#schema})
     */
    static ForestWalk of(RandomForest forest, StructType schema) {
        // Where each projected column comes from: project a row holding its own column indices.
        double[] iota = new double[schema.length()];
        for (int i = 0; i < iota.length; i++) {
            iota[i] = i;
        }
        Tuple projected = forest.formula().x(Tuple.of(schema, iota));
        int[] source = new int[projected.length()];
        for (int j = 0; j < source.length; j++) {
            source[j] = (int) projected.getDouble(j);
        }
        return new ForestWalk(forest, projected.schema(), source, forest.classes());
    }

    /** The walk of {@code forest}, built once per thread and forest (it keeps the last forest used on the thread). */
    static ForestWalk of(RandomForest forest, StructType schema, boolean cached) {
        ForestWalk walk = LAST.get();
        if (walk == null || walk.forest != forest) {
            walk = of(forest, schema);
            LAST.set(walk);
        }
        return walk;
    }

    /** As {@code forest.predict(Tuple.of(schema, x), posteriori)}. */
    int classify(double[] x, double[] posteriori) {
        double[] row = new double[source.length];
        for (int j = 0; j < row.length; j++) {
            row[j] = x[source[j]];
        }
        Tuple t = Tuple.of(bound, row);
        double[] prob = new double[posteriori.length];
        Arrays.fill(posteriori, 0.0);
        for (RandomForest.Model model : models) {
            ((DecisionNode) model.tree().root().predict(t)).posteriori(prob);
            double weight = model.weight();
            for (int i = 0; i < posteriori.length; i++) {
                posteriori[i] += weight * prob[i];
            }
        }
        MathEx.unitize1(posteriori);
        return classes[MathEx.whichMax(posteriori)];
    }
}
