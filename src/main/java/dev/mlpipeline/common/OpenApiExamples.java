package dev.mlpipeline.common;

/**
 * Request and response examples of the OpenAPI document, all from one recorded session with
 * {@code samples/titanic.csv} so that their ids and values agree with each other and with what the
 * service answers: upload → train (and tune) → deploy → predict. Swagger UI prefills "Try it out"
 * with the request examples; they are valid requests once the ids are replaced by real ones
 * ({@code OpenApiExamplesTest} executes them).
 */
public final class OpenApiExamples {

    private OpenApiExamples() {
    }

    public static final String UPLOAD_REQUEST = """
            {"file": "Survived,Pclass,Sex,Age,SibSp,Parch,Fare,Embarked\\n0,3,male,22.0,1,0,7.25,S\\n1,1,female,38.0,1,0,71.2833,C\\n",
             "name": "titanic"}
            """;

    public static final String DATASET = """
            {"id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "name": "titanic", "filename": "titanic.csv",
             "row_count": 891, "column_count": 8, "size_bytes": 23192,
             "sha256": "b65912d43b252afd8ce1d6a3f7005baf3487f022d79cf958ca401ef9edd401f5",
             "created_at": "2026-12-01T00:33:05.689626Z",
             "columns": [
              {"name": "Survived", "type": "numeric", "missing": 0, "distinct": 2, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "Pclass", "type": "numeric", "missing": 0, "distinct": 3, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "Sex", "type": "categorical", "missing": 0, "distinct": 2, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "Age", "type": "numeric", "missing": 177, "distinct": 88, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "SibSp", "type": "numeric", "missing": 0, "distinct": 7, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "Parch", "type": "numeric", "missing": 0, "distinct": 7, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "Fare", "type": "numeric", "missing": 0, "distinct": 248, "distinct_exact": true, "missing_markers": [], "likely_identifier": false},
              {"name": "Embarked", "type": "categorical", "missing": 2, "distinct": 3, "distinct_exact": true, "missing_markers": [], "likely_identifier": false}],
             "delimiter": ",",
             "na_values": ["#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                           "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"],
             "warnings": [], "created_by": "ci-training"}
            """;

    public static final String CREATE_TRAINING_JOB = """
            {"dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "model_type": "RandomForest", "target_column": "Survived",
             "task": "classification", "hyperparameters": {"n_trees": 100, "max_depth": 8},
             "test_size": 0.2, "random_seed": 42}
            """;

    public static final String TRAINING_JOB_PENDING = """
            {"id": "trn_01m8qga5wdqadasvxghm28h0pq", "job_type": "training",
             "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "dataset_name": "titanic",
             "model_type": "RandomForest", "task": "classification", "target_column": "Survived",
             "feature_columns": ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"],
             "hyperparameters": {"n_trees": 100, "max_depth": 8, "min_samples_leaf": 1, "mtry": null, "subsample": 1.0},
             "preprocessing": {"numeric_imputation": "median", "categorical_imputation": "most_frequent",
                               "scaling": "standard", "encoding": "one_hot"},
             "test_size": 0.2, "random_seed": 42, "status": "PENDING", "progress": 0.0,
             "metrics": null, "version": null, "error": null, "artifact": null,
             "created_at": "2026-12-01T00:33:12.590298Z", "started_at": null, "completed_at": null, "duration_ms": null,
             "created_by": "ci-training"}
            """;

    public static final String TRAINING_JOB_COMPLETED = """
            {"id": "trn_01m8qga5wdqadasvxghm28h0pq", "job_type": "training",
             "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "dataset_name": "titanic",
             "model_type": "RandomForest", "task": "classification", "target_column": "Survived",
             "feature_columns": ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"],
             "hyperparameters": {"n_trees": 100, "max_depth": 8, "min_samples_leaf": 1, "mtry": null, "subsample": 1.0},
             "preprocessing": {"numeric_imputation": "median", "categorical_imputation": "most_frequent",
                               "scaling": "standard", "encoding": "one_hot"},
             "test_size": 0.2, "random_seed": 42, "status": "COMPLETED", "progress": 1.0,
             "metrics": {"accuracy": 0.8324022346368715, "precision": 0.8426924228811021, "recall": 0.8015151515151515,
                         "f1": 0.8134898582939706, "roc_auc": 0.8511198945981555},
             "version": 1, "error": null,
             "artifact": {"sha256": "6171d0120618af15207d221b0883e269ff8a725d9e80d3e7a5e11c0e6aff644c", "size_bytes": 303220},
             "created_at": "2026-12-01T00:33:12.590298Z", "started_at": "2026-12-01T00:33:12.732928Z",
             "completed_at": "2026-12-01T00:33:15.454275Z", "duration_ms": 2721,
             "created_by": "ci-training"}
            """;

    public static final String CREATE_TUNING_JOB = """
            {"dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "model_type": "GradientBoosting", "target_column": "Survived",
             "task": "classification", "strategy": "grid",
             "search_space": {"n_trees": [50, 100], "max_depth": [3, 5]},
             "cv_folds": 3, "scoring": "accuracy"}
            """;

    public static final String TUNING_JOB_PENDING = """
            {"id": "tun_01m8qgads1hed4bp3cfkgj0ysx", "job_type": "tuning",
             "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "dataset_name": "titanic",
             "model_type": "GradientBoosting", "task": "classification", "target_column": "Survived",
             "feature_columns": ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"],
             "hyperparameters": {"n_trees": 100, "learning_rate": 0.1, "max_depth": 3, "min_samples_leaf": 1, "subsample": 1.0},
             "preprocessing": {"numeric_imputation": "median", "categorical_imputation": "most_frequent",
                               "scaling": "standard", "encoding": "one_hot"},
             "test_size": 0.2, "random_seed": 42, "status": "PENDING", "progress": 0.0,
             "metrics": null, "version": null, "error": null, "artifact": null,
             "created_at": "2026-12-01T00:33:20.673537Z", "started_at": null, "completed_at": null, "duration_ms": null,
             "created_by": "ci-training", "strategy": "grid", "search_space": {"n_trees": [50, 100], "max_depth": [3, 5]}, "n_iter": null,
             "cv_folds": 3, "scoring": "accuracy", "trials": [], "best_params": null, "best_score": null}
            """;

    public static final String DEPLOY_REQUEST = """
            {"job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "reason": "better recall on the November data"}
            """;

    public static final String DEPLOYMENT = """
            {"id": "dep_01m8qgahbk2r50rs55pz5fyjsn", "job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "source": "training",
             "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "dataset_name": "titanic", "model_type": "RandomForest",
             "version": 1, "is_active": true, "created_at": "2026-12-01T00:33:24.414875Z", "deactivated_at": null,
             "deployed_by": "release-bot", "reason": "better recall on the November data"}
            """;

    public static final String PREDICT_REQUEST = """
            [{"Pclass": 3, "Sex": "male", "Age": 22, "SibSp": 1, "Parch": 0, "Fare": 7.25, "Embarked": "S"},
             {"Pclass": 1, "Sex": "female", "Age": 38, "SibSp": 1, "Parch": 0, "Fare": 71.2833, "Embarked": "C"}]
            """;

    public static final String PREDICTION = """
            {"predictions": [0, 1],
             "probabilities": [{"0": 0.8725132971932652, "1": 0.12748670280673474},
                               {"0": 0.06415923311937655, "1": 0.9358407668806236}],
             "deployment_id": "dep_01m8qgahbk2r50rs55pz5fyjsn", "job_id": "trn_01m8qga5wdqadasvxghm28h0pq",
             "model_type": "RandomForest", "version": 1, "ignored_columns": [],
             "missing_columns": [[], []], "unseen_categories": [{}, {}],
             "explanation_output": null, "explanations": null}
            """;

    /** {@code POST /api/deployments/predict?explain=true}: one passenger, a random forest (probabilities explained). */
    public static final String PREDICTION_EXPLAINED = """
            {"predictions": [0],
             "probabilities": [{"0": 0.87, "1": 0.13}],
             "deployment_id": "dep_01m8qgahbk2r50rs55pz5fyjsn", "job_id": "trn_01m8qga5wdqadasvxghm28h0pq",
             "model_type": "RandomForest", "version": 1, "ignored_columns": [],
             "missing_columns": [["Age"]], "unseen_categories": [{}],
             "explanation_output": "probability",
             "explanations": [{
               "base_value": {"0": 0.62, "1": 0.38},
               "contributions": {
                 "0": {"Pclass": 0.06, "Sex": 0.15, "Age": 0.01, "SibSp": 0.0, "Parch": -0.01, "Fare": 0.03, "Embarked": 0.01},
                 "1": {"Pclass": -0.06, "Sex": -0.15, "Age": -0.01, "SibSp": 0.0, "Parch": 0.01, "Fare": -0.03, "Embarked": -0.01}},
               "raw_output": {"0": 0.87, "1": 0.13},
               "imputed_features": ["Age"]}]}
            """;

    public static final String DRIFT = """
            {"deployment_id": "dep_01m8qgahbk2r50rs55pz5fyjsn", "job_id": "trn_01m8qga5wdqadasvxghm28h0pq",
             "model_type": "LinearRegression", "version": 1,
             "since": "2026-12-01T03:00:00Z", "until": "2026-12-01T04:00:00Z", "rows": 2000, "truncated": false,
             "psi_threshold": 0.2, "flagged_features": ["median_income"],
             "features": [
               {"name": "median_income", "type": "numeric", "psi": 5.84, "flagged": true,
                "missing_share": 0.0, "training_missing_share": 0.0,
                "bins": [{"level": null, "lower": null, "upper": 1.9, "training_share": 0.1, "live_share": 0.0},
                         {"level": null, "lower": 1.9, "upper": 6.16, "training_share": 0.8, "live_share": 0.21},
                         {"level": null, "lower": 6.16, "upper": null, "training_share": 0.1, "live_share": 0.79}]},
               {"name": "ocean_proximity", "type": "categorical", "psi": 0.004, "flagged": false,
                "missing_share": 0.0, "training_missing_share": 0.0,
                "bins": [{"level": "INLAND", "lower": null, "upper": null, "training_share": 0.32, "live_share": 0.33},
                         {"level": "NEAR BAY", "lower": null, "upper": null, "training_share": 0.68, "live_share": 0.67},
                         {"level": null, "lower": null, "upper": null, "training_share": 0.0, "live_share": 0.0}]}],
             "predictions": {"psi": 1.92, "flagged": true,
               "bins": [{"level": null, "lower": null, "upper": 206855.8, "training_share": 0.5, "live_share": 0.12},
                        {"level": null, "lower": 206855.8, "upper": null, "training_share": 0.5, "live_share": 0.88}]}}
            """;
}
