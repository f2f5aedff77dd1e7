package dev.mlpipeline.common;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Keeps the spans the service ends during {@code @QuarkusTest}s, for tests to read. A span processor
 * bean (Quarkus adds every {@code SpanProcessor} bean to the tracer provider) that records each span
 * synchronously when it ends, so a test sees it as soon as the response has arrived or the job has ended.
 * Only the latest {@value #KEPT} spans are kept: the whole suite runs through this processor.
 */
@Singleton
public class CapturedSpans {

    static final int KEPT = 5000;

    private final ConcurrentLinkedDeque<SpanData> spans = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    @Produces
    @Singleton
    SpanProcessor capture() {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
            }

            @Override
            public boolean isStartRequired() {
                return false;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                spans.addLast(span.toSpanData());
                if (size.incrementAndGet() > KEPT && spans.pollFirst() != null) {
                    size.decrementAndGet();
                }
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
    }

    /** The ended spans of one trace, oldest first. */
    public List<SpanData> ofTrace(String traceId) {
        return spans.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    /** Ended spans whose attribute {@code key} equals {@code value}. */
    public List<SpanData> withAttribute(String key, String value) {
        return spans.stream().filter(s -> value.equals(s.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(key)))).toList();
    }
}
