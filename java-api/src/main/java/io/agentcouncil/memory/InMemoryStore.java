package io.agentcouncil.memory;

import io.agentcouncil.template.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** {@link MemoryStore#inMemory()}: per-session lists on the heap. */
final class InMemoryStore implements MemoryStore {

    private final Map<String, List<ChatMessage>> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public void append(String session, ChatMessage message) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(message, "message");
        checkOpen();
        List<ChatMessage> history = sessions.computeIfAbsent(session, s -> new ArrayList<>());
        synchronized (history) {
            history.add(message);
        }
    }

    @Override
    public List<ChatMessage> recent(String session, int count) {
        Objects.requireNonNull(session, "session");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        checkOpen();
        List<ChatMessage> history = sessions.get(session);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return List.copyOf(history.subList(Math.max(0, history.size() - count), history.size()));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory store is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
