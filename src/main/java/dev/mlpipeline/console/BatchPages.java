package dev.mlpipeline.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.batch.BatchPrediction;
import dev.mlpipeline.batch.BatchPredictionService;
import dev.mlpipeline.batch.dto.CreateBatchPredictionRequest;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import dev.mlpipeline.dataset.DatasetService;
import dev.mlpipeline.jobs.JobStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Batch predictions: the list with live progress (server-sent events, as the jobs page), the form that
 * queues one (a dataset, and optionally the job whose version scores; default the active
 * deployment's), cancel, and the link to the result CSV ({@code GET /api/batch-predictions/{id}/result}).
 * Every action goes to {@link BatchPredictionService}, the service behind {@code /api/batch-predictions};
 * a refused form comes back with the API's field errors next to their fields.
 */
@Path("/console/batch-predictions")
@Produces(MediaType.TEXT_HTML)
public class BatchPages {

    /** Batch predictions listed (and watched by the event stream), newest first. */
    static final int LISTED = 50;

    @Inject
    BatchPredictionService batches;

    @Inject
    DatasetService datasets;

    @TemplateData
    public record BatchRow(String id, String status, String statusClass, String datasetName, String model, String versionHref,
            int percent, long rowsTotal, long rowsScored, long rowsFailed, boolean active, boolean finished, String error,
            String resultHref, String created, Instant createdAt) {
    }

    /** The create form: choices, the values sent back and the problem of a refused post. */
    @TemplateData
    public record Form(List<RegistryPage.Option> datasets, String jobId, Views.Problem problem, String message) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance batches(Form form, List<BatchRow> batches, long renderedAt);

        static native TemplateInstance batches$form(Form form);

        static native TemplateInstance batches$row(BatchRow batch);

        static native TemplateInstance batches$message(String message);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    @GET
    public Uni<TemplateInstance> listBatchPredictions() {
        long renderedAt = System.currentTimeMillis();
        return datasetNames().flatMap(names -> batches.listBatchPredictions(null, LISTED)
                .map(list -> Templates.batches(form(names, null, null, Views.Problem.none(), null),
                        list.stream().map(b -> row(b, names)).toList(), renderedAt)));
    }

    /** Queues a batch prediction as {@code POST /api/batch-predictions} does; the new row arrives through the event stream. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> createBatchPrediction(@RestForm("dataset_id") String datasetId,
            @RestForm("job_id") String jobId) {
        String ds = Views.blankToNull(datasetId);
        String job = Views.blankToNull(jobId);
        return Uni.createFrom().deferred(() -> batches.createBatchPrediction(new CreateBatchPredictionRequest(ds, job)))
                .flatMap(b -> datasetNames().map(names -> RestResponse.ok(Templates.batches$form(form(names, null, null,
                        Views.Problem.none(), "Batch prediction " + b.id() + " is queued: " + b.rowsTotal() + " rows of "
                                + names.getOrDefault(b.datasetId(), b.datasetId()) + " with " + b.modelType() + " v" + b.version() + ".")))))
                .onFailure(e -> ProblemMapper.toResponse(e, null).getStatus() < 500)
                .recoverWithUni(e -> {
                    Problem problem = (Problem) ProblemMapper.toResponse(e, null).getEntity();
                    return datasetNames().map(names -> RestResponse.ResponseBuilder.<TemplateInstance>create(problem.status())
                            .entity(Templates.batches$form(form(names, ds, job, new Views.Problem(problem.detail(), problem.errors()), null)))
                            .build());
                });
    }

    /** Cancels as {@code POST /api/batch-predictions/{id}/cancel} does; the row follows through the event stream. */
    @POST
    @Path("/{id}/cancel")
    public Uni<TemplateInstance> cancelBatchPrediction(@PathParam("id") String id) {
        return batches.cancelBatchPrediction(id).map(b -> Templates.batches$message("Batch prediction " + id + " is " + b.status() + "."));
    }

    /**
     * Rows of the page as they change (see {@link LiveRows}): {@code batch-<id>} with the row's new HTML when its
     * status or progress changes, {@code batch-new} for one created after the page was rendered ({@code rendered_at},
     * epoch milliseconds). Named as the list operation, whose role it needs ({@code security.AccessFilter} decides by
     * the method's name).
     */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> listBatchPredictions(@Context Sse sse, @QueryParam("rendered_at") Long renderedAt) {
        return LiveRows.stream(sse, renderedAt, "batch", () -> datasetNames().flatMap(names -> batches.listBatchPredictions(null, LISTED)
                .map(list -> list.stream().map(b -> row(b, names)).toList())), BatchRow::id, r -> r.status() + ":" + r.percent(),
                BatchRow::createdAt, r -> Templates.batches$row(r).render());
    }

    private Uni<Map<String, String>> datasetNames() {
        return datasets.listDatasets().map(list -> {
            Map<String, String> names = new LinkedHashMap<>();
            list.forEach(d -> names.put(d.id, d.name));
            return names;
        });
    }

    static Form form(Map<String, String> names, String datasetId, String jobId, Views.Problem problem, String message) {
        List<RegistryPage.Option> options = new ArrayList<>();
        names.forEach((id, name) -> options.add(new RegistryPage.Option(id, name + " (" + id + ")", id.equals(datasetId))));
        return new Form(options, jobId == null ? "" : jobId, problem, message);
    }

    static BatchRow row(BatchPrediction b, Map<String, String> names) {
        boolean active = b.status() == JobStatus.PENDING || b.status() == JobStatus.RUNNING;
        int percent = b.status() == JobStatus.COMPLETED ? 100 : (int) Math.round(Math.max(0, Math.min(1, b.progress())) * 100);
        String href = b.version() > 0 && b.modelType() != null ? RegistryPage.versionHref(b.modelType(), b.version(), b.datasetId()) : null;
        return new BatchRow(b.id(), b.status().name(), b.status().name().toLowerCase(java.util.Locale.ROOT),
                names.getOrDefault(b.datasetId(), b.datasetId()), b.modelType() + " v" + b.version() + " (" + b.jobId() + ")", href,
                percent, b.rowsTotal(), b.rowsScored(), b.rowsFailed(), active, b.status().isTerminal(), b.error(),
                "/api/batch-predictions/" + b.id() + "/result", b.createdAt() == null ? "" : Views.time(b.createdAt().toInstant()),
                b.createdAt() == null ? null : b.createdAt().toInstant());
    }
}
