package dev.mlpipeline.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.DomainException;
import io.quarkus.qute.TemplateData;

/**
 * Formatting shared by the console's pages: numbers, times and JSON objects turned into the
 * strings and key/value lists the templates show. Pure functions, no state.
 */
public final class Views {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    /** One key and its value as shown. */
    @TemplateData
    public record Pair(String key, String value) {
    }

    /** A field problem of a refused form, by the JSON name of the field. */
    @TemplateData
    public record Problem(String detail, List<DomainException.FieldError> errors) {

        static Problem of(DomainException e) {
            return new Problem(e.getMessage(), e.errors());
        }

        static Problem none() {
            return new Problem(null, List.of());
        }

        public boolean present() {
            return detail != null;
        }

        /** The message for {@code field} (exact JSON name, or a name under it such as {@code field[0]}), or null. */
        public String of(String field) {
            for (DomainException.FieldError e : errors) {
                if (e.field().equals(field) || e.field().startsWith(field + ".") || e.field().startsWith(field + "[")) {
                    return e.message();
                }
            }
            return null;
        }
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String number(Object v) {
        if (v instanceof Double d) {
            return formatDouble(d);
        }
        if (v instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        return v == null ? "null" : String.valueOf(v);
    }

    static String formatDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    /** A JSON object's text as an ordered map; empty for null or anything but an object. */
    static Map<String, Object> object(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> m = JSON.readValue(json, OBJECT);
            return m == null ? Map.of() : m;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    static List<Pair> pairs(Map<String, ?> map) {
        List<Pair> out = new ArrayList<>();
        if (map != null) {
            map.forEach((k, v) -> out.add(new Pair(k, v instanceof String s ? s : v instanceof Number ? number(v) : json(v))));
        }
        return out;
    }

    static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    /** The primary test metric of a task: accuracy (classification) or r2 (regression), as the registry's stats. */
    static String mainMetric(String task) {
        return "regression".equals(task) ? "r2" : "accuracy";
    }

    static Double metric(String metricsJson, String name) {
        Object v = object(metricsJson).get(name);
        return v instanceof Number n ? n.doubleValue() : null;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f", fraction * 100);
    }

    /** The query string of the given parameters, leaving out blank ones (for links that keep filters). */
    static String query(String... keyValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            String v = keyValues[i + 1];
            if (v == null || v.isBlank()) {
                continue;
            }
            sb.append(sb.isEmpty() ? '?' : '&').append(keyValues[i]).append('=')
                    .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
