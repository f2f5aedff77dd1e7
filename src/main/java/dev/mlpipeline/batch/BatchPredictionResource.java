package dev.mlpipeline.batch;

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
import org.jboss.resteasy.reactive.RestResponse;

import dev.mlpipeline.batch.dto.BatchPredictionResponse;
import dev.mlpipeline.batch.dto.CreateBatchPredictionRequest;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.jobs.JobStatus;
import io.smallrye.mutiny.Uni;

@Path("/api/batch-predictions")
@Tag(name = "Batch predictions", description = "Score every row of an uploaded dataset with a model version, as a queued job")
@Produces(MediaType.APPLICATION_JSON)
public class BatchPredictionResource {

    @Inject
    BatchPredictionService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createBatchPrediction", summary = "Queue the scoring of a whole dataset",
            description = "Scores every row of the dataset with the version of `job_id` (default: the active deployment's) through the same pipeline as predict, "
                    + "on the worker pool, and stores the input columns, the prediction and the class probabilities of every row. "
                    + "Rows that fail validation get an `error` instead of a prediction and never abort the job; features the dataset lacks are imputed.")
    @APIResponse(responseCode = "202", description = "Queued (PENDING)",
            headers = @Header(name = "Location", description = "URL of the batch prediction", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(schema = @Schema(implementation = BatchPredictionResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Queued", value = BatchExamples.QUEUED)))
    @APIResponse(responseCode = "400", description = "dataset_id missing, or job_id missing while nothing is deployed")
    @APIResponse(responseCode = "404", description = "No such dataset or job")
    @APIResponse(responseCode = "409", description = "The job is not COMPLETED")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateBatchPredictionRequest.class),
            examples = @ExampleObject(name = "titanic", summary = "Score samples/titanic.csv with the active deployment", value = BatchExamples.CREATE)))
    public Uni<RestResponse<BatchPredictionResponse>> createBatchPrediction(CreateBatchPredictionRequest request) {
        return service.createBatchPrediction(request).map(b -> RestResponse.ResponseBuilder
                .<BatchPredictionResponse>create(RestResponse.Status.ACCEPTED)
                .location(URI.create("/api/batch-predictions/" + b.id()))
                .entity(BatchPredictionResponse.of(b)).build());
    }

    @GET
    @Operation(operationId = "listBatchPredictions", summary = "List batch predictions, newest first")
    @APIResponse(responseCode = "200", description = "Matching batch predictions")
    @APIResponse(responseCode = "400", description = "Bad filter")
    public Uni<List<BatchPredictionResponse>> listBatchPredictions(
            @QueryParam("status") @Parameter(description = "Only batch predictions in this status (case-insensitive)",
                    schema = @Schema(implementation = JobStatus.class)) String status,
            @QueryParam("limit") @Parameter(description = "At most this many, 1..1000",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100")) String limit) {
        JobStatus filter = status == null || status.isBlank() ? null : JobStatus.parse("status", status);
        return service.listBatchPredictions(filter, Params.intParam("limit", limit, 100, 1, 1000))
                .map(list -> list.stream().map(BatchPredictionResponse::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getBatchPrediction", summary = "A batch prediction: status, progress and row counts")
    @APIResponse(responseCode = "200", description = "The batch prediction",
            content = @Content(schema = @Schema(implementation = BatchPredictionResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Completed", value = BatchExamples.COMPLETED)))
    @APIResponse(responseCode = "404", description = "No such batch prediction")
    public Uni<BatchPredictionResponse> getBatchPrediction(@PathParam("id") String id) {
        return service.getBatchPrediction(id).map(BatchPredictionResponse::of);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelBatchPrediction", summary = "Cancel a PENDING or RUNNING batch prediction")
    @APIResponse(responseCode = "200", description = "Cancelled; a running one stops at its next chunk, keeping the rows written")
    @APIResponse(responseCode = "404", description = "No such batch prediction")
    @APIResponse(responseCode = "409", description = "It has already finished")
    public Uni<BatchPredictionResponse> cancelBatchPrediction(@PathParam("id") String id) {
        return service.cancelBatchPrediction(id).map(BatchPredictionResponse::of);
    }

    @DELETE
    @Path("/{id}")
    @Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
    @Operation(operationId = "deleteBatchPrediction", summary = "Delete a finished batch prediction and its result")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such batch prediction")
    @APIResponse(responseCode = "409", description = "Still PENDING or RUNNING: cancel it first")
    public Uni<RestResponse<Void>> deleteBatchPrediction(@PathParam("id") String id) {
        return service.deleteBatchPrediction(id).map(ignored -> RestResponse.noContent());
    }
}
