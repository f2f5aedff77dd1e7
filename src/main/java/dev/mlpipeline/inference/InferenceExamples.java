package dev.mlpipeline.inference;

/** OpenAPI examples of the Open Inference Protocol endpoints: the titanic random forest of samples/titanic.csv. */
final class InferenceExamples {

    private InferenceExamples() {
    }

    static final String INFER_REQUEST = """
            {"id": "42",
             "inputs": [
               {"name": "Pclass", "shape": [2], "datatype": "INT64", "data": [3, 1]},
               {"name": "Sex", "shape": [2], "datatype": "BYTES", "data": ["male", "female"]},
               {"name": "Age", "shape": [2], "datatype": "FP64", "data": [22.0, 38.0]},
               {"name": "SibSp", "shape": [2], "datatype": "INT64", "data": [1, 1]},
               {"name": "Parch", "shape": [2], "datatype": "INT64", "data": [0, 0]},
               {"name": "Fare", "shape": [2], "datatype": "FP64", "data": [7.25, 71.2833]},
               {"name": "Embarked", "shape": [2], "datatype": "BYTES", "data": ["S", "C"]}
             ]}""";

    static final String INFER_RESPONSE = """
            {"model_name": "RandomForest", "model_version": "1", "id": "42",
             "parameters": {"deployment_id": "dep_01m8qgahbk2r50rs55pz5fyjsn", "job_id": "trn_01m8qga5wdqadasvxghm28h0pq",
                            "ignored_columns": [], "missing_columns": [[], []], "unseen_categories": [{}, {}]},
             "outputs": [
               {"name": "predict", "shape": [2], "datatype": "INT64", "data": [0, 1]},
               {"name": "probabilities", "shape": [2, 2], "datatype": "FP64", "parameters": {"class_labels": ["0", "1"]},
                "data": [0.8725132971932652, 0.12748670280673474, 0.06415923311937655, 0.9358407668806236]}
             ]}""";

    static final String METADATA = """
            {"name": "RandomForest", "versions": ["1"], "platform": "smile_RandomForest",
             "inputs": [
               {"name": "Pclass", "datatype": "FP64", "shape": [-1]},
               {"name": "Sex", "datatype": "BYTES", "shape": [-1]},
               {"name": "Age", "datatype": "FP64", "shape": [-1]},
               {"name": "SibSp", "datatype": "FP64", "shape": [-1]},
               {"name": "Parch", "datatype": "FP64", "shape": [-1]},
               {"name": "Fare", "datatype": "FP64", "shape": [-1]},
               {"name": "Embarked", "datatype": "BYTES", "shape": [-1]}
             ],
             "outputs": [
               {"name": "predict", "datatype": "INT64", "shape": [-1]},
               {"name": "probabilities", "datatype": "FP64", "shape": [-1, 2]}
             ]}""";

    static final String ERROR = """
            {"error": "Model 'LogisticRegression' is not served. The served model is 'RandomForest' version 1."}""";

    static final String BAD_INPUT = """
            {"error": "inputs[0].data: holds 1 value(s) but the shape [2] says 2"}""";
}
