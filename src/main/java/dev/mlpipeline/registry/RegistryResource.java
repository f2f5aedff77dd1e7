package dev.mlpipeline.registry;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.registry.dto.ModelEntryResponse;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.ModelVersionResponse;
import dev.mlpipeline.registry.dto.ModelVersionSchemaResponse;
import dev.mlpipeline.registry.dto.NextVersionResponse;
import dev.mlpipeline.registry.dto.RegistryStatsResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

@Path("/api/registry")
@Tag(name = "Registry", description = "Model versions derived from completed training and tuning jobs")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    static final String NEXT_CURSOR = "X-Next-Cursor";

    static final int MAX_VERSIONS_LIMIT = 100_000;

    @Inject
    ModelRegistryService service;

    @Inject
    VersionSchemas schemas;

    @GET
    @Path("/models")
    @Operation(operationId = "listModels", summary = "List models (dataset, model type) with their versions, newest first",
            description = "Without parameters: every entry, as the seed returns it (a streamed JSON array). With `limit` "
                    + "(and `cursor` from a previous page): one page; when more entries follow, the `X-Next-Cursor` "
                    + "header and a `Link` header with rel=\"next\" give the next page. Entries are ordered by "
                    + "(dataset_id, model_type); `latest_version` is the newest listed version. `versions_limit` keeps only "
                    + "the newest versions of each entry (a page of 20 entries is then 20 x versions_limit versions).")
    @APIResponse(responseCode = "200", description = "The entries",
            headers = { @Header(name = NEXT_CURSOR, description = "Cursor of the next page; absent on the last page",
                    schema = @Schema(type = SchemaType.STRING)), @Header(name = "Link", description = "<…?cursor=…>; rel=\"next\" while more entries follow",
                            schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ModelEntryResponse.class)))
    @APIResponse(responseCode = "400", description = "A bad `limit`, `cursor`, `source` or `versions_limit`")
    public RestMulti<ModelEntryResponse> listModels(
            @QueryParam("dataset_id") @Parameter(description = "Only this dataset") String datasetId,
            @QueryParam("model_type") @Parameter(description = "Only this model type") String modelType,
            @QueryParam("source") @Parameter(description = "Only versions of this job kind",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "training", "tuning" })) String source,
            @QueryParam("limit") @Parameter(description = "Entries per page, 1..1000; absent: all",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000")) String limit,
            @QueryParam("cursor") @Parameter(description = "The X-Next-Cursor of the previous page") String cursor,
            @QueryParam("versions_limit") @Parameter(description = "At most this many versions per entry, its newest ones, "
                    + "1..100000; absent: all of them", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100000")) String versionsLimit,
            @Context UriInfo uri) {
        Integer perEntry = versionsLimit == null || versionsLimit.isBlank() ? null
                : Params.intParam("versions_limit", versionsLimit, 0, 1, MAX_VERSIONS_LIMIT);
        ModelFilter filter = new ModelFilter(blankToNull(datasetId), blankToNull(modelType), source(source), perEntry);
        RegistryCursor after = RegistryCursor.decode(cursor);
        if (limit == null || limit.isBlank()) {
            // the seed's listing (or the rest of it after a cursor): one bounded-memory stream
            return RestMulti.fromMultiData(service.listModels(filter, after)).build();
        }
        int size = Params.intParam("limit", limit, 0, 1, ModelRegistryService.MAX_PAGE_SIZE);
        return RestMulti.fromUniResponse(service.listModels(filter, new PageRequest(after, size)),
                page -> Multi.createFrom().iterable(page.entries()),
                page -> page.nextCursor() == null ? Map.of() : Map.of(
                        NEXT_CURSOR, List.of(page.nextCursor()),
                        "Link", List.of("<" + nextUri(uri, page.nextCursor()) + ">; rel=\"next\"")));
    }

    private static URI nextUri(UriInfo uri, String cursor) {
        return uri.getRequestUriBuilder().replaceQueryParam("cursor", cursor).build();
    }

    @GET
    @Path("/models/{model_type}/versions")
    @Operation(operationId = "getModelVersions", summary = "Versions of one model type, newest first per dataset")
    @APIResponse(responseCode = "200", description = "The versions (empty for a known model type without versions)",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ModelVersionResponse.class)))
    @APIResponse(responseCode = "404", description = "The catalog does not know the model type")
    public Multi<ModelVersionResponse> getModelVersions(@PathParam("model_type") String modelType,
            @QueryParam("dataset_id") @Parameter(description = "Only versions trained on this dataset") String datasetId) {
        return service.getModelVersions(modelType, blankToNull(datasetId));
    }

    @GET
    @Path("/models/{model_type}/versions/{version}")
    @Operation(operationId = "getModelVersion", summary = "One version with its full lineage",
            description = "Dataset (name, sha256), target, features, preprocessing, hyperparameters, metrics, the "
                    + "tuning summary, the artifact's sha256 and size, and timings. `dataset_id` is required when "
                    + "the model type has versions on several datasets.")
    @APIResponse(responseCode = "200", description = "The version",
            content = @Content(schema = @Schema(implementation = ModelVersionLineageResponse.class)))
    @APIResponse(responseCode = "400", description = "`version` is not a positive integer, or `dataset_id` is needed")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such version")
    public Uni<ModelVersionLineageResponse> getModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String version,
            @QueryParam("dataset_id") String datasetId) {
        int v = Params.intParam("version", version, 0, 1, Integer.MAX_VALUE);
        return service.getModelVersion(modelType, v, blankToNull(datasetId));
    }

    @GET
    @Path("/models/{model_type}/versions/{version}/schema")
    @Operation(operationId = "getModelVersionSchema", summary = "The input schema of one version",
            description = "The features a prediction row is matched against, in model order: type, training levels "
                    + "(categorical), range (numeric), missing rate on the training split and the value a missing "
                    + "feature is imputed with; plus the target, task and labels. Ranges and missing rates are null "
                    + "for models trained before they were recorded. `dataset_id` is required when the model type "
                    + "has versions on several datasets.")
    @APIResponse(responseCode = "200", description = "The schema",
            content = @Content(schema = @Schema(implementation = ModelVersionSchemaResponse.class)))
    @APIResponse(responseCode = "400", description = "`version` is not a positive integer, or `dataset_id` is needed")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such version")
    @APIResponse(responseCode = "409", description = "The version's artifact cannot be loaded")
    public Uni<ModelVersionSchemaResponse> getModelVersionSchema(@PathParam("model_type") String modelType,
            @PathParam("version") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String version,
            @QueryParam("dataset_id") String datasetId) {
        int v = Params.intParam("version", version, 0, 1, Integer.MAX_VALUE);
        return schemas.getModelVersionSchema(modelType, v, blankToNull(datasetId));
    }

    @GET
    @Path("/stats")
    @Operation(operationId = "getStats", summary = "Registry statistics")
    @APIResponse(responseCode = "200", description = "Counts, the active deployment and the best version per model",
            content = @Content(schema = @Schema(implementation = RegistryStatsResponse.class)))
    public Uni<RegistryStatsResponse> getStats() {
        return service.getStats();
    }

    @GET
    @Path("/next-version")
    @Operation(operationId = "getNextVersion", summary = "The version the next completing job will get",
            description = "Training and tuning jobs share one version sequence per (dataset, model type).")
    @APIResponse(responseCode = "200", description = "The next version",
            content = @Content(schema = @Schema(implementation = NextVersionResponse.class)))
    @APIResponse(responseCode = "400", description = "A parameter is missing or invalid")
    @APIResponse(responseCode = "404", description = "No such dataset")
    public Uni<NextVersionResponse> getNextVersion(
            @QueryParam("dataset_id") @Parameter(required = true, description = "The dataset") String datasetId,
            @QueryParam("model_type") @Parameter(required = true, description = "A model type of GET /api/model-types") String modelType,
            @QueryParam("job_type") @Parameter(description = "The kind of the next job (both share one sequence)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "training", "tuning" })) String jobType) {
        return service.getNextVersion(datasetId, modelType, jobType);
    }

    private static String source(String source) {
        if (source == null || source.isBlank()) {
            return null;
        }
        if (!source.equals("training") && !source.equals("tuning")) {
            throw InvalidInputException.forField("source", "must be 'training' or 'tuning', got '" + source + "'");
        }
        return source;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
