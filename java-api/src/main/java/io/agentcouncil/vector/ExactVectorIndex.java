package io.agentcouncil.vector;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Exact search: a search scores every vector of its session, one sequential pass over the
 * session's contiguous array (see {@link FlatVectors}; in sessions of at least
 * {@value FlatVectors#CODED_FROM}, a pass over 8-bit codes that leaves a few candidates to score)
 * into a {@code k}-sized heap. The cost is linear in the session's size and independent of every
 * other session's.
 *
 * <p>Each session has a read-write lock: searches share it, an add or removal holds it for the
 * copy of one vector. A session that loses its last vector is dropped from the index.
 */
final class ExactVectorIndex implements VectorIndex {

    private final int dimension;
    private final ConcurrentHashMap<String, Partition> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean closed;

    ExactVectorIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        this.dimension = dimension;
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
        // compute() makes creating a partition and adding to it one step, so a concurrent
        // removal cannot drop the partition in between.
        sessions.compute(session, (s, partition) -> {
            Partition p = partition != null ? partition : new Partition(dimension);
            if (p.put(key, vector)) {
                size.incrementAndGet();
            }
            return p;
        });
    }

    @Override
    public void remove(String session, long key) {
        checkOpen();
        VectorMath.checkSession(session);
        sessions.computeIfPresent(session, (s, p) -> {
            if (p.remove(key)) {
                size.decrementAndGet();
            }
            if (p.isEmpty()) {
                p.close();
                return null;
            }
            return p;
        });
    }

    @Override
    public List<VectorHit> search(String session, float[] query, int k, float minScore) {
        checkOpen();
        VectorMath.checkSearch(session, query, k, minScore, dimension);
        Partition p = sessions.get(session);
        TopK top = new TopK(k, minScore);
        if (p != null) {
            p.scan(query, top);
        }
        return top.hits();
    }

    @Override
    public void compact() {
        checkOpen();
        sessions.values().forEach(Partition::trim);
    }

    @Override
    public int size() {
        return size.get();
    }

    @Override
    public void close() {
        closed = true;
        sessions.values().forEach(Partition::close);
        sessions.clear();
        size.set(0);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the index is closed");
        }
    }

    /** One session's vectors behind its lock. */
    private static final class Partition implements AutoCloseable {
        private final ReadWriteLock lock = new ReentrantReadWriteLock();
        private final FlatVectors vectors;

        Partition(int dimension) {
            vectors = new FlatVectors(dimension, true);
        }

        boolean put(long key, float[] vector) {
            lock.writeLock().lock();
            try {
                return vectors.put(key, vector);
            } finally {
                lock.writeLock().unlock();
            }
        }

        boolean remove(long key) {
            lock.writeLock().lock();
            try {
                return vectors.remove(key);
            } finally {
                lock.writeLock().unlock();
            }
        }

        boolean isEmpty() {
            lock.readLock().lock();
            try {
                return vectors.isEmpty();
            } finally {
                lock.readLock().unlock();
            }
        }

        void scan(float[] query, TopK top) {
            lock.readLock().lock();
            try {
                vectors.scan(query, top);
            } finally {
                lock.readLock().unlock();
            }
        }

        void trim() {
            lock.writeLock().lock();
            try {
                vectors.trim();
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public void close() {
            lock.writeLock().lock();
            try {
                vectors.close();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }
}
