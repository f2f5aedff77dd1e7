package dev.mlpipeline.common;

import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.ClientProxy;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;

/**
 * The service's own spans (OpenTelemetry), beside those Quarkus makes for each HTTP request. A span
 * started while a request is handled is a child of that request's span, which continues the caller's
 * trace when the request carries a W3C {@code traceparent} header.
 *
 * <p>Spans are always created (they are cheap, and their ids are in the log MDC as {@code traceId} and
 * {@code spanId}); whether they leave the process is decided by {@link TraceExport}.
 *
 * <p>Attribute names live under {@code mlpipeline.}; their values are ids and model names, never rows.
 */
@Singleton
public class Tracing {

    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("mlpipeline.job.id");
    public static final AttributeKey<String> JOB_KIND = AttributeKey.stringKey("mlpipeline.job.kind");
    public static final AttributeKey<String> MODEL_TYPE = AttributeKey.stringKey("mlpipeline.model.type");
    public static final AttributeKey<Long> MODEL_VERSION = AttributeKey.longKey("mlpipeline.model.version");
    public static final AttributeKey<String> DEPLOYMENT_ID = AttributeKey.stringKey("mlpipeline.deployment.id");
    public static final AttributeKey<Long> ROWS = AttributeKey.longKey("mlpipeline.rows");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mlpipeline.outcome");

    private Tracer tracer;

    /** The tracer itself rather than its client proxy: {@link #start} is on the predict path. */
    @Inject
    void init(Tracer tracer) {
        this.tracer = ClientProxy.unwrap(tracer);
    }

    /** A span started now, child of the current context's span (the request's, on a request). */
    public Span start(String name, Attributes attributes) {
        return tracer.spanBuilder(name).setAllAttributes(attributes).startSpan();
    }

    /** {@link #start(String, Attributes)} with one more attribute (cheaper than setting it on the started span). */
    public Span start(String name, Attributes attributes, AttributeKey<Long> key, long value) {
        return tracer.spanBuilder(name).setAllAttributes(attributes).setAttribute(key, value).startSpan();
    }

    /** A span started now with an explicit parent (background work, where nothing is current). */
    public Span start(String name, Attributes attributes, Context parent) {
        return tracer.spanBuilder(name).setParent(parent).setAllAttributes(attributes).startSpan();
    }

    /**
     * Runs {@code work} in a span that ends when its {@code Uni} terminates. On a request (a duplicated
     * Vert.x context) the span is the current one until then, so spans started inside it, such as a
     * model load or the SQL client's, become its children; elsewhere it is only started and ended,
     * never made current, since the context storage of other threads is not ours to change across
     * asynchronous steps.
     */
    public <T> Uni<T> traced(String name, Attributes attributes, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Span span = start(name, attributes);
            Scope scope = VertxContext.isOnDuplicatedContext() ? span.makeCurrent() : Scope.noop();
            Uni<T> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                scope.close();
                end(span, e);
                throw e;
            }
            return uni.onTermination().invoke((item, failure, cancelled) -> {
                scope.close();
                end(span, failure);
            });
        });
    }

    /**
     * Ends {@code span}; a failure is recorded on it, and marks it as an error unless it is the
     * client's ({@link DomainException}s other than {@link UnavailableException}: 4xx answers).
     */
    public static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            if (!(failure instanceof DomainException) || failure instanceof UnavailableException) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }
}
