package io.agentcouncil.vector;

import java.util.Map;
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
final class ApproximateVectorIndex extends SessionIndex<GraphSession> {

    /** Sessions below this many vectors are scanned exactly. */
    static final int DEFAULT_EXACT_BELOW = 2048;

    private final int exactBelow;
    private final SessionGraphs graphs;
    private final ReentrantLock compaction = new ReentrantLock();

    /** Takes {@code graphs} over: {@link #close} closes it. */
    ApproximateVectorIndex(int dimension, int exactBelow, SessionGraphs graphs) {
        super(dimension);
        if (exactBelow < 1) {
            throw new IllegalArgumentException("exactBelow must be at least 1, was " + exactBelow);
        }
        this.exactBelow = exactBelow;
        this.graphs = graphs;
    }

    @Override
    GraphSession newSession() {
        return new GraphSession(dimension);
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
    public void close() {
        markClosed();
        // Waits for a compaction in progress: it may be linking nodes into a graph.
        compaction.lock();
        try {
            closeSessions();
            graphs.close();
        } finally {
            compaction.unlock();
        }
    }
}
