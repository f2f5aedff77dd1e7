package dev.mlpipeline.common;

import java.util.function.Predicate;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;

/**
 * Drops the two per-connection gauges of the reactive PostgreSQL client ({@code postgresql.queue.size}
 * and {@code postgresql.current}).
 *
 * <p>Why: Quarkus' Vert.x metrics binder makes one {@code VertxClientMetrics} per PostgreSQL
 * <em>connection</em>, each of which registers those two gauges on its own counters under the same name
 * and tags. Micrometer keeps the first and ignores the others, logging "This Gauge has been already
 * registered (postgresql.queue.size)"; what the gauges then report is one connection out of the pool's
 * twenty. The pool-wide figures are in {@code sql_pool_*} (active, idle, queue size and delay), and the
 * client's counters and timers ({@code postgresql_processing_seconds}, {@code postgresql_completed_total},
 * …) add up every connection correctly, so they stay.
 *
 * <p>The filter (a {@link MeterFilter} bean, which Quarkus adds to every registry, the global one
 * included) stops every later registration. The first connection, though, is opened while the
 * application starts, before Quarkus installs filters, so its gauges are already in the global registry
 * then: they are removed at start, before the application's own startup work opens more connections.
 */
@Singleton
@Unremovable
public class SqlClientMeterFilter {

    /** The tag Quarkus puts on the Vert.x client metrics of every SQL client. */
    private static final String CLIENT_TYPE = "clientType";

    private static final Predicate<Meter.Id> PER_CONNECTION_GAUGE = id -> id.getType() == Meter.Type.GAUGE && "sql".equals(id.getTag(CLIENT_TYPE));

    @Produces
    @Singleton
    MeterFilter perConnectionSqlGauges() {
        return MeterFilter.deny(PER_CONNECTION_GAUGE);
    }

    void removeEarlyRegistrations(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Metrics.globalRegistry.getMeters().stream()
                .filter(meter -> PER_CONNECTION_GAUGE.test(meter.getId()))
                .forEach(Metrics.globalRegistry::remove);
    }
}
