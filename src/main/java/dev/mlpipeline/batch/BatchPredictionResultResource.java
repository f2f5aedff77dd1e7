package dev.mlpipeline.batch;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipeline.common.Problem;
import dev.mlpipeline.common.ProblemMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The streamed result of a batch prediction. Apart from {@link BatchPredictionResource} because a
 * streamed ({@link RestMulti}) answer whose media type is chosen at run time (CSV or JSON lines, or a
 * problem) must have no {@code @Produces}, not even the class's: RESTEasy Reactive refuses to negotiate
 * a Multi otherwise. The Content-Type is set by the answer itself.
 */
@Path("/api/batch-predictions")
@Tag(name = "Batch predictions")
public class BatchPredictionResultResource {

    static final String NDJSON = "application/x-ndjson";
    static final String CSV = "text/csv";

    @Inject
    BatchPredictionService service;

    @Inject
    ObjectMapper mapper;

    @GET
    @Path("/{id}/result")
    @Operation(operationId = "getBatchPredictionResult", summary = "Stream the result: CSV, or JSON lines",
            description = "CSV (default): the input columns, `prediction`, one `probability_<label>` column per class (classification), `error`; one line per dataset row, in dataset order. "
                    + "With `Accept: application/x-ndjson`: one JSON object per row, `{\"row\", \"input\", \"prediction\", \"probabilities\", \"error\"}`. "
                    + "Streamed page by page from PostgreSQL, never loaded whole. Available once the job has finished (a CANCELLED or FAILED one gives the rows written before it stopped).")
    @APIResponse(responseCode = "200", description = "The result",
            content = { @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "titanic", value = BatchExamples.RESULT_CSV)), @Content(mediaType = NDJSON,
                            // The example's first line parses as a JSON object, so each line is described as one.
                            schema = @Schema(type = SchemaType.OBJECT, description = "One JSON object per line: row, input, prediction, probabilities, error"),
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
}
