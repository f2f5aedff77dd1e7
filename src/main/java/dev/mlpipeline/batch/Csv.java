package dev.mlpipeline.batch;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 fields: how result rows keep their input cells and how the CSV result is written. */
final class Csv {

    private Csv() {
    }

    /** One record: fields separated by commas, quoted when needed; a null field is empty. */
    static String record(String[] cells) {
        StringBuilder sb = new StringBuilder(cells.length * 8);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            field(sb, cells[i]);
        }
        return sb.toString();
    }

    /** Appends one field, quoted when it holds a comma, a quote or a line break. */
    static StringBuilder field(StringBuilder sb, String value) {
        if (value == null) {
            return sb;
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            return sb.append(value);
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        return sb.append('"');
    }

    /** Splits a record written by {@link #record}; an empty field is null. */
    static List<String> split(String record, int expected) {
        List<String> out = new ArrayList<>(expected);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < record.length() && record.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(field.isEmpty() && !wasQuoted ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        out.add(field.isEmpty() && !wasQuoted ? null : field.toString());
        return out;
    }
}
