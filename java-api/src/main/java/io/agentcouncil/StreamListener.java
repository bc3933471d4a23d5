package io.agentcouncil;

/**
 * Receives a streamed turn as it happens, on the thread running the turn, in order: Agent-0's
 * tokens as they are generated; then, if it fell below the gate, an {@link Escalation} (the text
 * shown so far was Agent-0's draft, which the reply does not keep) followed by the council's
 * answer: token by token when one specialist answers, in one piece once the policy has chosen
 * when several do; the same again for the cloud, and if the cloud cannot answer, the best local
 * answer once more; then {@link #onComplete}. Keep it quick: generation waits for it. An exception
 * thrown here ends the turn and reaches the caller.
 */
@FunctionalInterface
public interface StreamListener {

    /** Text that is final for the current route; concatenated per route they give its answer. */
    void onToken(StreamToken token);

    /** The turn escalates: what was streamed before belongs to {@code escalation.from()}. */
    default void onEscalation(Escalation escalation) {}

    /** The turn is done; {@code reply.text()} is what the last route streamed. */
    default void onComplete(Reply reply) {}

    /** A piece of streamed text, with the route and model that produced it. */
    record StreamToken(Route route, String model, String text) {}

    /**
     * An escalation between tiers.
     *
     * @param from the tier that was not confident enough
     * @param to the tier that answers instead
     * @param confidence the confidence that fell below the gate
     * @param gate the gate
     * @param models the models that will answer: the chosen specialists, or the cloud model
     * @param early true when Agent-0 was stopped after its first tokens ("decide early")
     */
    record Escalation(Route from, Route to, double confidence, double gate, java.util.List<String> models, boolean early) {}
}
