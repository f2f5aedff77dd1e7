package dev.mlpipeline.common;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseOutageTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "FATAL", sqlState, null);
    }

    @Test
    void connectionFailuresAndConnectionClassSqlStatesAreOutages() {
        assertTrue(DatabaseOutage.isOutage(new ConnectException("Connection refused")));
        assertTrue(DatabaseOutage.isOutage(pg("57P01"))); // terminating connection due to administrator command
        assertTrue(DatabaseOutage.isOutage(pg("57P03"))); // the database system is starting up
        assertTrue(DatabaseOutage.isOutage(pg("08006"))); // connection failure
        assertTrue(DatabaseOutage.isOutage(ClosedConnectionException.INSTANCE));
        assertTrue(DatabaseOutage.isOutage(new VertxException("Connection was closed", true)));
        // wrapped by Mutiny, the JDK, Hibernate or an exhausted retry
        assertTrue(DatabaseOutage.isOutage(new CompositeException(new IllegalStateException("x"), new ConnectException("refused"))));
        assertTrue(DatabaseOutage.isOutage(new CompletionException(new RuntimeException("session", pg("57P01")))));
        assertTrue(DatabaseOutage.isOutage(new IllegalStateException("Retries exhausted", new ConnectException("refused"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(DatabaseOutage.isOutage(pg("23505"))); // unique violation
        assertFalse(DatabaseOutage.isOutage(pg("P0001"))); // raised by a trigger
        assertFalse(DatabaseOutage.isOutage(new VertxException("Pool closed", true)));
        assertFalse(DatabaseOutage.isOutage(new IllegalArgumentException("bad", new NullPointerException())));
        assertFalse(DatabaseOutage.isOutage(null));
    }

    @Test
    void retryWithinRepeatsOutagesOnlyAndEmitsTheResult() {
        AtomicInteger attempts = new AtomicInteger();
        String result = DatabaseOutage.retryWithin(Duration.ofSeconds(10), () -> attempts.incrementAndGet() < 3
                ? Uni.createFrom().failure(new ConnectException("refused"))
                : Uni.createFrom().item("done")).await().atMost(Duration.ofSeconds(10));
        assertEquals("done", result);
        assertEquals(3, attempts.get());

        AtomicInteger other = new AtomicInteger();
        assertThrows(IllegalArgumentException.class, () -> DatabaseOutage.retryWithin(Duration.ofSeconds(10), () -> {
            other.incrementAndGet();
            return Uni.createFrom().failure(new IllegalArgumentException("not an outage"));
        }).await().atMost(Duration.ofSeconds(10)));
        assertEquals(1, other.get());
    }

    @Test
    void retryWithinGivesUpAfterTheWindowWithAnOutageFailure() {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        RuntimeException failure = assertThrows(RuntimeException.class, () -> DatabaseOutage.retryWithin(Duration.ofMillis(600),
                () -> {
                    attempts.incrementAndGet();
                    return Uni.createFrom().<String>failure(new ConnectException("refused"));
                }).await().atMost(Duration.ofSeconds(10)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(DatabaseOutage.isOutage(failure), failure.toString());
        assertTrue(attempts.get() >= 2, "attempts " + attempts.get());
        assertTrue(millis < 3000, millis + " ms");
        assertEquals("refused", DatabaseOutage.describe(failure));
    }

    @Test
    void anOutageIsAnswered503WithRetryAfterAndNoInternals() {
        Response response = ProblemMapper.toResponse(new CompletionException(pg("57P01")), "/api/datasets");
        assertEquals(503, response.getStatus());
        assertEquals("5", String.valueOf(response.getHeaderString("Retry-After")));
        Problem problem = (Problem) response.getEntity();
        assertEquals(503, problem.status());
        assertEquals("/api/datasets", problem.instance());
        assertTrue(problem.detail().contains("database"), problem.detail());
        assertFalse(problem.detail().contains("PgException") || problem.detail().contains("57P01"), problem.detail());
        // Any 503 says when to retry; other statuses do not.
        assertEquals("1", ProblemMapper.toResponse(new UnavailableException("loading"), "/x").getHeaderString("Retry-After"));
        assertEquals(null, ProblemMapper.toResponse(new NotFoundException("gone"), "/x").getHeaderString("Retry-After"));
        assertEquals(500, ProblemMapper.toResponse(pg("23505"), "/x").getStatus());
    }
}
