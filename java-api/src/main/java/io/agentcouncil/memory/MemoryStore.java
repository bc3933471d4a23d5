package io.agentcouncil.memory;

import io.agentcouncil.template.ChatMessage;
import java.util.List;

/**
 * A session's remembered turns. Sessions never see each other's messages. Thread-safe.
 */
public interface MemoryStore extends AutoCloseable {

    /** Appends a message to the session's history. */
    void append(String session, ChatMessage message);

    /** The session's last {@code count} messages, oldest first; empty for an unknown session. */
    List<ChatMessage> recent(String session, int count);

    /** Releases the store. Safe to call twice. */
    @Override
    void close();

    /** A store in this JVM's heap only: nothing survives a restart. */
    static MemoryStore inMemory() {
        return new InMemoryStore();
    }
}
