package io.agentcouncil.council;

import java.util.Objects;

/**
 * A council member's answer, as a policy sees it.
 *
 * @param member the specialist's name (or the chair's, for a synthesis)
 * @param model the model's name
 * @param text the answer
 * @param confidence the member's calibrated confidence in [0, 1]
 * @param tokensIn prompt tokens the member evaluated for it
 * @param tokensOut tokens it generated
 */
public record Answer(String member, String model, String text, double confidence, int tokensIn, int tokensOut) {

    public Answer {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
    }
}
