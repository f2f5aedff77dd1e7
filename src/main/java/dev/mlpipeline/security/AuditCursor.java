package dev.mlpipeline.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import dev.mlpipeline.common.InvalidInputException;

/**
 * Opaque keyset cursor over the audit trail (as {@code registry/RegistryCursor}): the {@code (at, id)}
 * of the last event of a page, base64url-encoded; the next page starts strictly before it.
 */
record AuditCursor(Instant at, long id) {

    private static final String PREFIX = "a1:";

    String encode() {
        String raw = PREFIX + at.getEpochSecond() + ':' + at.getNano() + ':' + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null for none; anything this service did not produce is a 400 naming {@code cursor}. */
    static AuditCursor decode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
            if (!raw.startsWith(PREFIX)) {
                throw invalid();
            }
            String[] parts = raw.substring(PREFIX.length()).split(":");
            if (parts.length != 3) {
                throw invalid();
            }
            return new AuditCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), Long.parseLong(parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static InvalidInputException invalid() {
        return InvalidInputException.forField("cursor",
                "not a cursor returned by this endpoint; use the X-Next-Cursor header (or Link rel=\"next\") of the previous page");
    }
}
