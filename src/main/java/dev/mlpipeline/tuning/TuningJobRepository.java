package dev.mlpipeline.tuning;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.mlpipeline.jobs.JobFilter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TuningJobRepository implements PanacheRepositoryBase<HyperparameterTuningJob, String> {

    private static final String FETCH = "from HyperparameterTuningJob j join fetch j.dataset left join fetch j.artifact";

    public Uni<HyperparameterTuningJob> findWithDetails(String id) {
        return find(FETCH + " where j.id = ?1", id).firstResult();
    }

    /** Jobs matching the filter, newest first. */
    public Uni<List<HyperparameterTuningJob>> search(JobFilter filter, int limit) {
        return find(filter.query(FETCH), filter.parameters()).page(0, limit).list();
    }
}
