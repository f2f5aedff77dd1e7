package dev.mlpipeline.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The server-sent events of a page whose table rows follow the server's state (jobs, batch predictions): the rows
 * are read every {@link #INTERVAL} on the request's Vert.x context (sessions need it), one read at a time, and a row
 * whose state changed is sent as {@code <prefix>-<id>} (htmx replaces that row), a row the page did not have as
 * {@code <prefix>-new}.
 *
 * <p>The first read sends every row: a row may have changed, or been created, between the page's own read and the
 * browser connecting to the stream, and a page that missed that change would show a finished job as running forever.
 * Rows created after the page's render time come as new rows, the others replace theirs.
 */
final class LiveRows {

    /** How often the rows are read. */
    static final Duration INTERVAL = Duration.ofMillis(500);

    private LiveRows() {
    }

    /**
     * @param sse        the request's event factory
     * @param renderedAt when the page read its rows (epoch milliseconds), or null for now
     * @param prefix     the event name prefix ({@code job}, {@code batch})
     * @param read       reads the rows, newest first
     * @param id         a row's id
     * @param state      what, when it changes, makes the row worth sending (status and progress)
     * @param createdAt  when a row's object was created
     * @param html       the row's HTML (one line)
     */
    static <R> Multi<OutboundSseEvent> stream(Sse sse, Long renderedAt, String prefix, Supplier<Uni<List<R>>> read,
            Function<R, String> id, Function<R, String> state, Function<R, Instant> createdAt, Function<R, String> html) {
        Instant rendered = renderedAt == null ? Instant.now() : Instant.ofEpochMilli(renderedAt);
        io.vertx.core.Context context = Vertx.currentContext();
        Map<String, String> sent = new HashMap<>();
        boolean[] first = { true };
        return Multi.createFrom().ticks().every(INTERVAL)
                .onOverflow().drop()
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .onItem().transformToUniAndConcatenate(tick -> read.get())
                .onItem().transformToIterable(rows -> {
                    List<OutboundSseEvent> events = new ArrayList<>();
                    boolean initial = first[0];
                    first[0] = false;
                    for (int i = rows.size() - 1; i >= 0; i--) {
                        R r = rows.get(i);
                        String now = state.apply(r);
                        String before = sent.put(id.apply(r), now);
                        if (!initial && now.equals(before)) {
                            continue;
                        }
                        Instant created = createdAt.apply(r);
                        boolean added = initial ? created != null && created.isAfter(rendered) : before == null;
                        events.add(sse.newEventBuilder().name(prefix + (added ? "-new" : "-" + id.apply(r)))
                                .data(html.apply(r).replace('\n', ' ')).build());
                    }
                    if (initial) {
                        events.add(sse.newEventBuilder().comment("watching " + rows.size() + " rows at " + Instant.now()).build());
                    }
                    return events;
                });
    }
}
