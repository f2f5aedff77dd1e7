package dev.mlpipeline.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The explanation of one predicted row: per output (each class label for classification, {@value #VALUE} for
 * regression), a base value and the contribution of every input feature, with
 * {@code baseValue[o] + sum of contributions[o]} = {@code rawOutput[o]}, the model's raw output (see {@link RawOutput}).
 * A categorical feature's contribution is the sum over its one-hot levels.
 *
 * @param baseValue       output → the expected raw output over the training data
 * @param contributions   output → (input feature → contribution), every feature, in feature order
 * @param rawOutput       output → base value plus the contributions: the raw output being explained
 * @param imputedFeatures features that were missing in the row and imputed as in training (their contribution is that
 *                        of the imputed value)
 */
public record Explanation(Map<String, Double> baseValue, Map<String, Map<String, Double>> contributions,
        Map<String, Double> rawOutput, List<String> imputedFeatures) {

    /** The output key of a regression model's explanation. */
    public static final String VALUE = "value";
}
