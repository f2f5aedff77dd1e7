package dev.mlpipeline.console;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mlpipeline.deployment.DeploymentService;
import dev.mlpipeline.deployment.dto.DeploymentResponse;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Deployments (the active one, the history with who deployed and why, deploy, undeploy, rollback, what
 * served at T). Every action goes to {@link DeploymentService}, the service of the REST operations of the
 * same names. The predict page is {@link PredictPages}.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class DeploymentPages {

    static final int HISTORY = 100;

    @Inject
    DeploymentService deployments;

    @TemplateData
    public record Item(String id, String jobId, String source, String datasetName, String modelType, int version, boolean active,
            String created, String deactivated, String versionHref, String deployedBy, String reason) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance deployments(Item active, List<Item> history);

        static native TemplateInstance deployments$message(String message, String href);

        static native TemplateInstance deployments$at(Item served, String time);
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
     * @throws dev.mlpipeline.common.NotFoundException (404) when nothing was deployed at that instant
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
}
