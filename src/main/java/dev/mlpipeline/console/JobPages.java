package dev.mlpipeline.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.common.DomainException;
import dev.mlpipeline.dataset.DatasetService;
import dev.mlpipeline.dataset.dto.DatasetResponse;
import dev.mlpipeline.jobs.JobEntity;
import dev.mlpipeline.jobs.JobFilter;
import dev.mlpipeline.jobs.JobStatus;
import dev.mlpipeline.training.ModelTypeResource;
import dev.mlpipeline.training.ModelTypeResource.ModelTypeResponse;
import dev.mlpipeline.training.TrainingJobService;
import dev.mlpipeline.training.dto.CreateTrainingJobRequest;
import dev.mlpipeline.tuning.TuningJobService;
import dev.mlpipeline.tuning.dto.CreateTuningJobRequest;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Train and tune forms, and the jobs with their progress pushed by the server (server-sent events).
 * Submissions build the API's own request records and go to {@link TrainingJobService} and
 * {@link TuningJobService}, as {@code POST /api/training/jobs} and {@code POST /api/tuning/jobs} do;
 * a refusal re-renders the form with each field error next to its field.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class JobPages {

    /** Jobs of each kind on the jobs page (and watched by its event stream). */
    static final int JOBS_PER_KIND = 50;
    /** How often the event stream reads the jobs' state. */
    @Inject
    DatasetService datasets;

    @Inject
    ModelTypeResource catalog;

    @Inject
    TrainingJobService training;

    @Inject
    TuningJobService tuning;

    @TemplateData
    public record JobRow(String id, String kind, String datasetName, String modelType, String status, String statusClass,
            int percent, boolean active, String error, String versionHref, Integer version, String created,
            String cancelPath, Instant createdAt) {

        /** The REST operation that cancels it (for role checks). */
        public String cancelOperation() {
            return "tuning".equals(kind) ? "cancelTuningJob" : "cancelTrainingJob";
        }
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance jobForm(JobForms.Form form);

        static native TemplateInstance jobForm$form(JobForms.Form form);

        static native TemplateInstance jobs(List<JobRow> jobs, long renderedAt);

        static native TemplateInstance jobs$row(JobRow job);

        static native TemplateInstance jobs$message(String message);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    /** The train or tune form, generated from the catalog as {@code GET /api/model-types} lists it. */
    @GET
    @Path("/{kind: train|tune}")
    public Uni<TemplateInstance> listModelTypes(@PathParam("kind") String kind, @Context UriInfo uri) {
        return form(kind, single(uri.getQueryParameters()), Views.Problem.none()).map(Templates::jobForm);
    }

    private Uni<JobForms.Form> form(String kind, Map<String, String> values, Views.Problem problem) {
        List<ModelTypeResponse> types = catalog.listModelTypes();
        return datasets.listDatasets()
                .map(list -> JobForms.form(kind, list.stream().map(DatasetResponse::of).toList(), types, values, problem));
    }

    @POST
    @Path("/train")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> createTrainingJob(MultivaluedMap<String, String> form) {
        Map<String, String> values = single(form);
        return Uni.createFrom().deferred(() -> {
            ModelTypeResponse type = type(values.get("model_type"));
            CreateTrainingJobRequest request = new CreateTrainingJobRequest(Views.blankToNull(values.get("dataset_id")),
                    Views.blankToNull(values.get("model_type")), Views.blankToNull(values.get("target_column")),
                    Views.blankToNull(values.get("task")), features(form), JobForms.hyperparameters(type, values),
                    JobForms.decimal(values, "test_size"), JobForms.integer(values, "random_seed"), JobForms.preprocessing(values));
            return training.createTrainingJob(request).map(job -> job.id);
        }).map(JobPages::submitted).onFailure(DomainException.class)
                .recoverWithUni(e -> refused("train", values, (DomainException) e));
    }

    @POST
    @Path("/tune")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> createTuningJob(MultivaluedMap<String, String> form) {
        Map<String, String> values = single(form);
        return Uni.createFrom().deferred(() -> {
            ModelTypeResponse type = type(values.get("model_type"));
            Long nIter = JobForms.integer(values, "n_iter");
            Long folds = JobForms.integer(values, "cv_folds");
            CreateTuningJobRequest request = new CreateTuningJobRequest(Views.blankToNull(values.get("dataset_id")),
                    Views.blankToNull(values.get("model_type")), Views.blankToNull(values.get("target_column")),
                    Views.blankToNull(values.get("task")), features(form), JobForms.hyperparameters(type, values),
                    JobForms.decimal(values, "test_size"), JobForms.integer(values, "random_seed"), JobForms.preprocessing(values),
                    Views.blankToNull(values.get("strategy")), JobForms.searchSpace(type, values),
                    nIter == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, nIter)),
                    folds == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, folds)),
                    Views.blankToNull(values.get("scoring")));
            return tuning.createTuningJob(request).map(job -> job.id);
        }).map(JobPages::submitted).onFailure(DomainException.class)
                .recoverWithUni(e -> refused("tune", values, (DomainException) e));
    }

    private static RestResponse<TemplateInstance> submitted(String jobId) {
        return RestResponse.ResponseBuilder.<TemplateInstance>ok().header("HX-Redirect", "/console/jobs#job-" + jobId).build();
    }

    private Uni<RestResponse<TemplateInstance>> refused(String kind, Map<String, String> values, DomainException e) {
        int status = dev.mlpipeline.common.ProblemMapper.toResponse(e, null).getStatus();
        return form(kind, values, Views.Problem.of(e)).map(f -> RestResponse.ResponseBuilder
                .<TemplateInstance>create(status).entity(Templates.jobForm$form(f)).build());
    }

    private ModelTypeResponse type(String name) {
        return catalog.listModelTypes().stream().filter(t -> t.modelType().equals(name)).findFirst().orElse(null);
    }

    /** The checked feature boxes; null (every usable column, as the API's default) when none is checked. */
    private static List<String> features(MultivaluedMap<String, String> form) {
        List<String> features = form.get("feature_columns");
        return features == null || features.isEmpty() ? null : List.copyOf(features);
    }

    /** First value of each parameter; the feature boxes joined by U+001F so that the form can be re-rendered. */
    private static Map<String, String> single(MultivaluedMap<String, String> params) {
        Map<String, String> out = new HashMap<>();
        params.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, k.equals("feature_columns") ? String.join("\u001f", v) : v.getFirst());
            }
        });
        return out;
    }

    @GET
    @Path("/jobs")
    public Uni<TemplateInstance> listTrainingJobs() {
        long renderedAt = System.currentTimeMillis();
        return recentJobs().map(rows -> Templates.jobs(rows, renderedAt));
    }

    private Uni<List<JobRow>> recentJobs() {
        JobFilter all = JobFilter.of(null, null, null);
        return training.listTrainingJobs(all, JOBS_PER_KIND)
                .flatMap(trn -> tuning.listTuningJobs(all, JOBS_PER_KIND).map(tun -> {
                    List<JobEntity> jobs = new ArrayList<>(trn);
                    jobs.addAll(tun);
                    jobs.sort(Comparator.comparing((JobEntity j) -> j.createdAt).reversed());
                    return jobs.stream().map(JobPages::row).toList();
                }));
    }

    static JobRow row(JobEntity j) {
        boolean tuningJob = j.id.startsWith("tun_");
        boolean active = j.status == JobStatus.PENDING || j.status == JobStatus.RUNNING;
        int percent = (int) Math.round(Math.max(0, Math.min(1, j.progress)) * 100);
        if (j.status == JobStatus.COMPLETED) {
            percent = 100;
        }
        String href = j.version == null ? null : RegistryPage.versionHref(j.modelType, j.version, j.dataset.id);
        return new JobRow(j.id, tuningJob ? "tuning" : "training", j.dataset.name, j.modelType, j.status.name(),
                j.status.name().toLowerCase(java.util.Locale.ROOT), percent, active, j.error, href, j.version,
                Views.time(j.createdAt), "/console/jobs/" + (tuningJob ? "tuning/" : "training/") + j.id + "/cancel", j.createdAt);
    }

    /**
     * Rows of the jobs page as they change (see {@link LiveRows}): {@code job-<id>} with the row's new HTML when a
     * job's status or progress changes, {@code job-new} for a job created after the page was rendered
     * ({@code rendered_at}, epoch milliseconds, written into the page).
     */
    @GET
    @Path("/jobs/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> listTrainingJobs(@Context Sse sse, @QueryParam("rendered_at") Long renderedAt) {
        return LiveRows.stream(sse, renderedAt, "job", this::recentJobs, JobRow::id, r -> r.status() + ":" + r.percent(),
                JobRow::createdAt, r -> Templates.jobs$row(r).render());
    }

    /** Cancels as {@code POST /api/training/jobs/{id}/cancel} does; the row follows through the event stream. */
    @POST
    @Path("/jobs/training/{id}/cancel")
    public Uni<TemplateInstance> cancelTrainingJob(@PathParam("id") String id) {
        return training.cancelTrainingJob(id).map(j -> Templates.jobs$message("Job " + id + " is " + j.status + "."));
    }

    /** Cancels as {@code POST /api/tuning/jobs/{id}/cancel} does. */
    @POST
    @Path("/jobs/tuning/{id}/cancel")
    public Uni<TemplateInstance> cancelTuningJob(@PathParam("id") String id) {
        return tuning.cancelTuningJob(id).map(t -> Templates.jobs$message("Job " + id + " is " + t.job().status() + "."));
    }
}
