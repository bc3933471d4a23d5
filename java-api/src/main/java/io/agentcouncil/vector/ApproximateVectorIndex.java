package io.agentcouncil.vector;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Approximate search for large sessions, on a graph per session: JVector's or FAISS's, as the
 * {@link SessionGraphs} it is given builds them.
 *
 * <ul>
 *   <li>A session with fewer than {@code exactBelow} vectors (default
 *       {@value #DEFAULT_EXACT_BELOW}) has no graph and is scanned exactly, as in
 *       {@link ExactVectorIndex}: at that size a scan takes tens of microseconds and a graph
 *       would only cost recall.</li>
 *   <li>Adds land in an exact-scanned delta; {@link #compact} links the delta into the session's
 *       graph (building the graph once the session reaches {@code exactBelow}). Until then the
 *       new vectors are found exactly, so nothing added is ever missing from results.</li>
 *   <li>Removals are tombstones: filtered out of every result at once, dropped from the graph
 *       when tombstones pass a fifth of it and {@link #compact} rebuilds it. A session that
 *       shrinks below half of {@code exactBelow} goes back to exact scanning.</li>
 * </ul>
 *
 * <p>A search takes the graph's approximate top k (see {@link JVectorGraph} and {@link FaissGraph}
 * for how each walks its graph) and merges it with an exact scan of the delta.
 */
final class ApproximateVectorIndex implements VectorIndex {

    /** Sessions below this many vectors are scanned exactly. */
    static final int DEFAULT_EXACT_BELOW = 2048;

    private final int dimension;
    private final int exactBelow;
    private final SessionGraphs graphs;
    private final ConcurrentHashMap<String, GraphSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final ReentrantLock compaction = new ReentrantLock();
    private volatile boolean closed;

    /** Takes {@code graphs} over: {@link #close} closes it. */
    ApproximateVectorIndex(int dimension, int exactBelow, SessionGraphs graphs) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        if (exactBelow < 1) {
            throw new IllegalArgumentException("exactBelow must be at least 1, was " + exactBelow);
        }
        this.dimension = dimension;
        this.exactBelow = exactBelow;
        this.graphs = graphs;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public void add(String session, long key, float[] vector) {
        checkOpen();
        VectorMath.checkSession(session);
        VectorMath.checkVector(vector, dimension);
        // compute(): creating the session and adding to it is one step, so the compaction
        // cannot drop the session as empty in between.
        sessions.compute(session, (name, s) -> {
            GraphSession target = s != null ? s : new GraphSession(dimension);
            if (target.put(key, vector)) {
                size.incrementAndGet();
            }
            return target;
        });
    }

    @Override
    public void remove(String session, long key) {
        checkOpen();
        VectorMath.checkSession(session);
        GraphSession s = sessions.get(session);
        if (s != null && s.remove(key)) {
            size.decrementAndGet();
        }
    }

    @Override
    public List<VectorHit> search(String session, float[] query, int k, float minScore) {
        checkOpen();
        VectorMath.checkSearch(session, query, k, minScore, dimension);
        TopK top = new TopK(k, minScore);
        GraphSession s = sessions.get(session);
        if (s != null) {
            s.search(query, k, top);
        }
        return top.hits();
    }

    @Override
    public void compact() {
        checkOpen();
        compaction.lock();
        try {
            for (Map.Entry<String, GraphSession> e : sessions.entrySet()) {
                e.getValue().compact(exactBelow, graphs);
                // Under the map's lock for this key, so no add can slip in before the drop.
                sessions.computeIfPresent(e.getKey(), (name, s) -> {
                    if (s.isEmpty()) {
                        s.close();
                        return null;
                    }
                    return s;
                });
            }
        } finally {
            compaction.unlock();
        }
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public void close() {
        closed = true;
        // Waits for a compaction in progress: it may be linking nodes into a graph.
        compaction.lock();
        try {
            sessions.values().forEach(GraphSession::close);
            sessions.clear();
            size.set(0);
            graphs.close();
        } finally {
            compaction.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the index is closed");
        }
    }
}
