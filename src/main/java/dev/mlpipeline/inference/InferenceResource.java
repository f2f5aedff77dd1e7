package dev.mlpipeline.inference;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import dev.mlpipeline.inference.dto.HealthResponse;
import dev.mlpipeline.inference.dto.InferenceErrorResponse;
import dev.mlpipeline.inference.dto.InferenceRequest;
import dev.mlpipeline.inference.dto.InferenceResponse;
import dev.mlpipeline.inference.dto.ModelMetadataResponse;
import io.smallrye.mutiny.Uni;

/**
 * The Open Inference Protocol (KServe v2) REST endpoints over the active deployment, at the protocol's
 * own paths. Every error under {@code /v2} is the protocol's {@code {"error": "..."}} object (see
 * {@code ProblemMapper#isInferenceProtocol}), with the statuses of the rest of the API.
 */
@Path("/v2")
@Tag(name = "Open Inference Protocol", description = "KServe v2 / Open Inference Protocol REST endpoints over the active deployment")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceResource {

    @Inject
    InferenceService service;

    @GET
    @Path("/health/live")
    @Operation(operationId = "serverLive", summary = "Server live (Open Inference Protocol)")
    @APIResponse(responseCode = "200", description = "The server answers",
            content = @Content(schema = @Schema(implementation = HealthResponse.class),
                    examples = @ExampleObject(name = "live", value = "{\"live\": true}")))
    public HealthResponse serverLive() {
        return new HealthResponse(null, true, null);
    }

    @GET
    @Path("/health/ready")
    @Operation(operationId = "serverReady", summary = "Server ready (Open Inference Protocol)",
            description = "Ready when this replica knows the active deployment and, if there is one, has its model warm (the replica's readiness).")
    @APIResponse(responseCode = "200", description = "Ready",
            content = @Content(schema = @Schema(implementation = HealthResponse.class),
                    examples = @ExampleObject(name = "ready", value = "{\"ready\": true}")))
    @APIResponse(responseCode = "503", description = "Not ready: the active deployment's model is not warm here yet",
            content = @Content(schema = @Schema(implementation = HealthResponse.class),
                    examples = @ExampleObject(name = "not ready", value = "{\"ready\": false}")))
    public RestResponse<HealthResponse> serverReady() {
        HealthResponse ready = service.serverReady();
        return Boolean.TRUE.equals(ready.ready()) ? RestResponse.ok(ready) : RestResponse.status(RestResponse.Status.SERVICE_UNAVAILABLE, ready);
    }

    @GET
    @Path("/models/{name}")
    @Operation(operationId = "modelMetadata", summary = "Model metadata (Open Inference Protocol)",
            description = "The served model: its name (the model type), its version, one input tensor per feature (FP64 numeric, BYTES categorical) and the outputs.")
    @APIResponse(responseCode = "200", description = "The served model's metadata",
            content = @Content(schema = @Schema(implementation = ModelMetadataResponse.class),
                    examples = @ExampleObject(name = "titanic", value = InferenceExamples.METADATA)))
    @APIResponse(responseCode = "404", description = "Not the served model, or nothing is deployed",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class),
                    examples = @ExampleObject(name = "other model", value = InferenceExamples.ERROR)))
    @APIResponse(responseCode = "503", description = "The active deployment is not warm on this replica yet",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class)))
    public ModelMetadataResponse modelMetadata(@PathParam("name") @Parameter(description = "The active model's type", example = "RandomForest") String name) {
        return service.modelMetadata(name);
    }

    @GET
    @Path("/models/{name}/ready")
    @Operation(operationId = "modelReady", summary = "Model ready (Open Inference Protocol)")
    @APIResponse(responseCode = "200", description = "The model is served and warm here",
            content = @Content(schema = @Schema(implementation = HealthResponse.class),
                    examples = @ExampleObject(name = "ready", value = "{\"name\": \"RandomForest\", \"ready\": true}")))
    @APIResponse(responseCode = "404", description = "Not the served model, or nothing is deployed",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class),
                    examples = @ExampleObject(name = "other model", value = InferenceExamples.ERROR)))
    @APIResponse(responseCode = "503", description = "The active deployment is not warm on this replica yet",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class)))
    public HealthResponse modelReady(@PathParam("name") @Parameter(description = "The active model's type", example = "RandomForest") String name) {
        return service.modelReady(name);
    }

    @POST
    @Path("/models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "modelInfer", summary = "Inference (Open Inference Protocol)",
            description = "One input tensor per feature column, shape [n]: FP64/INT64 (any FP/INT type) for numeric features, BYTES for categorical ones; null is a missing value. "
                    + "Predicted exactly as POST /api/deployments/predict would predict the same rows (same validation, imputation, reports and answers). "
                    + "Outputs: `predict` ([n]) and, for classification, `probabilities` ([n, k], class labels in its parameters.class_labels). "
                    + "Request parameter `strict` (boolean) is predict's strict.")
    @APIResponse(responseCode = "200", description = "The predictions",
            content = @Content(schema = @Schema(implementation = InferenceResponse.class),
                    examples = @ExampleObject(name = "titanic", value = InferenceExamples.INFER_RESPONSE)))
    @APIResponse(responseCode = "400", description = "A malformed tensor, or any 400 of predict",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class),
                    examples = @ExampleObject(name = "short data", value = InferenceExamples.BAD_INPUT)))
    @APIResponse(responseCode = "404", description = "Not the served model, or nothing is deployed",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class),
                    examples = @ExampleObject(name = "other model", value = InferenceExamples.ERROR)))
    @APIResponse(responseCode = "413", description = "More rows than mlpipeline.deployments.max-rows",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class)))
    @APIResponse(responseCode = "503", description = "The active deployment is not warm on this replica yet",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class)))
    public Uni<InferenceResponse> modelInfer(
            @PathParam("name") @Parameter(description = "The active model's type", example = "RandomForest") String name,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InferenceRequest.class),
                    examples = @ExampleObject(name = "titanic", summary = "Two passengers",
                            value = InferenceExamples.INFER_REQUEST))) InferenceRequest request) {
        return service.infer(name, null, request);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "modelVersionInfer", summary = "Inference on a given version (Open Inference Protocol)",
            description = "As modelInfer; the version must be the served one (404 otherwise).")
    @APIResponse(responseCode = "200", description = "The predictions",
            content = @Content(schema = @Schema(implementation = InferenceResponse.class),
                    examples = @ExampleObject(name = "titanic", value = InferenceExamples.INFER_RESPONSE)))
    @APIResponse(responseCode = "400", description = "A malformed tensor, or any 400 of predict",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class),
                    examples = @ExampleObject(name = "short data", value = InferenceExamples.BAD_INPUT)))
    @APIResponse(responseCode = "404", description = "Not the served model or version, or nothing is deployed",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class),
                    examples = @ExampleObject(name = "other model", value = InferenceExamples.ERROR)))
    @APIResponse(responseCode = "413", description = "More rows than mlpipeline.deployments.max-rows",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class)))
    @APIResponse(responseCode = "503", description = "The active deployment is not warm on this replica yet",
            content = @Content(schema = @Schema(implementation = InferenceErrorResponse.class)))
    public Uni<InferenceResponse> modelVersionInfer(
            @PathParam("name") @Parameter(description = "The active model's type", example = "RandomForest") String name,
            @PathParam("version") @Parameter(description = "The active version", example = "1") String version,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InferenceRequest.class),
                    examples = @ExampleObject(name = "titanic", summary = "Two passengers",
                            value = InferenceExamples.INFER_REQUEST))) InferenceRequest request) {
        return service.infer(name, version, request);
    }
}
