package io.agentcouncil.generation;

/**
 * Where the time of one generation went. Times are wall-clock milliseconds measured with
 * {@link System#nanoTime()}.
 *
 * @param promptTokens tokens in the prompt
 * @param reusedTokens prompt tokens already in the session's cache from an earlier generation
 *     (a shared prefix), so not evaluated again
 * @param prefillTokens prompt tokens evaluated: {@code promptTokens - reusedTokens}, or fewer
 *     when cancelled or when the prompt did not fit
 * @param prefillMillis time to evaluate the prompt tokens
 * @param timeToFirstTokenMillis from the call to the first generated token (prefill and first
 *     draw included); 0 when no token was generated
 * @param generatedTokens tokens generated, the end-of-generation token included
 * @param decodeMillis from the first generated token to the last: the evaluation and sampling
 *     of {@code generatedTokens - 1} tokens
 * @param totalMillis the whole call
 */
public record GenerationTimings(int promptTokens, int reusedTokens, int prefillTokens, double prefillMillis,
        double timeToFirstTokenMillis, int generatedTokens, double decodeMillis, double totalMillis) {

    /** Prompt tokens evaluated per second; 0 when none were. */
    public double prefillTokensPerSecond() {
        return prefillTokens == 0 || prefillMillis <= 0 ? 0 : prefillTokens * 1000.0 / prefillMillis;
    }

    /**
     * Generated tokens per second after the first, as llama.cpp reports its "eval" rate (the
     * first token comes from the prefill); 0 with fewer than two tokens.
     */
    public double decodeTokensPerSecond() {
        return generatedTokens < 2 || decodeMillis <= 0 ? 0 : (generatedTokens - 1) * 1000.0 / decodeMillis;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "prompt %d tokens (%d reused, %d evaluated in %.1f ms, %.1f t/s), first token after %.1f ms,"
                        + " %d generated (%.1f t/s), total %.1f ms",
                promptTokens, reusedTokens, prefillTokens, prefillMillis, prefillTokensPerSecond(),
                timeToFirstTokenMillis, generatedTokens, decodeTokensPerSecond(), totalMillis);
    }
}
