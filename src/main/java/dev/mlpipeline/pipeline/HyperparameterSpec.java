package dev.mlpipeline.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Declaration of one model hyperparameter.
 *
 * @param name         snake_case name used in the API
 * @param type         value type
 * @param defaultValue default (Integer, Double, Boolean, String or null)
 * @param min          inclusive lower bound for numbers, or null
 * @param max          inclusive upper bound for numbers, or null
 * @param choices      allowed values for {@link Type#CHOICE}, else null
 * @param nullable     whether null is a legal value (its meaning is in the description)
 * @param description  user-facing explanation, including why the default was chosen
 */
public record HyperparameterSpec(String name, Type type, Object defaultValue, Number min, Number max,
        List<String> choices, boolean nullable, String description) {

    /** Value types. */
    public enum Type {
        /** Integral number (JSON integers; 3.0 is accepted, 3.5 is not). */
        INTEGER,
        /** Any finite number. */
        NUMBER,
        /** true / false. */
        BOOLEAN,
        /** One of {@link HyperparameterSpec#choices()}. */
        CHOICE
    }

    /** Copies the choice list. */
    public HyperparameterSpec {
        choices = choices == null ? null : List.copyOf(choices);
    }

    static HyperparameterSpec integer(String name, Integer dflt, Integer min, Integer max, boolean nullable, String description) {
        return new HyperparameterSpec(name, Type.INTEGER, dflt, min, max, null, nullable, description);
    }

    static HyperparameterSpec number(String name, Double dflt, Double min, Double max, String description) {
        return new HyperparameterSpec(name, Type.NUMBER, dflt, min, max, null, false, description);
    }

    /**
     * Checks and normalises one value: INTEGER → Integer, NUMBER → Double, BOOLEAN → Boolean, CHOICE → String.
     *
     * @param value value as it came from JSON (Integer/Long/Double/BigDecimal/BigInteger/String/Boolean/null)
     * @return the normalised value (null only when {@link #nullable()})
     * @throws PipelineValidationException naming {@code hyperparameters.<name>}
     */
    public Object coerce(Object value) {
        String field = "hyperparameters." + name;
        if (value == null) {
            if (nullable) return null;
            throw new PipelineValidationException(field, name + " must not be null");
        }
        switch (type) {
            case INTEGER -> {
                long v;
                if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                    v = ((Number) value).longValue();
                } else if (value instanceof BigInteger bi && bi.bitLength() < 63) {
                    v = bi.longValue();
                } else if (value instanceof Number n && isIntegral(n)) {
                    v = n.longValue();
                } else {
                    throw new PipelineValidationException(field, name + " must be an integer, got " + describe(value));
                }
                checkRange(field, v);
                return (int) v;
            }
            case NUMBER -> {
                if (!(value instanceof Number n)) {
                    throw new PipelineValidationException(field, name + " must be a number, got " + describe(value));
                }
                double v = n.doubleValue();
                if (!Double.isFinite(v)) {
                    throw new PipelineValidationException(field, name + " must be a finite number");
                }
                checkRange(field, v);
                return v;
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) return b;
                throw new PipelineValidationException(field, name + " must be true or false, got " + describe(value));
            }
            case CHOICE -> {
                if (value instanceof String s && choices.contains(s)) return s;
                throw new PipelineValidationException(field, name + " must be one of " + choices + ", got " + describe(value));
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    private void checkRange(String field, double v) {
        boolean below = min != null && v < min.doubleValue();
        boolean above = max != null && v > max.doubleValue();
        if (below || above) {
            throw new PipelineValidationException(field, name + " = " + format(v) + " is out of range ["
                    + (min == null ? "-inf" : format(min.doubleValue())) + ", "
                    + (max == null ? "+inf" : format(max.doubleValue())) + "]");
        }
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof BigDecimal bd) {
            try {
                long l = bd.longValueExact();
                return Math.abs(l) < Integer.MAX_VALUE * 4L;
            } catch (ArithmeticException e) {
                return false;
            }
        }
        double d = n.doubleValue();
        return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String describe(Object value) {
        if (value instanceof String s) return "the string \"" + s + "\"";
        if (value instanceof Boolean b) return "the boolean " + b;
        if (value instanceof Number n) return "the number " + n;
        return "a value of type " + value.getClass().getSimpleName();
    }
}
