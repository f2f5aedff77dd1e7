package dev.mlpipeline.dataset;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.dataset.DatasetRepository.DatasetContent;
import dev.mlpipeline.dataset.DatasetTables.LoadedTable;
import dev.mlpipeline.dataset.csv.CsvFormat;
import dev.mlpipeline.pipeline.ColumnType;
import io.smallrye.mutiny.Uni;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parsed-dataset cache without a server: one parse per dataset under concurrency, eviction by CSV bytes. */
class DatasetTablesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A dataset of one numeric column whose CSV is exactly {@code sizeBytes} bytes long. */
    private static DatasetContent content(String name, int sizeBytes) {
        StringBuilder csv = new StringBuilder("x\n");
        while (csv.length() + 2 <= sizeBytes) {
            csv.append("1\n");
        }
        while (csv.length() < sizeBytes) {
            csv.append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, ColumnType> types = new LinkedHashMap<>();
        types.put("x", ColumnType.NUMERIC);
        return new DatasetContent(name, bytes.length, new StoredSchema(types, CsvFormat.LEGACY, java.util.Set.of()), List.of(bytes));
    }

    private static LoadedTable join(Uni<LoadedTable> load) {
        return load.await().atMost(TIMEOUT);
    }

    @Test
    void concurrentColdLoadsOfOneDatasetReadAndParseItOnce() throws Exception {
        CompletableFuture<DatasetContent> stored = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        DatasetTables tables = new DatasetTables(id -> {
            reads.incrementAndGet();
            return Uni.createFrom().completionStage(stored);
        }, 1 << 20);

        int callers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger subscribed = new AtomicInteger();
            List<Future<CompletableFuture<LoadedTable>>> loads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                loads.add(threads.submit(() -> {
                    start.await();
                    // subscribing looks the dataset up in the cache, on this thread
                    CompletableFuture<LoadedTable> load = tables.load("ds_a").subscribeAsCompletionStage();
                    subscribed.incrementAndGet();
                    return load;
                }));
            }
            start.countDown();
            await().atMost(TIMEOUT).until(() -> subscribed.get() == callers);
            // all eight are waiting, on one read
            assertEquals(1, reads.get());
            stored.complete(content("a", 100));

            LoadedTable first = loads.getFirst().get().get(10, TimeUnit.SECONDS);
            for (var load : loads) {
                assertSame(first, load.get().get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, reads.get());
            assertEquals(1, tables.parseCount());
            assertEquals("a", first.datasetName());
            assertEquals(List.of("x"), first.table().columns());
        } finally {
            threads.shutdownNow();
        }

        // a later load is a hit: no read, no parse
        assertSame(join(tables.load("ds_a")), join(tables.load("ds_a")));
        assertEquals(1, reads.get());
        assertEquals(1, tables.parseCount());
    }

    @Test
    void tablesAreEvictedByTheWeightOfTheirCsvBytes() {
        Map<String, Integer> reads = new ConcurrentHashMap<>();
        DatasetTables tables = new DatasetTables(id -> {
            reads.merge(id, 1, Integer::sum);
            return Uni.createFrom().item(content(id, 30));
        }, 100);

        // three tables of 30 bytes fit in 100: all stay, whatever their count
        for (String id : List.of("ds_1", "ds_2", "ds_3")) {
            join(tables.load(id));
        }
        await().atMost(TIMEOUT).until(() -> tables.cachedBytes() == 90);
        for (String id : List.of("ds_1", "ds_2", "ds_3")) {
            join(tables.load(id));
        }
        assertEquals(3, tables.parseCount());

        // a fourth would make 120: one table goes, and the held bytes stay within the limit
        join(tables.load("ds_4"));
        await().atMost(TIMEOUT).until(() -> tables.cachedBytes() == 90);
        long before = tables.parseCount();
        for (String id : List.of("ds_1", "ds_2", "ds_3", "ds_4")) {
            join(tables.load(id));
        }
        assertTrue(tables.parseCount() > before, "an evicted table is parsed again");
        assertTrue(tables.cachedBytes() <= 100);
    }

    @Test
    void aDatasetLargerThanTheCacheIsParsedForEachUseAndNotKept() {
        DatasetTables tables = new DatasetTables(id -> Uni.createFrom().item(content(id, 150)), 100);
        join(tables.load("ds_big"));
        await().atMost(TIMEOUT).until(() -> tables.cachedBytes() == 0);
        join(tables.load("ds_big"));
        assertEquals(2, tables.parseCount());
    }

    @Test
    void aMissingDatasetIsNotFoundAndNotCached() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        DatasetTables tables = new DatasetTables(id -> {
            reads.incrementAndGet();
            return Uni.createFrom().nullItem();
        }, 100);
        for (int i = 0; i < 2; i++) {
            CompletableFuture<LoadedTable> load = tables.load("ds_missing").subscribeAsCompletionStage();
            ExecutionException e = assertThrows(ExecutionException.class, () -> load.get(10, TimeUnit.SECONDS));
            assertInstanceOf(NotFoundException.class, e.getCause());
        }
        assertEquals(2, reads.get());
        assertEquals(0, tables.parseCount());
    }
}
