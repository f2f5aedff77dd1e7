package dev.mlpipeline.dataset;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Datasets and their content chunks. Every method expects a session opened by the service. */
@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<Dataset, String> {

    public Uni<List<Dataset>> listNewestFirst() {
        return listAll(Sort.descending("createdAt", "id"));
    }

    public Uni<Integer> insertChunk(String datasetId, int seq, byte[] content) {
        return getSession().flatMap(session -> session
                .createNativeQuery("INSERT INTO dataset_chunk (dataset_id, seq, content) VALUES (:id, :seq, :content)")
                .setParameter("id", datasetId)
                .setParameter("seq", seq)
                .setParameter("content", content)
                .executeUpdate());
    }

    /** The chunk with this sequence number, or null past the last one. */
    public Uni<byte[]> findChunk(String datasetId, int seq) {
        return getSession().flatMap(session -> session
                .createNativeQuery("SELECT content FROM dataset_chunk WHERE dataset_id = :id AND seq = :seq", byte[].class)
                .setParameter("id", datasetId)
                .setParameter("seq", seq)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null : rows.getFirst()));
    }

    /** How many jobs and deployments refer to the dataset (they keep it from being deleted). */
    public Uni<Long> countReferences(String datasetId) {
        return getSession().flatMap(session -> session
                .createNativeQuery("""
                        SELECT (SELECT count(*) FROM training_job WHERE dataset_id = :id)
                             + (SELECT count(*) FROM tuning_job WHERE dataset_id = :id)
                             + (SELECT count(*) FROM deployment WHERE dataset_id = :id)""", Long.class)
                .setParameter("id", datasetId)
                .getSingleResult());
    }
}
