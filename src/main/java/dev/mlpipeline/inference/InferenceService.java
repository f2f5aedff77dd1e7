package dev.mlpipeline.inference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.common.NotFoundException;
import dev.mlpipeline.common.UnavailableException;
import dev.mlpipeline.deployment.DeploymentService;
import dev.mlpipeline.deployment.ModelCache;
import dev.mlpipeline.deployment.dto.PredictionResponse;
import dev.mlpipeline.inference.dto.HealthResponse;
import dev.mlpipeline.inference.dto.InferenceRequest;
import dev.mlpipeline.inference.dto.InferenceResponse;
import dev.mlpipeline.inference.dto.ModelMetadataResponse;
import dev.mlpipeline.inference.dto.RequestInput;
import dev.mlpipeline.inference.dto.RequestOutput;
import dev.mlpipeline.inference.dto.ResponseOutput;
import dev.mlpipeline.inference.dto.TensorMetadata;
import dev.mlpipeline.pipeline.ColumnType;
import dev.mlpipeline.pipeline.FeatureInfo;
import dev.mlpipeline.pipeline.FittedPipeline;
import dev.mlpipeline.pipeline.Task;
import io.smallrye.mutiny.Uni;

/**
 * The Open Inference Protocol (KServe v2, {@code docs/predict-api/v2/required_api.md} of
 * kserve/kserve) over the active deployment. The one model served is named by its model type and
 * has one version, the active one. Inference turns the input tensors (one per feature column, shape
 * {@code [n]}) into {@code n} rows and predicts them with {@link DeploymentService#predict}: the same
 * validation, imputation, reporting, limits and metrics as {@code POST /api/deployments/predict},
 * and the same answers.
 */
@ApplicationScoped
public class InferenceService {

    /** The protocol's tensor data types (its "Tensor Data Types" table). */
    static final Set<String> NUMERIC_TYPES = Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64",
            "FP16", "FP32", "FP64");
    static final Set<String> INTEGER_TYPES = Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

    @Inject
    DeploymentService deployments;

    @Inject
    ModelCache cache;

    /** Server ready: this replica knows the active deployment and, if there is one, has its model warm. */
    public HealthResponse serverReady() {
        return new HealthResponse(null, null, cache.ready());
    }

    /** Model ready: 200 with {@code ready: true} when {@code name} is served here; 404 when it is not the active model. */
    public HealthResponse modelReady(String name) {
        Optional<ModelCache.Warm> warm = cache.active();
        if (warm.isPresent() && warm.get().modelType().equals(name)) {
            return new HealthResponse(name, null, true);
        }
        if (warm.isEmpty() && cache.desired().isPresent()) {
            throw new UnavailableException("The active deployment is not warm on this replica yet (or cannot load here); retry in a moment.");
        }
        throw unknownModel(name);
    }

    /**
     * The served model's metadata: one input tensor per feature (FP64 numeric, BYTES categorical, shape
     * {@code [-1]}), output {@code predict} ({@code [-1]}) and, for classification, {@code probabilities}
     * ({@code [-1, k]}).
     *
     * @throws NotFoundException when {@code name} is not the active model
     */
    public ModelMetadataResponse modelMetadata(String name) {
        ModelCache.Warm warm = served(name, null);
        FittedPipeline pipeline = warm.pipeline();
        List<TensorMetadata> inputs = new ArrayList<>();
        for (FeatureInfo f : pipeline.features()) {
            inputs.add(new TensorMetadata(f.name(), f.type() == ColumnType.NUMERIC ? "FP64" : "BYTES", List.of(-1L)));
        }
        List<TensorMetadata> outputs = new ArrayList<>();
        outputs.add(new TensorMetadata("predict", predictDatatype(pipeline), List.of(-1L)));
        if (pipeline.task() == Task.CLASSIFICATION) {
            outputs.add(new TensorMetadata("probabilities", "FP64", List.of(-1L, (long) pipeline.labels().size())));
        }
        return new ModelMetadataResponse(warm.modelType(), List.of(String.valueOf(warm.version())),
                "smile_" + warm.modelType(), inputs, outputs);
    }

    /**
     * Predicts the rows the input tensors describe with the active deployment.
     *
     * @param version null for any (the active) version
     * @throws NotFoundException for another model or version than the active one
     * @throws InvalidInputException for malformed tensors, and every 400 of predict
     */
    public Uni<InferenceResponse> infer(String name, String version, InferenceRequest request) {
        served(name, version);
        if (request == null) {
            throw new InvalidInputException("The body is required: {\"inputs\": [{\"name\": \"<feature>\", \"shape\": [n],"
                    + " \"datatype\": \"FP64\", \"data\": [...]}, ...]}.");
        }
        Set<String> wanted = wantedOutputs(request.outputs());
        Boolean strict = strict(request.parameters());
        List<Map<String, Object>> rows = rows(request.inputs());
        return deployments.predict(rows, strict).map(prediction -> {
            // The deployment may have changed between the check above and the prediction.
            if (!prediction.modelType().equals(name) || (version != null && !version.equals(String.valueOf(prediction.version())))) {
                throw unknownModel(name);
            }
            return response(request.id(), prediction, wanted);
        });
    }

    private ModelCache.Warm served(String name, String version) {
        Optional<ModelCache.Warm> warm = cache.active();
        if (warm.isEmpty()) {
            if (cache.desired().isPresent()) {
                throw new UnavailableException("The active deployment is not warm on this replica yet (or cannot load here);"
                        + " retry in a moment, or see GET /api/deployments/active.");
            }
            throw new NotFoundException("Model '" + name + "' is not served: nothing is deployed (POST /api/deployments/deploy).");
        }
        if (!warm.get().modelType().equals(name)) {
            throw unknownModel(name);
        }
        if (version != null && !version.equals(String.valueOf(warm.get().version()))) {
            throw new NotFoundException("Version '" + version + "' of model '" + name + "' is not served; the served version is "
                    + warm.get().version() + ".");
        }
        return warm.get();
    }

    private NotFoundException unknownModel(String name) {
        String served = cache.active().map(w -> " The served model is '" + w.modelType() + "' version " + w.version() + ".").orElse("");
        return new NotFoundException("Model '" + name + "' is not served." + served);
    }

    private static String predictDatatype(FittedPipeline pipeline) {
        if (pipeline.task() != Task.CLASSIFICATION) {
            return "FP64";
        }
        if (pipeline.labels().stream().allMatch(l -> l instanceof String)) {
            return "BYTES";
        }
        return pipeline.labels().stream().allMatch(l -> l instanceof Long || l instanceof Integer) ? "INT64" : "FP64";
    }

    private static Set<String> wantedOutputs(List<RequestOutput> outputs) {
        if (outputs == null || outputs.isEmpty()) {
            return Set.of("predict", "probabilities");
        }
        Set<String> wanted = new HashSet<>();
        for (int i = 0; i < outputs.size(); i++) {
            RequestOutput o = outputs.get(i);
            if (o == null || !Set.of("predict", "probabilities").contains(o.name())) {
                throw InvalidInputException.forField("outputs[" + i + "].name", "unknown output"
                        + (o == null ? "" : " '" + o.name() + "'") + "; the outputs are predict and probabilities");
            }
            wanted.add(o.name());
        }
        return wanted;
    }

    private static Boolean strict(Map<String, Object> parameters) {
        Object strict = parameters == null ? null : parameters.get("strict");
        if (strict == null || strict instanceof Boolean) {
            return (Boolean) strict;
        }
        throw InvalidInputException.forField("parameters.strict", "must be true or false");
    }

    /**
     * The rows of the input tensors: row {@code i} maps each input's name to its {@code i}-th value.
     * Checks what the protocol defines (known datatype, shape {@code [n]} or {@code [n, 1]}, as many values
     * as the shape says, values of the datatype); what the values mean is checked by predict.
     */
    static List<Map<String, Object>> rows(List<RequestInput> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            throw InvalidInputException.forField("inputs", "is required: one tensor per feature column, e.g."
                    + " {\"name\": \"age\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [22.0, 38.0]}");
        }
        int n = -1;
        String first = null;
        List<List<Object>> columns = new ArrayList<>(inputs.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            RequestInput input = inputs.get(i);
            String at = "inputs[" + i + "]";
            if (input == null) {
                throw InvalidInputException.forField(at, "must be a tensor object");
            }
            if (input.name() == null || input.name().isBlank()) {
                throw InvalidInputException.forField(at + ".name", "is required: the feature column's name");
            }
            if (!names.add(input.name())) {
                throw InvalidInputException.forField(at + ".name", "'" + input.name() + "' is sent twice");
            }
            String datatype = input.datatype();
            if (datatype == null || !(NUMERIC_TYPES.contains(datatype) || "BYTES".equals(datatype) || "BOOL".equals(datatype))) {
                throw InvalidInputException.forField(at + ".datatype", "must be a protocol datatype: FP64 (or another FP/INT"
                        + " type) for numeric features, BYTES for categorical ones, or BOOL; got " + (datatype == null ? "none" : "'" + datatype + "'"));
            }
            List<Long> shape = input.shape();
            if (shape == null || shape.isEmpty() || shape.size() > 2 || shape.get(0) == null || shape.get(0) < 1
                    || (shape.size() == 2 && !Long.valueOf(1).equals(shape.get(1)))) {
                throw InvalidInputException.forField(at + ".shape", "must be [n] or [n, 1] with n ≥ 1 rows; got " + shape);
            }
            List<Object> data = new ArrayList<>();
            flatten(input.data(), data, at);
            if (data.size() != shape.get(0)) {
                throw InvalidInputException.forField(at + ".data", "holds " + data.size() + " value(s) but the shape " + shape
                        + " says " + shape.get(0));
            }
            for (int r = 0; r < data.size(); r++) {
                checkValue(datatype, data.get(r), at + ".data[" + r + "]");
            }
            if (n < 0) {
                n = data.size();
                first = input.name();
            } else if (n != data.size()) {
                throw InvalidInputException.forField(at + ".shape", "'" + input.name() + "' has " + data.size() + " rows but '"
                        + first + "' has " + n + "; every input holds one value per row");
            }
            columns.add(data);
        }
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < inputs.size(); c++) {
                row.put(inputs.get(c).name(), columns.get(c).get(r));
            }
            rows.add(row);
        }
        return rows;
    }

    private static void flatten(List<Object> data, List<Object> into, String at) {
        if (data == null) {
            throw InvalidInputException.forField(at + ".data", "is required: the tensor's values");
        }
        for (Object v : data) {
            if (v instanceof List<?> nested) {
                @SuppressWarnings("unchecked")
                List<Object> inner = (List<Object>) nested;
                flatten(inner, into, at);
            } else {
                into.add(v);
            }
        }
    }

    private static void checkValue(String datatype, Object v, String at) {
        if (v == null) {
            return; // a missing value, imputed and reported as in predict
        }
        boolean ok = switch (datatype) {
            case "BYTES" -> v instanceof String;
            case "BOOL" -> v instanceof Boolean;
            default -> v instanceof Number number && (!INTEGER_TYPES.contains(datatype)
                    || number instanceof Integer || number instanceof Long || number instanceof java.math.BigInteger);
        };
        if (!ok) {
            throw InvalidInputException.forField(at, "is not a " + datatype + " value: " + (v instanceof String s ? "\"" + s + "\"" : v));
        }
    }

    private static InferenceResponse response(String id, PredictionResponse p, Set<String> wanted) {
        int n = p.predictions().size();
        List<ResponseOutput> outputs = new ArrayList<>();
        if (wanted.contains("predict")) {
            String datatype = p.probabilities() == null ? "FP64"
                    : p.predictions().stream().allMatch(v -> v instanceof String) ? "BYTES"
                    : p.predictions().stream().allMatch(v -> v instanceof Long || v instanceof Integer) ? "INT64" : "FP64";
            outputs.add(new ResponseOutput("predict", List.of((long) n), datatype, null, p.predictions()));
        }
        if (wanted.contains("probabilities") && p.probabilities() != null) {
            List<String> labels = n == 0 ? List.of() : List.copyOf(p.probabilities().getFirst().keySet());
            List<Object> data = new ArrayList<>(n * labels.size());
            for (Map<String, Double> row : p.probabilities()) {
                for (String label : labels) {
                    data.add(row.get(label));
                }
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("class_labels", labels);
            outputs.add(new ResponseOutput("probabilities", List.of((long) n, (long) labels.size()), "FP64", parameters, data));
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("deployment_id", p.deploymentId());
        parameters.put("job_id", p.jobId());
        parameters.put("ignored_columns", p.ignoredColumns());
        parameters.put("missing_columns", p.missingColumns());
        parameters.put("unseen_categories", p.unseenCategories());
        return new InferenceResponse(p.modelType(), String.valueOf(p.version()), id, parameters, outputs);
    }
}
