package io.agentcouncil.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/** {@link MemoryStores#inMemory()}: per-session sorted maps on the heap. */
final class InMemoryStore implements MemoryStore {

    private static final class Session {
        final TreeMap<Long, MemoryEntry> live = new TreeMap<>();
        final TreeMap<Long, MemoryEntry> archived = new TreeMap<>();
    }

    // One lock for the whole store: its readers copy small lists, and archive() spans sessions.
    private final Map<String, Session> sessions = new TreeMap<>();
    private boolean closed;

    @Override
    public synchronized void write(List<MemoryEntry> entries) {
        checkOpen();
        for (MemoryEntry e : entries) {
            Objects.requireNonNull(e, "entry");
            Session s = sessions.computeIfAbsent(e.session(), k -> new Session());
            if (s.archived.containsKey(e.seq())) {
                s.archived.put(e.seq(), e);
            } else {
                s.live.put(e.seq(), e);
            }
        }
    }

    @Override
    public synchronized List<MemoryEntry> recent(String session, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        List<MemoryEntry> all = entries(session);
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }

    @Override
    public synchronized List<MemoryEntry> entries(String session) {
        Objects.requireNonNull(session, "session");
        checkOpen();
        Session s = sessions.get(session);
        return s == null ? List.of() : List.copyOf(s.live.values());
    }

    @Override
    public synchronized long lastSeq(String session) {
        Objects.requireNonNull(session, "session");
        checkOpen();
        Session s = sessions.get(session);
        if (s == null) {
            return 0;
        }
        long live = s.live.isEmpty() ? 0 : s.live.lastKey();
        long archived = s.archived.isEmpty() ? 0 : s.archived.lastKey();
        return Math.max(live, archived);
    }

    @Override
    public void forEachLive(Consumer<MemoryEntry> sink) {
        List<MemoryEntry> all = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            sessions.values().forEach(s -> all.addAll(s.live.values()));
        }
        all.forEach(sink);
    }

    @Override
    public synchronized int archive(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        checkOpen();
        int moved = 0;
        for (Session s : sessions.values()) {
            for (var it = s.live.values().iterator(); it.hasNext(); ) {
                MemoryEntry e = it.next();
                if (e.createdAt().isBefore(cutoff)) {
                    s.archived.put(e.seq(), e);
                    it.remove();
                    moved++;
                }
            }
        }
        return moved;
    }

    @Override
    public synchronized List<MemoryEntry> archived(String session) {
        Objects.requireNonNull(session, "session");
        checkOpen();
        Session s = sessions.get(session);
        return s == null ? List.of() : List.copyOf(s.archived.values());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory store is closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
