package dev.mlpipeline.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Optional filters of a job listing ({@code status}, {@code dataset_id}, {@code model_type}); null = any. */
public record JobFilter(JobStatus status, String datasetId, String modelType) {

    /** A filter from raw query parameters; blank means any, a bad status is a 400. */
    public static JobFilter of(String status, String datasetId, String modelType) {
        return new JobFilter(blank(status) ? null : JobStatus.parse("status", status),
                blank(datasetId) ? null : datasetId.strip(), blank(modelType) ? null : modelType.strip());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The HQL of {@code fetch} (aliasing the job as {@code j}) restricted by the filters, newest first. */
    public String query(String fetch) {
        List<String> where = new ArrayList<>();
        if (status != null) {
            where.add("j.status = :status");
        }
        if (datasetId != null) {
            where.add("j.dataset.id = :datasetId");
        }
        if (modelType != null) {
            where.add("j.modelType = :modelType");
        }
        return fetch + (where.isEmpty() ? "" : " where " + String.join(" and ", where)) + " order by j.createdAt desc, j.id desc";
    }

    public Map<String, Object> parameters() {
        Map<String, Object> params = new HashMap<>();
        if (status != null) {
            params.put("status", status);
        }
        if (datasetId != null) {
            params.put("datasetId", datasetId);
        }
        if (modelType != null) {
            params.put("modelType", modelType);
        }
        return params;
    }
}
