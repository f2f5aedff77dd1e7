package dev.mlpipeline.dataset.csv;

/**
 * A HyperLogLog cardinality estimator over 64-bit hashes with 2^12 one-byte registers (4 KiB),
 * with the small-range (linear counting) correction. Standard error about 1.04 / sqrt(4096) = 1.6%.
 * With 64-bit hashes no large-range correction is needed.
 */
final class HyperLogLog {

    static final int PRECISION = 12;
    private static final int REGISTERS = 1 << PRECISION;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

    private final byte[] registers = new byte[REGISTERS];

    /** Adds a hash; the hash must be well mixed in all its bits. */
    void add(long hash) {
        int index = (int) (hash >>> (64 - PRECISION));
        // Position of the first 1 bit in the remaining 52 bits, 1-based; 53 if they are all 0.
        int rank = Long.numberOfLeadingZeros((hash << PRECISION) | (1L << (PRECISION - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    /** Returns the estimated number of distinct hashes added. */
    long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double estimate = ALPHA * REGISTERS * (double) REGISTERS / sum;
        if (estimate <= 2.5 * REGISTERS && zeros > 0) {
            estimate = REGISTERS * Math.log((double) REGISTERS / zeros);
        }
        return Math.round(estimate);
    }
}
