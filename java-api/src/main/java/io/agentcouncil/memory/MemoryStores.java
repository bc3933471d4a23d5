package io.agentcouncil.memory;

import java.nio.file.Path;

/** The stores that ship with AgentCouncil. */
public final class MemoryStores {

    private MemoryStores() {
    }

    /** A store in this JVM's heap only: nothing survives a restart. */
    public static MemoryStore inMemory() {
        return new InMemoryStore();
    }

    /**
     * The embedded default: one SQLite file (created with its schema if absent, migrated if
     * older), in WAL mode. See {@link SqliteMemoryStore}.
     */
    public static MemoryStore sqlite(Path file) {
        return SqliteMemoryStore.open(file);
    }
}
