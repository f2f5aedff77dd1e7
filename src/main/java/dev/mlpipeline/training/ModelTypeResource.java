package dev.mlpipeline.training;

import java.util.List;
import java.util.Set;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.mlpipeline.pipeline.HyperparameterSpec;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.ModelType;
import dev.mlpipeline.pipeline.Task;

@Path("/api/model-types")
@Tag(name = "Model catalog", description = "The model types, their tasks and hyperparameters")
@Produces(MediaType.APPLICATION_JSON)
public class ModelTypeResource {

    @Schema(name = "ModelType")
    public record ModelTypeResponse(String modelType, List<String> tasks, List<HyperparameterResponse> hyperparameters,
            boolean available, @Schema(description = "Why the type is unavailable and how to fix it; null when available", nullable = true) String detail) {
    }

    @Schema(name = "Hyperparameter")
    public record HyperparameterResponse(String name, @Schema(enumeration = {
            "integer", "number", "boolean", "choice" }) String type,
            @JsonProperty("default") @Schema(description = "Default value (null = unlimited where nullable)") Object defaultValue,
            @Schema(nullable = true) Number min, @Schema(nullable = true) Number max,
            @Schema(description = "The values of a choice", nullable = true) List<String> choices, boolean nullable, String description) {
    }

    @GET
    @Operation(operationId = "listModelTypes", summary = "List the model types with their hyperparameters, defaults and ranges")
    @APIResponse(responseCode = "200", description = "The catalog")
    public List<ModelTypeResponse> listModelTypes() {
        return ModelCatalog.all().stream().map(ModelTypeResource::of).toList();
    }

    static ModelTypeResponse of(ModelType t) {
        Set<Task> tasks = t.tasks();
        return new ModelTypeResponse(t.name(), tasks.stream().map(Task::wireName).sorted().toList(),
                t.hyperparameters().stream().map(ModelTypeResource::of).toList(), t.available(), t.detail());
    }

    static HyperparameterResponse of(HyperparameterSpec h) {
        return new HyperparameterResponse(h.name(), h.type().name().toLowerCase(java.util.Locale.ROOT), h.defaultValue(),
                h.min(), h.max(), h.choices(), h.nullable(), h.description());
    }
}
