package dev.mlpipeline.pipeline;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;

import smile.classification.DecisionTree;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.model.cart.DecisionNode;
import smile.model.cart.InternalNode;
import smile.model.cart.LeafNode;
import smile.model.cart.Node;
import smile.model.cart.NominalNode;
import smile.model.cart.OrdinalNode;
import smile.model.cart.RegressionNode;
import smile.regression.RegressionTree;

/**
 * A fitted tree model (single CART tree, random forest or gradient boosting; classification or regression) held as
 * flat arrays, one set per tree, and predicting by walking them. Produced from Smile's fitted model right after
 * training ({@link #of}) and read back from artifacts by {@link ModelFormat}, so that loading a model is reading
 * arrays instead of rebuilding millions of node objects.
 *
 * <p>Every prediction repeats Smile 6.3's arithmetic in the same order, so results equal Smile's bit for bit (the
 * tests compare to 1e-12): CART leaves give the posteriori {@code (count[i] + 1) / (n + k)}
 * ({@code DecisionNode.posteriori}); a random forest classifier sums {@code weight × posteriori} over its trees and
 * divides by the 1-norm ({@code RandomForest.predict}); a random forest regressor averages; gradient boosting sums
 * {@code shrinkage × tree(x)} from the intercept {@code b}, binary classification answering
 * {@code P(class 0) = 1 / (1 + exp(2f))} and multi-class a softmax over the per-class sums
 * ({@code GradientTreeBoost.predict}).
 */
final class FlatTrees implements Estimator {

    /** What the trees are and how their outputs combine. */
    enum Kind {
        /** One classification tree: the leaf's posteriori. */
        TREE_CLASSIFIER,
        /** One regression tree: the leaf's output. */
        TREE_REGRESSOR,
        /** Weighted vote of classification trees' posteriori, normalised by its 1-norm. */
        FOREST_CLASSIFIER,
        /** Mean of the regression trees' outputs. */
        FOREST_REGRESSOR,
        /** b + shrinkage × Σ tree(x); for k = 2 one sequence of trees, otherwise one per class (softmax). */
        BOOST_CLASSIFIER,
        /** b + shrinkage × Σ tree(x). */
        BOOST_REGRESSOR
    }

    private final Kind kind;
    private final Estimators.TreeColumns columns;
    /** Number of classes (classification), 0 for regression. */
    private final int k;
    /** Per tree: the forest classifier's vote weight (1 for the other kinds). */
    private final double[] weight;
    /** Gradient boosting's intercept and learning rate (0 and 1 for the other kinds). */
    private final double b;
    private final double shrinkage;
    /** The trees; multi-class boosting keeps class c's trees at {@code c * perClass .. (c + 1) * perClass - 1}. */
    private final Tree[] trees;
    /**
     * Smile's impurity-decrease importance per tree column, kept from the fit for {@link Importances} (which runs
     * right after training); null once read from an artifact, which does not store it.
     */
    private final double[] importance;
    /** Per output, the expected raw output over the training data (explanations' base), computed on first use. */
    private volatile double[] base;

    FlatTrees(Kind kind, Estimators.TreeColumns columns, int k, double[] weight, double b, double shrinkage, Tree[] trees) {
        this(kind, columns, k, weight, b, shrinkage, trees, null);
    }

    FlatTrees(Kind kind, Estimators.TreeColumns columns, int k, double[] weight, double b, double shrinkage, Tree[] trees,
            double[] importance) {
        this.importance = importance;
        this.kind = kind;
        this.columns = columns;
        this.k = k;
        this.weight = weight;
        this.b = b;
        this.shrinkage = shrinkage;
        this.trees = trees;
    }

    Kind kind() {
        return kind;
    }

    Estimators.TreeColumns columns() {
        return columns;
    }

    int numClasses() {
        return k;
    }

    double[] weights() {
        return weight;
    }

    double intercept() {
        return b;
    }

    double shrinkage() {
        return shrinkage;
    }

    Tree[] trees() {
        return trees;
    }

    /**
     * The forest of this forest's first {@code count} trees, with their vote weights: for a random forest whose tree i
     * is grown from the i-th seed of its sequence whatever the number of trees, exactly the forest of {@code count}
     * trees fitted on the same data and seed (tuning scores several tree counts from one fit with it).
     *
     * @param count trees to keep, 1..{@code trees().length}
     * @return the cut forest (the importance of the whole forest is kept), or null when this is not a random forest
     * @throws IllegalArgumentException when count is out of range
     */
    FlatTrees firstTrees(int count) {
        if (kind != Kind.FOREST_CLASSIFIER && kind != Kind.FOREST_REGRESSOR) return null;
        if (count < 1 || count > trees.length) {
            throw new IllegalArgumentException("need 1 <= count <= " + trees.length + ", got " + count);
        }
        return new FlatTrees(kind, columns, k, weight == null ? null : Arrays.copyOf(weight, count), b, shrinkage,
                Arrays.copyOf(trees, count), importance);
    }

    /** @return Smile's importance per tree column from the fit, or null for a model read from an artifact */
    double[] importance() {
        return importance;
    }

    @Override
    public int classify(double[] x, double[] posteriori) {
        double[] z = columns.apply(x);
        switch (kind) {
            case TREE_CLASSIFIER -> {
                Tree t = trees[0];
                int leaf = t.leaf(z);
                for (int c = 0; c < k; c++) posteriori[c] = t.value(leaf, c, k);
                return whichMax(posteriori);
            }
            case FOREST_CLASSIFIER -> {
                Arrays.fill(posteriori, 0.0);
                for (int i = 0; i < trees.length; i++) {
                    Tree t = trees[i];
                    int leaf = t.leaf(z);
                    double w = weight[i];
                    for (int c = 0; c < k; c++) posteriori[c] += w * t.value(leaf, c, k);
                }
                double norm = 0.0;
                for (double p : posteriori) norm += Math.abs(p);
                for (int c = 0; c < k; c++) posteriori[c] /= norm;
                return whichMax(posteriori);
            }
            case BOOST_CLASSIFIER -> {
                if (k == 2) {
                    double y = b;
                    for (Tree t : trees) y += shrinkage * t.value[t.leaf(z)];
                    posteriori[0] = 1.0 / (1.0 + Math.exp(2 * y));
                    posteriori[1] = 1.0 - posteriori[0];
                    return y > 0 ? 1 : 0;
                }
                int perClass = trees.length / k;
                double max = Double.NEGATIVE_INFINITY;
                int best = -1;
                for (int c = 0; c < k; c++) {
                    posteriori[c] = 0.0;
                    for (int i = c * perClass; i < (c + 1) * perClass; i++) {
                        Tree t = trees[i];
                        posteriori[c] += shrinkage * t.value[t.leaf(z)];
                    }
                    if (posteriori[c] > max) {
                        max = posteriori[c];
                        best = c;
                    }
                }
                double sum = 0.0;
                for (int c = 0; c < k; c++) {
                    posteriori[c] = Math.exp(posteriori[c] - max);
                    sum += posteriori[c];
                }
                for (int c = 0; c < k; c++) posteriori[c] /= sum;
                return best;
            }
            default -> throw new IllegalStateException("a regression model cannot classify; the pipeline routes by task");
        }
    }

    /**
     * {@link #classify} of many rows at once, for batch predictions: a forest classifier walks each tree over
     * every row before the next tree, so that a tree stays in the CPU caches while it scores the rows (row by
     * row, 100 deep trees of a few MB in all miss the caches on almost every node). Each row's votes are still
     * added in tree order, so the answers are {@link #classify}'s, bit for bit.
     *
     * @param x          preprocessed rows
     * @param rows       the indexes (into {@code x}, {@code out} and {@code posteriori}) of the rows to classify
     * @param n          how many entries of {@code rows} to use
     * @param out        receives row {@code rows[r]}'s class index at {@code rows[r]}
     * @param posteriori receives its probabilities at {@code [rows[r] * k, (rows[r] + 1) * k)}
     * @return false, writing nothing, for a model kind classified row by row (the caller calls {@link #classify})
     */
    boolean classifyAll(double[][] x, int[] rows, int n, int[] out, double[] posteriori) {
        if (kind != Kind.FOREST_CLASSIFIER) return false;
        double[][] z = new double[n][];
        for (int r = 0; r < n; r++) {
            z[r] = columns.apply(x[rows[r]]);
            Arrays.fill(posteriori, rows[r] * k, rows[r] * k + k, 0.0);
        }
        for (int i = 0; i < trees.length; i++) {
            Tree t = trees[i];
            double w = weight[i];
            for (int r = 0; r < n; r++) {
                int leaf = t.leaf(z[r]);
                int at = rows[r] * k;
                for (int c = 0; c < k; c++) posteriori[at + c] += w * t.value(leaf, c, k);
            }
        }
        for (int r = 0; r < n; r++) {
            int at = rows[r] * k;
            double norm = 0.0;
            for (int c = 0; c < k; c++) norm += Math.abs(posteriori[at + c]);
            double max = Double.NEGATIVE_INFINITY;
            int best = 0;
            for (int c = 0; c < k; c++) {
                posteriori[at + c] /= norm;
                if (posteriori[at + c] > max) {
                    max = posteriori[at + c];
                    best = c;
                }
            }
            out[rows[r]] = best;
        }
        return true;
    }

    /**
     * {@link #regress} of rows {@code [from, from + n)} of {@code x} at once, tree by tree as {@link #classifyAll}
     * does (each row's outputs still added in tree order, so the answers are {@link #regress}'s, bit for bit).
     *
     * @param x    preprocessed rows
     * @param from first row
     * @param n    number of rows
     * @param out  receives row i's prediction at i
     * @return false, writing nothing, unless this is a random forest regressor
     */
    boolean regressAll(double[][] x, int from, int n, double[] out) {
        if (kind != Kind.FOREST_REGRESSOR) return false;
        double[][] z = new double[n][];
        for (int r = 0; r < n; r++) {
            z[r] = columns.apply(x[from + r]);
            out[from + r] = 0.0;
        }
        for (Tree t : trees) {
            for (int r = 0; r < n; r++) out[from + r] += t.value[t.leaf(z[r])];
        }
        for (int r = 0; r < n; r++) out[from + r] /= trees.length;
        return true;
    }

    /** @return whether this is a random forest classifier ({@link #classifyAll} classifies it) */
    boolean isForestClassifier() {
        return kind == Kind.FOREST_CLASSIFIER;
    }

    /** @return whether this is a random forest regressor ({@link #regressAll} predicts it) */
    boolean isForestRegressor() {
        return kind == Kind.FOREST_REGRESSOR;
    }

    @Override
    public double regress(double[] x) {
        double[] z = columns.apply(x);
        switch (kind) {
            case TREE_REGRESSOR -> {
                Tree t = trees[0];
                return t.value[t.leaf(z)];
            }
            case FOREST_REGRESSOR -> {
                double y = 0.0;
                for (Tree t : trees) y += t.value[t.leaf(z)];
                return y / trees.length;
            }
            case BOOST_REGRESSOR -> {
                double y = b;
                for (Tree t : trees) y += shrinkage * t.value[t.leaf(z)];
                return y;
            }
            default -> throw new IllegalStateException("a classification model cannot regress; the pipeline routes by task");
        }
    }

    /**
     * Exact SHAP values, combined over the trees with the weights {@link #classify} / {@link #regress} use (as
     * {@link TreeShap} does for the Smile models: forest classifier: weight / Σ weights, probabilities; forest
     * regressor: 1 / n; boosting: the shrinkage, binary classification in log-odds {@code 2f}, multi-class in
     * per-class margins). Each tree by path-dependent TreeSHAP (Lundberg, Erion &amp; Lee 2018, "Consistent
     * Individualized Feature Attribution for Tree Ensembles", Algorithm 2) over the flat arrays, with the training
     * samples per node as cover; a tree column's contribution goes to the first input column of its block.
     */
    @Override
    public Contributions contributions(double[] x) {
        double[] z = columns.apply(x);
        int[] start = columns.start();
        int p = columns.count();
        int width = x.length;
        return switch (kind) {
            case TREE_CLASSIFIER, FOREST_CLASSIFIER -> {
                double total = 0;
                for (double w : weight) total += w;
                double[][] values = new double[k][width];
                for (int t = 0; t < trees.length; t++) {
                    double[] phi = trees[t].shap(z, p, k);
                    double w = weight[t] / total;
                    for (int j = 0; j < p; j++) for (int c = 0; c < k; c++) values[c][start[j]] += w * phi[j * k + c];
                }
                yield new Contributions(RawOutput.PROBABILITY, base(), values);
            }
            case TREE_REGRESSOR, FOREST_REGRESSOR, BOOST_REGRESSOR -> {
                double w = kind == Kind.BOOST_REGRESSOR ? shrinkage : 1.0 / trees.length;
                double[][] values = new double[1][width];
                for (Tree t : trees) {
                    double[] phi = t.shap(z, p, 1);
                    for (int j = 0; j < p; j++) values[0][start[j]] += w * phi[j];
                }
                yield new Contributions(RawOutput.VALUE, base(), values);
            }
            case BOOST_CLASSIFIER -> {
                double[][] values = new double[k][width];
                if (k == 2) {
                    for (Tree t : trees) {
                        double[] phi = t.shap(z, p, 1);
                        for (int j = 0; j < p; j++) values[1][start[j]] += 2 * shrinkage * phi[j];
                    }
                    for (int j = 0; j < width; j++) values[0][j] = -values[1][j];
                    yield new Contributions(RawOutput.LOG_ODDS, base(), values);
                }
                int perClass = trees.length / k;
                for (int c = 0; c < k; c++) {
                    for (int i = c * perClass; i < (c + 1) * perClass; i++) {
                        double[] phi = trees[i].shap(z, p, 1);
                        for (int j = 0; j < p; j++) values[c][start[j]] += shrinkage * phi[j];
                    }
                }
                yield new Contributions(RawOutput.MARGIN, base(), values);
            }
        };
    }

    /** Per output, the expected raw output over the training data: leaf values weighted by their share of samples. */
    private double[] base() {
        double[] b0 = base;
        if (b0 == null) {
            b0 = switch (kind) {
                case TREE_CLASSIFIER, FOREST_CLASSIFIER -> {
                    double sum = 0;
                    for (double w : weight) sum += w;
                    double[] out = new double[k];
                    for (int t = 0; t < trees.length; t++) {
                        double[] e = trees[t].expected(k);
                        for (int c = 0; c < k; c++) out[c] += e[c] * weight[t] / sum;
                    }
                    yield out;
                }
                case TREE_REGRESSOR -> new double[]{ trees[0].expected(1)[0] };
                case FOREST_REGRESSOR -> {
                    double out = 0;
                    for (Tree t : trees) out += t.expected(1)[0] / trees.length;
                    yield new double[]{ out };
                }
                case BOOST_REGRESSOR -> {
                    double out = b;
                    for (Tree t : trees) out += shrinkage * t.expected(1)[0];
                    yield new double[]{ out };
                }
                case BOOST_CLASSIFIER -> {
                    if (k == 2) {
                        double f = b;
                        for (Tree t : trees) f += shrinkage * t.expected(1)[0];
                        yield new double[]{ -2 * f, 2 * f };
                    }
                    int perClass = trees.length / k;
                    double[] out = new double[k];
                    for (int c = 0; c < k; c++) {
                        for (int i = c * perClass; i < (c + 1) * perClass; i++) out[c] += shrinkage * trees[i].expected(1)[0];
                    }
                    yield out;
                }
            };
            base = b0;
        }
        return b0.clone();
    }

    /** First index of the largest value ({@code MathEx.whichMax}). */
    private static int whichMax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] > max) {
                max = v[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * One tree in preorder: node 0 is the root, an internal node's true child (value {@code <=} threshold, or equal
     * to the nominal level) is the next node and its false child is at {@link #right}.
     *
     * <p>Arrays of length n (nodes): {@code feature} (tree column, -1 for a leaf), {@code nominal} (the split tests
     * level equality), {@code split} (threshold or level), {@code right}, {@code size} (training samples reaching
     * the node; an internal node's is the sum of its children's). {@code counts}: per leaf node, k class counts at
     * {@code node * k} (classification; null for regression). {@code value}: per node its output (regression,
     * meaningful at leaves; null for classification, whose k posteriori per leaf {@link #value(int, int, int)} derives
     * from the counts on each use, so that a forest of millions of nodes does not hold them twice: 16 bytes per node
     * for two classes).
     */
    static final class Tree {
        final int[] feature;
        final boolean[] nominal;
        final double[] split;
        final int[] right;
        final int[] size;
        final int[] counts;
        final double[] value;

        Tree(int[] feature, boolean[] nominal, double[] split, int[] right, int[] size, int[] counts, double[] value) {
            this.feature = feature;
            this.nominal = nominal;
            this.split = split;
            this.right = right;
            this.size = size;
            this.counts = counts;
            this.value = value;
        }

        int nodes() {
            return feature.length;
        }

        /**
         * Output o of leaf {@code node}: for a classification tree the posteriori
         * {@code (count + 1) / (n + k)} ({@code DecisionNode.posteriori}, the same arithmetic as Smile's, so the same
         * bits), for a regression tree its output.
         *
         * @param outputs k (classification) or 1 (regression)
         */
        double value(int node, int o, int outputs) {
            if (counts == null) return value[node * outputs + o];
            return (counts[node * outputs + o] + 1) / (double) ((long) size[node] + outputs);
        }

        /** Index of the leaf that the tree-column vector z reaches. */
        int leaf(double[] z) {
            int i = 0;
            int f;
            while ((f = feature[i]) >= 0) {
                double v = z[f];
                boolean left = nominal[i] ? (int) v == (int) split[i] : v <= split[i];
                i = left ? i + 1 : right[i];
            }
            return i;
        }

        /**
         * @param outputs k for a classification tree (posteriori), 1 for a regression tree
         * @return per output, the leaf values weighted by the fraction of training samples reaching them
         */
        double[] expected(int outputs) {
            double[] out = new double[outputs];
            expected(0, 1.0, out, outputs);
            return out;
        }

        private void expected(int i, double weight, double[] out, int outputs) {
            if (feature[i] >= 0) {
                double s = size[i];
                expected(i + 1, weight * size[i + 1] / s, out, outputs);
                expected(right[i], weight * size[right[i]] / s, out, outputs);
            } else {
                for (int c = 0; c < outputs; c++) out[c] += weight * value(i, c, outputs);
            }
        }

        /**
         * Path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2; the indexing of the reference implementation
         * in the {@code shap} package's {@code tree_shap.h}).
         *
         * @param z       the tree-column vector
         * @param p       number of tree columns
         * @param outputs values per leaf (k posteriori or 1 output)
         * @return phi with layout {@code phi[column * outputs + o]}
         */
        double[] shap(double[] z, int p, int outputs) {
            double[] phi = new double[p * outputs];
            recurse(z, phi, outputs, 0, new Path(0), 0, 1.0, 1.0, -1);
            return phi;
        }

        /** The unique path of the recursion: per element the feature, zero and one fractions and the weight. */
        private static final class Path {
            final int[] feature;
            final double[] zero;
            final double[] one;
            final double[] weight;

            Path(int capacity) {
                feature = new int[capacity + 1];
                zero = new double[capacity + 1];
                one = new double[capacity + 1];
                weight = new double[capacity + 1];
            }

            Path copy(int depth) {
                Path c = new Path(depth + 1);
                System.arraycopy(feature, 0, c.feature, 0, depth + 1);
                System.arraycopy(zero, 0, c.zero, 0, depth + 1);
                System.arraycopy(one, 0, c.one, 0, depth + 1);
                System.arraycopy(weight, 0, c.weight, 0, depth + 1);
                return c;
            }

            void extend(int depth, double zeroFraction, double oneFraction, int featureIndex) {
                feature[depth] = featureIndex;
                zero[depth] = zeroFraction;
                one[depth] = oneFraction;
                weight[depth] = depth == 0 ? 1.0 : 0.0;
                for (int i = depth - 1; i >= 0; i--) {
                    weight[i + 1] += oneFraction * weight[i] * (i + 1) / (double) (depth + 1);
                    weight[i] = zeroFraction * weight[i] * (depth - i) / (double) (depth + 1);
                }
            }

            void unwind(int depth, int index) {
                double oneFraction = one[index];
                double zeroFraction = zero[index];
                double next = weight[depth];
                for (int i = depth - 1; i >= 0; i--) {
                    if (oneFraction != 0) {
                        double tmp = weight[i];
                        weight[i] = next * (depth + 1) / ((i + 1) * oneFraction);
                        next = tmp - weight[i] * zeroFraction * (depth - i) / (double) (depth + 1);
                    } else {
                        weight[i] = weight[i] * (depth + 1) / (zeroFraction * (depth - i));
                    }
                }
                for (int i = index; i < depth; i++) {
                    feature[i] = feature[i + 1];
                    zero[i] = zero[i + 1];
                    one[i] = one[i + 1];
                }
            }

            double unwoundSum(int depth, int index) {
                double oneFraction = one[index];
                double zeroFraction = zero[index];
                double next = weight[depth];
                double total = 0;
                for (int i = depth - 1; i >= 0; i--) {
                    if (oneFraction != 0) {
                        double tmp = next * (depth + 1) / ((i + 1) * oneFraction);
                        total += tmp;
                        next = weight[i] - tmp * zeroFraction * ((depth - i) / (double) (depth + 1));
                    } else {
                        total += (weight[i] / zeroFraction) / ((depth - i) / (double) (depth + 1));
                    }
                }
                return total;
            }
        }

        private void recurse(double[] z, double[] phi, int outputs, int node, Path parent, int depth, double zeroFraction,
                double oneFraction, int featureIndex) {
            Path path = parent.copy(depth);
            path.extend(depth, zeroFraction, oneFraction, featureIndex);
            int f = feature[node];
            if (f < 0) {
                for (int i = 1; i <= depth; i++) {
                    double w = path.unwoundSum(depth, i);
                    double scale = w * (path.one[i] - path.zero[i]);
                    for (int o = 0; o < outputs; o++) phi[path.feature[i] * outputs + o] += scale * value(node, o, outputs);
                }
                return;
            }
            double v = z[f];
            boolean left = nominal[node] ? (int) v == (int) split[node] : v <= split[node];
            int hot = left ? node + 1 : right[node];
            int cold = left ? right[node] : node + 1;
            double w = size[node];
            double hotZero = size[hot] / w;
            double coldZero = size[cold] / w;
            double incomingZero = 1;
            double incomingOne = 1;
            int index = 0;
            for (; index <= depth; index++) {
                if (path.feature[index] == f) break;
            }
            if (index != depth + 1) {
                incomingZero = path.zero[index];
                incomingOne = path.one[index];
                path.unwind(depth, index);
                depth -= 1;
            }
            recurse(z, phi, outputs, hot, path, depth + 1, hotZero * incomingZero, incomingOne, f);
            recurse(z, phi, outputs, cold, path, depth + 1, coldZero * incomingZero, 0, f);
        }

        /**
         * Builds a classification tree from preorder arrays; fills the sizes (the posteriori are derived on use).
         *
         * @param counts per leaf node k counts at {@code node * k}
         */
        static Tree classification(int[] feature, boolean[] nominal, double[] split, int[] right, int k, int[] counts) {
            int n = feature.length;
            int[] size = new int[n];
            for (int i = n - 1; i >= 0; i--) {
                if (feature[i] >= 0) {
                    size[i] = size[i + 1] + size[right[i]];
                } else {
                    long sum = 0;
                    for (int c = 0; c < k; c++) sum += counts[i * k + c];
                    size[i] = Math.toIntExact(sum);
                }
            }
            return new Tree(feature, nominal, split, right, size, counts, null);
        }

        /**
         * Builds a regression tree from preorder arrays; fills the internal sizes.
         *
         * @param size   samples per leaf (internal entries are overwritten)
         * @param output per leaf node its output
         */
        static Tree regression(int[] feature, boolean[] nominal, double[] split, int[] right, int[] size, double[] output) {
            for (int i = feature.length - 1; i >= 0; i--) {
                if (feature[i] >= 0) size[i] = size[i + 1] + size[right[i]];
            }
            return new Tree(feature, nominal, split, right, size, null, output);
        }
    }

    // ---------------------------------------------------------------- from Smile

    /**
     * Flattens a freshly fitted Smile tree model.
     *
     * @param fitted {@link Estimator.TreeClassifier} or {@link Estimator.TreeRegressor} from {@link Estimators}
     * @param data   the training data it was fitted on (gradient boosting's intercept is recomputed from its
     *               targets as Smile computes it: Smile does not expose it)
     * @param params the hyperparameters (gradient boosting's learning rate is its shrinkage)
     * @return the same model over flat arrays
     * @throws IllegalArgumentException for any other estimator
     */
    static FlatTrees of(Estimator fitted, Estimators.Data data, Map<String, Object> params) {
        if (fitted instanceof Estimator.TreeClassifier(var model, var schema, var columns, var boost)) {
            Flattener f = new Flattener(schema, columns);
            int k = data.numClasses();
            return switch (model) {
                case DecisionTree t -> new FlatTrees(Kind.TREE_CLASSIFIER, columns, k, new double[]{ 1.0 }, 0.0, 1.0,
                        new Tree[]{ f.classification(t.root(), k) }, t.importance());
                case smile.classification.RandomForest rf -> {
                    var models = rf.models();
                    Tree[] trees = new Tree[models.length];
                    double[] weights = new double[models.length];
                    for (int i = 0; i < models.length; i++) {
                        trees[i] = f.classification(models[i].tree().root(), k);
                        weights[i] = models[i].weight();
                    }
                    yield new FlatTrees(Kind.FOREST_CLASSIFIER, columns, k, weights, 0.0, 1.0, trees, rf.importance());
                }
                case smile.classification.GradientTreeBoost gbt -> {
                    RegressionTree[][] byClass = gbt.trees();
                    int rows = k == 2 ? 1 : k;
                    int perClass = byClass[0].length;
                    Tree[] trees = new Tree[rows * perClass];
                    for (int c = 0; c < rows; c++) {
                        for (int i = 0; i < perClass; i++) trees[c * perClass + i] = f.regression(byClass[c][i].root());
                    }
                    // train2 (k = 2) starts from Loss.logistic(y).intercept(); traink starts every class at 0.
                    double b = boost != null ? boost[0]
                            : k == 2 ? smile.model.cart.Loss.logistic(data.yClass()).intercept(null) : 0.0;
                    double eta = boost != null ? boost[1] : number(params, "learning_rate");
                    yield new FlatTrees(Kind.BOOST_CLASSIFIER, columns, k, null, b, eta, trees, gbt.importance());
                }
                default -> throw new IllegalArgumentException("no flat form for " + model.getClass().getName());
            };
        }
        if (fitted instanceof Estimator.TreeRegressor(var model, var schema, var columns, var boost)) {
            Flattener f = new Flattener(schema, columns);
            return switch (model) {
                case RegressionTree t -> new FlatTrees(Kind.TREE_REGRESSOR, columns, 0, new double[]{ 1.0 }, 0.0, 1.0,
                        new Tree[]{ f.regression(t.root()) }, t.importance());
                case smile.regression.RandomForest rf -> {
                    var models = rf.models();
                    Tree[] trees = new Tree[models.length];
                    for (int i = 0; i < models.length; i++) trees[i] = f.regression(models[i].tree().root());
                    yield new FlatTrees(Kind.FOREST_REGRESSOR, columns, 0, null, 0.0, 1.0, trees, rf.importance());
                }
                case smile.regression.GradientTreeBoost gbt -> {
                    RegressionTree[] src = gbt.trees();
                    Tree[] trees = new Tree[src.length];
                    for (int i = 0; i < src.length; i++) trees[i] = f.regression(src[i].root());
                    // Estimators fits with Loss.ls(); its intercept is the mean of y (a fresh Loss: it keeps state).
                    double b = boost != null ? boost[0] : smile.model.cart.Loss.ls().intercept(data.yValue());
                    double eta = boost != null ? boost[1] : number(params, "learning_rate");
                    yield new FlatTrees(Kind.BOOST_REGRESSOR, columns, 0, null, b, eta, trees, gbt.importance());
                }
                default -> throw new IllegalArgumentException("no flat form for " + model.getClass().getName());
            };
        }
        throw new IllegalArgumentException("no flat form for " + fitted.getClass().getName());
    }

    private static double number(Map<String, Object> params, String name) {
        return ((Number) params.get(name)).doubleValue();
    }

    /**
     * Walks Smile's node objects into preorder arrays. Smile keeps split values package-private; they are read back
     * through the public {@code branch(Tuple)} test instead of reflection: a nominal level by trying the levels of the
     * column, a threshold t by bisection over the doubles in their total order for the largest value v with
     * {@code v <= t}, which is t itself (at most 64 tests per node).
     */
    private static final class Flattener {
        private final double[] probe;
        private final Tuple tuple;
        private final Estimators.TreeColumns columns;

        Flattener(StructType schema, Estimators.TreeColumns columns) {
            this.columns = columns;
            this.probe = new double[columns.count()];
            this.tuple = Tuple.of(schema, probe);
        }

        Tree classification(Node root, int k) {
            Builder builder = new Builder(true, k);
            builder.walk(root);
            return Tree.classification(builder.feature(), builder.nominal(), builder.split(), builder.right(), k,
                    builder.counts());
        }

        Tree regression(Node root) {
            Builder builder = new Builder(false, 1);
            builder.walk(root);
            return Tree.regression(builder.feature(), builder.nominal(), builder.split(), builder.right(),
                    builder.size(), builder.output());
        }

        private double threshold(InternalNode node) {
            int f = node.feature();
            long lo = order(Double.NEGATIVE_INFINITY); // branch true (every finite threshold >= -inf)
            long hi = order(Double.POSITIVE_INFINITY);
            probe[f] = Double.POSITIVE_INFINITY;
            if (node.branch(tuple)) return Double.POSITIVE_INFINITY;
            probe[f] = Double.NEGATIVE_INFINITY;
            if (!node.branch(tuple)) throw new IllegalStateException("split with no value below it at feature " + f);
            // invariant: value(lo) <= t < value(hi)
            // hi - lo can exceed Long.MAX_VALUE: the difference is taken as unsigned.
            while (Long.compareUnsigned(hi - lo, 1) > 0) {
                long mid = lo + ((hi - lo) >>> 1);
                probe[f] = value(mid);
                if (node.branch(tuple)) lo = mid;
                else
                    hi = mid;
            }
            probe[f] = 0.0;
            return value(lo);
        }

        private int level(InternalNode node) {
            int f = node.feature();
            int size = columns.size()[f];
            int levels = size == -2 ? 2 : size + 1;
            for (int v = 0; v < Math.max(levels, 2); v++) {
                probe[f] = v;
                if (node.branch(tuple)) {
                    probe[f] = 0.0;
                    return v;
                }
            }
            throw new IllegalStateException("nominal split on no level of tree column " + f);
        }

        /** Monotone map of doubles (not NaN) to longs: a < b iff order(a) < order(b); -0.0 sorts before 0.0. */
        private static long order(double d) {
            long bits = Double.doubleToRawLongBits(d);
            return bits ^ ((bits >> 63) & Long.MAX_VALUE);
        }

        private static double value(long order) {
            return Double.longBitsToDouble(order ^ ((order >> 63) & Long.MAX_VALUE));
        }

        /** Growable preorder arrays of one tree. */
        private final class Builder {
            private final boolean classification;
            private final int k;
            private int n;
            private int[] feature = new int[64];
            private boolean[] nominal = new boolean[64];
            private double[] split = new double[64];
            private int[] right = new int[64];
            private int[] size = new int[64];
            private double[] output = new double[64];
            private int[] counts;

            Builder(boolean classification, int k) {
                this.classification = classification;
                this.k = k;
                this.counts = new int[64 * k];
            }

            void walk(Node root) {
                // Explicit stack: deep unpruned trees must not depend on the thread's stack size.
                ArrayDeque<Object[]> stack = new ArrayDeque<>();
                stack.push(new Object[]{ root, -1 });
                while (!stack.isEmpty()) {
                    Object[] top = stack.pop();
                    Node node = (Node) top[0];
                    int parent = (Integer) top[1];
                    int i = add();
                    if (parent >= 0) right[parent] = i;
                    if (node instanceof InternalNode in) {
                        feature[i] = in.feature();
                        if (in instanceof NominalNode) {
                            nominal[i] = true;
                            split[i] = level(in);
                        } else if (in instanceof OrdinalNode) {
                            split[i] = threshold(in);
                        } else {
                            throw new IllegalStateException("unknown split node " + in.getClass().getName());
                        }
                        stack.push(new Object[]{ in.falseChild(), i });
                        stack.push(new Object[]{ in.trueChild(), -1 });
                    } else if (node instanceof LeafNode leaf) {
                        feature[i] = -1;
                        if (classification) {
                            int[] c = ((DecisionNode) leaf).count();
                            if (c.length != k) throw new IllegalStateException("leaf with " + c.length + " classes, expected " + k);
                            System.arraycopy(c, 0, counts, i * k, k);
                        } else {
                            size[i] = leaf.size();
                            output[i] = ((RegressionNode) leaf).output();
                        }
                    } else {
                        throw new IllegalStateException("unknown node " + node.getClass().getName());
                    }
                }
            }

            private int add() {
                if (n == feature.length) {
                    int m = n * 2;
                    feature = java.util.Arrays.copyOf(feature, m);
                    nominal = java.util.Arrays.copyOf(nominal, m);
                    split = java.util.Arrays.copyOf(split, m);
                    right = java.util.Arrays.copyOf(right, m);
                    size = java.util.Arrays.copyOf(size, m);
                    output = java.util.Arrays.copyOf(output, m);
                    counts = java.util.Arrays.copyOf(counts, m * k);
                }
                right[n] = -1;
                return n++;
            }

            int[] feature() {
                return java.util.Arrays.copyOf(feature, n);
            }

            boolean[] nominal() {
                return java.util.Arrays.copyOf(nominal, n);
            }

            double[] split() {
                return java.util.Arrays.copyOf(split, n);
            }

            int[] right() {
                return java.util.Arrays.copyOf(right, n);
            }

            int[] size() {
                return java.util.Arrays.copyOf(size, n);
            }

            double[] output() {
                return java.util.Arrays.copyOf(output, n);
            }

            int[] counts() {
                return java.util.Arrays.copyOf(counts, n * k);
            }
        }
    }
}
