package dev.mlpipeline.pipeline;

/**
 * What an explanation adds up to: the model's raw output, one value per output (per class for classification, one
 * for regression), before any link function turns it into probabilities.
 */
public enum RawOutput {
    /**
     * Class probabilities, exactly those predict returns (random forest and CART classification: a forest averages
     * its trees' leaf class frequencies, so contributions add up in probability space).
     */
    PROBABILITY("probability"),
    /**
     * Binary classification with a logistic link (logistic regression, gradient boosting): per class c, the
     * log-odds {@code ln(p_c / (1 - p_c))}; the two classes' values are each other's negation and
     * {@code p_c = 1 / (1 + exp(-raw_c))}.
     */
    LOG_ODDS("log_odds"),
    /**
     * Multi-class classification with a softmax link (logistic regression, gradient boosting): per class, the margin
     * (logit) whose softmax is the probability; margins are defined up to a common constant (logistic regression
     * fixes the last class's margin at 0).
     */
    MARGIN("margin"),
    /** Regression: the predicted value itself. */
    VALUE("value");

    private final String wireName;

    RawOutput(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name in the API ("probability", "log_odds", "margin", "value") */
    public String wireName() {
        return wireName;
    }
}
