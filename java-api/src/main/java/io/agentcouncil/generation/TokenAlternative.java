package io.agentcouncil.generation;

/**
 * One of the most likely tokens at a generation step.
 *
 * @param id the token id
 * @param piece the token's text (control tokens as their markup, e.g. {@code <|im_end|>}; a byte
 *     token that is part of a longer character shows as U+FFFD)
 * @param logprob natural-log probability from the raw logits (see {@link LogProbs}); at most 0
 */
public record TokenAlternative(int id, String piece, float logprob) {
}
