package dev.mlpipeline.dataset.csv;

/**
 * Recognizes strict decimal numbers without parsing them.
 *
 * <p>Accepted: an optional sign ({@code +} or {@code -}), then digits with an optional fraction
 * ({@code 12}, {@code 12.5}, {@code 12.}) or a fraction alone ({@code .5}), then an optional
 * exponent ({@code e} or {@code E}, an optional sign, at least one digit). Only ASCII digits count.
 *
 * <p>Rejected: the empty string, {@code NaN}, {@code Infinity}, hexadecimal numbers, type suffixes
 * such as {@code 1d} or {@code 1f}, digit group separators, and surrounding or inner whitespace.
 */
public final class DecimalRecognizer {

    private DecimalRecognizer() {
    }

    /**
     * Tells whether a value is a strict decimal number.
     *
     * @param s the value; may be {@code null}
     * @return true if {@code s} is a decimal number as described in the class documentation
     */
    public static boolean isDecimal(CharSequence s) {
        if (s == null) {
            return false;
        }
        final int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        int start = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        int digits = i - start;
        if (i < n && s.charAt(i) == '.') {
            i++;
            start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            digits += i - start;
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            start = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
