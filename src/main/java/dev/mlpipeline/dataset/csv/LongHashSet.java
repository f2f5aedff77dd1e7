package dev.mlpipeline.dataset.csv;

import java.util.function.LongConsumer;

/** A set of well-mixed 64-bit hashes: open addressing with linear probing, load at most 1/2. */
final class LongHashSet {

    private static final int INITIAL_CAPACITY = 16;

    /** Slots; 0 marks an empty slot, so the value 0 is tracked by {@link #hasZero}. */
    private long[] slots = new long[INITIAL_CAPACITY];
    private boolean hasZero;
    private int size;

    /** Adds a value; returns true if it was not in the set. */
    boolean add(long value) {
        if (value == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int mask = slots.length - 1;
        int i = (int) value & mask;
        while (true) {
            long slot = slots[i];
            if (slot == value) {
                return false;
            }
            if (slot == 0) {
                slots[i] = value;
                if (++size * 2 > slots.length) {
                    grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    /** Calls {@code action} once for each value in the set. */
    void forEach(LongConsumer action) {
        if (hasZero) {
            action.accept(0);
        }
        for (long slot : slots) {
            if (slot != 0) {
                action.accept(slot);
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long value : old) {
            if (value != 0) {
                int i = (int) value & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = value;
            }
        }
    }
}
