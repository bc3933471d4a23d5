package io.agentcouncil.vector;

/** The dot-product kernel every index scans with, and the argument checks they share. */
final class VectorMath {

    private VectorMath() {
    }

    /**
     * The dot product of {@code query} with the {@code query.length} floats of {@code data} from
     * {@code offset}. Eight independent accumulators: one running sum would wait on the
     * latency of each add (C2 does not reorder float adds), eight keep the FMA units busy.
     * Math.fma is one instruction where the CPU has FMA; no allocation, no bounds checks left
     * after range-check elimination.
     */
    static float dot(float[] data, int offset, float[] query) {
        int n = query.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (int end = n - 7; i < end; i += 8) {
            int j = offset + i;
            s0 = Math.fma(data[j], query[i], s0);
            s1 = Math.fma(data[j + 1], query[i + 1], s1);
            s2 = Math.fma(data[j + 2], query[i + 2], s2);
            s3 = Math.fma(data[j + 3], query[i + 3], s3);
            s4 = Math.fma(data[j + 4], query[i + 4], s4);
            s5 = Math.fma(data[j + 5], query[i + 5], s5);
            s6 = Math.fma(data[j + 6], query[i + 6], s6);
            s7 = Math.fma(data[j + 7], query[i + 7], s7);
        }
        for (; i < n; i++) {
            s0 = Math.fma(data[offset + i], query[i], s0);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    static void checkVector(float[] vector, int dimension) {
        if (vector == null) {
            throw new IllegalArgumentException("vector is null");
        }
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, the index " + dimension);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("vector element " + i + " is " + vector[i] + ", not a finite number");
            }
        }
    }

    static void checkSession(String session) {
        if (session == null) {
            throw new IllegalArgumentException("session is null");
        }
    }

    static void checkSearch(String session, float[] query, int k, float minScore, int dimension) {
        checkSession(session);
        checkVector(query, dimension);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        if (Float.isNaN(minScore)) {
            throw new IllegalArgumentException("minScore is NaN");
        }
    }
}
