package dev.mlpipeline.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import smile.classification.DecisionTree;
import smile.data.Tuple;
import smile.model.cart.CART;
import smile.model.cart.DecisionNode;
import smile.model.cart.InternalNode;
import smile.model.cart.Node;
import smile.model.cart.RegressionNode;
import smile.regression.RegressionTree;

/**
 * Exact SHAP values of Smile's tree models (random forest, gradient boosting, CART; classification and regression)
 * as {@link Contributions}.
 *
 * <p>Each tree is explained by Smile's own TreeSHAP ({@link CART#shap(Tuple)}: Lundberg, Erion &amp; Lee, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", 2018, Algorithm 2, path-dependent, with the training
 * samples per node as cover). The trees are combined here rather than through Smile's ensemble-level
 * {@code shap(Tuple)}, which returns the plain average over trees: that is the right combination for a regression
 * forest, but a classification forest predicts the average weighted by each tree's out-of-bag accuracy, and gradient
 * boosting predicts {@code b + eta * sum of trees} (Smile's boosting SHAP drops both {@code b} and {@code eta}). Here
 * every ensemble is combined with the weights its {@code predict} uses, so the values add up to the prediction.
 *
 * <p>The base value of a tree is its expected output over the training data as the tree saw it: the leaf values
 * weighted by the fraction of training samples reaching them (the same node sizes TreeSHAP uses). Base values are
 * computed once per model and cached (weak keys: a model that is no longer used is dropped).
 */
final class TreeShap {

    /** Model → per output, the base value in the model's raw output space. */
    private static final Cache<Object, double[]> BASES = Caffeine.newBuilder().weakKeys().maximumSize(256).build();

    private TreeShap() {
    }

    /**
     * Explains one prediction.
     *
     * @param model   a Smile {@code RandomForest}, {@code GradientTreeBoost}, {@code DecisionTree} (classification) or
     *                {@code RandomForest}, {@code GradientTreeBoost}, {@code RegressionTree} (regression)
     * @param tuple   the row as given to the model's {@code predict}
     * @param column  per model column (predictor), the column of the estimator's input vector receiving its
     *                contribution
     * @param width   length of the estimator's input vector
     * @param classes number of classes (classification) or 0 (regression)
     * @param boost   gradient boosting only: {intercept b, shrinkage eta} as fitted; ignored for other models
     * @return contributions per output and input-vector column
     * @throws ExplanationUnavailableException for gradient boosting without {@code boost}
     */
    static Contributions explain(Object model, Tuple tuple, int[] column, int width, int classes, double[] boost) {
        return switch (model) {
            case smile.classification.RandomForest rf -> {
                Tuple xt = rf.formula().x(tuple);
                var models = rf.models();
                double total = 0;
                for (var m : models) total += m.weight();
                double[][] values = new double[classes][width];
                for (var m : models) add(values, m.tree().shap(xt), classes, m.weight() / total, column);
                yield new Contributions(RawOutput.PROBABILITY, base(rf, () -> {
                    double[] b = new double[classes];
                    double sum = 0;
                    for (var m : models) sum += m.weight();
                    for (var m : models) {
                        double[] e = expected(m.tree(), classes);
                        for (int c = 0; c < classes; c++) b[c] += e[c] * m.weight() / sum;
                    }
                    return b;
                }), values);
            }
            case DecisionTree tree -> {
                double[][] values = new double[classes][width];
                add(values, tree.shap(tuple), classes, 1.0, column);
                yield new Contributions(RawOutput.PROBABILITY, base(tree, () -> expected(tree, classes)), values);
            }
            case smile.classification.GradientTreeBoost gbt -> boostClassifier(gbt, tuple, column, width, classes, boost);
            case smile.regression.RandomForest rf -> {
                Tuple xt = rf.formula().x(tuple);
                var models = rf.models();
                double[][] values = new double[1][width];
                for (var m : models) add(values, m.tree().shap(xt), 1, 1.0 / models.length, column);
                yield new Contributions(RawOutput.VALUE, base(rf, () -> {
                    double b = 0;
                    for (var m : models) b += expected(m.tree(), 1)[0] / models.length;
                    return new double[]{ b };
                }), values);
            }
            case RegressionTree tree -> {
                double[][] values = new double[1][width];
                add(values, tree.shap(tuple), 1, 1.0, column);
                yield new Contributions(RawOutput.VALUE, base(tree, () -> expected(tree, 1)), values);
            }
            case smile.regression.GradientTreeBoost gbt -> {
                double[] bs = requireBoost(boost);
                Tuple xt = gbt.formula().x(tuple);
                RegressionTree[] trees = gbt.trees();
                double[][] values = new double[1][width];
                for (RegressionTree t : trees) add(values, t.shap(xt), 1, bs[1], column);
                yield new Contributions(RawOutput.VALUE, base(gbt, () -> {
                    double b = bs[0];
                    for (RegressionTree t : trees) b += bs[1] * expected(t, 1)[0];
                    return new double[]{ b };
                }), values);
            }
            default -> throw new ExplanationUnavailableException(
                    "no explanation for models of class " + model.getClass().getSimpleName());
        };
    }

    /**
     * Smile's binary boosting predicts {@code p1 = 1 / (1 + exp(-2f))} with {@code f = b + eta * sum of trees}, so
     * the log-odds of class 1 are {@code 2f}; with k > 2 classes, class c's margin is {@code eta * sum of its trees}
     * (no intercept) and the probabilities are their softmax.
     */
    private static Contributions boostClassifier(smile.classification.GradientTreeBoost gbt, Tuple tuple, int[] column,
            int width, int classes, double[] boost) {
        Tuple xt = gbt.formula().x(tuple);
        RegressionTree[][] forest = gbt.trees();
        if (classes == 2) {
            double[] bs = requireBoost(boost);
            double[][] values = new double[2][width];
            for (RegressionTree t : forest[0]) add(values, t.shap(xt), 1, 2 * bs[1], column, 1);
            for (int j = 0; j < width; j++) values[0][j] = -values[1][j];
            double[] base = base(gbt, () -> {
                double f = bs[0];
                for (RegressionTree t : forest[0]) f += bs[1] * expected(t, 1)[0];
                return new double[]{ -2 * f, 2 * f };
            });
            return new Contributions(RawOutput.LOG_ODDS, base, values);
        }
        double eta = requireBoost(boost)[1];
        double[][] values = new double[classes][width];
        for (int c = 0; c < classes; c++) {
            for (RegressionTree t : forest[c]) add(values, t.shap(xt), 1, eta, column, c);
        }
        double[] base = base(gbt, () -> {
            double[] b = new double[classes];
            for (int c = 0; c < classes; c++) {
                for (RegressionTree t : forest[c]) b[c] += eta * expected(t, 1)[0];
            }
            return b;
        });
        return new Contributions(RawOutput.MARGIN, base, values);
    }

    private static double[] requireBoost(double[] boost) {
        if (boost == null) {
            throw new ExplanationUnavailableException("this gradient boosting model was trained before explanations "
                    + "were supported (its intercept and learning rate were not stored); train it again to explain it");
        }
        return boost;
    }

    private static double[] base(Object model, java.util.function.Supplier<double[]> compute) {
        return BASES.get(model, m -> compute.get()).clone();
    }

    /** Adds {@code weight * phi} (layout {@code phi[j * k + c]}) to {@code values[c][column[j]]}. */
    private static void add(double[][] values, double[] phi, int k, double weight, int[] column) {
        for (int j = 0; j < column.length; j++) {
            for (int c = 0; c < k; c++) values[c][column[j]] += weight * phi[j * k + c];
        }
    }

    /** Adds {@code weight * phi} of a one-output tree to {@code values[output][column[j]]}. */
    private static void add(double[][] values, double[] phi, int k, double weight, int[] column, int output) {
        for (int j = 0; j < column.length; j++) values[output][column[j]] += weight * phi[j * k];
    }

    /**
     * @param tree    a fitted tree
     * @param outputs number of classes of a classification tree, 1 for a regression tree
     * @return per output, the tree's expected output: leaf values weighted by the share of training samples
     */
    static double[] expected(CART tree, int outputs) {
        double[] out = new double[outputs];
        expected(tree.root(), 1.0, out, new double[outputs]);
        return out;
    }

    private static void expected(Node node, double weight, double[] out, double[] buffer) {
        if (node instanceof InternalNode split) {
            double size = split.size();
            expected(split.trueChild(), weight * split.trueChild().size() / size, out, buffer);
            expected(split.falseChild(), weight * split.falseChild().size() / size, out, buffer);
        } else if (node instanceof DecisionNode leaf) {
            leaf.posteriori(buffer);
            for (int c = 0; c < out.length; c++) out[c] += weight * buffer[c];
        } else {
            out[0] += weight * ((RegressionNode) node).output();
        }
    }
}
