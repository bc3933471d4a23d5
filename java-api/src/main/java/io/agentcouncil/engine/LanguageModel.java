package io.agentcouncil.engine;

import io.agentcouncil.tokenizer.Tokenizer;

/**
 * A loaded model: weights, tokenizer and chat template. Immutable and thread-safe; each
 * conversation evaluates through a {@link ModelSession} of its own, and sessions of one model run
 * concurrently.
 */
public interface LanguageModel extends AutoCloseable {

    /** A short name for logs and metrics, e.g. the roster name. */
    String name();

    Tokenizer tokenizer();

    /** The model's {@code tokenizer.chat_template}, or null when the file has none. */
    String chatTemplate();

    /** Positions the model was trained for ({@code <arch>.context_length}). */
    int trainedContextLength();

    /** A new session with room for {@code contextLength} positions. */
    ModelSession newSession(int contextLength);

    /** Frees the weights. Sessions still open are closed first. Safe to call twice. */
    @Override
    void close();
}
