package io.agentcouncil.memory;

import java.time.Instant;
import java.util.Objects;

/**
 * One remembered message of a session. {@code seq} numbers a session's entries from 1 in the
 * order they were said; {@code (session, seq)} identifies an entry in every store.
 *
 * @param embedding the text's sentence embedding, or an empty array when none was computed; the
 *     array is shared, not copied: do not modify it
 */
public record MemoryEntry(String session, long seq, String role, String text, Instant createdAt, float[] embedding) {

    private static final float[] NONE = new float[0];

    public MemoryEntry {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, got " + seq);
        }
        embedding = embedding == null ? NONE : embedding;
    }

    /** This entry with its embedding set. */
    public MemoryEntry withEmbedding(float[] vector) {
        return new MemoryEntry(session, seq, role, text, createdAt, vector);
    }

    public boolean hasEmbedding() {
        return embedding.length > 0;
    }
}
