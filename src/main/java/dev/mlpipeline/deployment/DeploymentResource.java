package dev.mlpipeline.deployment;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.mlpipeline.common.DomainException.FieldError;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.JsonText;
import dev.mlpipeline.common.OpenApiExamples;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.deployment.dto.DeployRequest;
import dev.mlpipeline.deployment.dto.DeploymentResponse;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.deployment.dto.PredictionRow;
import dev.mlpipeline.registry.RegistryExamples;
import dev.mlpipeline.registry.RegistryMetadataService;
import io.smallrye.mutiny.Uni;

@Path("/api/deployments")
@Tag(name = "Deployments", description = "Deploy one model version at a time and predict with it")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentResource {

    @Inject
    DeploymentService service;

    @Inject
    RegistryMetadataService registry;

    @POST
    @Path("/deploy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "deployModel", summary = "Make a completed job's model version the active deployment",
            description = "Loads and dry-runs the model before switching; the previous deployment stays active if that fails. Deploying the active version again returns it (200). "
                    + "The version is named in exactly one of three ways: {\"job_id\"}; {\"model_type\", \"dataset_id\", \"version\"}; "
                    + "{\"model_type\", \"dataset_id\", \"alias\"} (an alias of PUT /api/registry/models/{model_type}/aliases/{alias}). "
                    + "Archived versions cannot be deployed (409).")
    @APIResponse(responseCode = "201", description = "Deployed and warm on this replica",
            headers = @Header(name = "Location", description = "URL of the active deployment", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(schema = @Schema(implementation = DeploymentResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Deployed", value = OpenApiExamples.DEPLOYMENT)))
    @APIResponse(responseCode = "200", description = "Already the active deployment",
            content = @Content(schema = @Schema(implementation = DeploymentResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Already active", value = OpenApiExamples.DEPLOYMENT)))
    @APIResponse(responseCode = "400", description = "Not exactly one of the three forms (the errors name the fields to fix)")
    @APIResponse(responseCode = "404", description = "No such job, model type, version or alias")
    @APIResponse(responseCode = "409", description = "The job is not COMPLETED, its version is archived, or its model cannot be loaded")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DeployRequest.class),
            examples = { @ExampleObject(name = "titanic", summary = "The random forest on samples/titanic.csv",
                    value = OpenApiExamples.DEPLOY_REQUEST), @ExampleObject(name = "by_version", summary = "Version 1 of the forest on the titanic dataset",
                            value = RegistryExamples.DEPLOY_BY_VERSION), @ExampleObject(name = "by_alias", summary = "The version aliased champion",
                                    value = RegistryExamples.DEPLOY_BY_ALIAS) }))
    public Uni<RestResponse<DeploymentResponse>> deployModel(DeployRequest request) {
        if (request == null) {
            throw InvalidInputException.forField("job_id", "is required: send {\"job_id\": \"trn_…\"}");
        }
        return deployTarget(request)
                .flatMap(jobId -> service.deployModel(jobId))
                .onFailure(RegistryMetadataService::isArchivedDeployRefusal)
                .transform(e -> RegistryMetadataService.archivedDeploy("The version"))
                .map(d -> d.created()
                        ? RestResponse.ResponseBuilder.<DeploymentResponse>created(URI.create("/api/deployments/active"))
                                .entity(DeploymentResponse.of(d.deployment())).build()
                        : RestResponse.ok(DeploymentResponse.of(d.deployment())));
    }

    @POST
    @Path("/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "predict", summary = "Predict with the active deployment",
            description = "Body: a JSON array of row objects. Missing, null or NaN features are imputed as in training and listed per row in `missing_columns`; "
                    + "categorical values are matched to the training levels by value (`false` is the level `False`; `yes` is not `true`) and values matching no level are listed in `unseen_categories`; "
                    + "unknown columns are ignored and listed in `ignored_columns`. With `strict=true` (default: `mlpipeline.deployments.strict`) any missing feature or unseen value is a 400 instead. "
                    + "The version's input schema: `GET /api/registry/models/{model_type}/versions/{version}/schema`.")
    @APIResponse(responseCode = "200", description = "Predictions in the dataset's own label values, with per-row reports",
            content = @Content(schema = @Schema(implementation = PredictionResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Two passengers", value = OpenApiExamples.PREDICTION)))
    @APIResponse(responseCode = "400",
            description = "Not an array of objects, empty, a value of the wrong type or infinite, a row with none of the model's features, or (strict) a missing feature or unseen value; errors[] names row and field, detail points to the schema endpoint")
    @APIResponse(responseCode = "409", description = "No active deployment")
    @APIResponse(responseCode = "413", description = "More rows than mlpipeline.deployments.max-rows")
    @APIResponse(responseCode = "503", description = "The active deployment is still loading on this replica, or cannot be loaded here")
    public Uni<PredictionResponse> predict(
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = PredictionRow.class, minItems = 1,
                            description = "Row objects: feature name → value"),
                    examples = @ExampleObject(name = "titanic", summary = "Two passengers", value = OpenApiExamples.PREDICT_REQUEST))) byte[] body,
            @QueryParam("strict") @Parameter(
                    description = "true: a missing feature or a categorical value matching no training level is a 400 listing them all; default from the deployment configuration",
                    schema = @Schema(type = SchemaType.BOOLEAN)) String strict)
            throws java.io.IOException {
        // Read with one cached reader rather than the generic body reader: this is the hot path.
        return service.predict(ROWS_READER.readValue(body), Params.booleanParam("strict", strict));
    }

    /**
     * Rows as Python's json.dumps writes them: a bare NaN (a pandas missing value) is read as a
     * missing feature, and Infinity is refused by the pipeline, naming the field. A NUL character in
     * a key or string is a 400 naming it, as in every other body ({@link JsonText}).
     */
    private static final ObjectReader ROWS_READER = new ObjectMapper(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build())
            .registerModule(JsonText.module())
            .readerFor(new TypeReference<List<Map<String, Object>>>() {
            });

    /**
     * The job id of the request, in any of its three forms ({@code job_id}; model_type + dataset_id +
     * version; model_type + dataset_id + alias), resolved through the registry, which also refuses an
     * archived version (409).
     *
     * @throws InvalidInputException unless exactly one form is complete, naming the fields to fix
     */
    private Uni<String> deployTarget(DeployRequest r) {
        String jobId = blankToNull(r.jobId());
        String modelType = blankToNull(r.modelType());
        String datasetId = blankToNull(r.datasetId());
        String alias = blankToNull(r.alias());
        Integer version = r.version();
        boolean byRegistry = modelType != null || datasetId != null || version != null || alias != null;
        List<FieldError> errors = new ArrayList<>();
        if (jobId != null && byRegistry) {
            for (var field : List.of(Map.entry("model_type", modelType != null), Map.entry("dataset_id", datasetId != null),
                    Map.entry("version", version != null), Map.entry("alias", alias != null))) {
                if (field.getValue()) {
                    errors.add(new FieldError(field.getKey(), "cannot be combined with job_id"));
                }
            }
        } else if (byRegistry) {
            if (modelType == null) {
                errors.add(new FieldError("model_type", "is required with dataset_id and version or alias"));
            }
            if (datasetId == null) {
                errors.add(new FieldError("dataset_id", "is required with model_type and version or alias"));
            }
            if (version != null && alias != null) {
                errors.add(new FieldError("alias", "cannot be combined with version: name the version one way"));
            } else if (version == null && alias == null) {
                errors.add(new FieldError("version", "or alias is required with model_type and dataset_id"));
            } else if (version != null && version < 1) {
                errors.add(new FieldError("version", "must be a positive version number, got " + version));
            }
        } else if (jobId == null) {
            throw InvalidInputException.forField("job_id", "is required: the id of a COMPLETED training (trn_…) or tuning (tun_…) "
                    + "job; or send {\"model_type\", \"dataset_id\", \"version\"} or {\"model_type\", \"dataset_id\", \"alias\"}");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException("Send exactly one of {\"job_id\"}, {\"model_type\", \"dataset_id\", \"version\"} or "
                    + "{\"model_type\", \"dataset_id\", \"alias\"}: " + errors.stream().map(e -> e.field() + " " + e.message())
                            .collect(java.util.stream.Collectors.joining("; ")),
                    errors);
        }
        return registry.resolveDeployTarget(jobId, modelType, datasetId, version, alias);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @GET
    @Path("/")
    @Operation(operationId = "listDeployments", summary = "Deployment history, newest first")
    @APIResponse(responseCode = "200", description = "Every deployment, the active one flagged")
    @APIResponse(responseCode = "400", description = "limit out of range (1..1000)")
    public Uni<List<DeploymentResponse>> listDeployments(@QueryParam("limit") @Parameter(description = "At most this many deployments, 1..1000",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100")) String limit) {
        return service.listDeployments(Params.intParam("limit", limit, 100, 1, 1000))
                .map(list -> list.stream().map(DeploymentResponse::of).toList());
    }

    @GET
    @Path("/active")
    @Operation(operationId = "getActiveDeployment", summary = "The active deployment")
    @APIResponse(responseCode = "200", description = "The active deployment")
    @APIResponse(responseCode = "404", description = "Nothing is deployed")
    public Uni<DeploymentResponse> getActiveDeployment() {
        return service.getActiveDeployment().map(DeploymentResponse::of);
    }

    @DELETE
    @Path("/active")
    // Its only body is a problem: a client that accepts just application/problem+json is answered.
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @Operation(operationId = "undeployModel", summary = "Undeploy the active deployment")
    @APIResponse(responseCode = "204", description = "Nothing is deployed now")
    @APIResponse(responseCode = "404", description = "Nothing was deployed")
    public Uni<RestResponse<Void>> undeployModel() {
        return service.undeploy().map(ignored -> RestResponse.noContent());
    }
}
