package io.agentcouncil.vector;

import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

import java.util.Arrays;

/**
 * A graph's vectors by ordinal, as JVector reads them. Appended by one thread (the compaction)
 * while searches read: the array is replaced, never resized in place, and published through a
 * volatile field, so a reader sees every ordinal the graph has linked it to. Vectors are never
 * modified once appended.
 */
final class OrdinalVectors implements RandomAccessVectorValues {

    private static final VectorTypeSupport VECTORS = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final int dimension;
    private volatile float[][] raw;
    private volatile int size;

    OrdinalVectors(int dimension, float[][] initial, int count) {
        this.dimension = dimension;
        this.raw = Arrays.copyOf(initial, Math.max(count, 16));
        this.size = count;
    }

    /** Appends {@code vector} (kept, not copied); returns its ordinal. Single writer only. */
    int append(float[] vector) {
        int ordinal = size;
        float[][] r = raw;
        if (ordinal == r.length) {
            r = Arrays.copyOf(r, r.length * 2);
        }
        r[ordinal] = vector;
        raw = r;
        size = ordinal + 1;
        return ordinal;
    }

    /** The floats of {@code ordinal}, for scoring with {@link VectorMath#dot}. */
    float[] raw(int ordinal) {
        return raw[ordinal];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public VectorFloat<?> getVector(int ordinal) {
        return wrap(raw[ordinal]);
    }

    /** {@code vector} as JVector's type, sharing the array. */
    static VectorFloat<?> wrap(float[] vector) {
        return VECTORS.createFloatVector(vector);
    }

    @Override
    public boolean isValueShared() {
        return false; // each getVector is a fresh wrapper
    }

    @Override
    public RandomAccessVectorValues copy() {
        return this;
    }
}
