package dev.mlpipeline.pipeline;

/**
 * An additive explanation of one prediction of an {@link Estimator}, over the columns of its preprocessed input
 * vector: for every output {@code o}, {@code base[o] + sum over c of values[o][c]} equals raw output {@code o} (see
 * {@link RawOutput}) up to floating-point rounding.
 *
 * <p>Columns are those of the vector given to {@link Estimator#contributions(double[])} (same indices, same length).
 * An estimator that sees a one-hot block as a single column (the tree models' {@link Estimators.TreeColumns}) puts
 * the whole block's contribution on the block's first column and 0 on the others: only the sum over a block is
 * meaningful, and {@link FittedPipeline} only reads block sums.
 *
 * @param output what the values add up to
 * @param base   per output: the expected raw output over the training data (the prediction with no feature known)
 * @param values per output, per column of the input vector: that column's contribution
 */
record Contributions(RawOutput output, double[] base, double[][] values) {

    /** @return the number of outputs (classes for classification, 1 for regression) */
    int outputs() {
        return base.length;
    }

    /**
     * @param o output index
     * @return {@code base[o]} plus the contributions of output {@code o}: the raw output the explanation adds up to
     */
    double total(int o) {
        double s = base[o];
        for (double v : values[o]) s += v;
        return s;
    }
}
