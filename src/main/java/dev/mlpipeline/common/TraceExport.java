package dev.mlpipeline.common;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Spans leave the process only when an OTLP endpoint is configured:
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (or {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}),
 * e.g. {@code http://otel-collector:4317}. Without one, nothing is exported and nothing is logged about
 * it, while spans are still created, {@code traceparent} is still honoured and propagated, and trace
 * ids still reach the log lines.
 *
 * <p>Why a bean: Quarkus' OTLP exporter (3.33) is switched on or off at build time only
 * ({@code quarkus.otel.exporter.otlp.enabled}); at run time, with no endpoint set, it sends to its
 * default, {@code http://localhost:4317/}, and logs a warning for every batch it cannot deliver. It steps
 * aside, though, when the application has a {@link SpanExporter} bean of its own
 * ({@code OTelExporterRecorder} checks {@code Instance<SpanExporter>.isUnsatisfied()}). This bean is
 * that exporter, a no-op, and its lookup condition makes it exist only while the traces endpoint is
 * that default: {@code quarkus.otel.exporter.otlp.traces.endpoint} falls back to
 * {@code quarkus.otel.exporter.otlp.endpoint}, whose default Quarkus sets to {@value #DEFAULT_ENDPOINT}.
 * Configure either and the bean is gone, so the OTLP exporter installs itself as usual. (A collector on
 * this host is therefore addressed as {@code http://localhost:4317}, without the trailing slash.)
 * The other switch Quarkus has, {@code quarkus.otel.sdk.disabled=true}, would also stop the spans and
 * the propagation.
 */
@Singleton
@Unremovable
public class TraceExport {

    static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
    /** Quarkus' default of {@code quarkus.otel.exporter.otlp.endpoint} ({@code OtlpExporterConfigBuilder}). */
    static final String DEFAULT_ENDPOINT = "http://localhost:4317/";

    /** Exports nothing; exists (for lookups) only while no OTLP endpoint is configured. */
    @Produces
    @Singleton
    @Unremovable
    @LookupIfProperty(name = TRACES_ENDPOINT, stringValue = DEFAULT_ENDPOINT, lookupIfMissing = true)
    SpanExporter noExportWithoutEndpoint() {
        // The composite of no exporters is the SDK's no-op exporter.
        return SpanExporter.composite();
    }
}
