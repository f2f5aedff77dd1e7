package dev.mlpipeline.common;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.quarkus.arc.Unremovable;

/**
 * Which spans are recorded: those of a trace the caller sampled (W3C {@code traceparent} flag), new
 * traces in the ratio {@code quarkus.otel.traces.sampler.arg} (1.0, all, by default), and never a
 * <em>client</em> span that starts a trace of its own.
 *
 * <p>Why: the reactive PostgreSQL client makes a client span for every statement, and the background
 * work of every replica (the job queue's poll every second, heartbeats, the job-count gauges, the
 * deployment re-check) runs statements outside any request: each would be a one-span trace, several
 * per second, burying the requests' and jobs' traces. Statements made while a request is handled stay,
 * as children of its span. Quarkus uses the first {@link Sampler} bean instead of the one named by
 * {@code quarkus.otel.traces.sampler} (still wrapped in its filter of {@code /q/} endpoints).
 */
@Singleton
@Unremovable
public class TraceSampling {

    static final String RATIO = "quarkus.otel.traces.sampler.arg";

    @Produces
    @Singleton
    @Unremovable
    Sampler sampler() {
        double ratio = ConfigProvider.getConfig().getOptionalValue(RATIO, Double.class).orElse(1.0);
        return new NoParentlessClientSpans(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)));
    }

    /** {@code delegate}, except that a client span without a parent is dropped. */
    record NoParentlessClientSpans(Sampler delegate) implements Sampler {

        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                Attributes attributes, List<LinkData> parentLinks) {
            if (spanKind == SpanKind.CLIENT && !Span.fromContext(parentContext).getSpanContext().isValid()) {
                return SamplingResult.drop();
            }
            return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
        }

        @Override
        public String getDescription() {
            return "NoParentlessClientSpans{" + delegate.getDescription() + "}";
        }
    }
}
