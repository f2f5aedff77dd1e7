package dev.mlpipeline.common;

import java.security.SecureRandom;

/**
 * Prefixed, time-ordered identifiers ({@code ds_…}, {@code trn_…}): 10 characters of millisecond
 * timestamp and 16 random characters in Crockford base32, so ids sort by creation time and say
 * by themselves what they name.
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private Ids() {
    }

    /**
     * Holds the generator, created on first use. A native image initializes classes at build time unless told
     * otherwise, and a generator created then would be frozen into the image with one seed, so that every process
     * would repeat the same ids: this class is given to {@code --initialize-at-run-time} in application.properties
     * ({@code quarkus.native.additional-build-args}), and {@link Ids} itself holds no generator.
     */
    private static final class Generator {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * A secret of {@code length} characters of Crockford base32 (5 random bits each, from the same
     * {@link SecureRandom}) after {@code prefix}: {@code secret("mlp_", 52)} carries 260 random bits.
     */
    public static String secret(String prefix, int length) {
        byte[] random = new byte[length];
        Generator.RANDOM.nextBytes(random);
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random[i] & 31];
        }
        return prefix + new String(out);
    }

    public static String next(String prefix) {
        char[] out = new char[26];
        long time = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[16];
        Generator.RANDOM.nextBytes(random);
        for (int i = 0; i < 16; i++) {
            out[10 + i] = ALPHABET[random[i] & 31];
        }
        return prefix + "_" + new String(out);
    }
}
