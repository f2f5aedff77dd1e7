package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature importance of a fitted pipeline, per input feature (a categorical feature's one-hot levels summed back to
 * its column), computed once at the end of training and stored with the version.
 *
 * <p><b>Model importance</b> ({@code modelMethod}):
 * <ul>
 *   <li>{@value #IMPURITY_DECREASE} (random forest, gradient boosting, decision tree): the total decrease of the split
 *       criterion (Gini impurity for classification trees, squared error for regression trees) brought by the splits
 *       on the feature, summed over the trees (Smile's {@code importance()}), normalised to sum to 1 like scikit-learn's
 *       {@code feature_importances_};</li>
 *   <li>{@value #STANDARDIZED_COEFFICIENTS} (linear and logistic regression): {@code |coefficient| * standard
 *       deviation of the column over the training rows}, summed over the feature's columns (and over the classes of a
 *       multinomial model): the change of the raw output (value, log-odds or margin) for a one-standard-deviation
 *       change, not normalised.</li>
 * </ul>
 *
 * <p><b>Permutation importance</b>: scikit-learn's {@code sklearn.inspection.permutation_importance} on the test split:
 * for each feature, the drop of the score ({@code scoring}, the task's main score: accuracy or R²) when the feature's
 * values are shuffled across the test rows, over {@code nRepeats} shuffles; {@code mean} and {@code std} (population
 * standard deviation, NumPy's default) of the drops. The shuffles follow scikit-learn's protocol with NumPy's legacy
 * generator: {@code RandomState(randomState).randint(2^31)} seeds one {@code RandomState} per feature, which shuffles
 * the row indices {@code nRepeats} times in place, each repeat permuting the previous repeat's permuted column (scikit-learn
 * 1.2's {@code _calculate_permutation_scores}). A test split of more than {@value Importances#MAX_SAMPLES} rows is
 * sampled down to that many (scikit-learn's {@code max_samples}; one seeded sample for all features, baseline
 * included).
 *
 * @param modelMethod   {@value #IMPURITY_DECREASE} or {@value #STANDARDIZED_COEFFICIENTS}
 * @param scoring       the permutation score ({@code accuracy} or {@code r2})
 * @param nRepeats      shuffles per feature
 * @param randomState   seed of the shuffles (the job's random seed)
 * @param baselineScore the score on the unshuffled test split
 * @param features      one entry per input feature, by decreasing permutation importance mean
 */
public record FeatureImportance(String modelMethod, String scoring, int nRepeats, long randomState, double baselineScore,
        List<Feature> features) {

    /** Model importance of the tree models. */
    public static final String IMPURITY_DECREASE = "impurity_decrease";
    /** Model importance of the linear models. */
    public static final String STANDARDIZED_COEFFICIENTS = "standardized_coefficients";

    /**
     * @param feature             input feature name
     * @param modelImportance     the model's own importance ({@code modelMethod})
     * @param permutationMean     mean score drop when the feature is shuffled
     * @param permutationStd      standard deviation of the score drops
     */
    public record Feature(String feature, double modelImportance, double permutationMean, double permutationStd) {
    }

    /** Copies the feature list. */
    public FeatureImportance {
        features = List.copyOf(features);
    }

    /**
     * @return this importance as JSON-ready maps and lists (snake_case keys; non-finite numbers as null), the form it
     *         is stored and served in
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_method", modelMethod);
        out.put("scoring", scoring);
        out.put("n_repeats", nRepeats);
        out.put("random_state", randomState);
        out.put("baseline_score", finite(baselineScore));
        List<Object> list = new ArrayList<>();
        for (Feature f : features) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature", f.feature());
            m.put("model_importance", finite(f.modelImportance()));
            m.put("permutation_importance_mean", finite(f.permutationMean()));
            m.put("permutation_importance_std", finite(f.permutationStd()));
            list.add(m);
        }
        out.put("features", list);
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
