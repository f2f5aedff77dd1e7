package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mlpipeline.pipeline.TrainingProfile.FeatureProfile;
import dev.mlpipeline.pipeline.TrainingProfile.Histogram;

/**
 * Drift of live prediction inputs against a version's {@link TrainingProfile}: per feature the
 * population stability index over the training bins and the share of missing values; for the
 * predictions, the same index against their distribution on the test split.
 *
 * <p><b>Population stability index</b> (Siddiqi, <i>Credit Risk Scorecards</i>, Wiley 2006, ch. 8;
 * properties in Yurdakul, <i>Statistical Properties of Population Stability Index</i>, Western Michigan
 * University, 2018):
 *
 * <pre>
 *   PSI = Σ_i (A_i − E_i) · ln(A_i / E_i)
 * </pre>
 *
 * where {@code E_i} is the training (expected) share of bin {@code i} and {@code A_i} the live (actual)
 * share of the same bin. A share below {@link #EPSILON} = 0.0001 is replaced by it before the sum (in
 * both distributions, shares not renormalised), as Evidently's {@code get_binned_data(feel_zeroes=True)}
 * does: an empty bin then adds a large but finite term, and a bin empty on both sides adds 0. Shares are
 * over <i>present</i> values only; missing values are compared separately (their share). Customary
 * reading: below 0.1 no change, 0.1–0.2 moderate, above 0.2 (the default flag) significant.
 *
 * <p>Binning of live values: numeric values are counted in the training decile bins (right-closed, the
 * ends unbounded); categorical values are matched to the training levels as predict matches them
 * ({@link LevelMatcher}: {@code false} is {@code False}, {@code 3} is {@code 3.0}) and counted in the
 * "unseen" bin when they match none. A value counts as missing when predict imputes it: absent, null,
 * NaN, or a blank string (an empty string for categorical features).
 */
public final class Drift {

    /** The share that replaces a smaller one (an empty bin) in the PSI sum. */
    public static final double EPSILON = 1e-4;

    private Drift() {
    }

    /**
     * The population stability index of {@code actual} against {@code expected} (see the class doc).
     *
     * @param expected shares per bin (training)
     * @param actual   shares per bin (live), same length
     * @return PSI ≥ 0
     */
    public static double psi(double[] expected, double[] actual) {
        if (expected.length != actual.length) throw new IllegalArgumentException("bins differ: " + expected.length + " vs " + actual.length);
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(expected[i], EPSILON);
            double a = Math.max(actual[i], EPSILON);
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /**
     * Drift of one distribution.
     *
     * @param training the training bins and shares
     * @param live     the live shares per bin of {@code training}; null when no live value was present
     * @param psi      null when no live value was present
     * @param flagged  {@code psi > threshold}
     */
    public record Distribution(Histogram training, List<Double> live, Double psi, boolean flagged) {
    }

    /**
     * Drift of one input feature.
     *
     * @param name                the feature
     * @param type                numeric or categorical
     * @param distribution        the present values against training
     * @param missingShare        fraction (0..1) of live rows where it was missing; null without rows
     * @param trainingMissingRate fraction (0..1) of training rows where it was missing
     */
    public record FeatureDrift(String name, ColumnType type, Distribution distribution, Double missingShare,
            double trainingMissingRate) {
    }

    /**
     * The comparison of some live rows with a profile.
     *
     * @param rows        live rows compared
     * @param features    one per feature of the profile, in model order
     * @param predictions the live predictions against those on the test split
     */
    public record Report(int rows, List<FeatureDrift> features, Distribution predictions) {

        /** @return the names of the flagged features, in model order */
        public List<String> flaggedFeatures() {
            return features.stream().filter(f -> f.distribution().flagged()).map(FeatureDrift::name).toList();
        }
    }

    /**
     * Compares live rows and their predictions with a training profile.
     *
     * @param profile     the version's profile
     * @param rows        live rows as sent to predict (feature → value; other keys ignored)
     * @param predictions the prediction of each row (a label value or a number), same length as {@code rows}
     * @param threshold   a feature (or the predictions) is flagged when its PSI is above this
     * @return the report
     */
    public static Report compare(TrainingProfile profile, List<Map<String, Object>> rows, List<Object> predictions,
            double threshold) {
        List<FeatureDrift> out = new ArrayList<>(profile.features().size());
        for (FeatureProfile f : profile.features()) {
            Histogram h = f.histogram();
            long[] counts = new long[h.bins()];
            long present = 0;
            long missing = 0;
            if (h.numeric()) {
                double[] edges = h.edgeArray();
                for (Map<String, Object> row : rows) {
                    Double x = number(row.get(f.name()));
                    if (x == null) {
                        missing++;
                    } else {
                        counts[h.bin(edges, x)]++;
                        present++;
                    }
                }
            } else {
                LevelMatcher matcher = LevelMatcher.of(h.levels());
                Map<String, Integer> index = index(h.levels());
                for (Map<String, Object> row : rows) {
                    Object v = row.get(f.name());
                    if (missingCategory(v)) {
                        missing++;
                        continue;
                    }
                    String level = matcher.match(v);
                    Integer i = level == null ? null : index.get(level);
                    if (i != null) counts[i]++;
                    else if (h.hasUnseenBin()) counts[counts.length - 1]++;
                    present++;
                }
            }
            out.add(new FeatureDrift(f.name(), f.type(), distribution(h, counts, present, threshold),
                    rows.isEmpty() ? null : missing / (double) rows.size(), f.missingRate()));
        }

        Histogram ph = profile.predictions();
        long[] counts = new long[ph.bins()];
        long present = 0;
        if (ph.numeric()) {
            double[] edges = ph.edgeArray();
            for (Object p : predictions) {
                Double x = number(p);
                if (x != null) {
                    counts[ph.bin(edges, x)]++;
                    present++;
                }
            }
        } else {
            Map<String, Integer> index = index(ph.levels());
            for (Object p : predictions) {
                Integer i = p == null ? null : index.get(String.valueOf(p));
                if (i != null) {
                    counts[i]++;
                    present++;
                }
            }
        }
        return new Report(rows.size(), out, distribution(ph, counts, present, threshold));
    }

    private static Distribution distribution(Histogram training, long[] counts, long present, double threshold) {
        if (present == 0) return new Distribution(training, null, null, false);
        List<Double> live = TrainingProfile.shares(counts, present);
        double[] a = new double[live.size()];
        for (int i = 0; i < a.length; i++) a[i] = live.get(i);
        double psi = psi(training.shareArray(), a);
        return new Distribution(training, live, psi, psi > threshold);
    }

    private static Map<String, Integer> index(List<String> levels) {
        Map<String, Integer> index = new HashMap<>();
        for (String level : levels) index.put(level, index.size());
        return index;
    }

    /** A numeric value as predict reads it, or null when predict treats it as missing (or cannot read it). */
    private static Double number(Object v) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s && !s.isBlank()) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(d) ? d : null;
    }

    /** Whether predict imputes this categorical value: absent, null, an empty string, NaN. */
    private static boolean missingCategory(Object v) {
        return v == null || (v instanceof String s && s.isEmpty())
                || ((v instanceof Double || v instanceof Float) && Double.isNaN(((Number) v).doubleValue()));
    }
}
