package io.agentcouncil.generation;

import java.util.List;
import java.util.Objects;

/**
 * What one generation produced.
 *
 * @param text the reply: the generated text, without end-of-generation markup and ending just
 *     before a stop string if one was reached
 * @param tokens every generated token in order, with log-probabilities and alternatives; includes
 *     the end-of-generation token when {@code stopReason} is EOS, and the tokens that spelled a
 *     stop string
 * @param stopReason why generation ended
 * @param timings where the time went, and how much of the prompt was reused
 * @param seed the seed the sampler used (the configured one, or the fresh one drawn), to
 *     reproduce this generation
 */
public record GenerationResult(String text, List<GeneratedToken> tokens, StopReason stopReason,
        GenerationTimings timings, long seed) {

    public GenerationResult {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(timings, "timings");
        tokens = List.copyOf(tokens);
    }

    /** The ids of {@link #tokens()}. */
    public int[] tokenIds() {
        return tokens.stream().mapToInt(GeneratedToken::id).toArray();
    }

    /** Sum of the tokens' log-probabilities: the log-probability of the whole sequence; 0 for none. */
    public double totalLogprob() {
        double sum = 0;
        for (GeneratedToken t : tokens) {
            sum += t.logprob();
        }
        return sum;
    }
}
