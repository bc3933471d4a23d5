package io.agentcouncil.vector;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * One session's vectors searched exactly: all of them back to back in one float array (slot
 * {@code i} at {@code [i * dimension, (i + 1) * dimension)}), so a scan is a single sequential
 * pass that the hardware prefetcher can stream. Removal moves the last vector into the hole, so
 * the array stays dense without tombstones. Not thread-safe: the owner locks.
 *
 * <p>Coded, from {@value #CODED_FROM} vectors on, the scan reads 8-bit codes of the vectors
 * ({@link VectorCodes}) and rescores only the candidates they leave with the floats: the same
 * results from a quarter of the bytes, for another 27% of memory (408 bytes a 384-d vector,
 * off-heap). Below that a float scan takes a fraction of a millisecond anyway.
 */
final class FlatVectors implements AutoCloseable {

    static final int CODED_FROM = 1024;
    private static final int INITIAL_CAPACITY = 4;

    private final int dimension;
    // A Java array holds at most Integer.MAX_VALUE floats: about 5.6 million 384-d vectors.
    private final int maxVectors;
    private float[] data;
    private long[] keys;
    private int size;
    private final LongIntMap slots = new LongIntMap();
    private final boolean coded;
    private VectorCodes codes;

    /** Float scans only. */
    FlatVectors(int dimension) {
        this(dimension, false);
    }

    /** {@code coded}: scans through codes once the session is large, where the dimension allows. */
    FlatVectors(int dimension, boolean coded) {
        this.dimension = dimension;
        this.coded = coded && VectorCodes.supports(dimension);
        this.maxVectors = (Integer.MAX_VALUE - 8) / dimension;
        this.data = new float[INITIAL_CAPACITY * dimension];
        this.keys = new long[INITIAL_CAPACITY];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Whether scans go through codes now. */
    boolean coded() {
        return codes != null;
    }

    boolean contains(long key) {
        return slots.get(key) >= 0;
    }

    /** Stores a copy of {@code vector} under {@code key}; returns false if it replaced one. */
    boolean put(long key, float[] vector) {
        int slot = slots.get(key);
        boolean added = slot < 0;
        if (added) {
            if (size == keys.length) {
                grow();
            }
            slot = size++;
            keys[slot] = key;
            slots.put(key, slot);
        }
        System.arraycopy(vector, 0, data, slot * dimension, dimension);
        if (codes != null) {
            codes.put(slot, vector);
        } else if (coded && size >= CODED_FROM) {
            codes = new VectorCodes(dimension, keys.length);
            for (int i = 0; i < size; i++) {
                codes.put(i, vector(i));
            }
        }
        return added;
    }

    /** Removes {@code key}'s vector; returns false if there was none. */
    boolean remove(long key) {
        int slot = slots.remove(key);
        if (slot < 0) {
            return false;
        }
        int last = --size;
        if (slot != last) {
            System.arraycopy(data, last * dimension, data, slot * dimension, dimension);
            keys[slot] = keys[last];
            slots.put(keys[slot], slot);
            if (codes != null) {
                codes.put(slot, vector(slot));
            }
        }
        return true;
    }

    /** The key in {@code slot} (0 to size - 1): with {@link #vector}, to iterate. */
    long key(int slot) {
        return keys[slot];
    }

    /** A copy of the vector in {@code slot}. */
    float[] vector(int slot) {
        return Arrays.copyOfRange(data, slot * dimension, (slot + 1) * dimension);
    }

    /** Copies the vector in {@code slot} into {@code target} from {@code offset}. */
    void copyVector(int slot, float[] target, int offset) {
        System.arraycopy(data, slot * dimension, target, offset, dimension);
    }

    /** Offers every vector's score against {@code query} to {@code top}. */
    void scan(float[] query, TopK top) {
        float[] d = data;
        if (codes != null) {
            int[] candidates = VectorCodes.slotsBuffer();
            int n = codes.candidates(size, query, top.k(), top.floor(), candidates);
            if (n >= 0) {
                for (int i = 0; i < n; i++) {
                    int slot = candidates[i];
                    top.offer(keys[slot], VectorMath.dot(d, slot * dimension, query));
                }
                return;
            }
        }
        for (int slot = 0, offset = 0; slot < size; slot++, offset += dimension) {
            top.offer(keys[slot], VectorMath.dot(d, offset, query));
        }
    }

    /** As {@link #scan(float[], TopK)}, leaving out the keys {@code skip} accepts. */
    void scan(float[] query, TopK top, LongPredicate skip) {
        float[] d = data;
        for (int slot = 0, offset = 0; slot < size; slot++, offset += dimension) {
            float score = VectorMath.dot(d, offset, query);
            // The predicate is consulted only for the few candidates that could be kept.
            if (top.admits(score) && !skip.test(keys[slot])) {
                top.offer(keys[slot], score);
            }
        }
    }

    /** Gives back capacity that removals left unused (more than half of it). */
    void trim() {
        int capacity = Math.max(INITIAL_CAPACITY, size);
        if (keys.length > 2 * capacity) {
            data = Arrays.copyOf(data, capacity * dimension);
            keys = Arrays.copyOf(keys, capacity);
            if (codes != null) {
                codes.resize(capacity, size);
            }
        }
    }

    /** Frees the codes' native memory (which the garbage collector would free, later). */
    @Override
    public void close() {
        if (codes != null) {
            codes.close();
            codes = null;
        }
    }

    private void grow() {
        if (size == maxVectors) {
            throw new IllegalStateException("a session holds at most " + maxVectors + " vectors of " + dimension + " dimensions");
        }
        int capacity = (int) Math.min(maxVectors, 2L * keys.length);
        data = Arrays.copyOf(data, capacity * dimension);
        keys = Arrays.copyOf(keys, capacity);
        if (codes != null) {
            codes.resize(capacity, size);
        }
    }
}
