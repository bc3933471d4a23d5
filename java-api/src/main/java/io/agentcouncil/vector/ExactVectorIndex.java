package io.agentcouncil.vector;

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
final class ExactVectorIndex extends SessionIndex<ExactVectorIndex.Partition> {

    ExactVectorIndex(int dimension) {
        super(dimension);
    }

    @Override
    Partition newSession() {
        return new Partition(dimension);
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
    public void compact() {
        checkOpen();
        sessions.values().forEach(Partition::trim);
    }

    @Override
    public void close() {
        markClosed();
        closeSessions();
    }

    /** One session's vectors behind its lock. */
    static final class Partition implements SessionIndex.Session {
        private final ReadWriteLock lock = new ReentrantReadWriteLock();
        private final FlatVectors vectors;

        Partition(int dimension) {
            vectors = new FlatVectors(dimension, true);
        }

        @Override
        public boolean put(long key, float[] vector) {
            lock.writeLock().lock();
            try {
                return vectors.put(key, vector);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public boolean remove(long key) {
            lock.writeLock().lock();
            try {
                return vectors.remove(key);
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public boolean isEmpty() {
            lock.readLock().lock();
            try {
                return vectors.isEmpty();
            } finally {
                lock.readLock().unlock();
            }
        }

        @Override
        public void search(float[] query, int k, TopK top) {
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
