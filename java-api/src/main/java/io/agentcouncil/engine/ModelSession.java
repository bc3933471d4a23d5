package io.agentcouncil.engine;

/**
 * One conversation's evaluation state: the KV cache of the tokens evaluated so far. Not
 * thread-safe: one thread at a time. Positions are implicit: each call appends after
 * {@link #length()}.
 */
public interface ModelSession extends AutoCloseable {

    /** Size of the vocabulary: the length of one row of logits. */
    int vocabularySize();

    /** Positions this session can hold. */
    int capacity();

    /** Tokens evaluated and held in the cache. */
    int length();

    /**
     * Evaluates {@code tokens} after the cached ones and returns the logits of the last one.
     *
     * @throws IllegalArgumentException for a token outside the vocabulary
     * @throws IllegalStateException when the tokens do not fit, or the session is closed
     */
    float[] eval(int[] tokens);

    /** As {@link #eval}, returning one row of logits per token (teacher forcing, scoring). */
    float[][] evalAll(int[] tokens);

    /** Forgets every position from {@code keep} on, so a shared prefix need not be evaluated again. */
    void truncate(int keep);

    /** Frees the cache. Safe to call twice. */
    @Override
    void close();
}
