package dev.mlpipeline.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.dataset.csv.CsvOptions;
import dev.mlpipeline.pipeline.ColumnType;

/**
 * Reads the optional multipart parts of an upload into {@link CsvOptions}; each problem is a 400
 * naming its part.
 *
 * <ul>
 *   <li>{@code delimiter}: {@code ,} {@code ;} {@code |} or a tab, also written {@code \t}, {@code
 *       tab}, {@code comma}, {@code semicolon}, {@code pipe}. Absent: detected.
 *   <li>{@code na_values}: a JSON array of strings ({@code ["NA","-"]}) or a comma-separated list
 *       ({@code NA,-}); it replaces pandas' list (the empty field stays missing); {@code []} reads
 *       only empty fields as missing.
 *   <li>{@code column_types}: a JSON object, column name to {@code numeric} or {@code categorical}.
 * </ul>
 */
final class UploadOptions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NA_VALUES = 1000;

    private UploadOptions() {
    }

    static CsvOptions parse(String delimiter, String naValues, String columnTypes) {
        return new CsvOptions(delimiter(delimiter), naValues(naValues), columnTypes(columnTypes));
    }

    private static Character delimiter(String part) {
        if (part == null || part.isEmpty()) {
            return null;
        }
        return switch (part.length() == 1 ? part : part.strip().toLowerCase(java.util.Locale.ROOT)) {
            case ",", "comma" -> ',';
            case ";", "semicolon" -> ';';
            case "|", "pipe" -> '|';
            case "\t", "\\t", "tab" -> '\t';
            default -> throw InvalidInputException.forField("delimiter", "'" + part + "' is not a supported separator;"
                    + " send one of , ; | or tab (or leave the part out to detect it)");
        };
    }

    private static List<String> naValues(String part) {
        if (part == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        if (part.strip().startsWith("[")) {
            JsonNode node = read("na_values", part, "a JSON array of strings such as [\"NA\",\"-\"]");
            for (JsonNode v : node) {
                if (!v.isTextual()) {
                    throw InvalidInputException.forField("na_values", "must be a JSON array of strings; "
                            + v + " is not a string");
                }
                if (v.asText().indexOf('\0') >= 0) {
                    throw InvalidInputException.forField("na_values", "contains a NUL character, which no text may hold");
                }
                values.add(v.asText());
            }
        } else {
            for (String v : part.split(",", -1)) {
                values.add(v.strip());
            }
        }
        values.removeIf(String::isEmpty);
        if (values.size() > MAX_NA_VALUES) {
            throw InvalidInputException.forField("na_values", "at most " + MAX_NA_VALUES + " markers are accepted");
        }
        return values;
    }

    private static Map<String, ColumnType> columnTypes(String part) {
        if (part == null || part.isBlank()) {
            return Map.of();
        }
        JsonNode node = read("column_types", part, "a JSON object such as {\"zip\":\"categorical\"}");
        if (!node.isObject()) {
            throw InvalidInputException.forField("column_types", "must be a JSON object such as {\"zip\":\"categorical\"}");
        }
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            if (e.getKey().indexOf('\0') >= 0) {
                throw InvalidInputException.forField("column_types", "a column name contains a NUL character, which no"
                        + " column name holds");
            }
            JsonNode v = e.getValue();
            ColumnType type = v.isTextual() ? ColumnType.fromWire(v.asText()).orElse(null) : null;
            if (type == null) {
                throw InvalidInputException.forField("column_types", "the type of column '" + e.getKey() + "' is "
                        + v + "; it must be \"numeric\" or \"categorical\"");
            }
            types.put(e.getKey(), type);
        }
        return types;
    }

    private static JsonNode read(String field, String part, String expected) {
        try {
            return JSON.readTree(part);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.forField(field, "is not valid JSON (" + e.getOriginalMessage() + "); expected "
                    + expected);
        }
    }
}
