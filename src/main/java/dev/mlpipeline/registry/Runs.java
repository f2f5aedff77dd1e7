package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;

/**
 * Groups a stream that is already sorted by a key into runs of consecutive items with the same
 * key, emitting each run as soon as the first item of the next key arrives. Only the current run
 * is held in memory, so a sorted stream of any length is grouped with memory bounded by its
 * largest run.
 */
final class Runs {

    private Runs() {
    }

    /**
     * One run of items sharing a key.
     *
     * @param followed true when another run came after this one (known when it was emitted), false
     *                 for the last run of the stream; a page that ends on a followed run has a next page
     */
    record Run<K, T>(K key, List<T> items, boolean followed) {
    }

    static <T, K> Multi<Run<K, T>> of(Multi<T> sorted, Function<? super T, ? extends K> key) {
        return Multi.createFrom().deferred(() -> {
            Accumulator<T, K> acc = new Accumulator<>(key);
            return sorted.onItem().transformToIterable(acc::push)
                    .onCompletion().continueWith(acc::finish);
        });
    }

    private static final class Accumulator<T, K> {
        private final Function<? super T, ? extends K> key;
        private K currentKey;
        private List<T> current;

        Accumulator(Function<? super T, ? extends K> key) {
            this.key = key;
        }

        List<Run<K, T>> push(T item) {
            K k = key.apply(item);
            if (current != null && Objects.equals(k, currentKey)) {
                current.add(item);
                return List.of();
            }
            List<Run<K, T>> out = current == null ? List.of() : List.of(new Run<>(currentKey, current, true));
            currentKey = k;
            current = new ArrayList<>();
            current.add(item);
            return out;
        }

        List<Run<K, T>> finish() {
            if (current == null) {
                return List.of();
            }
            Run<K, T> last = new Run<>(currentKey, current, false);
            current = null;
            return List.of(last);
        }
    }
}
