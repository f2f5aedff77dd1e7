package dev.mlpipeline.dataset;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.mlpipeline.common.MlpipelineConfig;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.Offload;
import dev.mlpipeline.dataset.DatasetRepository.DatasetContent;
import dev.mlpipeline.dataset.csv.CsvReader;
import dev.mlpipeline.dataset.csv.RecordCleaner;
import dev.mlpipeline.pipeline.CellInterner;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.Table;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * Datasets parsed into {@link Table}s for training, validation and tuning. Datasets never change
 * after upload, so recently used tables are kept in a Caffeine cache weighed by the size of their
 * CSV bytes, at most {@code mlpipeline.datasets.table-cache-size} in all (a dataset larger than
 * that is parsed for each use and not kept). A miss reads the chunks and parses them on a worker
 * thread; concurrent loads of a dataset that is not cached share that one read and parse.
 */
@Singleton
// Caffeine instantiates the cache class for a builder's features (here SSMW: strong keys and
// values, maximum weight) and its node class (PSMW) through method handles. quarkus-caffeine
// registers the common ones for the native image, but not the weighted cache, so it is named here.
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMW", "com.github.benmanes.caffeine.cache.PSMW" })
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

    /** A cached table and the size of the CSV it was parsed from (its weight, in bytes). */
    private record Cached(LoadedTable table, long sizeBytes) {
    }

    private final Function<String, Uni<DatasetContent>> reader;
    /** Completes with null for a dataset that does not exist: Caffeine then keeps no entry. */
    private final AsyncLoadingCache<String, Cached> cache;
    private final AtomicLong parses = new AtomicLong();

    @Inject
    DatasetTables(DatasetRepository datasets,
            MlpipelineConfig config) {
        this(datasets::readContent, config.datasets().tableCacheSize().asLongValue());
    }

    /**
     * @param reader         the content of a dataset, or null when it does not exist
     * @param maxWeightBytes the most CSV bytes whose tables are kept
     */
    DatasetTables(Function<String, Uni<DatasetContent>> reader, long maxWeightBytes) {
        this.reader = reader;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeightBytes)
                .weigher((String id, Cached cached) -> (int) Math.min(Integer.MAX_VALUE, cached.sizeBytes()))
                .buildAsync((id, executor) -> read(id));
    }

    /** The dataset as a table, or {@link NotFoundException}; emitted on the caller's Vert.x context. */
    public Uni<LoadedTable> load(String datasetId) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Cached> loading = cache.get(datasetId);
            Uni<Cached> cached;
            if (loading.isDone() && !loading.isCompletedExceptionally()) {
                cached = Uni.createFrom().item(loading.join());
            } else {
                // A copy, so that a caller who cancels does not cancel the load others wait for.
                cached = Offload.onCallerContext(Uni.createFrom().completionStage(loading.copy()));
            }
            return cached.onItem().ifNull().failWith(() -> NotFoundException.of("Dataset", datasetId))
                    .map(Cached::table);
        });
    }

    /** Called by the cache on a miss, once per dataset however many callers wait for it. */
    private CompletableFuture<Cached> read(String datasetId) {
        return reader.apply(datasetId)
                .flatMap(content -> content == null ? Uni.createFrom().<Cached>nullItem()
                        : Offload.io(() -> new Cached(parse(datasetId, content), content.sizeBytes())))
                .subscribeAsCompletionStage();
    }

    private LoadedTable parse(String id, DatasetContent content) throws java.io.IOException {
        parses.incrementAndGet();
        List<InputStream> parts = new ArrayList<>(content.chunks().size());
        content.chunks().forEach(chunk -> parts.add(new ByteArrayInputStream(chunk)));
        StoredSchema schema = content.schema();
        RecordCleaner cleaner = new RecordCleaner(schema.format(), List.copyOf(schema.types().values()));
        try (CsvReader reader = schema.format().reader(new SequenceInputStream(Collections.enumeration(parts)))) {
            List<String> header = List.of(reader.next());
            List<String[]> rows = new ArrayList<>();
            String[] record;
            CellInterner interner = new CellInterner(header.size());
            while ((record = reader.next()) != null) {
                rows.add(interner.share(cleaner.clean(record)));
            }
            return new LoadedTable(id, content.name(), new Table(header, rows), schema.types(), schema.likelyIdentifiers());
        }
    }

    /** Drops a deleted dataset from the cache. */
    public void forget(String datasetId) {
        cache.synchronous().invalidate(datasetId);
    }

    /** How many times a dataset was parsed since start (for tests). */
    long parseCount() {
        return parses.get();
    }

    /** The CSV bytes of the tables held now, after pending evictions (for tests). */
    long cachedBytes() {
        cache.synchronous().cleanUp();
        return cache.synchronous().policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }
}
