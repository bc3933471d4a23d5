package io.agentcouncil.vector;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the exact and the graph indexes share: each session's vectors live in one {@link Session}
 * of their own, looked up by name, so a search reads only its session's; the index counts the
 * vectors of all of them.
 */
abstract class SessionIndex<S extends SessionIndex.Session> implements VectorIndex {

    /** One session's vectors, safe for concurrent use. */
    interface Session extends AutoCloseable {
        /** Adds or replaces {@code key}'s vector; true if the key is new to the session. */
        boolean put(long key, float[] vector);

        /** Removes {@code key}; true if the session held it. */
        boolean remove(long key);

        boolean isEmpty();

        void search(float[] query, int k, TopK top);

        @Override
        void close();
    }

    final int dimension;
    final ConcurrentHashMap<String, S> sessions = new ConcurrentHashMap<>();
    final AtomicInteger size = new AtomicInteger();
    private volatile boolean closed;

    SessionIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        this.dimension = dimension;
    }

    abstract S newSession();

    @Override
    public final int dimension() {
        return dimension;
    }

    @Override
    public final void add(String session, long key, float[] vector) {
        checkOpen();
        VectorMath.checkSession(session);
        VectorMath.checkVector(vector, dimension);
        // compute(): creating the session and adding to it is one step, so a removal or a
        // compaction cannot drop the session as empty in between.
        sessions.compute(session, (name, s) -> {
            S target = s != null ? s : newSession();
            if (target.put(key, vector)) {
                size.incrementAndGet();
            }
            return target;
        });
    }

    @Override
    public final List<VectorHit> search(String session, float[] query, int k, float minScore) {
        checkOpen();
        VectorMath.checkSearch(session, query, k, minScore, dimension);
        TopK top = new TopK(k, minScore);
        S s = sessions.get(session);
        if (s != null) {
            s.search(query, k, top);
        }
        return top.hits();
    }

    @Override
    public final int size() {
        return size.get();
    }

    /** Refuses every later call; the subclass's close then frees the sessions. */
    final void markClosed() {
        closed = true;
    }

    final void closeSessions() {
        sessions.values().forEach(Session::close);
        sessions.clear();
        size.set(0);
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the index is closed");
        }
    }
}
