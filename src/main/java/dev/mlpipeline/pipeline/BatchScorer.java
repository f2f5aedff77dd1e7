package dev.mlpipeline.pipeline;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Scores many rows of text cells (a CSV dataset's records) with a {@link FittedPipeline}, for batch
 * predictions: the same answers as {@link FittedPipeline#predict(List)}, bit for bit (the same parsing,
 * level matching, imputation, scaling and estimator call), without its per-row objects (no map per row,
 * no boxed cells, no probability map, no report lists): the chunk is transformed into one reused matrix,
 * the estimator scores it (a random forest tree by tree over the chunk's rows, see
 * {@link FlatTrees#classifyAll}) and the answers are written into the caller's arrays.
 *
 * <p>A row holding a value of the wrong type gets its error message and no prediction; the other rows of
 * the chunk are scored. Not thread-safe (it reuses its buffers and caches the level of each distinct
 * categorical cell, up to {@value #CACHE_LIMIT} per feature): one per thread.
 */
public final class BatchScorer {

    /** Distinct cells per categorical feature whose level is remembered (high-cardinality columns stop there). */
    static final int CACHE_LIMIT = 4096;

    private final Preprocessor preprocessor;
    private final Estimator estimator;
    private final boolean classification;
    private final int featureCount;
    private final int classes;
    /** Per feature, its field in the records, or -1 when the records lack it (always missing). */
    private final int[] fieldOf;
    private final String[] name;
    private final boolean[] numeric;
    private final LevelMatcher[] matchers;
    /** Per categorical feature, the level index of a missing cell (the imputed level), -1 when it is no level. */
    private final int[] fillLevel;
    private final int[] offset;
    private final List<HashMap<String, Integer>> levelCache;
    /** The chunk's preprocessed rows (grown to the largest chunk), and the indexes of those that transformed. */
    private double[][] xs = new double[0][];
    private int[] valid = new int[0];
    private final double[] posteriori;

    BatchScorer(FittedPipeline pipeline, Preprocessor preprocessor, Estimator estimator, LevelMatcher[] matchers,
            List<String> fields) {
        this.preprocessor = preprocessor;
        this.estimator = estimator;
        this.classification = pipeline.task() == Task.CLASSIFICATION;
        this.classes = classification ? pipeline.labels().size() : 0;
        List<FeatureInfo> features = preprocessor.features();
        this.featureCount = features.size();
        this.fieldOf = new int[featureCount];
        this.name = new String[featureCount];
        this.numeric = new boolean[featureCount];
        this.matchers = matchers;
        this.fillLevel = new int[featureCount];
        this.offset = new int[featureCount];
        int[][] blocks = preprocessor.featureBlocks();
        this.levelCache = new java.util.ArrayList<>(featureCount);
        for (int j = 0; j < featureCount; j++) {
            FeatureInfo f = features.get(j);
            name[j] = f.name();
            fieldOf[j] = fields.indexOf(f.name());
            numeric[j] = f.type() == ColumnType.NUMERIC;
            offset[j] = blocks[j][0];
            fillLevel[j] = numeric[j] ? -1 : f.categories().indexOf(preprocessor.categoricalFills()[j]);
            levelCache.add(numeric[j] ? null : new HashMap<>());
        }
        this.posteriori = classification ? new double[classes] : null;
    }

    /** @return the number of classes (0 for regression): the stride of {@link Scores#probabilities} */
    public int classes() {
        return classes;
    }

    /**
     * Where {@link #score} writes the answers of up to {@code capacity} rows: row {@code i}'s class index
     * (classification; the label is {@link FittedPipeline#labels()}{@code .get(classIndex[i])}) or value
     * (regression), its class probabilities at {@code probabilities[i * classes .. (i + 1) * classes)},
     * how many of the model's features it lacked ({@code missing[i]}, the count of
     * {@link Prediction#missingColumns()}), and its error (null when it was scored).
     */
    public static final class Scores {
        public final int[] classIndex;
        public final double[] value;
        public final double[] probabilities;
        public final int[] missing;
        public final String[] error;

        /**
         * @param capacity rows at most
         * @param classes  {@link BatchScorer#classes()}
         */
        public Scores(int capacity, int classes) {
            this.classIndex = new int[capacity];
            this.value = new double[capacity];
            this.probabilities = new double[capacity * classes];
            this.missing = new int[capacity];
            this.error = new String[capacity];
        }
    }

    /**
     * Scores {@code records.get(i)} for {@code i < records.size()} into {@code out} at index {@code i}.
     * A row's error reads {@code row <firstRow + i>, field '<feature>': <what is wrong>}, as
     * {@link InvalidRowException}'s message.
     *
     * @param records  the rows' cells, in the order of the fields this scorer was made for (null = missing)
     * @param firstRow the number to report for the first row in error messages
     * @param out      answers, of capacity at least {@code records.size()}
     */
    public void score(List<String[]> records, long firstRow, Scores out) {
        int n = records.size();
        if (xs.length < n) {
            xs = new double[n][];
            valid = new int[n];
        }
        // One transform per row into the chunk's matrix, then the estimator over the rows that transformed.
        int m = 0;
        for (int i = 0; i < n; i++) {
            out.error[i] = null;
            if (xs[i] == null) xs[i] = new double[preprocessor.width()];
            try {
                out.missing[i] = transform(records.get(i), xs[i]);
            } catch (InvalidRowException e) {
                out.error[i] = "row " + (firstRow + i) + ", field '" + e.field() + "': " + e.reason();
                out.missing[i] = 0;
                continue;
            }
            valid[m++] = i;
        }
        if (classification) {
            if (estimator instanceof FlatTrees trees && trees.classifyAll(xs, valid, m, out.classIndex, out.probabilities)) return;
            for (int r = 0; r < m; r++) {
                int i = valid[r];
                out.classIndex[i] = estimator.classify(xs[i], posteriori);
                System.arraycopy(posteriori, 0, out.probabilities, i * classes, classes);
            }
        } else {
            for (int r = 0; r < m; r++) out.value[valid[r]] = estimator.regress(xs[valid[r]]);
        }
    }

    /** Fills {@code x} from one record as {@link Preprocessor#transform(Object[])} does; returns the missing count. */
    private int transform(String[] record, double[] x) {
        Arrays.fill(x, 0.0);
        int missing = 0;
        for (int j = 0; j < featureCount; j++) {
            int field = fieldOf[j];
            String cell = field >= 0 && field < record.length ? record[field] : null;
            if (numeric[j]) {
                double v = number(name[j], cell);
                if (Double.isNaN(v)) {
                    missing++;
                    v = preprocessor.numericFill(j);
                }
                x[offset[j]] = (v - preprocessor.center(j)) / preprocessor.scale(j);
            } else {
                int k;
                if (cell == null || cell.isEmpty()) {
                    missing++;
                    k = fillLevel[j];
                } else {
                    k = level(j, cell);
                }
                if (k >= 0) x[offset[j] + k] = 1.0;
            }
        }
        return missing;
    }

    /** As {@link FittedPipeline}'s numeric cell: NaN when missing (null, blank, NaN), refused when not a finite number. */
    private static double number(String field, String s) {
        if (s == null || s.isBlank()) return Double.NaN;
        double d;
        try {
            d = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRowException(0, field, "expected a number, got the string \"" + s + "\"");
        }
        if (Double.isInfinite(d)) {
            throw new InvalidRowException(0, field, "expected a finite number, got " + s
                    + "; send null (or leave the feature out) for a missing value");
        }
        return d;
    }

    /** The training level index of a present categorical cell, -1 when it matches none (encoded as all zeros). */
    private int level(int j, String cell) {
        HashMap<String, Integer> cache = levelCache.get(j);
        Integer known = cache.get(cell);
        if (known != null) return known;
        String level = matchers[j].match(cell);
        int k = level == null ? -1 : preprocessor.features().get(j).categories().indexOf(level);
        if (cache.size() < CACHE_LIMIT) cache.put(cell, k);
        return k;
    }
}
