package dev.mlpipeline.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.mlpipeline.jobs.JobStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TrainingJobRepository implements PanacheRepositoryBase<TrainingJob, String> {

    private static final String FETCH = "from TrainingJob j join fetch j.dataset left join fetch j.artifact";

    public Uni<TrainingJob> findWithDetails(String id) {
        return find(FETCH + " where j.id = ?1", id).firstResult();
    }

    /** Jobs matching the optional filters, newest first. */
    public Uni<List<TrainingJob>> search(JobStatus status, String datasetId, String modelType, int limit) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (status != null) {
            where.add("j.status = :status");
            params.put("status", status);
        }
        if (datasetId != null) {
            where.add("j.dataset.id = :datasetId");
            params.put("datasetId", datasetId);
        }
        if (modelType != null) {
            where.add("j.modelType = :modelType");
            params.put("modelType", modelType);
        }
        String query = FETCH + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by j.createdAt desc, j.id desc";
        return find(query, params).page(0, limit).list();
    }
}
