package dev.mlpipeline.jobs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.mlpipeline.jobs.DatabaseLink.Change;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DatabaseLinkTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final DatabaseLink link = new DatabaseLink(now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void nothingIsKnownBeforeTheFirstStatement() {
        assertEquals(Duration.ZERO, link.connectedFor());
        assertEquals(Change.CONNECTED, link.succeeded());
        advance(Duration.ofSeconds(3));
        assertEquals(Change.NONE, link.succeeded());
        assertEquals(Duration.ofSeconds(3), link.connectedFor());
    }

    @Test
    void anOutageResetsTheConnectedTimeAndItsEndIsReportedOnce() {
        link.succeeded();
        advance(Duration.ofSeconds(90));
        assertEquals(Change.LOST, link.failed());
        assertEquals(Change.NONE, link.failed());
        assertEquals(Duration.ZERO, link.connectedFor());
        advance(Duration.ofSeconds(8));
        assertEquals(Duration.ofSeconds(8), link.downFor());
        assertEquals(Change.RECONNECTED, link.succeeded());
        assertEquals(Change.NONE, link.succeeded());
        advance(Duration.ofSeconds(2));
        // Counted from the end of the outage, not from the start of the replica.
        assertEquals(Duration.ofSeconds(2), link.connectedFor());
        assertEquals(Duration.ZERO, link.downFor());
    }

    @Test
    void aReplicaStartedDuringAnOutageCountsFromTheFirstSuccess() {
        assertEquals(Change.LOST, link.failed());
        advance(Duration.ofSeconds(5));
        assertEquals(Change.RECONNECTED, link.succeeded());
        advance(Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(1), link.connectedFor());
    }
}
