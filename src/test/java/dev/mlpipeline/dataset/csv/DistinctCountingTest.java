package dev.mlpipeline.dataset.csv;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistinctCountingTest {

    private static long estimate(int distinct, String prefix) {
        HyperLogLog hll = new HyperLogLog();
        for (int repeat = 0; repeat < 2; repeat++) {
            for (int i = 0; i < distinct; i++) {
                hll.add(StringHash.hash64(prefix + i));
            }
        }
        return hll.estimate();
    }

    @Test
    void hyperLogLogWithinThreePercentOn100kDistinctValues() {
        for (String prefix : new String[]{ "", "user-", "2024-01-01T00:00:", "value #" }) {
            long estimate = estimate(100_000, prefix);
            double error = Math.abs(estimate - 100_000) / 100_000.0;
            assertTrue(error < 0.03, prefix + ": estimate " + estimate + ", error " + error);
        }
    }

    @Test
    void hyperLogLogSmallCardinalities() {
        assertEquals(0, new HyperLogLog().estimate());
        for (int n : new int[]{ 1, 10, 100, 1000, 5000 }) {
            long estimate = estimate(n, "v");
            assertTrue(Math.abs(estimate - n) <= Math.max(1, n * 0.03), n + " -> " + estimate);
        }
    }

    @Test
    void hashSpreadsSimilarStrings() {
        Set<Long> hashes = new HashSet<>();
        Set<Integer> topBits = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            long h = StringHash.hash64(Integer.toString(i));
            hashes.add(h);
            topBits.add((int) (h >>> 52));
        }
        assertEquals(100_000, hashes.size(), "no collisions");
        assertEquals(4096, topBits.size(), "every HyperLogLog register used");
        assertNotEquals(StringHash.hash64("ab"), StringHash.hash64("ba"));
        assertNotEquals(StringHash.hash64(""), StringHash.hash64("\0"));
    }

    @Test
    void longHashSetCountsExactly() {
        LongHashSet set = new LongHashSet();
        for (long i = -5000; i < 5000; i++) {
            set.add(i * 0x9E3779B97F4A7C15L);
            set.add(i * 0x9E3779B97F4A7C15L);
        }
        assertEquals(10_000, set.size());
        long[] sum = { 0 };
        set.forEach(v -> sum[0]++);
        assertEquals(10_000, sum[0]);
    }

    @Test
    void sharedBudgetSwitchesColumnsToEstimates() {
        DistinctCounter.Budget budget = new DistinctCounter.Budget(100);
        DistinctCounter first = new DistinctCounter(4096, budget);
        DistinctCounter second = new DistinctCounter(4096, budget);
        for (int i = 0; i < 100; i++) {
            first.add(StringHash.hash64("a" + i));
        }
        assertTrue(first.isExact());
        assertEquals(100, first.count());
        second.add(StringHash.hash64("b"));
        assertFalse(second.isExact(), "budget used up");
        assertEquals(1, second.count());
        // Once a column switches, its entries return to the budget.
        first.add(StringHash.hash64("a100"));
        assertFalse(first.isExact());
        DistinctCounter third = new DistinctCounter(4096, budget);
        third.add(StringHash.hash64("c"));
        assertTrue(third.isExact());
    }
}
