package dev.mlpipeline.jobs;

import java.util.Arrays;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.PreprocessingSpec;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.TrainingSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the fit a claimed job describes, for the runner that executes it: the columns shared by
 * {@code training_job} and {@code tuning_job}, and a tuning job's search settings. Over the reactive
 * {@link Pool}: runners work outside any Hibernate session.
 */
@ApplicationScoped
public class JobSpecRepository {

    /** The columns {@link #toSpec(Row)} reads, common to training_job and tuning_job. */
    private static final String SPEC_COLUMNS = "dataset_id, model_type, task, target_column, feature_columns,"
            + " hyperparameters, preprocessing, test_size, random_seed";

    @Inject
    Pool pool;

    /**
     * The search a stored tuning job runs.
     *
     * @param strategy {@code grid} or {@code random}
     * @param space    the search space as submitted (hyperparameter name → list of values or range)
     * @param nIter    the number of configurations drawn by a random search; null for a grid
     * @param folds    the number of cross-validation folds
     * @param scoring  the metric the configurations are ranked by
     */
    public record StoredSearch(StoredSpec stored, String strategy, Map<String, Object> space, Integer nIter, int folds,
            String scoring) {
    }

    /** The fit of the job of that kind, or null when there is no job with that id. */
    public Uni<StoredSpec> findSpec(JobKind kind, String jobId) {
        return pool.preparedQuery("SELECT " + SPEC_COLUMNS + " FROM " + kind.table() + " WHERE id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> rows.size() == 0 ? null : toSpec(rows.iterator().next()));
    }

    /** The fit and search settings of a tuning job, or null when there is no tuning job with that id. */
    public Uni<StoredSearch> findSearch(String tuningJobId) {
        return pool.preparedQuery("SELECT " + SPEC_COLUMNS + ", strategy, search_space, n_iter, cv_folds, scoring"
                + " FROM tuning_job WHERE id = $1")
                .execute(Tuple.of(tuningJobId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new StoredSearch(toSpec(row), row.getString("strategy"), row.getJsonObject("search_space").getMap(),
                            row.getInteger("n_iter"), row.getInteger("cv_folds"), row.getString("scoring"));
                });
    }

    private static StoredSpec toSpec(Row row) {
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
