package dev.mlpipeline.security;

import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import dev.mlpipeline.common.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Declares authentication in the OpenAPI document, from {@link AccessPolicy}: the {@code bearer} HTTP
 * scheme (so that Swagger UI's Authorize button sends {@code Authorization: Bearer …}), required by
 * default; {@code security: []} on the open operations; and on every other operation its role
 * ({@code x-required-role}, also in the description) and its 401 and 403 problem responses.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class SecurityOpenApiFilter implements OASFilter {

    static final String SCHEME = "bearer";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSecurityScheme(SCHEME, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .bearerFormat("mlp_ API token, or an OIDC access token (JWT)")
                .description("An API token (POST /api/tokens; the bootstrap token MLPIPELINE_SECURITY_BOOTSTRAP_TOKEN on a fresh install) "
                        + "or, when an OIDC issuer is configured, its access token. Browsers may use the mlp_session cookie instead "
                        + "(POST /api/session). Not enforced when mlpipeline.security.enabled=false (dev and test)."));
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME)));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                if (operation.getOperationId() == null) {
                    continue;
                }
                AccessPolicy.Access access = AccessPolicy.of(operation.getOperationId());
                if (access.open()) {
                    operation.setSecurity(List.of());
                    continue;
                }
                String role = access.role().wireName();
                operation.addExtension("x-required-role", role);
                String description = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
                operation.setDescription(description + "Requires the role `" + role + "` (or one that includes it).");
                if (operation.getResponses() == null) {
                    operation.setResponses(OASFactory.createAPIResponses());
                }
                APIResponses responses = operation.getResponses();
                responses.addAPIResponse("401", problem("No bearer token, or one that is unknown, revoked or expired (WWW-Authenticate: Bearer)"));
                responses.addAPIResponse("403", problem("The token lacks the role " + role));
            }
        }
    }

    private static org.eclipse.microprofile.openapi.models.responses.APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description).content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))));
    }
}
