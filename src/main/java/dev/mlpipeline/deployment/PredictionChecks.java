package dev.mlpipeline.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mlpipeline.common.DomainException.FieldError;
import dev.mlpipeline.common.InvalidInputException;
import dev.mlpipeline.pipeline.FeatureInfo;
import dev.mlpipeline.pipeline.Prediction;

/**
 * What a prediction request must satisfy beyond value types, given the pipeline's per-row reports:
 * a row needs at least one of the model's features, and a strict request may have no missing
 * feature and no unseen categorical value at all.
 */
final class PredictionChecks {

    /** At most this many problems are listed in one response. */
    static final int MAX_ERRORS = 100;

    private PredictionChecks() {
    }

    /** Where the model's input schema is, for error messages. */
    static String schemaHint(ModelCache.Warm warm) {
        return "The model's input schema (features, types, training levels, ranges): GET " + schemaPath(warm) + ".";
    }

    static String schemaPath(ModelCache.Warm warm) {
        return "/api/registry/models/" + warm.modelType() + "/versions/" + warm.version() + "/schema?dataset_id="
                + warm.datasetId();
    }

    /**
     * @throws InvalidInputException (400) for a row with none of the model's features, or, when strict, for
     *     any missing feature or unseen value; {@code errors} lists every problem found (up to {@value #MAX_ERRORS})
     */
    static void check(ModelCache.Warm warm, List<Map<String, Object>> rows, Prediction prediction, boolean strict) {
        List<FeatureInfo> features = warm.pipeline().features();
        List<FieldError> errors = new ArrayList<>();
        int emptyRows = 0;
        int firstEmpty = -1;
        for (int i = 0; i < rows.size(); i++) {
            List<String> missing = prediction.missingColumns().get(i);
            if (missing.size() == features.size()) {
                if (emptyRows++ == 0) {
                    firstEmpty = i;
                }
                add(errors, new FieldError("[" + i + "]", "has none of the model's features"
                        + (rows.get(i).isEmpty() ? "" : " (its keys: " + String.join(", ", rows.get(i).keySet()) + ")")));
            } else if (strict) {
                for (String f : missing) {
                    add(errors, new FieldError("[" + i + "]." + f, "is missing (strict: no imputation)"));
                }
                for (var e : prediction.unseenCategories().get(i).entrySet()) {
                    add(errors, new FieldError("[" + i + "]." + e.getKey(), "value " + shown(e.getValue())
                            + " matches no training level"));
                }
            }
        }
        if (errors.isEmpty()) {
            return;
        }
        List<String> names = features.stream().map(FeatureInfo::name).toList();
        String detail;
        if (emptyRows > 0) {
            detail = "Row " + firstEmpty + (emptyRows > 1 ? " and " + (emptyRows - 1) + " other row(s)" : "")
                    + " hold none of the model's features, so a prediction would come from imputed values alone;"
                    + " the model expects: " + String.join(", ", names) + ".";
        } else {
            detail = "strict=true and " + errors.size() + (errors.size() == MAX_ERRORS ? "+" : "") + " value(s) are"
                    + " missing or match no training level (listed in errors); send every feature, with categorical"
                    + " values among the training levels, or drop strict to have them imputed and reported.";
        }
        throw new InvalidInputException(detail + " " + schemaHint(warm), errors);
    }

    private static void add(List<FieldError> errors, FieldError error) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(error);
        }
    }

    private static String shown(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
