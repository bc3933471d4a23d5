package io.agentcouncil.generation;

/** Why generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token (EOS, end of turn); it is the last token of the result. */
    EOS,
    /** The text reached one of {@link GenerationConfig#stopStrings()}; the result text ends just before it. */
    STOP_STRING,
    /** {@link GenerationConfig#maxNewTokens()} tokens were generated. */
    MAX_TOKENS,
    /** The {@link CancellationToken} was cancelled or the generating thread was interrupted. */
    CANCELLED,
    /** The session's context is full: the prompt did not fit, or no room was left for another token. */
    CONTEXT_FULL
}
