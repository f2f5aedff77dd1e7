package dev.mlpipeline.registry;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.registry.dto.ModelAliasResponse;
import dev.mlpipeline.registry.dto.ModelEntryResponse;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse;
import dev.mlpipeline.registry.dto.ModelVersionLineageResponse;
import dev.mlpipeline.registry.dto.ModelVersionResponse;
import dev.mlpipeline.registry.dto.ModelVersionSchemaResponse;
import dev.mlpipeline.registry.dto.NextVersionResponse;
import dev.mlpipeline.registry.dto.RegistryStatsResponse;
import dev.mlpipeline.registry.dto.SetModelAliasRequest;
import dev.mlpipeline.registry.dto.UpdateModelVersionRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

@Path("/api/registry")
@Tag(name = "Registry", description = "Model versions derived from completed training and tuning jobs")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryResource {

    static final String NEXT_CURSOR = "X-Next-Cursor";

    /** The media type of RFC 7386 JSON merge patches. */
    static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    static final String TAG_DESCRIPTION = "Only versions with this tag: key:value (the value must match) or key (any value); "
            + "repeat the parameter to require several tags (all must match), e.g. tag=team:fraud";

    static final String INCLUDE_ARCHIVED_DESCRIPTION = "true to list archived versions too (default false: they are left out)";

    static final int MAX_VERSIONS_LIMIT = 100_000;

    @Inject
    ModelRegistryService service;

    @Inject
    VersionSchemas schemas;

    @Inject
    RegistryMetadataService metadata;

    @Inject
    ObjectMapper mapper;

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
    public RestMulti<Object> listModels(
            @QueryParam("dataset_id") @Parameter(description = "Only this dataset") String datasetId,
            @QueryParam("model_type") @Parameter(description = "Only this model type") String modelType,
            @QueryParam("source") @Parameter(description = "Only versions of this job kind",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "training", "tuning" })) String source,
            @QueryParam("limit") @Parameter(description = "Entries per page, 1..1000; absent: all",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000")) String limit,
            @QueryParam("cursor") @Parameter(description = "The X-Next-Cursor of the previous page") String cursor,
            @QueryParam("versions_limit") @Parameter(description = "At most this many versions per entry, its newest ones, "
                    + "1..100000; absent: all of them", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100000")) String versionsLimit,
            @QueryParam("tag") @Parameter(description = TAG_DESCRIPTION) List<String> tags,
            @QueryParam("include_archived") @Parameter(description = INCLUDE_ARCHIVED_DESCRIPTION,
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String includeArchived,
            @Context UriInfo uri) {
        Integer perEntry = versionsLimit == null || versionsLimit.isBlank() ? null
                : Params.intParam("versions_limit", versionsLimit, 0, 1, MAX_VERSIONS_LIMIT);
        ModelFilter filter = new ModelFilter(blankToNull(datasetId), blankToNull(modelType), source(source), perEntry,
                tagFilters(tags), Boolean.TRUE.equals(Params.booleanParam("include_archived", includeArchived)));
        RegistryCursor after = RegistryCursor.decode(cursor);
        if (limit == null || limit.isBlank()) {
            // the seed's listing (or the rest of it after a cursor): one bounded-memory stream
            return RestMulti.fromMultiData(service.listModels(filter, after).map(e -> (Object) e)).build();
        }
        int size = Params.intParam("limit", limit, 0, 1, ModelRegistryService.MAX_PAGE_SIZE);
        // a page: each entry as its JSON bytes (written raw, as byte[] always is, inside the streamed array),
        // from this replica's page cache while the registry is unchanged
        return RestMulti.fromUniResponse(service.listModelsJson(filter, new PageRequest(after, size), mapper),
                page -> Multi.createFrom().iterable(page.entries()).map(e -> (Object) e),
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
            @QueryParam("dataset_id") @Parameter(description = "Only versions trained on this dataset") String datasetId,
            @QueryParam("tag") @Parameter(description = TAG_DESCRIPTION) List<String> tags,
            @QueryParam("include_archived") @Parameter(description = INCLUDE_ARCHIVED_DESCRIPTION,
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String includeArchived) {
        return service.getModelVersions(modelType, new ModelFilter(blankToNull(datasetId), modelType, null, null, tagFilters(tags),
                Boolean.TRUE.equals(Params.booleanParam("include_archived", includeArchived))));
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

    @PUT
    @Path("/models/{model_type}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setModelAlias", summary = "Point an alias (champion, challenger, …) at a version",
            description = "Creates the alias of the (dataset, model type) or moves it, in one atomic update: two clients "
                    + "moving the same alias at once end on one of their versions, never on both. Alias names are lowercase "
                    + "slugs (1..63 of a-z, 0-9, '_', '-', starting with a letter); 'latest' and 'v<number>' are reserved. "
                    + "Deploy by alias with POST /api/deployments/deploy {\"model_type\", \"dataset_id\", \"alias\"}.")
    @APIResponse(responseCode = "200", description = "The alias and the version it points at now",
            content = @Content(schema = @Schema(implementation = ModelAliasResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "champion → version 1", value = RegistryExamples.MODEL_ALIAS)))
    @APIResponse(responseCode = "400", description = "A bad alias name, or dataset_id or version missing")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such version")
    @APIResponse(responseCode = "409", description = "The version is archived")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SetModelAliasRequest.class),
            examples = @ExampleObject(name = "titanic", summary = "Version 1 on the titanic dataset", value = RegistryExamples.SET_ALIAS_REQUEST)))
    public Uni<ModelAliasResponse> setModelAlias(@PathParam("model_type") String modelType,
            @PathParam("alias") @Parameter(description = "The alias name", example = "champion") String alias,
            SetModelAliasRequest request) {
        return metadata.setModelAlias(modelType, alias, request);
    }

    @GET
    @Path("/models/{model_type}/aliases/{alias}")
    @Operation(operationId = "getModelAlias", summary = "The version an alias points at, with its lineage")
    @APIResponse(responseCode = "200", description = "The version",
            content = @Content(schema = @Schema(implementation = ModelVersionLineageResponse.class)))
    @APIResponse(responseCode = "400", description = "A bad alias name, or dataset_id missing")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such alias")
    public Uni<ModelVersionLineageResponse> getModelAlias(@PathParam("model_type") String modelType,
            @PathParam("alias") @Parameter(description = "The alias name", example = "champion") String alias,
            @QueryParam("dataset_id") @Parameter(required = true, description = "The dataset of the (dataset, model type)") String datasetId) {
        return metadata.getModelAlias(modelType, alias, blankToNull(datasetId));
    }

    @DELETE
    @Path("/models/{model_type}/aliases/{alias}")
    @Operation(operationId = "deleteModelAlias", summary = "Remove an alias (the version stays)")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", description = "A bad alias name, or dataset_id missing")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such alias")
    public Uni<RestResponse<Void>> deleteModelAlias(@PathParam("model_type") String modelType,
            @PathParam("alias") @Parameter(description = "The alias name", example = "champion") String alias,
            @QueryParam("dataset_id") @Parameter(required = true, description = "The dataset of the (dataset, model type)") String datasetId) {
        return metadata.deleteModelAlias(modelType, alias, blankToNull(datasetId)).map(x -> RestResponse.noContent());
    }

    @PATCH
    @Path("/models/{model_type}/versions/{version}")
    @Consumes({ MERGE_PATCH_JSON, MediaType.APPLICATION_JSON })
    @Operation(operationId = "updateModelVersion", summary = "Change a version's description and tags (JSON merge patch)",
            description = "RFC 7386 JSON merge patch of {\"description\", \"tags\"}: an absent member stays as it is, a string "
                    + "sets, null removes (the description; one tag; with \"tags\": null, every tag). Sent as "
                    + "application/merge-patch+json or application/json. Applied atomically: concurrent patches of different "
                    + "tags all take effect. Archived versions can be patched too. `dataset_id` is required when the model "
                    + "type has versions on several datasets. Answers the version as GET …/versions/{version} does.")
    @APIResponse(responseCode = "200", description = "The version after the patch",
            content = @Content(schema = @Schema(implementation = ModelVersionLineageResponse.class)))
    @APIResponse(responseCode = "400", description = "The patch is not an object of description and tags, or a value is wrong "
            + "(nothing is changed)")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such version")
    @RequestBody(required = true, content = { @Content(mediaType = MERGE_PATCH_JSON, schema = @Schema(implementation = UpdateModelVersionRequest.class),
            examples = @ExampleObject(name = "titanic", summary = "Describe, tag team=fraud, remove tag stage",
                    value = RegistryExamples.MERGE_PATCH)), @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = UpdateModelVersionRequest.class),
                            examples = @ExampleObject(name = "titanic", summary = "Describe, tag team=fraud, remove tag stage",
                                    value = RegistryExamples.MERGE_PATCH)) })
    public Uni<ModelVersionLineageResponse> updateModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String version,
            @QueryParam("dataset_id") @Parameter(description = "The dataset; required when the model type has versions on several") String datasetId,
            String patch) {
        int v = Params.intParam("version", version, 0, 1, Integer.MAX_VALUE);
        return metadata.updateModelVersion(modelType, v, blankToNull(datasetId), patch);
    }

    @POST
    @Path("/models/{model_type}/versions/{version}/archive")
    @Operation(operationId = "archiveModelVersion", summary = "Archive a version",
            description = "An archived version is left out of the registry views (unless include_archived=true), cannot be "
                    + "deployed nor aliased (409), and its number is never reused; GET …/versions/{version} and compare still "
                    + "show it. The active deployment's version and an aliased version cannot be archived (409). Archiving an "
                    + "archived version changes nothing. `dataset_id` is required when the model type has versions on several datasets.")
    @APIResponse(responseCode = "200", description = "The version, archived",
            content = @Content(schema = @Schema(implementation = ModelVersionLineageResponse.class)))
    @APIResponse(responseCode = "400", description = "`version` is not a positive integer, or `dataset_id` is needed")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such version")
    @APIResponse(responseCode = "409", description = "The version is the active deployment, or an alias points at it")
    public Uni<ModelVersionLineageResponse> archiveModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String version,
            @QueryParam("dataset_id") @Parameter(description = "The dataset; required when the model type has versions on several") String datasetId) {
        int v = Params.intParam("version", version, 0, 1, Integer.MAX_VALUE);
        return metadata.archiveModelVersion(modelType, v, blankToNull(datasetId));
    }

    @POST
    @Path("/models/{model_type}/versions/{version}/unarchive")
    @Operation(operationId = "unarchiveModelVersion", summary = "Unarchive a version",
            description = "Lists the version again and makes it deployable and aliasable; a version that is not archived is answered unchanged.")
    @APIResponse(responseCode = "200", description = "The version, not archived",
            content = @Content(schema = @Schema(implementation = ModelVersionLineageResponse.class)))
    @APIResponse(responseCode = "400", description = "`version` is not a positive integer, or `dataset_id` is needed")
    @APIResponse(responseCode = "404", description = "Unknown model type, or no such version")
    public Uni<ModelVersionLineageResponse> unarchiveModelVersion(@PathParam("model_type") String modelType,
            @PathParam("version") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String version,
            @QueryParam("dataset_id") @Parameter(description = "The dataset; required when the model type has versions on several") String datasetId) {
        int v = Params.intParam("version", version, 0, 1, Integer.MAX_VALUE);
        return metadata.unarchiveModelVersion(modelType, v, blankToNull(datasetId));
    }

    @GET
    @Path("/models/{model_type}/compare")
    @Operation(operationId = "compareModelVersions", summary = "Compare versions side by side",
            description = "2 to 10 versions of one (dataset, model type), archived ones included, in the order given: every "
                    + "numeric test metric (with its direction and best version), the hyperparameters whose values differ, and "
                    + "the best version by the task's main metric (accuracy for classification, r2 for regression; higher is "
                    + "better; the newest wins a tie). `dataset_id` is required when the model type has versions on several datasets.")
    @APIResponse(responseCode = "200", description = "The comparison",
            content = @Content(schema = @Schema(implementation = ModelVersionComparisonResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Versions 1 and 2 of the titanic forest",
                            value = RegistryExamples.COMPARISON)))
    @APIResponse(responseCode = "400", description = "`versions` is not a list of 2..10 distinct positive integers, the versions "
            + "solve different tasks, or `dataset_id` is needed")
    @APIResponse(responseCode = "404", description = "Unknown model type, or a version does not exist")
    public Uni<ModelVersionComparisonResponse> compareModelVersions(@PathParam("model_type") String modelType,
            @QueryParam("dataset_id") @Parameter(description = "The dataset; required when the model type has versions on several") String datasetId,
            @QueryParam("versions") @Parameter(required = true, description = "Comma-separated version numbers, 2..10 of them",
                    example = "1,3,4") String versions) {
        return metadata.compareModelVersions(modelType, blankToNull(datasetId), versions);
    }

    /** Parses {@code ?tag=key:value} / {@code ?tag=key} conditions. */
    public static List<ModelFilter.TagFilter> tagFilters(List<String> tags) {
        if (tags == null || tags.isEmpty()) {
            return List.of();
        }
        List<ModelFilter.TagFilter> out = new ArrayList<>();
        for (String tag : tags) {
            if (tag == null || tag.isBlank()) {
                continue;
            }
            int colon = tag.indexOf(':');
            String key = colon < 0 ? tag.strip() : tag.substring(0, colon).strip();
            String value = colon < 0 ? null : tag.substring(colon + 1);
            if (!RegistryMetadataService.TAG_KEY.matcher(key).matches()) {
                throw InvalidInputException.forField("tag", "'" + (tag.length() > 64 ? tag.substring(0, 64) + "…" : tag)
                        + "' is not key:value (or key) with a tag key of 1..64 letters, digits, '_', '.', '/', '-'");
            }
            if (value != null && value.length() > RegistryMetadataService.MAX_TAG_VALUE) {
                throw InvalidInputException.forField("tag", "tag values have at most " + RegistryMetadataService.MAX_TAG_VALUE + " characters");
            }
            out.add(new ModelFilter.TagFilter(key, value));
        }
        if (out.size() > 20) {
            throw InvalidInputException.forField("tag", "at most 20 tag conditions, got " + out.size());
        }
        return out;
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
