package dev.mlpipeline.dataset.csv;

/**
 * Counts the distinct values of one column: exactly, by keeping their 64-bit hashes, up to a
 * per-column limit and while a budget shared by all columns allows; then by a {@link HyperLogLog}
 * estimate into which the hashes kept so far are moved.
 *
 * <p>Keeping hashes rather than the strings bounds memory whatever the length of the values (at
 * most 32 bytes per value kept). Two different values are counted as one only if their 64-bit
 * hashes collide, which for the 4096 values of a column has a probability below 10^-12.
 */
final class DistinctCounter {

    /**
     * The number of exact entries that all columns of one file may hold together. A set's table
     * is between 1/4 and 1/2 full, so an entry costs 16 to 32 bytes of 8-byte slots.
     */
    static final class Budget {
        private long remaining;

        Budget(long entries) {
            this.remaining = entries;
        }

        boolean tryTake() {
            if (remaining <= 0) {
                return false;
            }
            remaining--;
            return true;
        }

        void giveBack(long entries) {
            remaining += entries;
        }
    }

    private final int exactLimit;
    private final Budget budget;
    private LongHashSet exact = new LongHashSet();
    private HyperLogLog estimator;
    /** Distinct values known for certain when switching to the estimate. */
    private long lowerBound;

    DistinctCounter(int exactLimit, Budget budget) {
        this.exactLimit = exactLimit;
        this.budget = budget;
    }

    void add(long hash) {
        if (exact == null) {
            estimator.add(hash);
            return;
        }
        if (exact.add(hash) && (exact.size() > exactLimit || !budget.tryTake())) {
            switchToEstimate();
        }
    }

    boolean isExact() {
        return exact != null;
    }

    long count() {
        return exact != null ? exact.size() : Math.max(lowerBound, estimator.estimate());
    }

    private void switchToEstimate() {
        estimator = new HyperLogLog();
        exact.forEach(estimator::add);
        lowerBound = exact.size();
        // Every entry but the one just added was paid for from the budget.
        budget.giveBack(exact.size() - 1);
        exact = null;
    }
}
