package dev.mlpipeline.common;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The double completion seen after a database outage ("Result is already complete", uncaught): a
 * statement run on the pool while the database refuses connections fails at once, and the pool's
 * acquisition timer fails it a second time when it fires. The pool {@link ReactivePoolCreator} builds
 * has no such timer.
 */
class ReactivePoolCreatorTest {

    private Vertx vertx;
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private PgConnectOptions refused;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vertx.exceptionHandler(uncaught::add);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: connections to it are refused
        }
        refused = new PgConnectOptions().setHost("localhost").setPort(port).setUser("u").setPassword("p").setDatabase("d");
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Runs a statement on a pool with these options while the database refuses connections; waits past the timeout. */
    private Throwable failAStatement(PoolOptions options) throws Exception {
        Pool pool = PgDriver.INSTANCE.createPool(vertx, List.of(refused), options);
        Throwable failure = pool.query("SELECT 1").execute().toCompletionStage().handle((rows, t) -> t)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        Thread.sleep(Duration.ofMillis(1500).toMillis());
        pool.close();
        return failure;
    }

    @Test
    void withTheAcquisitionTimerTheFailedStatementIsFailedAgainWhenTheTimerFires() throws Exception {
        // Vert.x's default is 30 s; 1 s shows the same thing sooner. If this stops failing twice, the upstream
        // bug (eclipse-vertx/vertx-sql-client#1706) is fixed and ReactivePoolCreator can go.
        Throwable failure = failAStatement(new PoolOptions().setConnectionTimeout(1));
        assertTrue(DatabaseOutage.isOutage(failure), String.valueOf(failure));
        assertEquals(1, uncaught.size(), uncaught.toString());
        assertEquals("Result is already complete", uncaught.getFirst().getMessage());
    }

    @Test
    void thePoolOfTheServiceFailsTheStatementOnce() throws Exception {
        Throwable failure = failAStatement(ReactivePoolCreator.withoutAcquisitionTimer(new PoolOptions().setConnectionTimeout(1)));
        assertTrue(DatabaseOutage.isOutage(failure), String.valueOf(failure));
        assertEquals(List.of(), uncaught);
    }
}
