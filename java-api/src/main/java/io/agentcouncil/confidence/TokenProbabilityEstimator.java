package io.agentcouncil.confidence;

import io.agentcouncil.generation.GeneratedToken;
import java.util.Arrays;
import java.util.List;

/**
 * The default estimator: a low quantile of the answer's token probabilities, optionally
 * calibrated.
 *
 * <p>With {@code p_1 .. p_n} the probabilities the model gave the tokens it chose (under its raw
 * logits, {@link GeneratedToken#probability()}, the end-of-generation token included), sorted
 * ascending, the raw score is the {@code q}-quantile {@code p_(k)} with
 * {@code k = max(1, ceil(q * n))}. The default {@code q = 0} is the least likely token: an
 * answer is about as wrong as its least certain step. A mean is length-biased: long answers of
 * mostly sure tokens hide their guesses. On Agent-0 (SmolLM2-135M) over 400 labelled questions
 * the minimum had AUROC 0.66 for "the answer is right", the 0.1-quantile 0.49, the mean 0.37
 * ({@code ConfidenceEval} in the benchmarks). The minimum also never rises as tokens are added,
 * so a prefix already below the gate decides early exactly. The confidence is then
 * Platt-calibrated, {@code c = sigmoid(a * logit(raw) + b)}, with {@code a = 1, b = 0} (no
 * change) unless fitted on labelled data.
 */
public final class TokenProbabilityEstimator implements ConfidenceEstimator {

    private static final double EPS = 1e-9;

    private final double quantile;
    private final double slope;
    private final double intercept;

    private TokenProbabilityEstimator(double quantile, double slope, double intercept) {
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1], got " + quantile);
        }
        if (!Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new IllegalArgumentException("calibration must be finite, got a=" + slope + ", b=" + intercept);
        }
        this.quantile = quantile;
        this.slope = slope;
        this.intercept = intercept;
    }

    /** The minimum token probability, uncalibrated. */
    public static TokenProbabilityEstimator defaults() {
        return new TokenProbabilityEstimator(0, 1, 0);
    }

    /** The {@code q}-quantile of the token probabilities (0: the minimum), uncalibrated. */
    public static TokenProbabilityEstimator quantile(double q) {
        return new TokenProbabilityEstimator(q, 1, 0);
    }

    /** The same quantile, calibrated as {@code sigmoid(a * logit(raw) + b)}. */
    public TokenProbabilityEstimator calibrated(double a, double b) {
        return new TokenProbabilityEstimator(quantile, a, b);
    }

    public double quantile() {
        return quantile;
    }

    /** The uncalibrated score: the quantile of the token probabilities; 0 for no tokens. */
    public double raw(List<GeneratedToken> tokens) {
        int n = tokens.size();
        if (n == 0) {
            return 0;
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = tokens.get(i).probability();
        }
        Arrays.sort(p);
        int k = Math.max(1, (int) Math.ceil(quantile * n));
        return p[k - 1];
    }

    @Override
    public double estimate(List<GeneratedToken> tokens) {
        if (tokens.isEmpty()) {
            return 0;
        }
        double raw = raw(tokens);
        if (slope == 1 && intercept == 0) {
            return raw;
        }
        double r = Math.min(1 - EPS, Math.max(EPS, raw));
        double z = slope * Math.log(r / (1 - r)) + intercept;
        return 1 / (1 + Math.exp(-z));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenProbabilityEstimator t && t.quantile == quantile && t.slope == slope
                && t.intercept == intercept;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(quantile) * 31 * 31 + Double.hashCode(slope) * 31 + Double.hashCode(intercept);
    }

    @Override
    public String toString() {
        return "TokenProbabilityEstimator[q=" + quantile + ", a=" + slope + ", b=" + intercept + "]";
    }
}
