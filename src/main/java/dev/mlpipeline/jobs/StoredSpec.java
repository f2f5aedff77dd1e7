package dev.mlpipeline.jobs;

import java.util.Arrays;

import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.PreprocessingSpec;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.TrainingSpec;
import io.vertx.mutiny.sqlclient.Row;

/** The fit described by a stored job row, read back for the worker that runs it. */
public record StoredSpec(String datasetId, TrainingSpec spec) {

    /** The columns {@link #of(Row)} reads, common to training_job and tuning_job. */
    public static final String COLUMNS = "dataset_id, model_type, task, target_column, feature_columns,"
            + " hyperparameters, preprocessing, test_size, random_seed";

    public static StoredSpec of(Row row) {
        String modelType = row.getString("model_type");
        // Validated at submission; validating again restores the exact Java types of the values.
        var hyperparameters = ModelCatalog.find(modelType).orElseThrow()
                .validate(row.getJsonObject("hyperparameters").getMap());
        TrainingSpec spec = new TrainingSpec(modelType, Task.fromWire(row.getString("task")),
                row.getString("target_column"), Arrays.asList(row.getArrayOfStrings("feature_columns")),
                hyperparameters, PreprocessingSpec.fromMap(row.getJsonObject("preprocessing").getMap()),
                row.getDouble("test_size"), row.getLong("random_seed"));
        return new StoredSpec(row.getString("dataset_id"), spec);
    }
}
