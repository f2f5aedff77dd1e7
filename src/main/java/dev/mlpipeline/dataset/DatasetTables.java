package dev.mlpipeline.dataset;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mlpipeline.common.Blocking;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.dataset.csv.CsvReader;
import dev.mlpipeline.dataset.csv.RecordCleaner;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.Table;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Datasets parsed into {@link Table}s for training, validation and tuning. Datasets never change
 * after upload, so recently used tables are kept in a small cache bounded by the size of their CSV
 * bytes ({@code mlpipeline.datasets.table-cache-size}); a miss reads the chunks and parses them on
 * a worker thread.
 */
@ApplicationScoped
public class DatasetTables {

    /**
     * A parsed dataset with the column types inferred at upload. Cells are as the upload profiled
     * them: missing-value markers and numeric placeholders are {@code null}.
     *
     * @param likelyIdentifiers categorical columns with a distinct value on (almost) every row, left
     *     out of the default features
     */
    public record LoadedTable(String datasetId, String datasetName, Table table, Map<String, ColumnType> types,
            java.util.Set<String> likelyIdentifiers) {

        public LoadedTable {
            likelyIdentifiers = likelyIdentifiers == null ? java.util.Set.of() : java.util.Set.copyOf(likelyIdentifiers);
        }
    }

    @Inject
    Pool pool;

    @ConfigProperty(name = "mlpipeline.datasets.table-cache-size", defaultValue = "256M")
    MemorySize cacheSize;

    private final Map<String, Cached> cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true));

    private record Cached(LoadedTable table, long sizeBytes) {
    }

    /** The dataset as a table, or {@link NotFoundException}. */
    public Uni<LoadedTable> load(String datasetId) {
        Cached hit = cache.get(datasetId);
        if (hit != null) {
            return Uni.createFrom().item(hit.table());
        }
        return pool.preparedQuery("SELECT name, size_bytes, columns FROM dataset WHERE id = $1")
                .execute(Tuple.of(datasetId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(NotFoundException.of("Dataset", datasetId));
                    }
                    var row = rows.iterator().next();
                    String name = row.getString("name");
                    long size = row.getLong("size_bytes");
                    StoredSchema schema = StoredSchema.read(row.getJsonObject("columns"));
                    return pool.preparedQuery("SELECT content FROM dataset_chunk WHERE dataset_id = $1 ORDER BY seq")
                            .execute(Tuple.of(datasetId))
                            .map(chunks -> {
                                List<InputStream> parts = new ArrayList<>();
                                chunks.forEach(r -> parts.add(new ByteArrayInputStream(r.getBuffer(0).getBytes())));
                                return parts;
                            })
                            .flatMap(parts -> Blocking.io(() -> parse(datasetId, name, parts, schema)))
                            .invoke(table -> remember(table, size));
                });
    }

    private static LoadedTable parse(String id, String name, List<InputStream> parts, StoredSchema schema)
            throws java.io.IOException {
        RecordCleaner cleaner = new RecordCleaner(schema.format(), List.copyOf(schema.types().values()));
        try (CsvReader reader = schema.format().reader(new SequenceInputStream(Collections.enumeration(parts)))) {
            List<String> header = List.of(reader.next());
            List<String[]> rows = new ArrayList<>();
            String[] record;
            while ((record = reader.next()) != null) {
                rows.add(cleaner.clean(record));
            }
            return new LoadedTable(id, name, new Table(header, rows), schema.types(), schema.likelyIdentifiers());
        }
    }

    private void remember(LoadedTable table, long sizeBytes) {
        long limit = cacheSize.asLongValue();
        if (sizeBytes > limit) {
            return;
        }
        synchronized (cache) {
            cache.put(table.datasetId(), new Cached(table, sizeBytes));
            long total = cache.values().stream().mapToLong(Cached::sizeBytes).sum();
            var eldest = cache.entrySet().iterator();
            while (total > limit && eldest.hasNext()) {
                total -= eldest.next().getValue().sizeBytes();
                eldest.remove();
            }
        }
    }

    /** Drops a deleted dataset from the cache. */
    public void forget(String datasetId) {
        cache.remove(datasetId);
    }
}
