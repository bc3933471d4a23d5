package io.agentcouncil.memory;

/** A memory store could not read or write its backend (disk, database, network). */
public class MemoryStoreException extends RuntimeException {

    public MemoryStoreException(String message) {
        super(message);
    }

    public MemoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
