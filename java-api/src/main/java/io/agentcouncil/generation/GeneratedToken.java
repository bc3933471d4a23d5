package io.agentcouncil.generation;

import java.util.List;
import java.util.Objects;

/**
 * A token the generator produced.
 *
 * @param id the token id
 * @param piece the token's own text (control tokens as their markup; a byte token that is part of
 *     a longer character shows as U+FFFD). What the token adds to the reply is told by
 *     {@link TokenListener#onToken}, which never splits a character or shows a stop string.
 * @param logprob natural-log probability of this token under the model's raw logits: the
 *     log-softmax over the whole vocabulary before repetition penalty, temperature and truncation
 *     (see {@link LogProbs}); at most 0
 * @param alternatives the {@link GenerationConfig#topLogprobs()} most likely tokens at this step,
 *     most likely first, by the same measure; the chosen token is among them when greedy
 */
public record GeneratedToken(int id, String piece, float logprob, List<TokenAlternative> alternatives) {

    public GeneratedToken {
        Objects.requireNonNull(piece, "piece");
        alternatives = List.copyOf(alternatives);
    }

    /** The probability, {@code exp(logprob)}. */
    public double probability() {
        return Math.exp(logprob);
    }
}
