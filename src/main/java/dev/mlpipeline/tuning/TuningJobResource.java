package dev.mlpipeline.tuning;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

import dev.mlpipeline.common.OpenApiExamples;
import dev.mlpipeline.common.Params;
import dev.mlpipeline.jobs.JobFilter;
import dev.mlpipeline.jobs.JobStatus;
import dev.mlpipeline.tuning.dto.CreateTuningJobRequest;
import dev.mlpipeline.tuning.dto.TuningJobResponse;
import io.smallrye.mutiny.Uni;

@Path("/api/tuning/jobs")
@Tag(name = "Tuning jobs",
        description = "Advanced training with tuning: hyperparameter search with cross-validation; the best configuration becomes a model version")
@Produces(MediaType.APPLICATION_JSON)
public class TuningJobResource {

    @Inject
    TuningJobService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createTuningJob", summary = "Queue a hyperparameter search (grid or random) with k-fold cross-validation")
    @APIResponse(responseCode = "202", description = "Queued",
            headers = @Header(name = "Location", description = "URL of the job, to poll", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(schema = @Schema(implementation = TuningJobResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Queued", value = OpenApiExamples.TUNING_JOB_PENDING)))
    @APIResponse(responseCode = "400", description = "Invalid request; errors[] names the field")
    @APIResponse(responseCode = "404", description = "No such dataset")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateTuningJobRequest.class),
            examples = @ExampleObject(name = "titanic", summary = "A grid search over gradient boosting on samples/titanic.csv",
                    value = OpenApiExamples.CREATE_TUNING_JOB)))
    public Uni<RestResponse<TuningJobResponse>> createTuningJob(CreateTuningJobRequest request) {
        return service.createTuningJob(request).map(job -> RestResponse.ResponseBuilder
                .<TuningJobResponse>accepted().location(URI.create("/api/tuning/jobs/" + job.id))
                .entity(TuningJobResponse.of(job, List.of())).build());
    }

    @GET
    @Operation(operationId = "listTuningJobs", summary = "List tuning jobs, newest first (trials omitted; get one job for them)")
    @APIResponse(responseCode = "200", description = "Matching jobs")
    @APIResponse(responseCode = "400", description = "Bad filter")
    public Uni<List<TuningJobResponse>> listTuningJobs(
            @QueryParam("status") @Parameter(description = "Only jobs in this status (case-insensitive)",
                    schema = @Schema(implementation = JobStatus.class)) String status,
            @QueryParam("dataset_id") @Parameter(description = "Only jobs on this dataset") String datasetId,
            @QueryParam("model_type") @Parameter(description = "Only jobs of this model type") String modelType,
            @QueryParam("limit") @Parameter(description = "At most this many jobs, 1..1000",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100")) String limit) {
        return service.listTuningJobs(JobFilter.of(status, datasetId, modelType), Params.intParam("limit", limit, 100, 1, 1000))
                .map(list -> list.stream().map(job -> TuningJobResponse.of(job, null)).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getTuningJob", summary = "Get a tuning job with its trials, best parameters and version")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<TuningJobResponse> getTuningJob(@PathParam("id") String id) {
        return service.getTuningJob(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelTuningJob", summary = "Cancel a PENDING or RUNNING tuning job")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Uni<TuningJobResponse> cancelTuningJob(@PathParam("id") String id) {
        return service.cancelTuningJob(id);
    }
}
