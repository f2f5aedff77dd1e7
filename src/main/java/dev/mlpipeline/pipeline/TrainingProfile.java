package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the training data of a model version looked like, kept with the version so that drift of live
 * inputs ({@link Drift}) is measured without reading the dataset again. Computed once, at the end of a
 * training or tuning job ({@link Trainer#train}):
 * <ul>
 * <li>per input feature, over the training split: the share of missing cells, and the distribution of
 * the present values as a {@link Histogram}: for a numeric feature its bins are cut at the training
 * deciles; for a categorical one they are the training levels plus a last bin for values matching none
 * ("unseen", share 0 in training by construction);</li>
 * <li>the distribution of the model's predictions on the held-out test split: the share of each class
 * (classification), or the predicted values binned at their deciles (regression).</li>
 * </ul>
 * Immutable. {@link #toMap()} and {@link #fromMap(Map)} give its JSON form (snake_case keys).
 *
 * @param features    one per input feature, in model order
 * @param predictions the predictions on the test split
 * @param trainRows   rows of the training split the features were profiled on
 * @param testRows    rows of the test split the predictions were profiled on
 */
public record TrainingProfile(List<FeatureProfile> features, Histogram predictions, int trainRows, int testRows) {

    /** Deciles: 9 inner cut points, 10 bins (fewer when values tie across a decile). */
    static final int QUANTILE_BINS = 10;

    /** Copies the list. */
    public TrainingProfile {
        features = List.copyOf(features);
    }

    /**
     * One input feature over the training split.
     *
     * @param name        the feature (the key of prediction rows)
     * @param type        numeric or categorical
     * @param missingRate fraction (0..1) of training rows where it was missing
     * @param histogram   the distribution of the present values
     */
    public record FeatureProfile(String name, ColumnType type, double missingRate, Histogram histogram) {
    }

    /**
     * A distribution over fixed bins, as fractions that sum to 1 (or all 0 when nothing was counted).
     * Numeric ({@code levels == null}): bin {@code i} holds the values {@code x} with
     * {@code edges[i-1] < x <= edges[i]} (right-closed, as {@code pandas.cut}), the first bin is
     * unbounded below and the last above, so there are {@code edges.size() + 1} bins. Categorical
     * ({@code edges == null}): one bin per level, in level order, plus, when {@code shares} has one entry
     * more than {@code levels}, a last bin for values matching no level.
     *
     * @param edges  numeric: strictly increasing cut points; null for categorical
     * @param levels categorical: the levels (class labels for predictions); null for numeric
     * @param shares the fraction of values per bin
     */
    public record Histogram(List<Double> edges, List<String> levels, List<Double> shares) {

        /** Copies the lists. */
        public Histogram {
            edges = edges == null ? null : List.copyOf(edges);
            levels = levels == null ? null : List.copyOf(levels);
            shares = List.copyOf(shares);
        }

        /** @return true for numeric bins (edges), false for levels */
        public boolean numeric() {
            return levels == null;
        }

        /** @return true when the last bin is for values matching no level (categorical features) */
        public boolean hasUnseenBin() {
            return levels != null && shares.size() == levels.size() + 1;
        }

        /** @return the number of bins */
        public int bins() {
            return shares.size();
        }

        /** The numeric bin of {@code x}: the number of edges strictly below it. */
        int bin(double[] edgeArray, double x) {
            int i = Arrays.binarySearch(edgeArray, x);
            // Found: x equals edges[i], which closes bin i. Not found: the insertion point is the bin.
            return i >= 0 ? i : -i - 1;
        }

        double[] edgeArray() {
            double[] e = new double[edges.size()];
            for (int i = 0; i < e.length; i++) e[i] = edges.get(i);
            return e;
        }

        double[] shareArray() {
            double[] s = new double[shares.size()];
            for (int i = 0; i < s.length; i++) s[i] = shares.get(i);
            return s;
        }

        /**
         * Bins cut at the deciles of {@code values} and the share of {@code values} in each.
         *
         * @param values present values (the array is sorted in place)
         */
        static Histogram deciles(double[] values) {
            Arrays.sort(values);
            List<Double> edges = new ArrayList<>();
            if (values.length > 0) {
                for (int k = 1; k < QUANTILE_BINS; k++) {
                    double q = quantile(values, k / (double) QUANTILE_BINS);
                    if (edges.isEmpty() || q > edges.get(edges.size() - 1)) edges.add(q);
                }
            }
            Histogram h = new Histogram(edges, null, List.of());
            double[] e = h.edgeArray();
            long[] counts = new long[edges.size() + 1];
            for (double v : values) counts[h.bin(e, v)]++;
            return new Histogram(edges, null, TrainingProfile.shares(counts, values.length));
        }

        /** The share of each level in {@code counts} (one more count than levels: the unseen bin). */
        static Histogram levels(List<String> levels, long[] counts, long total) {
            return new Histogram(null, levels, TrainingProfile.shares(counts, total));
        }
    }

    /**
     * The {@code q}-quantile of sorted values with linear interpolation between the two closest ranks:
     * numpy's default {@code np.quantile(values, q)} ("linear", method 7 of Hyndman and Fan, 1996).
     */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static List<Double> shares(long[] counts, long total) {
        List<Double> s = new ArrayList<>(counts.length);
        for (long c : counts) s.add(total == 0 ? 0.0 : c / (double) total);
        return s;
    }

    /**
     * Profiles the training split and the predictions on the test split (made once by the training job for its
     * metrics: {@link Trainer#predict}).
     *
     * @param p        the prepared request (its cells)
     * @param pipeline the pipeline fitted on {@code train}
     * @param train    rows of {@code p} of the training split
     * @param test     rows of {@code p} of the test split
     * @param classes  class index per test row (classification), else null
     * @param values   prediction per test row (regression), else null
     */
    static TrainingProfile of(Trainer.Prepared p, FittedPipeline pipeline, int[] train, int[] test, int[] classes,
            double[] values) {
        List<FeatureInfo> infos = pipeline.features();
        List<FeatureProfile> features = new ArrayList<>(infos.size());
        for (int j = 0; j < infos.size(); j++) {
            FeatureInfo f = infos.get(j);
            int missing = 0;
            Histogram h;
            if (f.type() == ColumnType.NUMERIC) {
                double[] v = new double[train.length];
                int m = 0;
                for (int r : train) {
                    Double d = (Double) p.cells().get(r)[j];
                    if (d == null || Double.isNaN(d)) missing++;
                    else
                        v[m++] = d;
                }
                h = Histogram.deciles(Arrays.copyOf(v, m));
            } else {
                Map<String, Integer> index = new LinkedHashMap<>();
                for (String level : f.categories()) index.put(level, index.size());
                long[] counts = new long[index.size() + 1];
                long present = 0;
                for (int r : train) {
                    String s = (String) p.cells().get(r)[j];
                    if (s == null) {
                        missing++;
                    } else {
                        Integer i = index.get(s);
                        counts[i == null ? counts.length - 1 : i]++;
                        present++;
                    }
                }
                h = Histogram.levels(f.categories(), counts, present);
            }
            features.add(new FeatureProfile(f.name(), f.type(), train.length == 0 ? 0.0 : missing / (double) train.length, h));
        }

        Histogram predictions;
        if (pipeline.task() == Task.CLASSIFICATION) {
            long[] counts = new long[pipeline.labels().size()];
            for (int c : classes) counts[c]++;
            predictions = Histogram.levels(pipeline.labels().stream().map(String::valueOf).toList(), counts, test.length);
        } else {
            predictions = Histogram.deciles(values.clone());
        }
        return new TrainingProfile(features, predictions, train.length, test.length);
    }

    // ------------------------------------------------------------------ JSON form

    /** The JSON form: {@code {"features": [...], "predictions": {...}, "train_rows": n, "test_rows": n}}. */
    public Map<String, Object> toMap() {
        List<Object> fs = new ArrayList<>(features.size());
        for (FeatureProfile f : features) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("type", f.type() == ColumnType.NUMERIC ? "numeric" : "categorical");
            m.put("missing_rate", f.missingRate());
            m.putAll(histogram(f.histogram()));
            fs.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("features", fs);
        out.put("predictions", histogram(predictions));
        out.put("train_rows", trainRows);
        out.put("test_rows", testRows);
        return out;
    }

    private static Map<String, Object> histogram(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (h.numeric()) m.put("edges", new ArrayList<Object>(h.edges()));
        else
            m.put("levels", new ArrayList<Object>(h.levels()));
        m.put("shares", new ArrayList<Object>(h.shares()));
        return m;
    }

    /**
     * Reads the JSON form of {@link #toMap()} (numbers of any Number type).
     *
     * @throws IllegalArgumentException when a required key is missing or of the wrong type
     */
    public static TrainingProfile fromMap(Map<String, Object> map) {
        try {
            List<FeatureProfile> features = new ArrayList<>();
            for (Object o : (List<?>) map.get("features")) {
                Map<?, ?> f = (Map<?, ?>) o;
                ColumnType type = "numeric".equals(f.get("type")) ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
                features.add(new FeatureProfile((String) f.get("name"), type, ((Number) f.get("missing_rate")).doubleValue(),
                        readHistogram(f)));
            }
            return new TrainingProfile(features, readHistogram((Map<?, ?>) map.get("predictions")),
                    ((Number) map.get("train_rows")).intValue(), ((Number) map.get("test_rows")).intValue());
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not a training profile: " + e.getMessage(), e);
        }
    }

    private static Histogram readHistogram(Map<?, ?> m) {
        List<Double> shares = numbers((List<?>) m.get("shares"));
        if (m.get("edges") != null) return new Histogram(numbers((List<?>) m.get("edges")), null, shares);
        List<String> levels = new ArrayList<>();
        for (Object l : (List<?>) m.get("levels")) levels.add((String) l);
        return new Histogram(null, levels, shares);
    }

    private static List<Double> numbers(List<?> list) {
        List<Double> out = new ArrayList<>(list.size());
        for (Object o : list) out.add(((Number) o).doubleValue());
        return out;
    }
}
