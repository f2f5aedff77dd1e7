package dev.mlpipeline.batch;

/** OpenAPI examples of the batch prediction endpoints: samples/titanic.csv scored by its random forest. */
final class BatchExamples {

    private BatchExamples() {
    }

    static final String CREATE = """
            {"dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb", "job_id": "trn_01m8qga5wdqadasvxghm28h0pq"}""";

    static final String QUEUED = """
            {"id": "bpr_01m8qh2c7v3k9x5e2w8n4r6t1y", "status": "PENDING", "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb",
             "job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "model_type": "RandomForest", "version": 1, "task": "classification",
             "progress": 0.0, "rows_total": 891, "rows_scored": 0, "rows_failed": 0,
             "input_columns": ["Survived", "Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"], "class_labels": null,
             "error": null, "result_url": "/api/batch-predictions/bpr_01m8qh2c7v3k9x5e2w8n4r6t1y/result",
             "created_at": "2026-12-01T00:35:02.118311Z", "started_at": null, "completed_at": null}""";

    static final String COMPLETED = """
            {"id": "bpr_01m8qh2c7v3k9x5e2w8n4r6t1y", "status": "COMPLETED", "dataset_id": "ds_01m8qg9z4qdcxqa41renz0fdvb",
             "job_id": "trn_01m8qga5wdqadasvxghm28h0pq", "model_type": "RandomForest", "version": 1, "task": "classification",
             "progress": 1.0, "rows_total": 891, "rows_scored": 891, "rows_failed": 0,
             "input_columns": ["Survived", "Pclass", "Sex", "Age", "SibSp", "Parch", "Fare", "Embarked"], "class_labels": ["0", "1"],
             "error": null, "result_url": "/api/batch-predictions/bpr_01m8qh2c7v3k9x5e2w8n4r6t1y/result",
             "created_at": "2026-12-01T00:35:02.118311Z", "started_at": "2026-12-01T00:35:02.204518Z",
             "completed_at": "2026-12-01T00:35:02.391207Z"}""";

    static final String RESULT_CSV = """
            Survived,Pclass,Sex,Age,SibSp,Parch,Fare,Embarked,prediction,probability_0,probability_1,error
            0,3,male,22.0,1,0,7.25,S,0,0.8725132971932652,0.12748670280673474,
            1,1,female,38.0,1,0,71.2833,C,1,0.06415923311937655,0.9358407668806236,
            """;

    static final String RESULT_NDJSON = """
            {"row":0,"input":{"Survived":0,"Pclass":3,"Sex":"male","Age":22.0,"SibSp":1,"Parch":0,"Fare":7.25,"Embarked":"S"},"prediction":0,"probabilities":{"0":0.8725132971932652,"1":0.12748670280673474},"error":null}
            {"row":1,"input":{"Survived":1,"Pclass":1,"Sex":"female","Age":38.0,"SibSp":1,"Parch":0,"Fare":71.2833,"Embarked":"C"},"prediction":1,"probabilities":{"0":0.06415923311937655,"1":0.9358407668806236},"error":null}
            """;
}
