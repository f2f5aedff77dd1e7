package dev.mlpipeline.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps a JSON value sent for a categorical feature onto one of its training levels, by value, and never
 * guesses:
 *
 * <ul>
 *   <li>a string equal to a level is that level;
 *   <li>a boolean ({@code true}, or a string {@code "true"}/{@code "false"} in any letter case) is the level
 *       spelled {@code true}/{@code false} in any letter case, as pandas writes {@code True}/{@code False};
 *       {@code yes}/{@code no} or {@code 1}/{@code 0} are other values and do not match it;
 *   <li>a number (or a string holding a decimal number) is the level holding the same number ({@code 3} is
 *       {@code "3"} or {@code "3.0"}); levels with a leading zero ({@code "02134"}) are codes, never numbers;
 *   <li>when no level, or more than one, has the value, there is no match: the caller reports it.
 * </ul>
 *
 * Immutable and thread-safe.
 */
final class LevelMatcher {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern LEADING_ZERO = Pattern.compile("[+-]?0\\d.*");

    private final Set<String> levels;
    private final String trueLevel;
    private final String falseLevel;
    private final Map<BigDecimal, String> numeric;

    private LevelMatcher(Set<String> levels, String trueLevel, String falseLevel, Map<BigDecimal, String> numeric) {
        this.levels = levels;
        this.trueLevel = trueLevel;
        this.falseLevel = falseLevel;
        this.numeric = numeric;
    }

    static LevelMatcher of(List<String> levels) {
        String t = unique(levels, "true");
        String f = unique(levels, "false");
        Map<BigDecimal, String> numeric = new HashMap<>();
        Set<BigDecimal> ambiguous = new HashSet<>();
        for (String level : levels) {
            BigDecimal value = number(level);
            if (value != null && numeric.putIfAbsent(value, level) != null) ambiguous.add(value);
        }
        ambiguous.forEach(numeric::remove);
        return new LevelMatcher(Set.copyOf(levels), t, f, Map.copyOf(numeric));
    }

    /** The one level equal to {@code word} ignoring case, or null. */
    private static String unique(List<String> levels, String word) {
        String found = null;
        for (String level : levels) {
            if (level.equalsIgnoreCase(word)) {
                if (found != null) return null;
                found = level;
            }
        }
        return found;
    }

    /** The value of a decimal string without a leading zero, normalized; null for anything else. */
    static BigDecimal number(String s) {
        if (s.length() > 64 || !DECIMAL.matcher(s).matches() || LEADING_ZERO.matcher(s).matches()) return null;
        try {
            return normalize(new BigDecimal(s.startsWith("+") ? s.substring(1) : s));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static BigDecimal normalize(BigDecimal d) {
        return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }

    /**
     * @param value a String, Boolean or finite Number
     * @return the matching level, or null when the value matches none (or several)
     */
    String match(Object value) {
        if (value instanceof String s) {
            if (levels.contains(s)) return s;
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.equals("true")) return trueLevel;
            if (lower.equals("false")) return falseLevel;
            BigDecimal n = number(s);
            return n == null ? null : numeric.get(n);
        }
        if (value instanceof Boolean b) {
            return b ? trueLevel : falseLevel;
        }
        if (value instanceof Number n) {
            BigDecimal d = switch (n) {
                case BigDecimal bd -> bd;
                case BigInteger bi -> new BigDecimal(bi);
                case Integer i -> BigDecimal.valueOf(i);
                case Long l -> BigDecimal.valueOf(l);
                case Short sh -> BigDecimal.valueOf(sh);
                case Byte by -> BigDecimal.valueOf(by);
                default -> BigDecimal.valueOf(n.doubleValue());
            };
            return numeric.get(normalize(d));
        }
        return null;
    }
}
