package dev.mlpipeline.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import dev.mlpipeline.pipeline.Metrics;
import dev.mlpipeline.pipeline.Task;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse.Best;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse.ComparedVersion;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse.FeatureImportanceComparison;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse.HyperparameterComparison;
import dev.mlpipeline.registry.dto.ModelVersionComparisonResponse.MetricComparison;

/**
 * Side-by-side comparison of versions of one (dataset, model type): pure logic, no I/O.
 *
 * <p>The main metric of a task is its default scoring ({@link Metrics#defaultScoring}: accuracy for
 * classification, r2 for regression), the metric the registry statistics rank versions by. Error
 * metrics (rmse, mae, mse, log_loss and the like) are better when lower; every other metric when
 * higher. Ties go to the newest version, as in the statistics.
 */
final class VersionComparison {

    /** Metrics that measure an error: lower is better. */
    private static final Set<String> ERRORS = Set.of("rmse", "mae", "mse", "log_loss", "max_error", "median_absolute_error");

    private VersionComparison() {
    }

    /**
     * One version to compare.
     *
     * @param metrics           the test metrics object (numbers; anything else is ignored)
     * @param hyperparameters   the hyperparameters object
     * @param featureImportance the stored feature importance ({@code FeatureImportance.toJsonMap()}'s shape), or
     *                          null for a version trained before it was computed
     */
    record Candidate(ComparedVersion version, JsonNode metrics, JsonNode hyperparameters, JsonNode featureImportance) {

        Candidate(ComparedVersion version, JsonNode metrics, JsonNode hyperparameters) {
            this(version, metrics, hyperparameters, null);
        }
    }

    /** True when a higher value of the metric is better. */
    static boolean higherIsBetter(String metric) {
        return !ERRORS.contains(metric) && !metric.endsWith("_error");
    }

    /**
     * @param candidates the versions, in the order of the answer; all of the same task
     * @param task       that task
     */
    static ModelVersionComparisonResponse compare(String modelType, String datasetId, String datasetName, Task task,
            List<Candidate> candidates) {
        Set<String> metricNames = new LinkedHashSet<>();
        Set<String> hyperNames = new LinkedHashSet<>();
        for (Candidate c : candidates) {
            c.metrics().properties().forEach(e -> {
                if (e.getValue().isNumber()) {
                    metricNames.add(e.getKey());
                }
            });
            c.hyperparameters().properties().forEach(e -> hyperNames.add(e.getKey()));
        }
        List<MetricComparison> metrics = new ArrayList<>();
        for (String name : metricNames) {
            List<Double> values = new ArrayList<>();
            for (Candidate c : candidates) {
                JsonNode v = c.metrics().get(name);
                values.add(v != null && v.isNumber() ? v.doubleValue() : null);
            }
            boolean higher = higherIsBetter(name);
            int best = bestIndex(values, higher, candidates);
            metrics.add(new MetricComparison(name, higher, values, best < 0 ? null : candidates.get(best).version().version()));
        }
        List<HyperparameterComparison> differing = new ArrayList<>();
        Comparator<JsonNode> numbersByValue = (a, b) -> a.isNumber() && b.isNumber()
                ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;
        for (String name : hyperNames) {
            List<JsonNode> values = new ArrayList<>();
            for (Candidate c : candidates) {
                JsonNode v = c.hyperparameters().get(name);
                values.add(v == null ? NullNode.getInstance() : v);
            }
            boolean same = values.stream().allMatch(v -> v.equals(numbersByValue, values.getFirst()));
            if (!same) {
                differing.add(new HyperparameterComparison(name, new ArrayList<>(values)));
            }
        }
        String main = Metrics.defaultScoring(task);
        boolean higher = higherIsBetter(main);
        List<Double> mainValues = new ArrayList<>();
        for (Candidate c : candidates) {
            JsonNode v = c.metrics().get(main);
            mainValues.add(v != null && v.isNumber() ? v.doubleValue() : null);
        }
        int b = bestIndex(mainValues, higher, candidates);
        Best best = b < 0 ? null : new Best(main, higher ? "higher_is_better" : "lower_is_better",
                candidates.get(b).version().version(), candidates.get(b).version().jobId(), mainValues.get(b));
        return new ModelVersionComparisonResponse(modelType, datasetId, datasetName, task.wireName(),
                candidates.stream().map(Candidate::version).toList(), metrics, differing, best, importance(candidates, b));
    }

    /**
     * Per input feature, each version's model importance and permutation importance mean, features in the order of
     * the best version's ranking (else the first version that has importance), then any feature only others have.
     */
    private static List<FeatureImportanceComparison> importance(List<Candidate> candidates, int bestIndex) {
        List<Map<String, JsonNode>> byVersion = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<Candidate> leaders = new ArrayList<>();
        if (bestIndex >= 0) leaders.add(candidates.get(bestIndex));
        leaders.addAll(candidates);
        for (Candidate c : leaders) {
            JsonNode features = c.featureImportance() == null ? null : c.featureImportance().get("features");
            if (features != null) features.forEach(f -> names.add(f.path("feature").asText()));
        }
        for (Candidate c : candidates) {
            Map<String, JsonNode> entries = new HashMap<>();
            JsonNode features = c.featureImportance() == null ? null : c.featureImportance().get("features");
            if (features != null) features.forEach(f -> entries.put(f.path("feature").asText(), f));
            byVersion.add(entries);
        }
        List<FeatureImportanceComparison> out = new ArrayList<>();
        for (String name : names) {
            List<Double> model = new ArrayList<>();
            List<Double> permutation = new ArrayList<>();
            for (Map<String, JsonNode> entries : byVersion) {
                JsonNode f = entries.get(name);
                model.add(number(f, "model_importance"));
                permutation.add(number(f, "permutation_importance_mean"));
            }
            out.add(new FeatureImportanceComparison(name, model, permutation));
        }
        return out;
    }

    private static Double number(JsonNode entry, String field) {
        JsonNode v = entry == null ? null : entry.get(field);
        return v != null && v.isNumber() ? v.doubleValue() : null;
    }

    /** Index of the best non-null, non-NaN value (the newest version on a tie), or -1. */
    private static int bestIndex(List<Double> values, boolean higher, List<Candidate> candidates) {
        int best = -1;
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || v.isNaN()) {
                continue;
            }
            if (best < 0) {
                best = i;
                continue;
            }
            int cmp = Double.compare(v, values.get(best));
            if (!higher) {
                cmp = -cmp;
            }
            if (cmp > 0 || (cmp == 0 && candidates.get(i).version().version() > candidates.get(best).version().version())) {
                best = i;
            }
        }
        return best;
    }
}
