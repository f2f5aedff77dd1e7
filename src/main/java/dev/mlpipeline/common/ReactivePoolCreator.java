package dev.mlpipeline.common;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgPool;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.PoolOptions;

/**
 * Creates the reactive PostgreSQL pool as Quarkus would, without the pool's connection-acquisition
 * timeout.
 *
 * <p>Why: in vertx-sql-client 4.5 ({@code SqlConnectionPool.execute}, used by every
 * {@code pool.query(…)}/{@code pool.preparedQuery(…).execute(…)}), a statement whose connection cannot
 * be acquired (the database refuses connections) fails at once, but the acquisition-timeout timer
 * armed for it is not cancelled. When it fires, 30 s later, it fails the already failed promise again
 * and Vert.x reports {@code IllegalStateException: Result is already complete} as an uncaught exception
 * — once for every statement tried during an outage (upstream: eclipse-vertx/vertx-sql-client#1706).
 * Without the timer nothing completes twice. Waiting for a connection stays bounded where it matters:
 * while the database is unreachable each attempt fails with the connect error (or after the connect
 * timeout of the connect options), and with the database up a waiter gets the next free connection.
 */
@Singleton
public class ReactivePoolCreator implements PgPoolCreator {

    @Override
    public PgPool create(Input input) {
        return (PgPool) PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(),
                withoutAcquisitionTimer(input.poolOptions()));
    }

    /** The options Quarkus built from {@code quarkus.datasource.reactive.*}, with no acquisition timeout. */
    static PoolOptions withoutAcquisitionTimer(PoolOptions options) {
        return new PoolOptions(options).setConnectionTimeout(0);
    }
}
