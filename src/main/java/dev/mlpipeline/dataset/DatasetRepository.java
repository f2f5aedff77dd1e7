package dev.mlpipeline.dataset;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Datasets and their content chunks. The Panache methods expect a session opened by the service;
 * {@link #readContent} uses the reactive {@link Pool} and needs none.
 */
@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<Dataset, String> {

    @Inject
    Pool pool;

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

    /**
     * A stored dataset's CSV content, with what parsing it needs.
     *
     * @param sizeBytes the size of the CSV file in bytes
     * @param schema    column types inferred at upload (in file order), the CSV format to read the bytes with,
     *                  and the likely identifiers
     * @param chunks    the CSV bytes, in {@code dataset_chunk} order (chunks of up to 1 MiB)
     */
    record DatasetContent(String name, long sizeBytes, StoredSchema schema, List<byte[]> chunks) {
    }

    /**
     * The dataset's whole content (about its CSV size in memory), or null when it does not exist.
     * Two queries, the metadata then the chunks; datasets never change after upload.
     */
    Uni<DatasetContent> readContent(String datasetId) {
        return pool.preparedQuery("SELECT name, size_bytes, columns FROM dataset WHERE id = $1")
                .execute(Tuple.of(datasetId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    String name = row.getString("name");
                    long size = row.getLong("size_bytes");
                    StoredSchema schema = StoredSchema.read(row.getJsonObject("columns"));
                    return pool.preparedQuery("SELECT content FROM dataset_chunk WHERE dataset_id = $1 ORDER BY seq")
                            .execute(Tuple.of(datasetId))
                            .map(chunks -> {
                                List<byte[]> parts = new ArrayList<>();
                                chunks.forEach(r -> parts.add(r.getBuffer(0).getBytes()));
                                return new DatasetContent(name, size, schema, parts);
                            });
                });
    }

    /** What reading a dataset row by row needs, without its bytes: see {@link DatasetStreams}. */
    record DatasetHeader(String name, long rowCount, StoredSchema schema, int chunks) {
    }

    /** The dataset's name, row count, schema and number of chunks, or null when it does not exist. */
    Uni<DatasetHeader> readHeader(String datasetId) {
        return pool.preparedQuery("SELECT name, row_count, columns, (SELECT count(*) FROM dataset_chunk c WHERE c.dataset_id = d.id)"
                + " AS chunks FROM dataset d WHERE id = $1")
                .execute(Tuple.of(datasetId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new DatasetHeader(row.getString("name"), row.getLong("row_count"),
                            StoredSchema.read(row.getJsonObject("columns")), row.getLong("chunks").intValue());
                });
    }

    /** One chunk of a dataset's CSV bytes (up to 1 MiB), or null past the last. */
    Uni<byte[]> readChunk(String datasetId, int seq) {
        return pool.preparedQuery("SELECT content FROM dataset_chunk WHERE dataset_id = $1 AND seq = $2")
                .execute(Tuple.of(datasetId, seq))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer(0).getBytes());
    }
}
