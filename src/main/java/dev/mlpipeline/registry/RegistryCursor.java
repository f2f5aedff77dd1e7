package dev.mlpipeline.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.mlpipeline.common.InvalidInputException;

/**
 * Opaque keyset cursor over registry entries: the (dataset_id, model_type) of the last entry of a
 * page, base64url-encoded. Entries are ordered by that pair, so the next page starts strictly after it
 * and stays stable while versions are added.
 */
public record RegistryCursor(String datasetId, String modelType) {

    private static final String PREFIX = "v1:";

    public String encode() {
        String raw = PREFIX + datasetId + '\n' + modelType;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null for none; a value this service did not produce is a 400 naming {@code cursor}. */
    public static RegistryCursor decode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        int newline = raw.indexOf('\n');
        if (!raw.startsWith(PREFIX) || newline < 0 || newline == PREFIX.length() || newline == raw.length() - 1) {
            throw invalid();
        }
        return new RegistryCursor(raw.substring(PREFIX.length(), newline), raw.substring(newline + 1));
    }

    private static InvalidInputException invalid() {
        return InvalidInputException.forField("cursor",
                "not a cursor returned by this endpoint; use the X-Next-Cursor header (or Link rel=\"next\") of the previous page");
    }
}
