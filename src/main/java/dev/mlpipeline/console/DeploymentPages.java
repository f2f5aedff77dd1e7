package dev.mlpipeline.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.deployment.DeploymentResource;
import dev.mlpipeline.deployment.DeploymentService;
import dev.mlpipeline.deployment.dto.DeploymentResponse;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.registry.VersionSchemas;
import dev.mlpipeline.registry.dto.ModelVersionSchemaResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Deployments (the active one, the history, deploy, undeploy, rollback, what served at T) and the predict form generated from
 * the active model's input schema. Deploys and undeploys go to {@link DeploymentService}; predictions
 * to {@link DeploymentResource#predict}, so that the form's row and a JSON batch are read exactly as
 * {@code POST /api/deployments/predict} reads its body.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class DeploymentPages {

    static final int HISTORY = 100;

    @Inject
    DeploymentService deployments;

    @Inject
    DeploymentResource api;

    @Inject
    VersionSchemas schemas;

    @TemplateData
    public record Item(String id, String jobId, String source, String datasetName, String modelType, int version, boolean active,
            String created, String deactivated, String versionHref, String deployedBy, String reason) {
    }

    @TemplateData
    public record Input(String id, String name, String type, List<String> levels, String hint, String min, String max) {
    }

    @TemplateData
    public record Predict(Item active, String task, String target, List<Input> inputs, String example, String unavailable) {
    }

    @TemplateData
    public record Bar(String label, String percent, String value, boolean top) {
    }

    @TemplateData
    public record Answer(int row, String prediction, List<Bar> probabilities, List<String> missing, List<String> unseen) {
    }

    @TemplateData
    public record Result(String model, List<Answer> answers, List<String> ignored) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance deployments(Item active, List<Item> history);

        static native TemplateInstance deployments$message(String message, String href);

        static native TemplateInstance deployments$at(Item served, String time);

        static native TemplateInstance predict(Predict predict);

        static native TemplateInstance predict$result(Result result);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    static Item item(DeploymentResponse d) {
        return new Item(d.id(), d.jobId(), d.source(), d.datasetName(), d.modelType(), d.version(), d.isActive(),
                Views.time(d.createdAt()), Views.time(d.deactivatedAt()),
                RegistryPage.versionHref(d.modelType(), d.version(), d.datasetId()), d.deployedBy(), d.reason());
    }

    @GET
    @Path("/deployments")
    public Uni<TemplateInstance> listDeployments() {
        return deployments.listDeployments(HISTORY).map(list -> {
            List<Item> history = list.stream().map(DeploymentResponse::of).map(DeploymentPages::item).toList();
            Item active = history.stream().filter(Item::active).findFirst().orElse(null);
            return Templates.deployments(active, history);
        });
    }

    /** Deploys as {@code POST /api/deployments/deploy} does. */
    @POST
    @Path("/deployments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> deployModel(@RestForm("job_id") String jobId, @RestForm("reason") String reason) {
        return Uni.createFrom().deferred(() -> deployments.deployModel(Views.blankToNull(jobId), Views.blankToNull(reason),
                dev.mlpipeline.security.Actor.currentName()))
                .map(d -> DeploymentResponse.of(d.deployment()))
                .map(d -> Templates.deployments$message((d.version() > 0 ? d.modelType() + " v" + d.version() : d.jobId())
                        + " is deployed (" + d.id() + ").", "/console/deployments"));
    }

    /** Undeploys as {@code DELETE /api/deployments/active} does. */
    @POST
    @Path("/deployments/undeploy")
    public Uni<RestResponse<Object>> undeployModel() {
        return deployments.undeploy()
                .map(ignored -> RestResponse.ResponseBuilder.ok().header("HX-Redirect", "/console/deployments").build());
    }

    /**
     * Rolls back as {@code POST /api/deployments/rollback} does ({@link DeploymentService#rollbackDeployment}:
     * the version active before the current one becomes active again, with the reason given, or
     * {@code rollback from dep_…}); then reloads the deployments page.
     */
    @POST
    @Path("/deployments/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<Object>> rollbackDeployment(@RestForm("reason") String reason) {
        return Uni.createFrom().deferred(() -> deployments.rollbackDeployment(Views.blankToNull(reason),
                dev.mlpipeline.security.Actor.currentName()))
                .map(ignored -> RestResponse.ResponseBuilder.ok().header("HX-Redirect", "/console/deployments").build());
    }

    /**
     * "What served at T", as {@code GET /api/deployments/at} answers it ({@link DeploymentService#getDeploymentAt}).
     * {@code time} is an ISO-8601 instant, or a browser's {@code datetime-local} value ({@code 2026-12-01T06:30}
     * or with seconds), read as UTC.
     *
     * @throws dev.mlpipeline.common.InvalidInputException (400) when {@code time} is missing or neither form
     * @throws NotFoundException (404) when nothing was deployed at that instant
     */
    @GET
    @Path("/deployments/at")
    public Uni<TemplateInstance> getDeploymentAt(@jakarta.ws.rs.QueryParam("time") String time) {
        return Uni.createFrom().deferred(() -> {
            java.time.Instant at = instant(time);
            return deployments.getDeploymentAt(at).map(d -> Templates.deployments$at(item(DeploymentResponse.of(d)), Views.time(at)));
        });
    }

    static java.time.Instant instant(String time) {
        if (time == null || time.isBlank()) {
            throw dev.mlpipeline.common.InvalidInputException.forField("time", "is required: a date and time (UTC)");
        }
        String t = time.strip();
        try {
            return java.time.Instant.parse(t);
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            try {
                return java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException e) {
                throw dev.mlpipeline.common.InvalidInputException.forField("time",
                        "'" + t + "' is not a date and time such as 2026-11-30T12:00 (UTC) or an ISO-8601 instant such as 2026-11-30T12:00:00Z");
            }
        }
    }

    @GET
    @Path("/predict")
    public Uni<TemplateInstance> getActiveDeployment() {
        return deployments.getActiveDeployment().map(DeploymentResponse::of)
                .flatMap(d -> schemas.getModelVersionSchema(d.modelType(), d.version(), d.datasetId())
                        .map(s -> predictView(item(d), s)))
                .onFailure(NotFoundException.class)
                .recoverWithItem(e -> new Predict(null, null, null, List.of(), "[]", e.getMessage()))
                .map(Templates::predict);
    }

    static Predict predictView(Item active, ModelVersionSchemaResponse s) {
        List<Input> inputs = new ArrayList<>();
        Map<String, Object> example = new LinkedHashMap<>();
        int i = 0;
        for (ModelVersionSchemaResponse.Feature f : s.features()) {
            String missing = f.missingRate() == null ? "" : " Missing in " + Views.percent(f.missingRate()) + " % of training rows.";
            String hint;
            if ("numeric".equals(f.type())) {
                hint = (f.min() == null ? "Number." : "Training range " + Views.formatDouble(f.min()) + " … " + Views.formatDouble(f.max()) + ".")
                        + missing + " Empty: imputed with " + Views.number(f.imputedWith()) + ".";
            } else {
                hint = f.levels().size() + " training levels." + missing + " Empty: imputed with " + f.imputedWith() + ".";
            }
            inputs.add(new Input("in-" + i++, f.name(), f.type(), f.levels(), hint,
                    f.min() == null ? null : Views.formatDouble(f.min()), f.max() == null ? null : Views.formatDouble(f.max())));
            example.put(f.name(), f.imputedWith());
        }
        return new Predict(active, s.task(), s.targetColumn(), inputs, Views.json(List.of(example)), null);
    }

    /**
     * One row from the generated form (empty fields are left out, so they count as missing), or a
     * JSON batch from the {@code rows} field; either is sent to the predict operation as its body.
     */
    @POST
    @Path("/predict")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<TemplateInstance> predict(MultivaluedMap<String, String> form) {
        return Uni.createFrom().deferred(() -> {
            String json = form.getFirst("rows");
            byte[] body;
            if (json != null && !json.isBlank()) {
                body = json.getBytes(StandardCharsets.UTF_8);
            } else {
                Map<String, Object> row = new LinkedHashMap<>();
                form.forEach((k, v) -> {
                    if (k.startsWith("f.") && !v.isEmpty() && !v.getFirst().isBlank()) {
                        row.put(k.substring(2), typed(form.getFirst("t." + k.substring(2)), v.getFirst().strip()));
                    }
                });
                body = Views.json(List.of(row)).getBytes(StandardCharsets.UTF_8);
            }
            try {
                return api.predict(body, null, null);
            } catch (java.io.IOException e) {
                // answered as the API answers a malformed body (ProblemMapper)
                return Uni.createFrom().failure(e);
            }
        }).map(DeploymentPages::result).map(Templates::predict$result);
    }

    /** A numeric field's text as a number when it is one (the predict body's JSON type); anything else as typed. */
    private static Object typed(String type, String value) {
        if ("numeric".equals(type)) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }

    static Result result(PredictionResponse p) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < p.predictions().size(); i++) {
            List<Bar> bars = new ArrayList<>();
            if (p.probabilities() != null && p.probabilities().get(i) != null) {
                Map<String, Double> probs = p.probabilities().get(i);
                double max = probs.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                probs.forEach((label, prob) -> bars.add(new Bar(label, Views.percent(prob), Views.formatDouble(prob), prob == max)));
            }
            Object predicted = p.predictions().get(i);
            answers.add(new Answer(i, predicted instanceof Number ? Views.number(predicted) : String.valueOf(predicted), bars,
                    p.missingColumns().get(i), p.unseenCategories().get(i).entrySet().stream()
                            .map(e -> e.getKey() + " = " + e.getValue()).toList()));
        }
        return new Result(p.modelType() + " v" + p.version() + " (" + p.deploymentId() + ")", answers, p.ignoredColumns());
    }
}
