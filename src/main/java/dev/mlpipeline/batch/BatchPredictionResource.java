package dev.mlpipeline.batch;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestResponse;

import dev.mlpipeline.batch.dto.BatchPredictionResponse;
import dev.mlpipeline.batch.dto.CreateBatchPredictionRequest;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import dev.mlpipeline.jobs.JobStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

@Path("/api/batch-predictions")
@Tag(name = "Batch predictions", description = "Score every row of an uploaded dataset with a model version, as a queued job")
@Produces(MediaType.APPLICATION_JSON)
public class BatchPredictionResource {

    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";

    @Inject
    BatchPredictionService service;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

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

    @GET
    @Path("/{id}/result")
    @Produces({ CSV, NDJSON, Problem.MEDIA_TYPE })
    @Operation(operationId = "getBatchPredictionResult", summary = "Stream the result: CSV, or JSON lines",
            description = "CSV (default): the input columns, `prediction`, one `probability_<label>` column per class (classification), `error`; one line per dataset row, in dataset order. "
                    + "With `Accept: application/x-ndjson`: one JSON object per row, `{\"row\", \"input\", \"prediction\", \"probabilities\", \"error\"}`. "
                    + "Streamed page by page from PostgreSQL, never loaded whole. Available once the job has finished (a CANCELLED or FAILED one gives the rows written before it stopped).")
    @APIResponse(responseCode = "200", description = "The result",
            content = { @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "titanic", value = BatchExamples.RESULT_CSV)), @Content(mediaType = NDJSON,
                            schema = @Schema(type = SchemaType.STRING),
                            examples = @ExampleObject(name = "titanic", value = BatchExamples.RESULT_NDJSON)) })
    @APIResponse(responseCode = "404", description = "No such batch prediction")
    @APIResponse(responseCode = "409", description = "Still PENDING or RUNNING")
    public RestMulti<Buffer> getBatchPredictionResult(@PathParam("id") String id,
            @HeaderParam("Accept") @Parameter(hidden = true) String accept) {
        boolean ndjson = accept != null && accept.contains(NDJSON);
        String path = "/api/batch-predictions/" + id + "/result";
        // A streamed answer cannot fail through the exception mappers: a refusal (404, 409, 503) is turned
        // into its problem+json answer here, by ProblemMapper as everywhere else.
        Uni<Answer> answer = service.getBatchPredictionResult(id, ndjson)
                .map(result -> new Answer(200, result.ndjson() ? NDJSON : CSV + ";charset=UTF-8",
                        "attachment; filename=\"" + result.batch().id() + (result.ndjson() ? ".ndjson" : ".csv") + "\"", result.body()))
                .onFailure().recoverWithItem(failure -> {
                    jakarta.ws.rs.core.Response problem = ProblemMapper.toResponse(failure, path);
                    String body;
                    try {
                        body = mapper.writeValueAsString(problem.getEntity());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    return new Answer(problem.getStatus(), Problem.MEDIA_TYPE, null, Multi.createFrom().item(Buffer.buffer(body)));
                });
        return RestMulti.fromUniResponse(answer, Answer::body,
                a -> a.disposition() == null ? Map.of("Content-Type", List.of(a.contentType()))
                        : Map.of("Content-Type", List.of(a.contentType()), "Content-Disposition", List.of(a.disposition())),
                Answer::status);
    }

    /** What the result endpoint answers: the stream, or a problem. */
    private record Answer(int status, String contentType, String disposition, Multi<Buffer> body) {
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
