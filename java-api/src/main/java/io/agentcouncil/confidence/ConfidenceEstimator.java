package io.agentcouncil.confidence;

import io.agentcouncil.generation.GeneratedToken;
import java.util.List;

/**
 * Turns a model's generated tokens into a confidence in [0, 1] that the answer they spell is
 * right. The gate compares it with {@code confidenceGate}; the council compares members by it.
 * Implementations must be thread-safe and accept any prefix of a generation, which is what
 * "decide early" scores.
 */
@FunctionalInterface
public interface ConfidenceEstimator {

    /** The confidence of an answer made of {@code tokens} (in generation order); 0 for none. */
    double estimate(List<GeneratedToken> tokens);
}
