package dev.mlpipeline.training;

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
import dev.mlpipeline.training.dto.CreateTrainingJobRequest;
import dev.mlpipeline.training.dto.TrainingJobResponse;
import io.smallrye.mutiny.Uni;

@Path("/api/training/jobs")
@Tag(name = "Training jobs", description = "Fit one model with fixed hyperparameters; each completed job is a model version")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingJobResource {

    @Inject
    TrainingJobService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createTrainingJob", summary = "Queue a training job",
            description = "Validates the request against the dataset, then queues the job (PENDING). Poll the Location to follow it.")
    @APIResponse(responseCode = "202", description = "Queued",
            headers = @Header(name = "Location", description = "URL of the job, to poll", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(schema = @Schema(implementation = TrainingJobResponse.class),
                    examples = @ExampleObject(name = "titanic", summary = "Queued", value = OpenApiExamples.TRAINING_JOB_PENDING)))
    @APIResponse(responseCode = "400", description = "Invalid request; errors[] names the field")
    @APIResponse(responseCode = "404", description = "No such dataset")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateTrainingJobRequest.class),
            examples = @ExampleObject(name = "titanic", summary = "A random forest on samples/titanic.csv", value = OpenApiExamples.CREATE_TRAINING_JOB)))
    public Uni<RestResponse<TrainingJobResponse>> createTrainingJob(CreateTrainingJobRequest request) {
        return service.createTrainingJob(request).map(job -> RestResponse.ResponseBuilder
                .<TrainingJobResponse>accepted().location(URI.create("/api/training/jobs/" + job.id))
                .entity(TrainingJobResponse.of(job)).build());
    }

    @GET
    @Operation(operationId = "listTrainingJobs", summary = "List training jobs, newest first")
    @APIResponse(responseCode = "200", description = "Matching jobs")
    @APIResponse(responseCode = "400", description = "Bad filter")
    public Uni<List<TrainingJobResponse>> listTrainingJobs(
            @QueryParam("status") @Parameter(description = "Only jobs in this status (case-insensitive)",
                    schema = @Schema(implementation = JobStatus.class)) String status,
            @QueryParam("dataset_id") @Parameter(description = "Only jobs on this dataset") String datasetId,
            @QueryParam("model_type") @Parameter(description = "Only jobs of this model type") String modelType,
            @QueryParam("limit") @Parameter(description = "At most this many jobs, 1..1000",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100")) String limit) {
        return service.listTrainingJobs(JobFilter.of(status, datasetId, modelType), Params.intParam("limit", limit, 100, 1, 1000))
                .map(list -> list.stream().map(TrainingJobResponse::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getTrainingJob", summary = "Get a training job with its status, progress, metrics and version")
    @APIResponse(responseCode = "200", description = "The job")
    @APIResponse(responseCode = "404", description = "No such job")
    public Uni<TrainingJobResponse> getTrainingJob(@PathParam("id") String id) {
        return service.getTrainingJob(id).map(TrainingJobResponse::of);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelTrainingJob", summary = "Cancel a PENDING or RUNNING training job")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such job")
    @APIResponse(responseCode = "409", description = "The job has already finished")
    public Uni<TrainingJobResponse> cancelTrainingJob(@PathParam("id") String id) {
        return service.cancelTrainingJob(id).map(TrainingJobResponse::of);
    }
}
