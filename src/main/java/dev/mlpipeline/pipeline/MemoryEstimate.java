package dev.mlpipeline.pipeline;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The peak heap a fit needs, estimated before it starts from the table's shape, the model type and its
 * hyperparameters, so that a job that cannot fit in a replica's memory is refused at submission instead of killing
 * the replica mid-fit (issue 18).
 *
 * <p>
 * The estimate adds what a fit holds at its peak: the dataset as parsed strings, the typed cells, the preprocessed
 * matrices, then the model's own working set and the fitted model with its serialized artifact. The per-object sizes
 * are those of a 64-bit HotSpot with compressed references (16-byte array and object headers, 4-byte references);
 * the per-model terms were calibrated with {@code bench/fit-large.sh} (see docs/benchmarks.md, "Training at 1 M
 * rows"), where a fit run with {@code -Xmx} set to its estimate completed and one at half of it ran out of memory.
 *
 * @param bytes   estimated peak heap, in bytes
 * @param data    of which the table, cells and matrices, in bytes
 * @param model   of which the model's working set, the fitted model and its artifact, in bytes
 * @param advice  what to change to need less (names the hyperparameters that matter for the model type)
 */
public record MemoryEstimate(long bytes, long data, long model, String advice) {

    /** Bytes per tree node of a tree fitted by Smile (its node objects, then the flat copy and the artifact). */
    static final long NODE_BYTES = 96;

    /**
     * Bytes per node of a {@link HistogramForest} tree: its {@link FlatTrees.Tree} arrays (21 bytes, and 4 per class or
     * 8 for a regression output), the grower's scratch while the tree is grown and the node's share of the artifact
     * (2 to 11 bytes). Measured at 1 M rows (docs/benchmarks.md, "Training at 1 M rows").
     */
    static final long BINNED_NODE_BYTES = 40;

    /**
     * Nodes per bootstrap sample row of a fully grown classification tree (min_samples_leaf = 1): measured 0.6 to
     * 0.7 on the generated table of issue 18 and on adult; a regression tree splits down to single rows (≈ 1.3).
     */
    static final double NODES_PER_ROW_CLASSIFICATION = 0.75;
    static final double NODES_PER_ROW_REGRESSION = 1.4;

    /** Headroom for the collector: a heap this much larger than the live peak keeps GC pauses short. */
    static final double HEADROOM = 1.3;

    /**
     * Estimates the peak heap of fitting {@code spec} on {@code table} (one fit: a training job, or one trial or
     * the refit of a tuning job).
     *
     * @param table the dataset as loaded
     * @param types column types
     * @param spec  a validated spec (hyperparameters with their defaults filled in)
     * @return the estimate
     */
    public static MemoryEstimate of(Table table, Map<String, ColumnType> types, TrainingSpec spec) {
        return of(table, types, spec, new java.util.HashMap<>());
    }

    /**
     * As {@link #of(Table, Map, TrainingSpec)}, reusing the distinct-level counts already taken in {@code levels}
     * (column → count), so that estimating many configurations of one table (a tuning grid) scans each categorical
     * column once.
     */
    public static MemoryEstimate of(Table table, Map<String, ColumnType> types, TrainingSpec spec,
            Map<String, Integer> levels) {
        long n = table.size();
        int c = table.columns().size();
        long trainRows = Math.max(1, Math.round(n * (1 - spec.testSize())));
        int p = spec.featureColumns().size();
        int numeric = 0;
        long encoded = 0;
        int maxLevels = 0;
        for (String column : spec.featureColumns()) {
            if (types.get(column) == ColumnType.NUMERIC) {
                numeric++;
                encoded++;
            } else {
                int l = levels.computeIfAbsent(column, name -> distinct(table, table.indexOf(name)));
                encoded += l;
                maxLevels = Math.max(maxLevels, l);
            }
        }
        // Parsed strings (~40 bytes per short String and its bytes) in String[] rows, the typed cells (a boxed
        // Double per numeric cell), the training and test matrices of preprocessed doubles.
        long data = n * (16 + 4L * c + 40L * c) + n * (16 + 4L * p + 16L * numeric + 8) + n * (16 + 8 * encoded);
        Map<String, Object> h = spec.hyperparameters();
        boolean classification = spec.task() == Task.CLASSIFICATION;
        long model = switch (spec.modelType()) {
            case ModelCatalog.RANDOM_FOREST -> forest(trainRows, p, classification, h, intOf(h, "n_trees", 100),
                    maxLevels + 1 <= HistogramForest.MAX_BINS
                            ? BINNED_NODE_BYTES : NODE_BYTES);
            case ModelCatalog.DECISION_TREE -> forest(trainRows, p, classification, h, 1, NODE_BYTES);
            case ModelCatalog.GRADIENT_BOOSTING -> {
                // Smile's gradient boosting: the tree columns as a data frame, presorted orders per column, residuals
                // and responses per row (per class for multi-class); small trees (max_depth bounds their leaves).
                long perRow = 8L * p + 4L * p + 48;
                yield trainRows * perRow * (classification ? 2 : 1) + intOf(h, "n_trees", 100) * 4096L * NODE_BYTES;
            }
            case ModelCatalog.LOGISTIC_REGRESSION -> trainRows * (16 + 12L * (numeric + p)) + 64 * encoded * encoded;
            default -> 3 * trainRows * 8 * encoded + 8 * encoded * encoded; // least squares: copies of the design matrix
        };
        long bytes = (long) ((data + model) * HEADROOM);
        return new MemoryEstimate(bytes, data, model, advice(spec.modelType()));
    }

    /**
     * A forest's working set: the binned (or Smile's data-frame) columns and, per concurrently grown tree, its
     * sample index and weights; then the trees. A tree's nodes are bounded by 2^(max_depth + 1) and by the rows it
     * can split: bootstrap (or subsample) rows / min_samples_leaf.
     */
    private static long forest(long trainRows, int p, boolean classification, Map<String, Object> h, int trees,
            long nodeBytes) {
        double subsample = h.get("subsample") instanceof Number s ? s.doubleValue() : 1.0;
        int minLeaf = intOf(h, "min_samples_leaf", 1);
        Object depth = h.get("max_depth");
        double perRow = classification ? NODES_PER_ROW_CLASSIFICATION : NODES_PER_ROW_REGRESSION;
        double rowsPerTree = trainRows * (subsample >= 1.0 ? 0.632 : subsample); // distinct rows of a bootstrap
        double nodes = rowsPerTree * perRow / minLeaf;
        if (depth instanceof Number d && d.intValue() < 40) nodes = Math.min(nodes, Math.pow(2, d.intValue() + 1));
        int threads = Runtime.getRuntime().availableProcessors();
        long working = trainRows * (9L * p + 16L * threads) + trainRows * 8L * p; // columns, bins, per-tree samples
        return working + (long) (trees * nodes * nodeBytes);
    }

    private static String advice(String modelType) {
        return switch (modelType) {
            case ModelCatalog.RANDOM_FOREST -> "use fewer trees (n_trees), a smaller max_depth, a larger "
                    + "min_samples_leaf or a subsample below 1.0, fewer rows or feature_columns";
            case ModelCatalog.DECISION_TREE -> "use a smaller max_depth or a larger min_samples_leaf, fewer rows or feature_columns";
            case ModelCatalog.GRADIENT_BOOSTING -> "use fewer trees (n_trees) or a smaller max_depth, fewer rows or feature_columns";
            default -> "use fewer rows or feature_columns (one-hot encoding of categorical columns with many levels "
                    + "widens the matrix)";
        };
    }

    private static int intOf(Map<String, Object> h, String name, int fallback) {
        return h.get(name) instanceof Number v ? v.intValue() : fallback;
    }

    /** Distinct non-missing values of a column (counting stops at 100,000: enough to size the encoding). */
    private static int distinct(Table table, int column) {
        Set<String> seen = new HashSet<>();
        for (String[] row : table.rows()) {
            if (column < row.length && row[column] != null && seen.add(row[column]) && seen.size() >= 100_000) break;
        }
        return Math.max(1, seen.size());
    }

    /**
     * The estimate for {@code fits} fits of this shape running at once on one replica (a tuning job's parallel
     * trials): the data is held once, the model's working set once per fit.
     *
     * @param fits concurrent fits, at least 1
     * @return the combined estimate
     */
    public MemoryEstimate concurrent(int fits) {
        long m = model * Math.max(1, fits);
        return new MemoryEstimate((long) ((data + m) * HEADROOM), data, m, advice);
    }

    /** @return the larger of two estimates */
    public static MemoryEstimate max(MemoryEstimate a, MemoryEstimate b) {
        return a == null || b.bytes > a.bytes ? b : a;
    }

    /** @return the estimate in MiB, rounded up */
    public long mebibytes() {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
