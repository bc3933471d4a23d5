package io.agentcouncil.generation;

/**
 * Asks a running generation to stop. Thread-safe: cancel from any thread; the generator checks
 * between tokens (and between chunks of a long prompt) and ends with
 * {@link StopReason#CANCELLED}, keeping what it has generated. A cancelled token stays cancelled.
 */
public final class CancellationToken {

    private volatile boolean cancelled;

    /** A token for one generation or a group of them. */
    public CancellationToken() {}

    /** A token nobody cancels. */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
