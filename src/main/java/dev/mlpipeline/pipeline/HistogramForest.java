package dev.mlpipeline.pipeline;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Random forest (Breiman 2001, as scikit-learn's {@code RandomForestClassifier}/{@code RandomForestRegressor}: bootstrap
 * samples, {@code max_features} candidate columns per split, Gini or squared-error impurity, probability averaging)
 * grown over <em>binned</em> columns; the learner of every RandomForest (Smile's only for a nominal column of more than
 * {@value #MAX_BINS} levels).
 *
 * <p>
 * Why our own learner: profiling a 200,000-row fit (issue 18, {@code bench/fit-large.sh}) showed Smile 6.3's
 * {@code CART.split} allocating and scanning arrays of the whole training set's size at <em>every</em> split
 * ({@code boolean[n]}, {@code MathEx.sum(int[n])}), so a fully grown tree costs O(n²) and a 1 M-row forest ran for
 * minutes and gigabytes; that is inside Smile, not in how we call it. XGBoost4J would be fast but ships JNI libraries
 * (a native-image and portability cost this service avoids everywhere else), and its trees are gradient boosted, not
 * a random forest. This learner follows LightGBM's histogram idea (Ke et al. 2017): each numeric column is cut once
 * into at most {@value #MAX_BINS} bins (every distinct value its own bin when there are few enough, else quantile
 * bins), stored as one byte per cell; a node's best split is found from per-bin class counts, in O(node size) per
 * candidate column, with no per-split allocation.
 *
 * <p>
 * Splits follow scikit-learn's {@code BestSplitter}, so that a forest fits and ranks its features as scikit-learn's
 * does (issue 14: titanic's permutation importance, Sex, Pclass, Fare, Age on both): the candidates are the columns of
 * the one-hot encoded matrix ({@link #slots}: a numeric column, or one level of a nominal column, one-hot blocks being
 * folded back by {@link Estimators.TreeColumns}, splitting "level == v" against the rest); candidates are drawn without
 * replacement until {@code max_features} non-constant ones were evaluated; a numeric threshold lies midway between the
 * largest value sent left and the smallest sent right among the node's rows; the best valid split is taken even when
 * it gains nothing. Binning only matters above {@value #MAX_BINS} distinct values, where a threshold lies between
 * quantile bins.
 *
 * <p>
 * Memory: the binned matrix ({@code rows × columns} bytes), per tree in flight a sample index and weights
 * ({@code 8 × rows} bytes), and the trees themselves (29 bytes per node for two classes: {@link FlatTrees.Tree}).
 */
final class HistogramForest {

    /** Bins per column at most (cells are stored as unsigned bytes). */
    static final int MAX_BINS = 256;

    /** Nodes with fewer distinct samples than this find their splits by sorting instead of by histogram. */
    private static final int SORT_BELOW = 48;

    private HistogramForest() {
    }

    /**
     * Hyperparameters, in scikit-learn's terms.
     *
     * @param trees          {@code n_estimators}
     * @param mtry           {@code max_features}: candidate columns per split
     * @param maxDepth       {@code max_depth} in split levels; {@link Integer#MAX_VALUE} for none
     * @param minSamplesLeaf {@code min_samples_leaf}: distinct training rows per leaf at least
     * @param subsample      1.0: a bootstrap sample (n rows drawn with replacement); below 1.0: that fraction of the
     *                       rows drawn without replacement (Smile's and the catalog's meaning)
     */
    record Options(int trees, int mtry, int maxDepth, int minSamplesLeaf, double subsample) {
    }

    /**
     * Fits a forest.
     *
     * @param columns    tree columns, {@code columns[j][i]} = value of column j in row i (level index when nominal)
     * @param levels     per column: number of bins needed for a nominal column (levels + 1 for "unseen"), or -1 for
     *                   a numeric column; at most {@value #MAX_BINS}
     * @param yClass     class indices 0..k-1 (classification) or null
     * @param yValue     targets (regression) or null
     * @param classes    k, or 0 for regression
     * @param options    hyperparameters
     * @param seed       seed of the bootstrap and column draws (tree t uses the t-th draw of a generator seeded here)
     * @param progress   receives the fraction of trees grown
     * @param cancel     polled between trees and every few thousand nodes
     * @param layout     the tree-column layout the columns were made with (kept with the model for predict)
     * @return the fitted forest as {@link FlatTrees} (the form every tree model is predicted, explained and stored
     *         in): leaves keep their bootstrap class counts, turned into probabilities as Smile's forests do
     * @throws TrainingCancelledException when cancelled
     */
    static FlatTrees fit(double[][] columns, int[] levels, int[] yClass, double[] yValue, int classes, Options options,
            long seed, ProgressListener progress, CancellationToken cancel, Estimators.TreeColumns layout) {
        int p = columns.length;
        int n = yClass != null ? yClass.length : yValue.length;
        boolean[] nominal = new boolean[p];
        double[][] edges = new double[p][];
        byte[][] bins = new byte[p][];
        for (int j = 0; j < p; j++) {
            nominal[j] = levels[j] > 0;
            if (nominal[j] && levels[j] > MAX_BINS) {
                throw new IllegalArgumentException("column " + j + " has more than " + MAX_BINS + " levels");
            }
            edges[j] = nominal[j] ? null : edges(columns[j]);
            bins[j] = binned(columns[j], edges[j]);
        }
        int[] binCount = new int[p];
        for (int j = 0; j < p; j++) binCount[j] = nominal[j] ? levels[j] : edges[j].length;
        double[][] binMin = new double[p][];
        double[][] binMax = new double[p][];
        for (int j = 0; j < p; j++) {
            if (nominal[j]) continue;
            binMin[j] = new double[binCount[j]];
            binMax[j] = new double[binCount[j]];
            Arrays.fill(binMin[j], Double.POSITIVE_INFINITY);
            Arrays.fill(binMax[j], Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                int b = bins[j][i] & 0xFF;
                binMin[j][b] = Math.min(binMin[j][b], columns[j][i]);
                binMax[j][b] = Math.max(binMax[j][b], columns[j][i]);
            }
        }
        int[][] slots = slots(levels);

        SplittableRandom root = new SplittableRandom(seed);
        long[] seeds = new long[options.trees()];
        for (int t = 0; t < seeds.length; t++) seeds[t] = root.nextLong();
        AtomicInteger done = new AtomicInteger();
        double[][] importance = new double[options.trees()][];
        FlatTrees.Tree[] trees = IntStream.range(0, options.trees()).parallel().mapToObj(t -> {
            if (cancel.isCancelled()) throw new TrainingCancelledException();
            Grower g = new Grower(bins, binMin, binMax, binCount, nominal, slots, yClass, yValue, classes, options,
                    seeds[t], cancel, n);
            FlatTrees.Tree tree = g.grow();
            importance[t] = g.importance;
            progress.onProgress(Math.min(1.0, done.incrementAndGet() / (double) options.trees()));
            return tree;
        }).toArray(FlatTrees.Tree[]::new);

        double[] mean = new double[p];
        for (double[] imp : importance) {
            double sum = Arrays.stream(imp).sum();
            if (sum > 0) for (int j = 0; j < p; j++) mean[j] += imp[j] / sum;
        }
        double total = Arrays.stream(mean).sum();
        if (total > 0) for (int j = 0; j < p; j++) mean[j] /= total;
        if (yClass == null) return new FlatTrees(FlatTrees.Kind.FOREST_REGRESSOR, layout, 0, null, 0.0, 1.0, trees, mean);
        double[] weights = new double[trees.length];
        Arrays.fill(weights, 1.0);
        return new FlatTrees(FlatTrees.Kind.FOREST_CLASSIFIER, layout, classes, weights, 0.0, 1.0, trees, mean);
    }

    /**
     * Upper bin edges of a numeric column: every distinct value its own bin when there are at most
     * {@value #MAX_BINS}, else quantile bins; each edge is the midpoint between the largest value of its bin and the
     * smallest of the next (scikit-learn's thresholds), the last edge +∞.
     */
    static double[] edges(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) if (i == 0 || sorted[i] != sorted[i - 1]) sorted[distinct++] = sorted[i];
        double[] uniq = Arrays.copyOf(sorted, distinct);
        if (distinct <= MAX_BINS) {
            double[] e = new double[Math.max(1, distinct)];
            for (int b = 0; b + 1 < distinct; b++) e[b] = midpoint(uniq[b], uniq[b + 1]);
            e[e.length - 1] = Double.POSITIVE_INFINITY;
            return e;
        }
        // Quantile cuts over the rows (not the distinct values), so heavy values get their own bins.
        double[] all = values.clone();
        Arrays.sort(all);
        double[] e = new double[MAX_BINS];
        int count = 0;
        for (int q = 1; q < MAX_BINS; q++) {
            double v = all[(int) ((long) all.length * q / MAX_BINS)];
            int at = Arrays.binarySearch(uniq, v);
            if (at + 1 >= uniq.length) break;
            double edge = midpoint(uniq[at], uniq[at + 1]);
            if (count == 0 || edge > e[count - 1]) e[count++] = edge;
        }
        e[count++] = Double.POSITIVE_INFINITY;
        return Arrays.copyOf(e, count);
    }

    /**
     * The candidates a split draws from, as scikit-learn sees the one-hot encoded matrix: one per numeric column and
     * one per level of a nominal column (its one-hot indicator; the "unseen" bin has none). {@code max_features}
     * counts these, so a categorical feature with many levels is drawn as often as scikit-learn draws its columns.
     *
     * @param levels as {@link #fit}
     * @return per candidate {column, level}, level -1 for a numeric column
     */
    static int[][] slots(int[] levels) {
        int count = 0;
        for (int l : levels) count += l > 0 ? Math.max(1, l - 1) : 1;
        int[][] out = new int[count][];
        int s = 0;
        for (int j = 0; j < levels.length; j++) {
            if (levels[j] <= 0) {
                out[s++] = new int[]{ j, -1 };
            } else {
                for (int v = 0; v < Math.max(1, levels[j] - 1); v++) out[s++] = new int[]{ j, v };
            }
        }
        return out;
    }

    private static double midpoint(double a, double b) {
        double m = a + (b - a) / 2;
        return m >= b ? a : m; // adjacent doubles: keep a <= threshold < b
    }

    private static byte[] binned(double[] values, double[] edges) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int b;
            if (edges == null) {
                b = (int) values[i];
            } else {
                b = Arrays.binarySearch(edges, values[i]);
                if (b < 0) b = -b - 1; // first edge >= value
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** Grows one tree; one instance per tree, used by one thread. */
    private static final class Grower {
        private final byte[][] bins;
        private final double[][] binMin; // per numeric column and bin: the smallest training value in the bin
        private final double[][] binMax; // ... and the largest
        private final int[] binCount;
        private final boolean[] nominal;
        private final int[][] slots; // split candidates: {column, level} (level -1: numeric), see slots(levels)
        private final int[] yClass;
        private final double[] yValue;
        private final int k; // classes, or 2 slots (weight, weighted sum) for regression
        private final boolean regression;
        private final Options options;
        private final SplittableRandom random;
        private final CancellationToken cancel;
        private final int[] idx;
        private final int[] weight;
        private final int[] order; // candidate (slot) draw order, reshuffled per node
        final double[] importance;

        // Per-node scratch, reused.
        private final double[] hist;
        private final int[] histRows;
        private final double[] left;
        private final double[] total;
        private final long[] keys;
        // Per nominal column: the node's weighted targets and distinct rows per level, computed once per node.
        private final double[][] levelHist;
        private final int[][] levelRows;
        private final int[] levelStamp; // the node the column's level counts belong to

        // Output, grown as needed.
        private int size;
        private int[] feature = new int[1024];
        private double[] threshold = new double[1024];
        private int[] right = new int[1024];
        private double[] value; // regression: the mean target per node
        private int[] count; // regression: weighted samples per node
        private int[] classCounts; // classification: k weighted class counts per node

        Grower(byte[][] bins, double[][] binMin, double[][] binMax, int[] binCount, boolean[] nominal, int[][] slots,
                int[] yClass, double[] yValue, int classes, Options options, long seed, CancellationToken cancel, int n) {
            this.bins = bins;
            this.binMin = binMin;
            this.binMax = binMax;
            this.binCount = binCount;
            this.nominal = nominal;
            this.slots = slots;
            this.yClass = yClass;
            this.yValue = yValue;
            this.regression = yClass == null;
            this.k = regression ? 2 : classes;
            this.options = options;
            this.random = new SplittableRandom(seed);
            this.cancel = cancel;
            this.importance = new double[bins.length];
            this.value = regression ? new double[1024] : null;
            this.count = regression ? new int[1024] : null;
            this.classCounts = regression ? null : new int[1024 * k];
            int[] w = new int[n];
            if (options.subsample() >= 1.0) { // bootstrap: n draws with replacement
                for (int d = 0; d < n; d++) w[random.nextInt(n)]++;
            } else { // without replacement (a partial Fisher-Yates shuffle)
                int draws = (int) Math.max(1, Math.round(options.subsample() * n));
                int[] perm = IntStream.range(0, n).toArray();
                for (int d = 0; d < draws; d++) {
                    int r = d + random.nextInt(n - d);
                    int t = perm[r];
                    perm[r] = perm[d];
                    perm[d] = t;
                    w[t] = 1;
                }
            }
            int m = 0;
            for (int i = 0; i < n; i++) if (w[i] > 0) m++;
            idx = new int[m];
            weight = new int[m];
            m = 0;
            for (int i = 0; i < n; i++) {
                if (w[i] > 0) {
                    idx[m] = i;
                    weight[m++] = w[i];
                }
            }
            order = IntStream.range(0, slots.length).toArray();
            levelHist = new double[bins.length][];
            levelRows = new int[bins.length][];
            levelStamp = new int[bins.length];
            Arrays.fill(levelStamp, -1);
            hist = new double[MAX_BINS * k];
            histRows = new int[MAX_BINS];
            left = new double[k];
            total = new double[k];
            keys = new long[SORT_BELOW];
        }

        FlatTrees.Tree grow() {
            double[] stats = new double[k];
            for (int i = 0; i < idx.length; i++) add(stats, 0, i);
            node(0, idx.length, 0, stats);
            int[] f = Arrays.copyOf(feature, size);
            boolean[] nominalSplit = new boolean[size];
            for (int i = 0; i < size; i++) nominalSplit[i] = f[i] >= 0 && nominal[f[i]];
            double[] split = Arrays.copyOf(threshold, size);
            int[] r = Arrays.copyOf(right, size);
            if (regression) {
                return FlatTrees.Tree.regression(f, nominalSplit, split, r, Arrays.copyOf(count, size),
                        Arrays.copyOf(value, size));
            }
            return FlatTrees.Tree.classification(f, nominalSplit, split, r, k, Arrays.copyOf(classCounts, size * k));
        }

        /**
         * Adds position i's weighted target to the k slots of s from offset (class counts, or weight and weighted
         * sum): a node's stats at offset 0, a histogram bin b at b·k.
         */
        private void add(double[] s, int offset, int i) {
            int w = weight[i];
            if (regression) {
                s[offset] += w;
                s[offset + 1] += w * yValue[idx[i]];
            } else {
                s[offset + yClass[idx[i]]] += w;
            }
        }

        /** Impurity score to maximise: Σ_c n_c² / n (Gini) or (Σ y)² / n (squared error), for one side. */
        private double score(double[] s, int offset) {
            if (regression) {
                double w = s[offset];
                return w > 0 ? s[offset + 1] * s[offset + 1] / w : 0;
            }
            double sum = 0;
            double sq = 0;
            for (int c = 0; c < k; c++) {
                double v = s[offset + c];
                sum += v;
                sq += v * v;
            }
            return sum > 0 ? sq / sum : 0;
        }

        private double weightOf(double[] s, int offset) {
            if (regression) return s[offset];
            double sum = 0;
            for (int c = 0; c < k; c++) sum += s[offset + c];
            return sum;
        }

        /** Builds the subtree over idx[lo, hi) with the given target stats; returns its node index. */
        private int node(int lo, int hi, int depth, double[] stats) {
            int id = newNode(stats);
            if ((size & 4095) == 0 && cancel.isCancelled()) throw new TrainingCancelledException();
            int m = hi - lo;
            double w = weightOf(stats, 0);
            if (depth >= options.maxDepth() || m < 2 * options.minSamplesLeaf() || pure(stats)) return id;

            double parentScore = score(stats, 0);
            // scikit-learn takes the best valid split even when it gains nothing (its best starts at -inf and
            // min_impurity_decrease is 0); a regression node keeps a rounding-noise floor so that a constant target
            // is not split on float error.
            double bestGain = regression ? 1e-12 * Math.max(1, Math.abs(parentScore)) : Double.NEGATIVE_INFINITY;
            int bestFeature = -1;
            int bestBin = -1;
            int bestNext = -1;
            int p = order.length;
            int visited = 0;
            for (int r = 0; r < p && visited < options.mtry(); r++) {
                int s = r + random.nextInt(p - r);
                int slot = order[s];
                order[s] = order[r];
                order[r] = slot;
                int f = slots[slot][0];
                int level = slots[slot][1];
                int found;
                if (level >= 0) {
                    found = splitOnLevel(f, level, id, lo, hi, stats);
                } else {
                    found = m < SORT_BELOW ? splitBySort(f, lo, hi, stats) : splitByHistogram(f, lo, hi, stats);
                }
                if (found == Integer.MIN_VALUE) continue; // constant in this node: does not count (scikit-learn)
                visited++;
                if (found >= 0 && lastGain - parentScore > bestGain) {
                    bestGain = lastGain - parentScore;
                    bestFeature = f;
                    bestBin = found;
                    bestNext = lastNext;
                }
            }
            if (bestFeature < 0) return id;

            byte[] col = bins[bestFeature];
            boolean nom = nominal[bestFeature];
            int i = lo;
            int j = hi - 1;
            while (i <= j) {
                int b = col[idx[i]] & 0xFF;
                if (nom ? b == bestBin : b <= bestBin) {
                    i++;
                } else {
                    swap(i, j--);
                }
            }
            double[] leftStats = new double[k];
            for (int q = lo; q < i; q++) add(leftStats, 0, q);
            double[] rightStats = new double[k];
            for (int c = 0; c < k; c++) rightStats[c] = stats[c] - leftStats[c];
            importance[bestFeature] += impurityDecrease(stats, leftStats, rightStats, w);

            feature[id] = bestFeature;
            // scikit-learn's threshold: midway between the largest value sent left and the smallest sent right.
            threshold[id] = nom ? bestBin : midpoint(binMax[bestFeature][bestBin], binMin[bestFeature][bestNext]);
            node(lo, i, depth + 1, leftStats);
            int rightChild = node(i, hi, depth + 1, rightStats); // not inlined: the call may reallocate right[]
            right[id] = rightChild;
            return id;
        }

        private double lastGain; // score of the split last found
        private int lastNext; // numeric: the first bin present in the node to the right of the split last found

        /**
         * The split on one level of a nominal column: that level's one-hot column in scikit-learn's matrix, "level ==
         * v" left and the rest right. The node's per-level counts of the column are computed once per node.
         *
         * @return v; -1 when a side would break min_samples_leaf; {@link Integer#MIN_VALUE} when the indicator is
         *         constant in the node
         */
        private int splitOnLevel(int f, int v, int node, int lo, int hi, double[] stats) {
            if (levelStamp[f] != node) {
                if (levelHist[f] == null) {
                    levelHist[f] = new double[binCount[f] * k];
                    levelRows[f] = new int[binCount[f]];
                } else {
                    Arrays.fill(levelHist[f], 0);
                    Arrays.fill(levelRows[f], 0);
                }
                byte[] col = bins[f];
                double[] h = levelHist[f];
                int[] rows = levelRows[f];
                for (int q = lo; q < hi; q++) {
                    int b = col[idx[q]] & 0xFF;
                    rows[b]++;
                    add(h, b * k, q);
                }
                levelStamp[f] = node;
            }
            int r = levelRows[f][v];
            int m = hi - lo;
            if (r == 0 || r == m) return Integer.MIN_VALUE;
            if (r < options.minSamplesLeaf() || m - r < options.minSamplesLeaf()) return -1;
            for (int c = 0; c < k; c++) left[c] = levelHist[f][v * k + c];
            lastGain = leftScore(stats);
            return v;
        }

        /**
         * Best split of numeric column f over the node by per-bin histograms.
         *
         * @return the bin to split after; -1 when no split satisfies min_samples_leaf; {@link Integer#MIN_VALUE} when
         *         the column is constant in the node
         */
        private int splitByHistogram(int f, int lo, int hi, double[] stats) {
            byte[] col = bins[f];
            int lowBin = MAX_BINS;
            int highBin = -1;
            for (int q = lo; q < hi; q++) {
                int b = col[idx[q]] & 0xFF;
                if (b < lowBin) lowBin = b;
                if (b > highBin) highBin = b;
                histRows[b]++;
                add(hist, b * k, q);
            }
            int found = lowBin == highBin ? Integer.MIN_VALUE
                    : bestOverBins(lowBin, highBin, hi - lo, stats);
            Arrays.fill(hist, lowBin * k, (highBin + 1) * k, 0);
            Arrays.fill(histRows, lowBin, highBin + 1, 0);
            return found;
        }

        /** As {@link #splitByHistogram} for small nodes: the node's rows sorted by bin, scanned once. */
        private int splitBySort(int f, int lo, int hi, double[] stats) {
            byte[] col = bins[f];
            int m = hi - lo;
            for (int q = 0; q < m; q++) keys[q] = ((long) (col[idx[lo + q]] & 0xFF) << 32) | (lo + q);
            Arrays.sort(keys, 0, m);
            int lowBin = (int) (keys[0] >>> 32);
            int highBin = (int) (keys[m - 1] >>> 32);
            if (lowBin == highBin) return Integer.MIN_VALUE;
            // Fill the histogram for the bins present only, then reuse the bin scan.
            for (int q = 0; q < m; q++) {
                int b = (int) (keys[q] >>> 32);
                int pos = (int) keys[q];
                histRows[b]++;
                add(hist, b * k, pos);
            }
            int found = bestOverPresentBins(m, stats);
            for (int q = 0; q < m; q++) {
                int b = (int) (keys[q] >>> 32);
                histRows[b] = 0;
                Arrays.fill(hist, b * k, b * k + k, 0);
            }
            return found;
        }

        private int bestOverBins(int lowBin, int highBin, int rows, double[] stats) {
            int minLeaf = options.minSamplesLeaf();
            double best = Double.NEGATIVE_INFINITY;
            int bestBin = -1;
            Arrays.fill(left, 0);
            int leftRows = 0;
            for (int b = lowBin; b < highBin; b++) {
                int r = histRows[b];
                if (r == 0) continue;
                leftRows += r;
                for (int c = 0; c < k; c++) left[c] += hist[b * k + c];
                if (leftRows < minLeaf) continue;
                if (rows - leftRows < minLeaf) break;
                double g = leftScore(stats);
                if (g > best) {
                    best = g;
                    bestBin = b;
                }
            }
            if (bestBin >= 0) {
                int next = bestBin + 1;
                while (histRows[next] == 0) next++;
                lastNext = next;
            }
            lastGain = best;
            return bestBin;
        }

        private int bestOverPresentBins(int rows, double[] stats) {
            int minLeaf = options.minSamplesLeaf();
            double best = Double.NEGATIVE_INFINITY;
            int bestBin = -1;
            Arrays.fill(left, 0);
            int leftRows = 0;
            int previous = -1;
            for (int q = 0; q < rows; q++) {
                int b = (int) (keys[q] >>> 32);
                if (b == previous) continue;
                previous = b;
                int r = histRows[b];
                if (q + r >= rows) break; // the last bin present: nothing to its right
                leftRows += r;
                for (int c = 0; c < k; c++) left[c] += hist[b * k + c];
                if (leftRows < minLeaf) continue;
                if (rows - leftRows < minLeaf) break;
                double g = leftScore(stats);
                if (g > best) {
                    best = g;
                    bestBin = b;
                    lastNext = (int) (keys[q + r] >>> 32);
                }
            }
            lastGain = best;
            return bestBin;
        }

        /** Score of the split with {@link #left} on the left and the rest of the node on the right. */
        private double leftScore(double[] stats) {
            for (int c = 0; c < k; c++) total[c] = stats[c] - left[c];
            return score(left, 0) + score(total, 0);
        }

        private boolean pure(double[] stats) {
            if (regression) return false;
            int nonZero = 0;
            for (int c = 0; c < k; c++) if (stats[c] > 0) nonZero++;
            return nonZero <= 1;
        }

        /** Weighted impurity decrease of a split: n·I(node) − n_L·I(left) − n_R·I(right). */
        private double impurityDecrease(double[] node, double[] l, double[] r, double w) {
            return impurity(node) * w - impurity(l) * weightOf(l, 0) - impurity(r) * weightOf(r, 0);
        }

        private double impurity(double[] s) {
            double w = weightOf(s, 0);
            if (w <= 0) return 0;
            if (regression) {
                // Variance needs Σy²; the decrease in squared error equals the gain in (Σy)²/n, so use that form.
                return -s[1] * s[1] / (w * w);
            }
            return 1 - score(s, 0) / w;
        }

        private void swap(int a, int b) {
            int t = idx[a];
            idx[a] = idx[b];
            idx[b] = t;
            int u = weight[a];
            weight[a] = weight[b];
            weight[b] = u;
        }

        private int newNode(double[] stats) {
            if (size == feature.length) {
                int cap = size * 2;
                feature = Arrays.copyOf(feature, cap);
                threshold = Arrays.copyOf(threshold, cap);
                right = Arrays.copyOf(right, cap);
                if (regression) {
                    count = Arrays.copyOf(count, cap);
                    value = Arrays.copyOf(value, cap);
                } else {
                    classCounts = Arrays.copyOf(classCounts, cap * k);
                }
            }
            int id = size++;
            feature[id] = -1;
            double w = weightOf(stats, 0);
            if (regression) {
                count[id] = (int) w;
                value[id] = w > 0 ? stats[1] / w : 0;
            } else {
                for (int c = 0; c < k; c++) classCounts[id * k + c] = (int) stats[c];
            }
            return id;
        }
    }
}
