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
 * Deployments (the active one, the history, deploy and undeploy). Deploys and undeploys go to
 * {@link DeploymentService}. The predict page is {@link PredictPages}.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class DeploymentPages {

    static final int HISTORY = 100;

    @Inject
    DeploymentService deployments;

    @TemplateData
    public record Item(String id, String jobId, String source, String datasetName, String modelType, int version, boolean active,
            String created, String deactivated, String versionHref) {
    }

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance deployments(Item active, List<Item> history);

        static native TemplateInstance deployments$message(String message, String href);
    }

    @ServerExceptionMapper
    public RestResponse<TemplateInstance> failed(Throwable e, HttpHeaders headers, UriInfo uri) {
        return ConsoleErrors.render(e, headers, uri);
    }

    static Item item(DeploymentResponse d) {
        return new Item(d.id(), d.jobId(), d.source(), d.datasetName(), d.modelType(), d.version(), d.isActive(),
                Views.time(d.createdAt()), Views.time(d.deactivatedAt()),
                RegistryPage.versionHref(d.modelType(), d.version(), d.datasetId()));
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
}
