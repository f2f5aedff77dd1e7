package dev.mlpipeline.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.mlpipeline.pipeline.HyperparameterSpec.integer;
import static dev.mlpipeline.pipeline.HyperparameterSpec.number;

/**
 * The model types this service can train, with their hyperparameters and defaults.
 *
 * <p>Defaults mirror scikit-learn's so that, on the protocol of the shared BASELINE.md, scores match the
 * scikit-learn reference; each description says how the value maps onto Smile.
 */
public final class ModelCatalog {

    /** Logistic regression (classification). */
    public static final String LOGISTIC_REGRESSION = "LogisticRegression";
    /** Random forest (both tasks). */
    public static final String RANDOM_FOREST = "RandomForest";
    /** Gradient boosted trees (both tasks). */
    public static final String GRADIENT_BOOSTING = "GradientBoosting";
    /** Single CART tree (both tasks). */
    public static final String DECISION_TREE = "DecisionTree";
    /** Ordinary least squares (regression). */
    public static final String LINEAR_REGRESSION = "LinearRegression";
    /** L2-regularised least squares (regression). */
    public static final String RIDGE = "Ridge";
    /** L1-regularised least squares (regression). */
    public static final String LASSO = "Lasso";

    private ModelCatalog() {
    }

    private static final class Holder {
        static final List<ModelType> ALL = build();
    }

    /**
     * Returns every model type. All of them are pure Java (no native library), so every type is available.
     *
     * @return all model types, in display order
     */
    public static List<ModelType> all() {
        return Holder.ALL;
    }

    /**
     * @param name model type name (exact, case-sensitive)
     * @return the model type, if any
     */
    public static Optional<ModelType> find(String name) {
        return all().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    private static List<ModelType> build() {
        Set<Task> both = EnumSet.allOf(Task.class);
        Set<Task> cls = EnumSet.of(Task.CLASSIFICATION);
        Set<Task> reg = EnumSet.of(Task.REGRESSION);

        List<ModelType> out = new ArrayList<>();
        out.add(new ModelType(LOGISTIC_REGRESSION, cls, List.of(
                number("lambda", 1.0, 0.0, 1e6,
                        "L2 penalty strength (Smile minimises the summed log-loss + lambda/2 * ||w||^2, intercept "
                                + "not penalised). lambda = 1/C of scikit-learn, so the default 1.0 equals "
                                + "scikit-learn's C=1."),
                integer("max_iter", 1000, 1, 100_000, false,
                        "Maximum iterations; 1000 like the scikit-learn reference (max_iter=1000). Two classes "
                                + "with lambda > 0: outer iterations of the trust-region Newton solver (TRON, as "
                                + "LIBLINEAR; each one a gradient evaluation plus conjugate-gradient steps, not "
                                + "counted here); adult needs 7. More than two classes, or lambda = 0: L-BFGS "
                                + "iterations (Smile's L-BFGS)."),
                number("tol", 1e-4, 1e-12, 1.0,
                        "Convergence tolerance. Two classes with lambda > 0 (trust-region Newton): relative "
                                + "gradient norm, it stops when ||g(w)|| <= tol * ||g(0)|| (Euclidean norms of the "
                                + "gradient of the penalised summed log-loss); on adult 1e-4 ends after 7 iterations "
                                + "at scikit-learn's accuracy. More than two classes, or lambda = 0 (Smile's L-BFGS): "
                                + "it stops when max_j |g_j| * max(|w_j|, 1) / max(f, 1) < tol (f the objective), a "
                                + "looser test than scikit-learn's lbfgs max_j |g_j| <= tol for the same 1e-4.")),
                true, null));

        out.add(new ModelType(RANDOM_FOREST, both, List.of(
                integer("n_trees", 100, 1, 5000, false,
                        "Number of trees; 100 like scikit-learn's n_estimators default."),
                integer("max_depth", null, 1, 1000, true,
                        "Maximum tree depth (number of split levels, scikit-learn semantics); null = unlimited, "
                                + "scikit-learn's default. Smile's maximum node count is also lifted so trees grow "
                                + "fully, as in scikit-learn."),
                integer("min_samples_leaf", 1, 1, 100_000, false,
                        "Minimum samples in a leaf; 1 like scikit-learn (Smile's own default is 5)."),
                integer("mtry", null, 1, 100_000, true,
                        "Features tried at each split (scikit-learn's max_features), counted as the columns of "
                                + "the one-hot encoded matrix: each level of a categorical feature is one candidate, "
                                + "\"level == v\" against the rest; a candidate constant in the node does not count. "
                                + "null = task default: floor(sqrt(p)) for classification (max_features='sqrt'), all "
                                + "p columns for regression (max_features=1.0). Values above p are clamped to p. "
                                + "A categorical feature of more than 255 levels trains with Smile's trees, where "
                                + "p counts input features instead."),
                number("subsample", 1.0, 0.01, 1.0,
                        "Fraction of rows per tree: 1.0 = bootstrap sample with replacement (scikit-learn's "
                                + "default), below 1.0 = sampling without replacement.")),
                true, null));

        out.add(new ModelType(GRADIENT_BOOSTING, both, List.of(
                integer("n_trees", 100, 1, 5000, false,
                        "Boosting iterations; 100 like scikit-learn's n_estimators default."),
                number("learning_rate", 0.1, 1e-4, 1.0,
                        "Shrinkage applied to each tree; 0.1 like scikit-learn (Smile's own default is 0.05)."),
                integer("max_depth", 3, 1, 64, true,
                        "Depth of each tree (split levels); 3 like scikit-learn. The leaf count is capped at "
                                + "2^max_depth; null = unlimited depth with at most 64 leaves."),
                integer("min_samples_leaf", 1, 1, 100_000, false,
                        "Minimum samples in a leaf; 1 like scikit-learn (Smile's own default is 5)."),
                number("subsample", 1.0, 0.01, 1.0,
                        "Fraction of rows drawn (without replacement) for each tree; 1.0 like scikit-learn "
                                + "(Smile's own default is 0.7: stochastic boosting).")),
                true, null));

        out.add(new ModelType(DECISION_TREE, both, List.of(
                integer("max_depth", null, 1, 1000, true,
                        "Maximum depth (split levels); null = unlimited, scikit-learn's default."),
                integer("min_samples_leaf", 1, 1, 100_000, false,
                        "Minimum samples in a leaf; 1 like scikit-learn (Smile's own default is 5).")),
                true, null));

        out.add(new ModelType(LINEAR_REGRESSION, reg, List.of(), true, null));
        out.add(new ModelType(RIDGE, reg, List.of(
                number("lambda", 1.0, 0.0, 1e9,
                        "L2 penalty: minimises ||y - Xw - b||^2 + lambda * ||w||^2 (intercept not penalised), "
                                + "scikit-learn's Ridge objective: lambda is scikit-learn's alpha, and the default 1.0 "
                                + "equals alpha=1. Solved like scikit-learn's solver='cholesky' (normal equations, "
                                + "SVD when they are singular). Constant training columns are dropped before "
                                + "fitting.")),
                true, null));
        out.add(new ModelType(LASSO, reg, List.of(
                number("lambda", 1.0, 0.0, 1e12,
                        "L1 penalty: minimises (1/(2n)) * ||y - Xw - b||^2 + lambda * ||w||_1 (intercept not "
                                + "penalised), scikit-learn's Lasso objective: lambda is scikit-learn's alpha, and the "
                                + "default 1.0 equals alpha=1. Fitted by scikit-learn's cyclic coordinate descent. With lambda = 0 "
                                + "the duality-gap test cannot pass and every max_iter pass runs, as in scikit-learn: "
                                + "use LinearRegression for an unpenalised fit."),
                integer("max_iter", 1000, 1, 100_000, false,
                        "Maximum coordinate-descent passes over the features; 1000 like scikit-learn."),
                number("tol", 1e-4, 1e-12, 1.0,
                        "Stopping tolerance with scikit-learn's meaning: once a pass changes no coefficient by more "
                                + "than tol times the largest coefficient, the duality gap is checked, and the fit "
                                + "stops when it is below tol * ||y - mean(y)||^2; 1e-4 like scikit-learn.")),
                true, null));
        return List.copyOf(out);
    }
}
