package dev.mlpipeline.registry;

/**
 * OpenAPI examples of the registry's metadata operations (issue 13), from the same recorded titanic
 * session as {@code common/OpenApiExamples} (same dataset and job ids).
 */
public final class RegistryExamples {

    private RegistryExamples() {
    }

    public static final String SET_ALIAS_REQUEST = """
            {"dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "version": 1}
            """;

    public static final String MODEL_ALIAS = """
            {"alias": "champion", "model_type": "RandomForest", "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb",
             "version": 1, "job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "source": "training", "previous_version": null,
             "updated_at": "2026-12-01T00:35:02.114210Z"}
            """;

    public static final String MERGE_PATCH = """
            {"description": "Random forest on the 2026-11 titanic extract", "tags": {"team": "fraud"}}
            """;

    public static final String COMPARISON = """
            {"model_type": "RandomForest", "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "dataset_name": "titanic",
             "task": "classification",
             "versions": [
              {"version": 1, "job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "source": "training",
               "created_at": "2026-12-01T00:33:14.201311Z", "aliases": ["champion"], "archived": false},
              {"version": 2, "job_id": "trn_01m8qgb3k1y0t6c1xk8d3w2m7e", "source": "training",
               "created_at": "2026-12-01T00:34:40.918207Z", "aliases": [], "archived": false}],
             "metrics": [
              {"name": "accuracy", "higher_is_better": true, "values": [0.8212, 0.8045], "best_version": 1},
              {"name": "precision", "higher_is_better": true, "values": [0.8125, 0.7869], "best_version": 1},
              {"name": "recall", "higher_is_better": true, "values": [0.7027, 0.6486], "best_version": 1},
              {"name": "f1", "higher_is_better": true, "values": [0.7536, 0.7111], "best_version": 1},
              {"name": "roc_auc", "higher_is_better": true, "values": [0.8899, 0.8702], "best_version": 1}],
             "differing_hyperparameters": [{"name": "max_depth", "values": [8, 3]}],
             "best": {"metric": "accuracy", "direction": "higher_is_better", "version": 1,
                      "job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "value": 0.8212}}
            """;

    public static final String DEPLOY_BY_VERSION = """
            {"model_type": "RandomForest", "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "version": 1}
            """;

    public static final String DEPLOY_BY_ALIAS = """
            {"model_type": "RandomForest", "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "alias": "champion"}
            """;
}
