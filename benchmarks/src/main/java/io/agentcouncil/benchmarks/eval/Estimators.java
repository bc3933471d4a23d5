package io.agentcouncil.benchmarks.eval;

import io.agentcouncil.confidence.ConfidenceEstimator;
import io.agentcouncil.confidence.TokenProbabilityEstimator;
import io.agentcouncil.generation.GeneratedToken;

import java.util.List;

/** The raw confidence estimators the evaluation compares, each with a short name for tables and JSON. */
public final class Estimators {

    /** An estimator and its name. */
    public record Named(String name, ConfidenceEstimator estimator) {
        public double score(List<GeneratedToken> tokens) {
            return estimator.estimate(tokens);
        }
    }

    private Estimators() {}

    /**
     * The token-probability quantiles (the minimum, which is the shipped default, 0.1 and 0.25), and two
     * length-biased baselines: the mean probability, and the mean log-probability reported as
     * {@code exp(mean logprob)} (the geometric mean probability: the same ranking, hence the
     * same AUROC, but a score in [0, 1] that calibration can be measured on).
     */
    public static List<Named> all() {
        return List.of(
                new Named("min", TokenProbabilityEstimator.quantile(0)),
                new Named("q0.1", TokenProbabilityEstimator.quantile(0.1)),
                new Named("q0.25", TokenProbabilityEstimator.quantile(0.25)),
                new Named("mean_p", Estimators::meanProbability),
                new Named("mean_logp", Estimators::geometricMeanProbability));
    }

    static double meanProbability(List<GeneratedToken> tokens) {
        if (tokens.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (GeneratedToken t : tokens) {
            sum += t.probability();
        }
        return sum / tokens.size();
    }

    static double geometricMeanProbability(List<GeneratedToken> tokens) {
        if (tokens.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (GeneratedToken t : tokens) {
            sum += t.logprob();
        }
        return Math.exp(sum / tokens.size());
    }
}
