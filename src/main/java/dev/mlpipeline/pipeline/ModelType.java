package dev.mlpipeline.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A trainable model family.
 *
 * @param name            API name, e.g. "RandomForest"
 * @param tasks           tasks the model supports
 * @param hyperparameters accepted hyperparameters, in display order
 * @param available       false when the model cannot run on this machine
 * @param detail          null when available; otherwise why not and how to fix it
 */
public record ModelType(String name, Set<Task> tasks, List<HyperparameterSpec> hyperparameters,
        boolean available, String detail) {

    /** Makes the collections immutable. */
    public ModelType {
        tasks = Set.copyOf(tasks);
        hyperparameters = List.copyOf(hyperparameters);
    }

    /** @param task a task @return whether this model supports it */
    public boolean supports(Task task) {
        return tasks.contains(task);
    }

    /**
     * Validates user hyperparameters and fills in the defaults.
     *
     * @param given values from the request (may be null or empty)
     * @return a new map holding every declared hyperparameter, in declaration order, with normalised values
     * @throws PipelineValidationException naming {@code hyperparameters.<name>} for an unknown name, wrong type or
     *                                     out-of-range value
     */
    public Map<String, Object> validate(Map<String, Object> given) {
        Map<String, Object> in = given == null ? Map.of() : given;
        for (String key : in.keySet()) {
            if (hyperparameters.stream().noneMatch(h -> h.name().equals(key))) {
                String valid = hyperparameters.isEmpty() ? "(none)"
                        : hyperparameters.stream().map(HyperparameterSpec::name).collect(Collectors.joining(", "));
                throw new PipelineValidationException("hyperparameters." + key, "unknown hyperparameter '" + key
                        + "' for " + name + "; valid hyperparameters are: " + valid);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (HyperparameterSpec h : hyperparameters) {
            out.put(h.name(), in.containsKey(h.name()) ? h.coerce(in.get(h.name())) : h.defaultValue());
        }
        return out;
    }
}
