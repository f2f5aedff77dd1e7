package dev.mlpipeline.pipeline;

import java.io.Serial;
import java.io.Serializable;

import smile.classification.Classifier;
import smile.classification.LogisticRegression;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.regression.Regression;

/**
 * A fitted model over the preprocessed feature vector ({@code double[]}). Implementations wrap Smile models
 * and are part of the serialized artifact.
 */
sealed interface Estimator extends Serializable
        permits Estimator.Logistic, Estimator.TupleClassifier, Estimator.TupleRegressor, Estimator.TreeClassifier,
        Estimator.TreeRegressor, Estimator.Linear, Estimator.BinnedForest {

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

    /** Smile logistic regression, which predicts directly from {@code double[]}. */
    record Logistic(LogisticRegression model) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int classify(double[] x, double[] posteriori) {
            return model.predict(x, posteriori);
        }
    }

    /**
     * Smile tree classifiers (random forest, gradient boosting, CART) take a {@link Tuple}; the vector is wrapped
     * (no copy) against the cached training schema.
     */
    record TupleClassifier(Classifier<Tuple> model, StructType schema) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int classify(double[] x, double[] posteriori) {
            return model.predict(Tuple.of(schema, x), posteriori);
        }
    }

    /** Smile tree regressors, as {@link TupleClassifier}. */
    record TupleRegressor(Regression<Tuple> model, StructType schema) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public double regress(double[] x) {
            return model.predict(Tuple.of(schema, x));
        }
    }

    /**
     * Smile tree classifiers fitted on {@link Estimators.TreeColumns} (one column per input feature, one-hot blocks
     * folded back into a nominal level index); the vector is mapped to that layout, then wrapped as a tuple.
     */
    record TreeClassifier(Classifier<Tuple> model, StructType schema, Estimators.TreeColumns columns) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int classify(double[] x, double[] posteriori) {
            return model.predict(Tuple.of(schema, columns.apply(x)), posteriori);
        }
    }

    /** Smile tree regressors, as {@link TreeClassifier}. */
    record TreeRegressor(Regression<Tuple> model, StructType schema, Estimators.TreeColumns columns) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public double regress(double[] x) {
            return model.predict(Tuple.of(schema, columns.apply(x)));
        }
    }

    /**
     * A linear model reduced to its coefficients (Smile's LinearModel also keeps the training residuals, which
     * would bloat the artifact).
     *
     * @param columns   indices of the input columns the coefficients apply to (constant columns were dropped)
     * @param weights   coefficients, one per entry of {@code columns}
     * @param intercept intercept
     */
    record Linear(int[] columns, double[] weights, double intercept) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public double regress(double[] x) {
            double y = intercept;
            for (int i = 0; i < columns.length; i++) {
                y += weights[i] * x[columns[i]];
            }
            return y;
        }
    }

    /**
     * A {@link HistogramForest} (random forests fitted on large training sets), over the same tree-column layout as
     * {@link TreeClassifier}.
     */
    record BinnedForest(HistogramForest.Model model, Estimators.TreeColumns columns) implements Estimator {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int classify(double[] x, double[] posteriori) {
            return model.classify(columns.apply(x), posteriori);
        }

        @Override
        public double regress(double[] x) {
            return model.regress(columns.apply(x));
        }
    }
}
