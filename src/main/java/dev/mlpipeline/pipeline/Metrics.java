package dev.mlpipeline.pipeline;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluation metrics, scikit-learn compatible. Classification inputs are class indices {@code 0..k-1};
 * probabilities are {@code [row][class]}.
 */
public final class Metrics {

    /** Scoring names accepted for classification by {@link #score}. */
    public static final List<String> CLASSIFICATION_SCORINGS = List.of("accuracy", "precision", "recall", "f1", "roc_auc");
    /** Scoring names accepted for regression by {@link #score}. */
    public static final List<String> REGRESSION_SCORINGS = List.of("r2", "neg_rmse", "neg_mae");

    private Metrics() {
    }

    /**
     * @param task a task
     * @return the default scoring: "accuracy" or "r2"
     */
    public static String defaultScoring(Task task) {
        return task == Task.CLASSIFICATION ? "accuracy" : "r2";
    }

    /**
     * Checks a scoring name.
     *
     * @param scoring scoring name
     * @param task    task
     * @throws PipelineValidationException on {@code scoring} when it does not apply to the task
     */
    public static void checkScoring(String scoring, Task task) {
        List<String> valid = task == Task.CLASSIFICATION ? CLASSIFICATION_SCORINGS : REGRESSION_SCORINGS;
        if (!valid.contains(scoring)) {
            throw new PipelineValidationException("scoring", "unknown scoring '" + scoring + "' for " + task.wireName()
                    + "; valid: " + String.join(", ", valid));
        }
    }

    /**
     * Classification metrics: accuracy, macro precision/recall/f1 (a class never predicted counts 0, like
     * scikit-learn's zero_division=0) and, for two classes, roc_auc of class index 1.
     *
     * @param truth         true class indices
     * @param predicted     predicted class indices
     * @param probabilities class probabilities (needed for roc_auc; may be null)
     * @param numClasses    number of classes
     * @return metric name → value, in a stable order
     */
    public static Map<String, Double> classification(int[] truth, int[] predicted, double[][] probabilities, int numClasses) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy(truth, predicted));
        double[] prf = macroPrf(truth, predicted, numClasses);
        m.put("precision", prf[0]);
        m.put("recall", prf[1]);
        m.put("f1", prf[2]);
        if (numClasses == 2 && probabilities != null) {
            m.put("roc_auc", rocAuc(truth, probabilities, 1));
        }
        return m;
    }

    /**
     * Regression metrics: rmse, mae, r2.
     *
     * @param truth     true values
     * @param predicted predictions
     * @return metric name → value
     */
    public static Map<String, Double> regression(double[] truth, double[] predicted) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", rmse(truth, predicted));
        m.put("mae", mae(truth, predicted));
        m.put("r2", r2(truth, predicted));
        return m;
    }

    /**
     * One classification score, larger is better.
     *
     * @param scoring       accuracy, precision, recall, f1 (macro) or roc_auc (binary: class 1; multiclass:
     *                      macro one-vs-rest)
     * @param truth         true class indices
     * @param predicted     predicted class indices
     * @param probabilities class probabilities (roc_auc only)
     * @param numClasses    number of classes
     * @return the score
     */
    public static double score(String scoring, int[] truth, int[] predicted, double[][] probabilities, int numClasses) {
        checkScoring(scoring, Task.CLASSIFICATION);
        return switch (scoring) {
            case "accuracy" -> accuracy(truth, predicted);
            case "precision" -> macroPrf(truth, predicted, numClasses)[0];
            case "recall" -> macroPrf(truth, predicted, numClasses)[1];
            case "f1" -> macroPrf(truth, predicted, numClasses)[2];
            case "roc_auc" -> {
                if (numClasses == 2) yield rocAuc(truth, probabilities, 1);
                double sum = 0;
                for (int c = 0; c < numClasses; c++) sum += rocAuc(truth, probabilities, c);
                yield sum / numClasses;
            }
            default -> throw new IllegalStateException(scoring);
        };
    }

    /**
     * One regression score, larger is better.
     *
     * @param scoring   r2, neg_rmse or neg_mae
     * @param truth     true values
     * @param predicted predictions
     * @return the score
     */
    public static double score(String scoring, double[] truth, double[] predicted) {
        checkScoring(scoring, Task.REGRESSION);
        return switch (scoring) {
            case "r2" -> r2(truth, predicted);
            case "neg_rmse" -> -rmse(truth, predicted);
            case "neg_mae" -> -mae(truth, predicted);
            default -> throw new IllegalStateException(scoring);
        };
    }

    /** @param truth labels @param predicted predictions @return fraction correct */
    public static double accuracy(int[] truth, int[] predicted) {
        int ok = 0;
        for (int i = 0; i < truth.length; i++) if (truth[i] == predicted[i]) ok++;
        return truth.length == 0 ? 0.0 : (double) ok / truth.length;
    }

    /** @return {macro precision, macro recall, macro f1} over all {@code numClasses} classes */
    private static double[] macroPrf(int[] truth, int[] predicted, int numClasses) {
        long[] tp = new long[numClasses];
        long[] predCount = new long[numClasses];
        long[] trueCount = new long[numClasses];
        for (int i = 0; i < truth.length; i++) {
            trueCount[truth[i]]++;
            predCount[predicted[i]]++;
            if (truth[i] == predicted[i]) tp[truth[i]]++;
        }
        double p = 0, r = 0, f = 0;
        int classes = 0;
        for (int c = 0; c < numClasses; c++) {
            // scikit-learn averages over the labels present in truth or predictions.
            if (trueCount[c] == 0 && predCount[c] == 0) continue;
            classes++;
            double pc = predCount[c] == 0 ? 0 : (double) tp[c] / predCount[c];
            double rc = trueCount[c] == 0 ? 0 : (double) tp[c] / trueCount[c];
            p += pc;
            r += rc;
            f += pc + rc == 0 ? 0 : 2 * pc * rc / (pc + rc);
        }
        return classes == 0 ? new double[3] : new double[]{ p / classes, r / classes, f / classes };
    }

    /** Area under the ROC curve of "class c vs rest" (Mann-Whitney, ties count half). NaN when only one side is present. */
    private static double rocAuc(int[] truth, double[][] probabilities, int c) {
        int n = truth.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(probabilities[a][c], probabilities[b][c]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && probabilities[order[j + 1]][c] == probabilities[order[i]][c]) j++;
            double avgRank = (i + j) / 2.0 + 1; // 1-based average rank of the tie block
            for (int k = i; k <= j; k++) {
                if (truth[order[k]] == c) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** @param t truth @param p predictions @return root mean squared error */
    public static double rmse(double[] t, double[] p) {
        double s = 0;
        for (int i = 0; i < t.length; i++) s += (t[i] - p[i]) * (t[i] - p[i]);
        return Math.sqrt(s / t.length);
    }

    /** @param t truth @param p predictions @return mean absolute error */
    public static double mae(double[] t, double[] p) {
        double s = 0;
        for (int i = 0; i < t.length; i++) s += Math.abs(t[i] - p[i]);
        return s / t.length;
    }

    /** @param t truth @param p predictions @return coefficient of determination (1 - SSres/SStot) */
    public static double r2(double[] t, double[] p) {
        double mean = Arrays.stream(t).average().orElse(0);
        double res = 0, tot = 0;
        for (int i = 0; i < t.length; i++) {
            res += (t[i] - p[i]) * (t[i] - p[i]);
            tot += (t[i] - mean) * (t[i] - mean);
        }
        return tot == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / tot;
    }
}
