package dev.mlpipeline.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mlpipeline.dataset.DatasetColumn;
import dev.mlpipeline.dataset.dto.DatasetResponse;
import dev.mlpipeline.training.ModelTypeResource.HyperparameterResponse;
import dev.mlpipeline.training.ModelTypeResource.ModelTypeResponse;
import io.quarkus.qute.TemplateData;

/**
 * The train and tune forms, generated from the model catalog as {@code GET /api/model-types}
 * describes it, and the translation of a submitted form into the API's request fields. Values are
 * converted to the JSON types their hyperparameter declares when they can be; anything else is passed
 * on as typed, so that the service's own validation answers it (one set of rules, in one place).
 */
final class JobForms {

    static final List<String> SCORINGS = List.of("accuracy", "f1", "roc_auc", "precision", "recall", "r2", "neg_rmse", "neg_mae");

    private JobForms() {
    }

    @TemplateData
    public record Option(String value, String label, boolean selected) {
    }

    /**
     * One form control. {@code control} is {@code number}, {@code text} or {@code select}; {@code name}
     * is the JSON name of the request field ({@code hyperparameters.n_trees}), which is also how the
     * problem+json {@code errors[]} name it.
     */
    @TemplateData
    public record Field(String id, String name, String label, String control, String value, String placeholder, String min,
            String max, String step, List<Option> options, String hint, String error) {
    }

    @TemplateData
    public record Feature(String id, String name, boolean checked, String note) {
    }

    /** Everything a train or tune form shows. {@code kind} is {@code train} or {@code tune}. */
    @TemplateData
    public record Form(String kind, String action, Field dataset, Field modelType, Field target, Field task,
            List<Feature> features, String featuresError, List<Field> hyperparameters, List<Field> general,
            List<Field> preprocessing, List<Field> search, String modelDetail, Views.Problem problem) {

        /** The REST operation the form submits to (for role checks). */
        public String operationId() {
            return "tune".equals(kind) ? "createTuningJob" : "createTrainingJob";
        }
    }

    /** The request fields of a submitted form (the form's values, by name). */
    static Form form(String kind, List<DatasetResponse> datasets, List<ModelTypeResponse> types, Map<String, String> values,
            Views.Problem problem) {
        String datasetId = values.get("dataset_id");
        DatasetResponse dataset = datasets.stream().filter(d -> d.id().equals(datasetId)).findFirst().orElse(null);
        String typeName = values.getOrDefault("model_type", "");
        ModelTypeResponse type = types.stream().filter(t -> t.modelType().equals(typeName)).findFirst().orElse(null);

        List<Option> dsOptions = new ArrayList<>();
        dsOptions.add(new Option("", "Choose a dataset…", dataset == null));
        datasets.forEach(d -> dsOptions.add(new Option(d.id(), d.name() + " (" + d.rowCount() + " rows)", d == dataset)));
        Field datasetField = new Field("dataset_id", "dataset_id", "Dataset", "select", datasetId, null, null, null, null,
                dsOptions, null, problem.of("dataset_id"));

        List<Option> typeOptions = new ArrayList<>();
        typeOptions.add(new Option("", "Choose a model type…", type == null));
        types.forEach(t -> typeOptions.add(new Option(t.modelType(), t.modelType() + " (" + String.join(", ", t.tasks()) + ")"
                + (t.available() ? "" : " – unavailable"), t == type)));
        Field typeField = new Field("model_type", "model_type", "Model type", "select", typeName, null, null, null, null,
                typeOptions, null, problem.of("model_type"));

        String target = values.getOrDefault("target_column", "");
        List<Option> targetOptions = new ArrayList<>();
        targetOptions.add(new Option("", dataset == null ? "Choose a dataset first" : "Choose the column to predict…", target.isEmpty()));
        List<Feature> features = new ArrayList<>();
        // the boxes of a re-rendered form keep their state only while the dataset stays the same
        boolean featuresGiven = values.containsKey("feature_columns") && datasetId != null && datasetId.equals(values.get("features_of"));
        List<String> chosen = featuresGiven ? List.of(values.get("feature_columns").split("\u001f")) : List.of();
        if (dataset != null) {
            int i = 0;
            for (DatasetColumn c : dataset.columns()) {
                targetOptions.add(new Option(c.name(), c.name() + " (" + c.type() + ")", c.name().equals(target)));
                if (!c.name().equals(target)) {
                    boolean checked = featuresGiven ? chosen.contains(c.name()) : !c.likelyIdentifier();
                    features.add(new Feature("feature-" + i, c.name(), checked, c.likelyIdentifier() ? "likely identifier" : c.type()));
                }
                i++;
            }
        }
        Field targetField = new Field("target_column", "target_column", "Target column", "select", target, null, null, null, null,
                targetOptions, null, problem.of("target_column"));
        String task = values.getOrDefault("task", "");
        Field taskField = new Field("task", "task", "Task", "select", task, null, null, null, null,
                List.of(new Option("", "Infer from the target", task.isEmpty()),
                        new Option("classification", "classification", task.equals("classification")),
                        new Option("regression", "regression", task.equals("regression"))),
                null, problem.of("task"));

        List<Field> hyperparameters = new ArrayList<>();
        List<Field> search = new ArrayList<>();
        if (type != null) {
            for (HyperparameterResponse h : type.hyperparameters()) {
                hyperparameters.add(hyperparameter(h, values, problem));
                if ("tune".equals(kind)) {
                    String name = "search_space." + h.name();
                    search.add(new Field("search-" + h.name(), name, h.name() + " candidates", "text", values.getOrDefault(name, ""),
                            "e.g. " + example(h), null, null, null, List.of(),
                            "Grid: comma-separated values. Random: min..max (add \" log\" for a log scale) or values. Empty: fixed at the value above.",
                            problem.of(name)));
                }
            }
        }
        List<Field> general = new ArrayList<>();
        general.add(new Field("test_size", "test_size", "Test size", "number", values.getOrDefault("test_size", ""), "0.2", "0", "1",
                "any", List.of(), "Fraction of rows held out for the test metrics, in (0, 1).", problem.of("test_size")));
        general.add(new Field("random_seed", "random_seed", "Random seed", "number", values.getOrDefault("random_seed", ""), "42",
                null, null, "1", List.of(), "Seed of the split and the model.", problem.of("random_seed")));
        if ("tune".equals(kind)) {
            String strategy = values.getOrDefault("strategy", "");
            general.add(new Field("strategy", "strategy", "Strategy", "select", strategy, null, null, null, null,
                    List.of(new Option("", "grid (default)", strategy.isEmpty()), new Option("grid", "grid", strategy.equals("grid")),
                            new Option("random", "random", strategy.equals("random"))),
                    null, problem.of("strategy")));
            general.add(new Field("n_iter", "n_iter", "Configurations (random search)", "number", values.getOrDefault("n_iter", ""),
                    null, "1", null, "1", List.of(), "Required for random search.", problem.of("n_iter")));
            general.add(new Field("cv_folds", "cv_folds", "Cross-validation folds", "number", values.getOrDefault("cv_folds", ""),
                    "5", "2", "20", "1", List.of(), null, problem.of("cv_folds")));
            String scoring = values.getOrDefault("scoring", "");
            List<Option> scorings = new ArrayList<>();
            scorings.add(new Option("", "default (accuracy or r2)", scoring.isEmpty()));
            SCORINGS.forEach(s -> scorings.add(new Option(s, s, s.equals(scoring))));
            general.add(new Field("scoring", "scoring", "Scoring", "select", scoring, null, null, null, null, scorings, null,
                    problem.of("scoring")));
        }
        List<Field> preprocessing = List.of(
                choice("preprocessing.numeric_imputation", "Numeric imputation", values, problem, "mean", "median", "constant"),
                new Field("preprocessing.numeric_fill_value", "preprocessing.numeric_fill_value", "Numeric fill value", "number",
                        values.getOrDefault("preprocessing.numeric_fill_value", ""), "0", null, null, "any", List.of(),
                        "With constant imputation.", problem.of("preprocessing.numeric_fill_value")),
                choice("preprocessing.categorical_imputation", "Categorical imputation", values, problem, "most_frequent", "constant"),
                new Field("preprocessing.categorical_fill_value", "preprocessing.categorical_fill_value", "Categorical fill value",
                        "text", values.getOrDefault("preprocessing.categorical_fill_value", ""), "missing", null, null, null, List.of(),
                        "With constant imputation.", problem.of("preprocessing.categorical_fill_value")),
                choice("preprocessing.scaling", "Scaling", values, problem, "standard", "min_max", "none"));
        return new Form(kind, "tune".equals(kind) ? "/console/tune" : "/console/train", datasetField, typeField, targetField, taskField,
                features, problem.of("feature_columns"), hyperparameters, general, preprocessing, search,
                type == null || type.available() ? null : type.detail(), problem);
    }

    private static Field choice(String name, String label, Map<String, String> values, Views.Problem problem, String... choices) {
        String value = values.getOrDefault(name, "");
        List<Option> options = new ArrayList<>();
        options.add(new Option("", "default", value.isEmpty()));
        for (String c : choices) {
            options.add(new Option(c, c, c.equals(value)));
        }
        return new Field(name, name, label, "select", value, null, null, null, null, options, null, problem.of(name));
    }

    private static Field hyperparameter(HyperparameterResponse h, Map<String, String> values, Views.Problem problem) {
        String name = "hyperparameters." + h.name();
        String value = values.getOrDefault(name, "");
        String def = h.defaultValue() == null ? "none" : Views.number(h.defaultValue());
        String range = h.min() == null && h.max() == null ? ""
                : " Range [" + (h.min() == null ? "−∞" : Views.number(h.min())) + ", " + (h.max() == null ? "∞" : Views.number(h.max())) + "].";
        String hint = h.description() + " Default " + def + "." + range + (h.nullable() ? " Empty or \"none\": unlimited." : "");
        return switch (h.type()) {
            case "boolean" -> new Field("hp-" + h.name(), name, h.name(), "select", value, null, null, null, null,
                    List.of(new Option("", "default (" + def + ")", value.isEmpty()), new Option("true", "true", value.equals("true")),
                            new Option("false", "false", value.equals("false"))),
                    hint, problem.of(name));
            case "choice" -> {
                List<Option> options = new ArrayList<>();
                options.add(new Option("", "default (" + def + ")", value.isEmpty()));
                for (String c : h.choices() == null ? List.<String>of() : h.choices()) {
                    options.add(new Option(c, c, c.equals(value)));
                }
                yield new Field("hp-" + h.name(), name, h.name(), "select", value, null, null, null, null, options, hint, problem.of(name));
            }
            default -> new Field("hp-" + h.name(), name, h.name(), h.nullable() ? "text" : "number", value, def,
                    h.min() == null ? null : Views.number(h.min()), h.max() == null ? null : Views.number(h.max()),
                    "integer".equals(h.type()) ? "1" : "any", List.of(), hint, problem.of(name));
        };
    }

    private static String example(HyperparameterResponse h) {
        return switch (h.type()) {
            case "boolean" -> "true, false";
            case "choice" -> h.choices() == null ? "" : String.join(", ", h.choices());
            case "integer" -> "50, 100";
            default -> "0.01..1 log";
        };
    }

    /** The hyperparameter values of a form, converted to their declared JSON types where they parse. */
    static Map<String, Object> hyperparameters(ModelTypeResponse type, Map<String, String> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (type == null) {
            return null;
        }
        for (HyperparameterResponse h : type.hyperparameters()) {
            String v = Views.blankToNull(values.get("hyperparameters." + h.name()));
            if (v != null) {
                out.put(h.name(), value(h, v));
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The search space of a tuning form: lists of candidates, or {min, max, log} ranges written {@code a..b [log]}. */
    static Map<String, Object> searchSpace(ModelTypeResponse type, Map<String, String> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (type == null) {
            return out;
        }
        for (HyperparameterResponse h : type.hyperparameters()) {
            String v = Views.blankToNull(values.get("search_space." + h.name()));
            if (v == null) {
                continue;
            }
            int dots = v.indexOf("..");
            if (dots > 0) {
                Map<String, Object> range = new LinkedHashMap<>();
                String rest = v.substring(dots + 2).strip();
                boolean log = rest.endsWith("log");
                if (log) {
                    rest = rest.substring(0, rest.length() - 3).strip();
                }
                range.put("min", value(h, v.substring(0, dots).strip()));
                range.put("max", value(h, rest));
                if (log) {
                    range.put("log", true);
                }
                out.put(h.name(), range);
            } else {
                List<Object> candidates = new ArrayList<>();
                for (String c : v.split(",")) {
                    candidates.add(value(h, c.strip()));
                }
                out.put(h.name(), candidates);
            }
        }
        return out;
    }

    static Object value(HyperparameterResponse h, String v) {
        if (h.nullable() && (v.equalsIgnoreCase("none") || v.equalsIgnoreCase("null"))) {
            return null;
        }
        try {
            return switch (h.type()) {
                case "integer" -> {
                    try {
                        yield Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        yield Double.parseDouble(v);
                    }
                }
                case "number" -> Double.parseDouble(v);
                case "boolean" -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : v;
                default -> v;
            };
        } catch (NumberFormatException e) {
            return v;
        }
    }

    static Double decimal(Map<String, String> values, String name) {
        String v = Views.blankToNull(values.get(name));
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw dev.mlpipeline.common.InvalidInputException.forField(name, "must be a number, got '" + v + "'");
        }
    }

    static Long integer(Map<String, String> values, String name) {
        String v = Views.blankToNull(values.get(name));
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw dev.mlpipeline.common.InvalidInputException.forField(name, "must be an integer, got '" + v + "'");
        }
    }

    static Map<String, Object> preprocessing(Map<String, String> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("numeric_imputation", "categorical_imputation", "categorical_fill_value", "scaling")) {
            String v = Views.blankToNull(values.get("preprocessing." + key));
            if (v != null) {
                out.put(key, v);
            }
        }
        Double fill = decimal(values, "preprocessing.numeric_fill_value");
        if (fill != null) {
            out.put("numeric_fill_value", fill);
        }
        return out.isEmpty() ? null : out;
    }
}
