package dev.mlpipeline.tuning;

import java.util.Map;

/**
 * The outcome of one configuration of a tuning job: its cross-validation scores on the training split.
 *
 * @param index      the configuration's position in the search (0-based)
 * @param params     the hyperparameters searched over, as drawn (merged into the job's fixed ones to fit)
 * @param foldScores the score of each fold, in fold order
 * @param mean       the mean of {@code foldScores}
 * @param std        their population standard deviation
 * @param durationMs wall time of the cross-validation, in milliseconds
 */
record TuningTrial(int index, Map<String, Object> params, double[] foldScores, double mean, double std, long durationMs) {
}
