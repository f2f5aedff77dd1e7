package dev.mlpipeline.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What to train.
 *
 * @param modelType       catalog name, e.g. "RandomForest"
 * @param task            classification or regression
 * @param targetColumn    column to predict
 * @param featureColumns  input columns; null or empty = every column except the target
 * @param hyperparameters hyperparameters (validated with {@link ModelType#validate}; validated again, idempotently)
 * @param preprocessing   preprocessing options (null = {@link PreprocessingSpec#defaults()})
 * @param testSize        held-out fraction in (0, 1), e.g. 0.2
 * @param randomSeed      seed for the split and for randomised models
 */
public record TrainingSpec(String modelType, Task task, String targetColumn, List<String> featureColumns,
        Map<String, Object> hyperparameters, PreprocessingSpec preprocessing, double testSize,
        long randomSeed) {
}
