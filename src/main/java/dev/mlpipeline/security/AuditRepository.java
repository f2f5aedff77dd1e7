package dev.mlpipeline.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The append-only {@code audit_event} table (see V4__security_and_audit.sql for how it is kept append-only). */
@ApplicationScoped
public class AuditRepository {

    @Inject
    Pool pool;

    /** Appends {@code events} in one batch. */
    Uni<Void> append(List<AuditEvent> events) {
        List<Tuple> rows = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            rows.add(Tuple.tuple().addOffsetDateTime(e.at().atOffset(ZoneOffset.UTC)).addString(e.actor()).addString(e.actorId())
                    .addString(e.operation()).addString(e.method()).addString(e.path()).addString(e.targetId()).addInteger(e.status())
                    .addString(e.requestId()).addString(e.clientAddress()));
        }
        return pool.preparedQuery("INSERT INTO audit_event (at, actor, actor_id, operation, method, path, target_id, status, request_id,"
                + " client_address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)").executeBatch(rows).replaceWithVoid();
    }

    /**
     * A page of events, newest first ({@code at} then {@code id}, descending).
     *
     * @param actor     a token name, token id, OIDC name or subject; null: any
     * @param operation an operationId; null: any
     * @param since     inclusive lower bound; null: none
     * @param until     exclusive upper bound; null: none
     * @param after     the last event of the previous page; null: from the newest
     * @param limit     at most this many
     */
    Uni<List<AuditEvent>> page(String actor, String operation, Instant since, Instant until, AuditCursor after, int limit) {
        return pool.preparedQuery("SELECT id, at, actor, actor_id, operation, method, path, target_id, status, request_id, client_address"
                + " FROM audit_event WHERE ($1::text IS NULL OR actor = $1 OR actor_id = $1) AND ($2::text IS NULL OR operation = $2)"
                + " AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)"
                + " AND ($5::timestamptz IS NULL OR (at, id) < ($5, $6)) ORDER BY at DESC, id DESC LIMIT $7")
                .execute(Tuple.tuple().addString(actor).addString(operation).addOffsetDateTime(utc(since)).addOffsetDateTime(utc(until))
                        .addOffsetDateTime(after == null ? null : utc(after.at())).addLong(after == null ? 0L : after.id()).addInteger(limit))
                .map(rows -> {
                    List<AuditEvent> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new AuditEvent(r.getLong("id"), r.getOffsetDateTime("at").toInstant(), r.getString("actor"), r.getString("actor_id"),
                                r.getString("operation"), r.getString("method"), r.getString("path"), r.getString("target_id"),
                                r.getInteger("status"), r.getString("request_id"), r.getString("client_address")));
                    }
                    return out;
                });
    }

    /** Deletes the events before {@code before}, in the one transaction the append-only trigger lets delete; returns how many. */
    Uni<Integer> purge(Instant before) {
        return pool.withTransaction(conn -> conn.query("SELECT set_config('mlpipeline.audit_purge', 'on', true)").execute()
                .flatMap(ignored -> conn.preparedQuery("DELETE FROM audit_event WHERE at < $1").execute(Tuple.of(utc(before))))
                .map(rows -> rows.rowCount()));
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
