package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What this replica knows of its connection to the database, from the outcome of the scheduler's own
 * statements (a poll every {@code poll-interval}, heartbeats, scans): whether the last one reached the
 * database, and since when it has been reached without a failure in between.
 *
 * <p>The stale-job scan relies on it: a job is failed for missing heartbeats only when this replica has
 * itself been connected for the whole heartbeat timeout, so that a live replica has had that long to
 * write its heartbeat again after an outage. Until the first statement succeeds nothing is known, and
 * the replica counts as not connected. Thread-safe; times are monotonic ({@link System#nanoTime()}).
 */
final class DatabaseLink {

    /** The change a statement's outcome made: what the caller should log or do. */
    enum Change {
        /** Nothing new. */
        NONE,
        /** The first successful statement since this replica started. */
        CONNECTED,
        /** A statement succeeded after one or more failed: the database is back. */
        RECONNECTED,
        /** A statement failed after the previous one succeeded (or before any did): the database is away. */
        LOST
    }

    private enum State {
        UNKNOWN, UP, DOWN
    }

    private final LongSupplier nanoClock;
    private State state = State.UNKNOWN;
    private long sinceNanos;

    DatabaseLink() {
        this(System::nanoTime);
    }

    DatabaseLink(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Records a statement that reached the database. */
    synchronized Change succeeded() {
        if (state == State.UP) {
            return Change.NONE;
        }
        Change change = state == State.UNKNOWN ? Change.CONNECTED : Change.RECONNECTED;
        state = State.UP;
        sinceNanos = nanoClock.getAsLong();
        return change;
    }

    /** Records a statement that failed because the database could not be reached. */
    synchronized Change failed() {
        if (state == State.DOWN) {
            return Change.NONE;
        }
        state = State.DOWN;
        sinceNanos = nanoClock.getAsLong();
        return Change.LOST;
    }

    /** How long the database has been reachable without interruption; zero while it is not. */
    synchronized Duration connectedFor() {
        return state == State.UP ? Duration.ofNanos(nanoClock.getAsLong() - sinceNanos) : Duration.ZERO;
    }

    /** How long the database has been unreachable; zero while it is reachable. */
    synchronized Duration downFor() {
        return state == State.DOWN ? Duration.ofNanos(nanoClock.getAsLong() - sinceNanos) : Duration.ZERO;
    }
}
