package io.agentcouncil.memory;

import java.time.Duration;

/**
 * The write-behind queue stayed full for its whole offer timeout: the store has been failing
 * or too slow for longer than the queue can absorb. The entries of the failed call were not
 * remembered; everything acknowledged before is still queued and is written once the store
 * accepts writes again.
 */
public final class MemoryFullException extends MemoryStoreException {

    MemoryFullException(int capacity, Duration waited, Throwable storeFailure) {
        super("memory write queue is full (" + capacity + " entries) after waiting " + waited.toMillis() + " ms"
                + (storeFailure != null ? "; the store is failing: " + storeFailure.getMessage()
                        : "; the store is not keeping up"), storeFailure);
    }
}
