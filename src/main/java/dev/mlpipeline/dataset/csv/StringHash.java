package dev.mlpipeline.dataset.csv;

/** A 64-bit hash of strings for distinct counting. */
final class StringHash {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StringHash() {
    }

    /**
     * Hashes the UTF-16 chars of a string with 64-bit FNV-1a, then applies the MurmurHash3 64-bit
     * finalizer so that every output bit depends on every input bit (FNV-1a alone mixes its low
     * bits poorly, and HyperLogLog uses the high ones).
     */
    static long hash64(String s) {
        long h = FNV_OFFSET_BASIS;
        for (int i = 0, n = s.length(); i < n; i++) {
            h ^= s.charAt(i);
            h *= FNV_PRIME;
        }
        return fmix64(h);
    }

    /** MurmurHash3's 64-bit finalizer. */
    static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
