package dev.mlpipeline.registry.dto;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * A {@link ModelEntryResponse} already written as JSON (by the same mapper, so the same text), written
 * as it is: what the registry's page cache keeps and serves again without a re-serialization.
 */
public record ModelEntryJson(@JsonValue RawValue json) {

    public ModelEntryJson(String json) {
        this(new RawValue(json));
    }

    /** Characters of the JSON text. */
    public int length() {
        return ((String) json.rawValue()).length();
    }
}
