package io.agentcouncil.generation;

/**
 * Receives a generation as it happens, on the generating thread, one call per token in order.
 * Keep it quick: the next token waits for it. An exception thrown here ends the generation and
 * propagates to the caller of {@code generate}.
 */
@FunctionalInterface
public interface TokenListener {

    /** A listener that ignores everything. */
    TokenListener NONE = (token, text) -> { };

    /**
     * A token was generated.
     *
     * @param token the token, with its log-probability and alternatives
     * @param text the reply text this token makes final, often empty: it never ends inside a
     *     UTF-8 character, and text that could be the start of a stop string is held back until it
     *     turns out not to be (or is dropped with the stop string). The last token's text also
     *     releases whatever was held back, so the texts of all calls, concatenated, are exactly
     *     {@link GenerationResult#text()}.
     */
    void onToken(GeneratedToken token, String text);
}
