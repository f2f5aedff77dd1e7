package dev.mlpipeline.dataset;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.OpenApiExamples;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.dataset.dto.DatasetPreviewResponse;
import dev.mlpipeline.dataset.dto.DatasetResponse;
import io.smallrye.mutiny.Uni;

@Path("/api/datasets")
@Tag(name = "Datasets", description = "Upload and inspect CSV datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    @Inject
    DatasetService service;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(operationId = "uploadDataset", summary = "Upload a CSV file as a new dataset",
            description = "Multipart form: part `file` (the CSV: UTF-8, a header row, separated by commas, semicolons, tabs or pipes) and optional parts `name`, "
                    + "`delimiter` (`,` `;` `|` or `tab`; detected when absent), `na_values` (values read as missing besides empty fields, a JSON array or a comma-separated list; pandas' list when absent) "
                    + "and `column_types` (a JSON object such as `{\"zip\":\"categorical\"}` overriding inference). Unquoted values are trimmed, quoted ones kept as written; `warnings` says what was changed and why each non-obvious type was chosen.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "file"),
            examples = @ExampleObject(name = "titanic", summary = "The first rows of samples/titanic.csv", value = OpenApiExamples.UPLOAD_REQUEST)))
    @APIResponse(responseCode = "201", description = "Stored; Location names the new dataset",
            headers = @Header(name = "Location", description = "URL of the new dataset", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(schema = @Schema(implementation = DatasetResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "samples/titanic.csv", value = OpenApiExamples.DATASET)))
    @APIResponse(responseCode = "400",
            description = "Not a valid CSV dataset, the file part is missing, the separator cannot be told, or an option is invalid or contradicts the file (errors[] names the part)")
    @APIResponse(responseCode = "413", description = "Larger than the configured upload limit")
    @APIResponse(responseCode = "415", description = "Not a multipart/form-data request")
    public Uni<RestResponse<DatasetResponse>> uploadDataset(
            @RestForm("file") @Schema(type = SchemaType.STRING, format = "binary", required = true,
                    description = "The CSV file") FileUpload file,
            @RestForm("name") @Schema(description = "Dataset name; default: the file name without .csv", maxLength = 255) String name,
            @RestForm("delimiter") @Schema(description = "`,` `;` `|` or `tab`; detected from the header and first lines when absent") String delimiter,
            @RestForm("na_values") @Schema(
                    description = "Values read as missing besides empty fields: a JSON array of strings or a comma-separated list; pandas' default list when absent") String naValues,
            @RestForm("column_types") @Schema(
                    description = "JSON object, column name to `numeric` or `categorical`, overriding inference") String columnTypes) {
        if (file == null || file.uploadedFile() == null) {
            throw InvalidInputException.forField("file",
                    "the multipart part 'file' is missing: send the CSV as a file part named 'file' (curl -F file=@data.csv)");
        }
        noNul("name", name);
        noNul("delimiter", delimiter);
        noNul("na_values", naValues);
        noNul("column_types", columnTypes);
        noNul("file", file.fileName());
        String filename = file.fileName() == null || file.fileName().isBlank() ? "upload.csv" : file.fileName();
        String datasetName = name == null || name.isBlank() ? stripExtension(filename) : name.strip();
        if (datasetName.length() > 255) {
            throw InvalidInputException.forField("name", "must be at most 255 characters");
        }
        var options = UploadOptions.parse(delimiter, naValues, columnTypes);
        return service.uploadDataset(file.uploadedFile(), truncate(filename), datasetName, options)
                .map(d -> RestResponse.ResponseBuilder.<DatasetResponse>created(URI.create("/api/datasets/" + d.id))
                        .entity(DatasetResponse.of(d)).build());
    }

    @GET
    @Operation(operationId = "listDatasets", summary = "List datasets, newest first")
    @APIResponse(responseCode = "200", description = "Every dataset")
    public Uni<List<DatasetResponse>> listDatasets() {
        return service.listDatasets().map(list -> list.stream().map(DatasetResponse::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getDataset", summary = "Get one dataset with its schema")
    @APIResponse(responseCode = "200", description = "The dataset")
    @APIResponse(responseCode = "404", description = "No such dataset")
    public Uni<DatasetResponse> getDataset(@PathParam("id") String id) {
        return service.getDataset(id).map(DatasetResponse::of);
    }

    @GET
    @Path("/{id}/preview")
    @Operation(operationId = "previewDataset", summary = "The first rows of a dataset as objects")
    @APIResponse(responseCode = "200", description = "Column names and the first rows")
    @APIResponse(responseCode = "400", description = "limit out of range (1..1000)")
    @APIResponse(responseCode = "404", description = "No such dataset")
    public Uni<DatasetPreviewResponse> previewDataset(@PathParam("id") String id,
            @QueryParam("limit") @Parameter(description = "rows to return, 1..1000",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "20")) String limit) {
        return service.previewDataset(id, Params.intParam("limit", limit, 20, 1, DatasetService.MAX_PREVIEW_ROWS));
    }

    @DELETE
    @Path("/{id}")
    // Its only body is a problem: a client that accepts just application/problem+json is answered.
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @Operation(operationId = "deleteDataset", summary = "Delete a dataset that no job or deployment uses")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such dataset")
    @APIResponse(responseCode = "409", description = "A job or deployment refers to it")
    public Uni<RestResponse<Void>> deleteDataset(@PathParam("id") String id) {
        return service.deleteDataset(id).map(ignored -> RestResponse.noContent());
    }

    /** A NUL character in a text part (or the file name) is a 400: PostgreSQL refuses the byte. */
    private static void noNul(String part, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw InvalidInputException.forField(part, "contains a NUL character, which no text may hold");
        }
    }

    private static String stripExtension(String filename) {
        String base = filename.replaceAll("\\.[cC][sS][vV]$", "");
        return truncate(base.isBlank() ? filename : base);
    }

    private static String truncate(String s) {
        return s.length() > 255 ? s.substring(0, 255) : s;
    }
}
