package dev.mlpipeline.registry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.mlpipeline.common.MlpipelineConfig;
import io.smallrye.mutiny.Uni;

/**
 * Registry pages this replica already read, kept (Caffeine, weighed by size, at most
 * {@code mlpipeline.registry.page-cache-size}) under the registry generation they were read under.
 *
 * <p>Freshness: every request first reads the current generation (one primary-key read,
 * {@link RegistryRepository#generation()}), and a kept page is served only when it was read under that
 * very generation. PostgreSQL bumps the generation in the transaction of any change of the view
 * (V10 triggers on the job tables, metadata, aliases, deployments and dataset names), whichever replica
 * or client made it, so a request that starts after a change committed never gets a page from before
 * it — no replica serves a stale page, without waiting for a notification to arrive. The page itself
 * is read after the generation, so it holds that generation's state or a newer one.
 *
 * <p>Concurrent requests for the same page and generation share one read ({@link AsyncCache}); a read
 * that fails is not kept. Pages of earlier generations are dropped as soon as a newer one is seen.
 */
@ApplicationScoped
class RegistryPageCache {

    /** A page and what it is kept as: objects (the console) or the JSON of each entry (the API). */
    record Key(long generation, ModelFilter filter, PageRequest page, boolean json) {
    }

    /** A kept value and its weight in bytes. */
    interface Weighed {
        long bytes();
    }

    private final AsyncCache<Key, Weighed> pages;
    private final boolean enabled;
    private final AtomicLong newest = new AtomicLong();

    @Inject
    RegistryPageCache(MlpipelineConfig config) {
        long max = config.registry().pageCacheSize().asLongValue();
        this.enabled = max > 0;
        this.pages = Caffeine.newBuilder()
                .maximumWeight(Math.max(max, 1))
                .weigher((Key k, Weighed v) -> (int) Math.min(Integer.MAX_VALUE, v.bytes()))
                .buildAsync();
    }

    /**
     * The page of {@code key} (its generation being the current one): the kept one, or the one
     * {@code read} gives (then kept). {@code read} is subscribed at most once per key at a time.
     */
    @SuppressWarnings("unchecked")
    <T extends Weighed> Uni<T> get(Key key, Supplier<Uni<T>> read) {
        if (!enabled) {
            return read.get();
        }
        dropOlderThan(key.generation());
        CompletableFuture<Weighed> page = pages.get(key, (k, executor) -> read.get().subscribeAsCompletionStage()
                .thenApply(v -> (Weighed) v));
        return Uni.createFrom().completionStage(page).map(v -> (T) v);
    }

    private void dropOlderThan(long generation) {
        long seen = newest.get();
        if (generation > seen && newest.compareAndSet(seen, generation)) {
            pages.asMap().keySet().removeIf(k -> k.generation() < generation);
        }
    }

    /** Number of pages kept (for tests). */
    long size() {
        return pages.synchronous().estimatedSize();
    }

    /** A page kept as objects, for views that render them (the console). */
    record ObjectPage(ModelPage page, long bytes) implements Weighed {
    }

    /** A page kept as the UTF-8 JSON of each of its entries, written as they are by the API. */
    record JsonPage(List<byte[]> entries, String nextCursor, long bytes) implements Weighed {
    }
}
