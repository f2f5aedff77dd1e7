package dev.mlpipeline.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code api_token} table, over the reactive pool (no session: lookups happen while authenticating). */
@ApplicationScoped
public class ApiTokenRepository {

    private static final String COLUMNS = "id, name, roles, created_by, created_at, expires_at, revoked_at, last_used_at";

    @Inject
    Pool pool;

    /** Stores a token; its {@code created_at} and {@code expires_at} are taken from the database clock. */
    Uni<ApiToken> insert(String id, String name, List<String> roles, byte[] secretSha256, String createdBy, int expiresInDays) {
        return pool.preparedQuery("INSERT INTO api_token (id, name, roles, secret_sha256, created_by, created_at, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5, clock_timestamp(), clock_timestamp() + make_interval(days => $6)) RETURNING " + COLUMNS)
                .execute(Tuple.tuple().addString(id).addString(name).addArrayOfString(roles.toArray(String[]::new))
                        .addBuffer(Buffer.buffer(secretSha256)).addString(createdBy).addInteger(expiresInDays))
                .map(rows -> token(rows.iterator().next()));
    }

    /** Every token, newest first. */
    Uni<List<ApiToken>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM api_token ORDER BY created_at DESC, id DESC").execute()
                .map(rows -> {
                    List<ApiToken> out = new java.util.ArrayList<>();
                    rows.forEach(row -> out.add(token(row)));
                    return out;
                });
    }

    /** The token with that id, or null. */
    Uni<ApiToken> find(String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_token WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : token(rows.iterator().next()));
    }

    /** A token and the stored hash it was found by. */
    record Found(ApiToken token, byte[] secretSha256) {
    }

    /** The token whose secret has this SHA-256, or null. */
    Uni<Found> findBySecretSha256(byte[] secretSha256) {
        return pool.preparedQuery("SELECT " + COLUMNS + ", secret_sha256 FROM api_token WHERE secret_sha256 = $1")
                .execute(Tuple.tuple().addBuffer(Buffer.buffer(secretSha256)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Found(token(row), row.getBuffer("secret_sha256").getBytes());
                });
    }

    /** Revokes the token (database clock); returns it, or null when there is no such token. Revoking twice keeps the first time. */
    Uni<ApiToken> revoke(String id) {
        return pool.preparedQuery("UPDATE api_token SET revoked_at = coalesce(revoked_at, clock_timestamp()) WHERE id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : token(rows.iterator().next()));
    }

    /** Records a use of the token now (database clock). */
    Uni<Void> touch(String id) {
        return pool.preparedQuery("UPDATE api_token SET last_used_at = clock_timestamp() WHERE id = $1").execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Whether some token holding {@code admin} is neither revoked nor expired. */
    Uni<Boolean> anyUsableAdmin() {
        return pool.query("SELECT EXISTS (SELECT 1 FROM api_token WHERE 'admin' = ANY (roles) AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > clock_timestamp()))").execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static ApiToken token(Row row) {
        return new ApiToken(row.getString("id"), row.getString("name"), Arrays.asList(row.getArrayOfStrings("roles")),
                row.getString("created_by"), instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at")), instant(row.getOffsetDateTime("last_used_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
