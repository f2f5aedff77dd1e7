package dev.mlpipeline.pipeline;

import java.io.Serial;
import java.io.Serializable;

import smile.classification.Classifier;
import smile.classification.LogisticRegression;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.regression.Regression;

/**
 * A fitted model over the preprocessed feature vector ({@code double[]}). {@link FlatTrees} holds every tree model
 * trained now; the Smile-backed records remain for artifacts of the Java-serialization format
 * ({@link ArtifactCodec#LEGACY_FORMAT}), which holds them, and are {@link Serializable} for that reason only.
 */
sealed interface Estimator
        permits Estimator.Logistic, Estimator.TupleClassifier, Estimator.TupleRegressor, Estimator.TreeClassifier,
        Estimator.TreeRegressor, Estimator.Linear, FlatTrees {

    /**
     * Classifies one vector.
     *
     * @param x          preprocessed features
     * @param posteriori receives the class probabilities (length = number of classes)
     * @return the class index
     */
    default int classify(double[] x, double[] posteriori) {
        throw new IllegalStateException("a regression model cannot classify; the pipeline routes by task");
    }

    /**
     * @param x preprocessed features
     * @return the predicted value
     */
    default double regress(double[] x) {
        throw new IllegalStateException("a classification model cannot regress; the pipeline routes by task");
    }

    /**
     * Explains the raw output for one vector additively: per output (each class in label order for classification,
     * one for regression), a base value and one contribution per column of {@code x}, adding up to the raw output
     * (see {@link RawOutput}: class probabilities for random forest and CART classification, log-odds for binary and
     * per-class margins for multi-class logistic regression and gradient boosting, the value for regression) to
     * floating-point rounding. Exact in every case: TreeSHAP for the tree models, {@code coefficient * (x_j - mean_j)}
     * against the training mean of each column (base = the output at the training means) for the linear ones.
     *
     * <p>Not on the predict path: only called when an explanation is requested. Thread-safe.
     *
     * @param x preprocessed features, as given to {@link #classify} / {@link #regress}
     * @return contributions over the columns of {@code x} (a one-hot block seen by the model as one column carries the
     *         block's contribution on its first column)
     * @throws ExplanationUnavailableException when the artifact predates explanations and lacks what they need
     *                                         (training means of a linear model, intercept and learning rate of
     *                                         gradient boosting)
     */
    Contributions contributions(double[] x);

    /**
     * Smile logistic regression, which predicts directly from {@code double[]}.
     *
     * @param model the fitted model (binomial: one weight vector, intercept last; multinomial: k - 1 of them, the
     *              last class's margin being 0)
     * @param mean  per column of the input vector, its mean over the training rows (the explanations' background);
     *              null in artifacts fitted before explanations
     */
    record Logistic(LogisticRegression model, double[] mean) implements Estimator, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** @param model the fitted model, without training means (cannot be explained) */
        Logistic(LogisticRegression model) {
            this(model, null);
        }

        @Override
        public int classify(double[] x, double[] posteriori) {
            return model.predict(x, posteriori);
        }

        @Override
        public Contributions contributions(double[] x) {
            double[] m = Linear.requireMean(mean);
            if (model instanceof LogisticRegression.Binomial binomial) {
                double[] w = binomial.coefficients();
                double[][] values = new double[2][x.length];
                double base = w[x.length];
                for (int j = 0; j < x.length; j++) {
                    base += w[j] * m[j];
                    values[1][j] = w[j] * (x[j] - m[j]);
                    values[0][j] = -values[1][j];
                }
                return new Contributions(RawOutput.LOG_ODDS, new double[]{ -base, base }, values);
            }
            double[][] w = ((LogisticRegression.Multinomial) model).coefficients();
            int k = w.length + 1;
            double[][] values = new double[k][x.length];
            double[] base = new double[k];
            for (int c = 0; c < k - 1; c++) {
                base[c] = w[c][x.length];
                for (int j = 0; j < x.length; j++) {
                    base[c] += w[c][j] * m[j];
                    values[c][j] = w[c][j] * (x[j] - m[j]);
                }
            }
            return new Contributions(RawOutput.MARGIN, base, values);
        }
    }

    /**
     * Smile tree classifiers (random forest, gradient boosting, CART) take a {@link Tuple}; the vector is wrapped
     * (no copy) against the cached training schema.
     */
    record TupleClassifier(Classifier<Tuple> model, StructType schema) implements Estimator, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int classify(double[] x, double[] posteriori) {
            return model.predict(Tuple.of(schema, x), posteriori);
        }

        @Override
        public Contributions contributions(double[] x) {
            return TreeShap.explain(model, Tuple.of(schema, x), identity(x.length), x.length,
                    model.numClasses(), null);
        }
    }

    /** Smile tree regressors, as {@link TupleClassifier}. */
    record TupleRegressor(Regression<Tuple> model, StructType schema) implements Estimator, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public double regress(double[] x) {
            return model.predict(Tuple.of(schema, x));
        }

        @Override
        public Contributions contributions(double[] x) {
            return TreeShap.explain(model, Tuple.of(schema, x), identity(x.length), x.length, 0, null);
        }
    }

    /**
     * Smile tree classifiers fitted on {@link Estimators.TreeColumns} (one column per input feature, one-hot blocks
     * folded back into a nominal level index); the vector is mapped to that layout, then wrapped as a tuple.
     *
     * @param model   the fitted Smile model
     * @param schema  schema of the tree columns
     * @param columns how the input vector maps onto the tree columns
     * @param boost   gradient boosting only: {intercept b, shrinkage eta} as fitted (predict computes
     *                {@code b + eta * sum of trees}, which Smile does not expose); null for other models and in
     *                artifacts fitted before explanations
     */
    record TreeClassifier(Classifier<Tuple> model, StructType schema, Estimators.TreeColumns columns, double[] boost)
            implements
                Estimator,
                Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** A model other than gradient boosting (no {@code boost}). */
        TreeClassifier(Classifier<Tuple> model, StructType schema, Estimators.TreeColumns columns) {
            this(model, schema, columns, null);
        }

        @Override
        public int classify(double[] x, double[] posteriori) {
            if (model instanceof smile.classification.RandomForest forest) {
                // The same answer as model.predict, without re-binding the formula for each tree.
                return ForestWalk.of(forest, schema, true).classify(columns.apply(x), posteriori);
            }
            return model.predict(Tuple.of(schema, columns.apply(x)), posteriori);
        }

        @Override
        public Contributions contributions(double[] x) {
            return TreeShap.explain(model, Tuple.of(schema, columns.apply(x)), columns.start(), x.length,
                    model.numClasses(), boost);
        }
    }

    /**
     * Smile tree regressors, as {@link TreeClassifier}.
     *
     * @param model   the fitted Smile model
     * @param schema  schema of the tree columns
     * @param columns how the input vector maps onto the tree columns
     * @param boost   gradient boosting only: {intercept b, shrinkage eta}; null otherwise
     */
    record TreeRegressor(Regression<Tuple> model, StructType schema, Estimators.TreeColumns columns, double[] boost)
            implements
                Estimator,
                Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** A model other than gradient boosting (no {@code boost}). */
        TreeRegressor(Regression<Tuple> model, StructType schema, Estimators.TreeColumns columns) {
            this(model, schema, columns, null);
        }

        @Override
        public double regress(double[] x) {
            return model.predict(Tuple.of(schema, columns.apply(x)));
        }

        @Override
        public Contributions contributions(double[] x) {
            return TreeShap.explain(model, Tuple.of(schema, columns.apply(x)), columns.start(), x.length, 0, boost);
        }
    }

    /**
     * A linear model reduced to its coefficients (Smile's LinearModel also keeps the training residuals, which
     * would bloat the artifact).
     *
     * @param columns   indices of the input columns the coefficients apply to (constant columns were dropped)
     * @param weights   coefficients, one per entry of {@code columns}
     * @param intercept intercept
     * @param mean      per entry of {@code columns}, the column's mean over the training rows (the explanations'
     *                  background); null in artifacts fitted before explanations
     */
    record Linear(int[] columns, double[] weights, double intercept, double[] mean) implements Estimator, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** Without training means (cannot be explained). */
        Linear(int[] columns, double[] weights, double intercept) {
            this(columns, weights, intercept, null);
        }

        static double[] requireMean(double[] mean) {
            if (mean == null) {
                throw new ExplanationUnavailableException("this linear model was trained before explanations were "
                        + "supported (the training means of its columns were not stored); train it again to explain it");
            }
            return mean;
        }

        @Override
        public Contributions contributions(double[] x) {
            double[] m = requireMean(mean);
            double base = intercept;
            double[] values = new double[x.length];
            for (int i = 0; i < columns.length; i++) {
                base += weights[i] * m[i];
                values[columns[i]] = weights[i] * (x[columns[i]] - m[i]);
            }
            return new Contributions(RawOutput.VALUE, new double[]{ base }, new double[][]{ values });
        }

        @Override
        public double regress(double[] x) {
            double y = intercept;
            for (int i = 0; i < columns.length; i++) {
                y += weights[i] * x[columns[i]];
            }
            return y;
        }
    }

    /** @return {0, 1, ..., n - 1} */
    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }
}
