package io.agentcouncil.vector;

import io.agentcouncil.natives.AgentCouncilNative;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * 8-bit codes of a {@link FlatVectors}' vectors, slot for slot, in native memory: the engine's
 * vector scan (agentcouncil.h, "Vector scan") reads them instead of the floats, a quarter of
 * the bytes, and returns the slots that can be in the top k; the floats then rescore only those.
 * Results are therefore exactly those of a float scan. Not thread-safe: the owner locks.
 */
final class VectorCodes implements AutoCloseable {

    // Room for candidates before falling back to the float scan; far more than the few dozen
    // a search of unit vectors needs for k = 10.
    private static final int CANDIDATES = 4096;
    // A scan of many codes reads memory faster on several cores (the native side starts a
    // helper thread per 32,768 codes at most); past 4 the memory bus, not the cores, is the limit.
    private static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    private final int dimension;
    private final long codeBytes;
    private long capacity;
    private BytePointer codes;
    private FloatPointer norms;

    /** Whether the scan takes vectors of {@code dimension}: a multiple of 32. */
    static boolean supports(int dimension) {
        return AgentCouncilNative.ac_scan_code_bytes(dimension) > 0;
    }

    VectorCodes(int dimension, int capacity) {
        this.dimension = dimension;
        this.codeBytes = AgentCouncilNative.ac_scan_code_bytes(dimension);
        if (codeBytes == 0) {
            throw new IllegalArgumentException("the vector scan takes a multiple of 32 dimensions, not " + dimension);
        }
        allocate(capacity);
    }

    /** Grows (or shrinks, keeping the first {@code keep} codes) to {@code capacity} codes. */
    void resize(int capacity, int keep) {
        BytePointer oldCodes = codes;
        FloatPointer oldNorms = norms;
        allocate(capacity);
        Pointer.memcpy(codes, oldCodes, keep * codeBytes);
        Pointer.memcpy(norms, oldNorms, 2L * keep * Float.BYTES);
        oldCodes.close();
        oldNorms.close();
    }

    /** Codes {@code vector} into {@code slot}. */
    void put(int slot, float[] vector) {
        check(AgentCouncilNative.ac_scan_encode(vector, dimension, codes, norms, capacity, slot));
    }

    /**
     * The slots among the first {@code size} that can hold the top {@code k} of at least
     * {@code minScore}, ascending, in {@code slots}; their number, or -1 when they did not fit
     * (or the query cannot be coded) and the caller should score every slot.
     */
    int candidates(int size, float[] query, int k, float minScore, int[] slots) {
        long[] count = new long[1];
        int status = AgentCouncilNative.ac_scan_candidates(codes, norms, size, dimension, query, k, minScore, THREADS,
                slots, slots.length, count);
        if (status == AgentCouncilNative.AC_ERR_UNSUPPORTED) {
            return -1;
        }
        check(status);
        return count[0] <= slots.length ? (int) count[0] : -1;
    }

    /** A slots array for {@link #candidates}. */
    static int[] slotsBuffer() {
        return new int[CANDIDATES];
    }

    @Override
    public void close() {
        codes.close();
        norms.close();
    }

    private void allocate(int capacity) {
        this.capacity = capacity;
        this.codes = new BytePointer(capacity * codeBytes);
        this.norms = new FloatPointer(2L * capacity); // JavaCPP throws OutOfMemoryError when malloc fails
    }

    private static void check(int status) {
        if (status != AgentCouncilNative.AC_OK) {
            // Arguments were checked before the call: any failure here is a bug, said as such.
            throw new IllegalStateException("vector scan failed: " + AgentCouncilNative.ac_last_error()
                    + " [" + AgentCouncilNative.ac_status_name(status) + "]");
        }
    }
}
