package dev.mlpipeline.pipeline;

import java.util.List;

/**
 * What a fitted pipeline expects of one input feature, as learned on its training split.
 *
 * @param name        the key expected in prediction rows
 * @param type        numeric or categorical
 * @param levels      categorical: the training levels (sorted), the only values with an encoding of their own;
 *                    empty for numeric
 * @param min         numeric: the smallest training value; null for categorical features, when no value was
 *                    present, or for artifacts fitted before ranges were recorded
 * @param max         numeric: the largest training value; null as {@code min}
 * @param missingRate fraction (0..1) of training rows where the feature was missing; null for artifacts fitted
 *                    before it was recorded
 * @param imputedWith the value a missing feature is replaced with (a Double or a level)
 */
public record FeatureSchema(String name, ColumnType type, List<String> levels, Double min, Double max,
        Double missingRate, Object imputedWith) {
}
