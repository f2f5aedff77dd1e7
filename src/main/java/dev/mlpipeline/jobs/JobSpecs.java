package dev.mlpipeline.jobs;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.dataset.DatasetTables.LoadedTable;
import dev.mlpipeline.pipeline.ModelCatalog;
import dev.mlpipeline.pipeline.ModelType;
import dev.mlpipeline.pipeline.ModelUnavailableException;
import dev.mlpipeline.pipeline.PipelineValidationException;
import dev.mlpipeline.pipeline.PreprocessingSpec;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.pipeline.Trainer;
import dev.mlpipeline.pipeline.TrainingSpec;

/**
 * Up-front validation of the fields training and tuning jobs share, against the dataset itself,
 * so that a job is only queued when it can run: every problem is a 400 naming the field.
 */
public final class JobSpecs {

    public static final double DEFAULT_TEST_SIZE = 0.2;
    public static final long DEFAULT_SEED = 42;

    private JobSpecs() {
    }

    /** The fields of a job request that describe one fit. */
    public record Request(String modelType, String targetColumn, String task, List<String> featureColumns,
            Map<String, Object> hyperparameters, Double testSize, Long randomSeed, Map<String, Object> preprocessing) {
    }

    /** Fails unless a job request body is present and names a dataset; {@code required} lists the required fields. */
    public static void requireDataset(Object request, String datasetId, String required) {
        if (request == null) {
            throw new InvalidInputException("The request body is required: a JSON object with " + required + ".");
        }
        if (datasetId == null || datasetId.isBlank()) {
            throw InvalidInputException.forField("dataset_id", "is required");
        }
    }

    /** The model type named by a request, known and usable on this machine. */
    public static ModelType modelType(String name) {
        if (name == null || name.isBlank()) {
            throw InvalidInputException.forField("model_type", "is required; see GET /api/model-types");
        }
        ModelType type = ModelCatalog.find(name).orElseThrow(() -> InvalidInputException.forField("model_type",
                "unknown model type '" + name + "'; known types are: "
                        + ModelCatalog.all().stream().map(ModelType::name).collect(Collectors.joining(", "))));
        if (!type.available()) {
            throw InvalidInputException.forField("model_type", type.detail());
        }
        return type;
    }

    /**
     * Checks a request against the dataset and returns the complete spec (defaults filled in).
     * Runs the pipeline's own checks (enough rows, two classes, split sizes); call it off the event loop.
     */
    public static TrainingSpec validate(LoadedTable data, Request r) {
        return translate(() -> {
            ModelType type = modelType(r.modelType());
            if (r.targetColumn() == null || r.targetColumn().isBlank()) {
                throw InvalidInputException.forField("target_column", "is required");
            }
            int target = data.table().indexOf(r.targetColumn());
            if (target < 0) {
                throw InvalidInputException.forField("target_column", "'" + r.targetColumn()
                        + "' is not a column of dataset " + data.datasetId() + "; columns are: "
                        + String.join(", ", data.table().columns()));
            }
            Task task = r.task() == null ? inferTask(data, target) : Task.fromWire(r.task());
            if (!type.supports(task)) {
                throw InvalidInputException.forField(r.task() == null ? "target_column" : "task", type.name()
                        + " does not support " + task.wireName() + (r.task() == null ? " (inferred from target column '"
                                + r.targetColumn() + "'; set task to override)" : "")
                        + "; it supports "
                        + type.tasks().stream().map(Task::wireName).sorted().collect(Collectors.joining(", ")));
            }
            List<String> features = features(data, r.targetColumn(), r.featureColumns());
            Map<String, Object> hyperparameters = type.validate(r.hyperparameters() == null ? Map.of() : r.hyperparameters());
            PreprocessingSpec preprocessing = PreprocessingSpec.fromMap(r.preprocessing());
            double testSize = r.testSize() == null ? DEFAULT_TEST_SIZE : r.testSize();
            if (!(testSize > 0 && testSize < 1)) {
                throw InvalidInputException.forField("test_size", "must be strictly between 0 and 1, got " + testSize);
            }
            long seed = r.randomSeed() == null ? DEFAULT_SEED : r.randomSeed();
            TrainingSpec spec = new TrainingSpec(type.name(), task, r.targetColumn(), features, hyperparameters,
                    preprocessing, testSize, seed);
            Trainer.validate(data.table(), data.types(), spec);
            return spec;
        });
    }

    private static Task inferTask(LoadedTable data, int target) {
        Set<String> distinct = new HashSet<>();
        for (String[] row : data.table().rows()) {
            if (target < row.length && row[target] != null) {
                distinct.add(row[target]);
                if (distinct.size() > Trainer.MAX_INFERRED_CLASSES + 1) {
                    break;
                }
            }
        }
        return Trainer.inferTask(data.types().get(data.table().columns().get(target)), distinct);
    }

    private static List<String> features(LoadedTable data, String target, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            // Likely identifiers (a distinct value on almost every row) carry nothing a model can learn.
            List<String> features = data.table().columns().stream()
                    .filter(c -> !c.equals(target) && !data.likelyIdentifiers().contains(c)).toList();
            if (features.isEmpty()) {
                throw InvalidInputException.forField("feature_columns", "dataset " + data.datasetId() + " has no column"
                        + " besides the target that is not a likely identifier ("
                        + String.join(", ", data.likelyIdentifiers()) + "); name the features in feature_columns");
            }
            return features;
        }
        Set<String> seen = new HashSet<>();
        for (String f : requested) {
            if (f == null || data.table().indexOf(f) < 0) {
                throw InvalidInputException.forField("feature_columns", "'" + f + "' is not a column of dataset "
                        + data.datasetId() + "; columns are: " + String.join(", ", data.table().columns()));
            }
            if (f.equals(target)) {
                throw InvalidInputException.forField("feature_columns", "'" + f + "' is the target column; it cannot also be a feature");
            }
            if (!seen.add(f)) {
                throw InvalidInputException.forField("feature_columns", "'" + f + "' is listed twice");
            }
        }
        return List.copyOf(requested);
    }

    /** Runs {@code work}, turning the pipeline's validation failures into 400s naming the field. */
    public static <T> T translate(Supplier<T> work) {
        try {
            return work.get();
        } catch (PipelineValidationException e) {
            String field = e.field() == null ? "request" : e.field();
            throw InvalidInputException.forField(field, e.getMessage());
        } catch (ModelUnavailableException e) {
            throw InvalidInputException.forField("model_type", e.getMessage());
        }
    }

    /** The spec as stored in the job row (JSON-friendly). */
    public static Map<String, Object> preprocessingMap(TrainingSpec spec) {
        return new LinkedHashMap<>(spec.preprocessing().toMap());
    }
}
