package io.agentcouncil.memory;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where sessions' entries are kept: the persistence SPI under the council's memory. A store
 * only stores; embedding, recall and write-behind live above it. Every read names one session
 * and returns only that session's entries. Implementations are thread-safe.
 *
 * <p>Entries are "live" until archived: archived entries are never returned by the live reads
 * ({@link #recent}, {@link #entries}, {@link #forEachLive}) but stay exportable through
 * {@link #archived}. Nothing is deleted.
 *
 * <p>A store that cannot reach its backend throws {@link MemoryStoreException}.
 */
public interface MemoryStore extends AutoCloseable {

    /**
     * Writes the entries (any sessions) atomically where the backend allows, and returns once
     * they are durable in this store. Writing an entry whose {@code (session, seq)} is already
     * stored replaces it, so a retried batch is harmless.
     */
    void write(List<MemoryEntry> entries);

    /** The session's last {@code count} live entries, oldest first; empty for an unknown session. */
    List<MemoryEntry> recent(String session, int count);

    /** All of the session's live entries, oldest first. */
    List<MemoryEntry> entries(String session);

    /** The highest {@code seq} ever stored for the session, live or archived; 0 if none. */
    long lastSeq(String session);

    /** Every live entry of every session, each session's in order: for rebuilding indexes. */
    void forEachLive(Consumer<MemoryEntry> sink);

    /** Moves every live entry created before {@code cutoff} to the archive; returns how many moved. */
    int archive(Instant cutoff);

    /** The session's archived entries, oldest first: the export of what recall no longer sees. */
    List<MemoryEntry> archived(String session);

    /**
     * True while the store works only in part (a tiered store whose hot tier is down, say);
     * reads and writes still succeed.
     */
    default boolean degraded() {
        return false;
    }

    /** Releases the store's connections. Safe to call twice. */
    @Override
    void close();
}
