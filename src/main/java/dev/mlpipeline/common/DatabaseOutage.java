package dev.mlpipeline.common;

import java.io.IOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Supplier;

import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Tells a database outage (PostgreSQL unreachable, restarting, failing over, or a connection dropped
 * under a statement) from every other failure, and retries work through one.
 *
 * <p>An outage failure says nothing about the request or the job: the same statement succeeds once
 * the database is back. It is answered 503 with {@code Retry-After} by {@link ProblemMapper}, and the job
 * scheduler retries its writes instead of failing the job.
 */
public final class DatabaseOutage {

    /** First pause between two attempts; it doubles (with ±20 % jitter) up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    /** Longest pause between two attempts. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** What a 503 caused by an outage suggests to the client, in seconds ({@code Retry-After}). */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseOutage() {
    }

    /**
     * Whether {@code failure}, or anything it wraps, means the database could not be reached or the
     * connection was lost: a refused or timed-out connect, a closed connection, or a PostgreSQL error of
     * class 08 (connection exception) or 57P01–57P03 (the server is shutting down, crashed or starting).
     */
    public static boolean isOutage(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (isOutageItself(t)) {
                return true;
            }
            if (t instanceof CompositeException composite) {
                todo.addAll(composite.getCauses());
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return false;
    }

    private static boolean isOutageItself(Throwable t) {
        if (t instanceof PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03"));
        }
        if (t instanceof ClosedConnectionException || t instanceof SocketException || t instanceof ClosedChannelException
                || t instanceof UnknownHostException) {
            return true;
        }
        // Netty's native transport reports a reset or broken pipe as a plain IOException of its own.
        if (t instanceof IOException && t.getClass().getName().startsWith("io.netty.")) {
            return true;
        }
        // Vert.x fails the statements of a connection that closed under them with this message.
        return t instanceof VertxException && "Connection was closed".equals(t.getMessage());
    }

    /**
     * Subscribes to {@code attempt} again, with exponential backoff, while it fails with an outage and
     * {@code window} has not passed since the first attempt; any other failure is emitted at once. Past
     * the window, the failure emitted wraps the last outage failure (so {@link #isOutage} still holds).
     * Only for work that is safe to repeat: reads, and writes that are idempotent.
     */
    public static <T> Uni<T> retryWithin(Duration window, Supplier<Uni<T>> attempt) {
        return Uni.createFrom().deferred(() -> {
            long deadline = System.currentTimeMillis() + window.toMillis();
            return Uni.createFrom().<T>deferred(attempt::get)
                    .onFailure(DatabaseOutage::isOutage).retry()
                    .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0.2)
                    .expireAt(deadline);
        });
    }

    /** A short description of the outage for logs and job errors: the innermost message, without class names. */
    public static String describe(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? "connection lost" : t.getMessage();
    }
}
