package io.agentcouncil.vector;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One session of the {@link ApproximateVectorIndex}: a graph for the bulk of a large session,
 * and an exact-scanned {@code delta} for what was added since the last compaction (and for
 * everything while the session is small). Every key is live in exactly one of them, or in the
 * {@code folding} batch of a compaction in progress, which stays searchable exactly until the
 * graph has taken it in.
 *
 * <p>Searches hold the read lock; adds, removals and the compaction's short steps (freezing the
 * delta, publishing the result) hold the write lock. The long step, linking nodes into the
 * graph or building a new one, runs without the lock, so searches are never held up by it.
 */
final class GraphSession implements SessionIndex.Session {

    // A graph whose tombstones pass this fraction of its nodes is rebuilt without them.
    private static final double REBUILD_TOMBSTONE_FRACTION = 0.2;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final int dimension;
    private FlatVectors delta;
    private FlatVectors folding;
    // Keys removed (or replaced) from folding or graph while a compaction runs: the compaction
    // turns them into tombstones of the graph it publishes.
    private final Set<Long> removedWhileFolding = new HashSet<>();
    private SessionGraph graph;
    private boolean graphFailed;
    private int live;

    GraphSession(int dimension) {
        this.dimension = dimension;
        this.delta = new FlatVectors(dimension);
    }

    @Override
    public boolean put(long key, float[] vector) {
        lock.writeLock().lock();
        try {
            boolean replaced = removeLive(key);
            delta.put(key, vector);
            if (!replaced) {
                live++;
            }
            return !replaced;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public boolean remove(long key) {
        lock.writeLock().lock();
        try {
            boolean removed = removeLive(key);
            if (removed) {
                live--;
            }
            return removed;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** True when the session holds nothing and no compaction is working on it. */
    @Override
    public boolean isEmpty() {
        lock.readLock().lock();
        try {
            return live == 0 && folding == null;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void search(float[] query, int k, TopK top) {
        lock.readLock().lock();
        try {
            if (graph != null) {
                graph.search(query, k, top);
            }
            if (folding != null) {
                folding.scan(query, top, removedWhileFolding::contains);
            }
            delta.scan(query, top);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Folds the delta into the graph. Sessions below {@code exactBelow} live vectors have no
     * graph (a graph that shrinks below half of it is dissolved back into the delta); the first
     * graph, and one with too many tombstones, is built anew from every live vector; otherwise
     * the delta's vectors are linked into the existing graph. New graphs come from
     * {@code graphs}. Called by one thread at a time.
     */
    void compact(int exactBelow, SessionGraphs graphs) {
        boolean rebuild;
        SessionGraph old;
        lock.writeLock().lock();
        try {
            if (graph != null && live < Math.max(1, exactBelow / 2)) {
                dissolveGraph();
                return;
            }
            rebuild = graph == null ? live >= exactBelow
                    : graphFailed || graph.removedCount() > REBUILD_TOMBSTONE_FRACTION * graph.nodes();
            if (!rebuild && (graph == null || delta.isEmpty())) {
                delta.trim();
                return;
            }
            folding = delta;
            delta = new FlatVectors(dimension);
            old = graph;
        } finally {
            lock.writeLock().unlock();
        }
        try {
            if (rebuild) {
                publishRebuilt(buildFrom(old, folding, graphs));
            } else {
                old.insert(folding);
                publishInserted();
            }
        } catch (RuntimeException | Error e) {
            restoreFolding();
            throw e;
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (graph != null) {
                graph.close();
                graph = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // Removes the live entry for key wherever it is; the caller holds the write lock.
    private boolean removeLive(long key) {
        if (delta.remove(key)) {
            return true;
        }
        if (folding != null && folding.contains(key) && !removedWhileFolding.contains(key)) {
            removedWhileFolding.add(key);
            return true;
        }
        if (graph != null && graph.remove(key)) {
            if (folding != null) {
                removedWhileFolding.add(key); // a graph being rebuilt still holds it
            }
            return true;
        }
        return false;
    }

    // Collects the old graph's live vectors under the read lock (removals go on changing which
    // are live) and the frozen batch without it (nothing writes to it), then builds unlocked.
    private SessionGraph buildFrom(SessionGraph old, FlatVectors batch, SessionGraphs graphs) {
        Collected all;
        lock.readLock().lock();
        try {
            all = new Collected(batch.size() + (old == null ? 0 : old.nodes() - old.removedCount()));
            if (old != null) {
                old.forEachLive(all);
            }
        } finally {
            lock.readLock().unlock();
        }
        for (int slot = 0; slot < batch.size(); slot++) {
            all.accept(batch.key(slot), batch.vector(slot));
        }
        // Nothing to build if removals emptied the graph since the compaction started.
        return all.count == 0 ? null : graphs.build(dimension, all.keys, all.vectors, all.count);
    }

    // rebuilt is null when there was nothing to build it from.
    private void publishRebuilt(SessionGraph rebuilt) {
        lock.writeLock().lock();
        try {
            if (rebuilt != null) {
                for (long key : removedWhileFolding) {
                    rebuilt.remove(key);
                }
            }
            if (graph != null) {
                graph.close();
            }
            graph = rebuilt;
            graphFailed = false;
            folding = null;
            removedWhileFolding.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void publishInserted() {
        lock.writeLock().lock();
        try {
            graph.publish(folding, removedWhileFolding);
            folding = null;
            removedWhileFolding.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // A failed compaction gives the batch back to the delta (nothing acknowledged is lost) and
    // has the next one rebuild the graph, whose unpublished nodes may be half linked.
    private void restoreFolding() {
        lock.writeLock().lock();
        try {
            for (int slot = 0; slot < folding.size(); slot++) {
                long key = folding.key(slot);
                if (!removedWhileFolding.contains(key)) {
                    delta.put(key, folding.vector(slot));
                }
            }
            folding = null;
            removedWhileFolding.clear();
            graphFailed = graph != null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void dissolveGraph() {
        graph.forEachLive(delta::put);
        graph.close();
        graph = null;
        graphFailed = false;
    }

    /** Keys and vectors gathered for a build. */
    private static final class Collected implements SessionGraph.KeyVectorSink {
        final long[] keys;
        final float[][] vectors;
        int count;

        Collected(int capacity) {
            keys = new long[capacity];
            vectors = new float[capacity][];
        }

        @Override
        public void accept(long key, float[] vector) {
            keys[count] = key;
            vectors[count++] = vector;
        }
    }
}
