package io.agentcouncil.natives;

import static io.agentcouncil.natives.AgentCouncilNative.AC_ERR_INVALID_ARGUMENT;
import static io.agentcouncil.natives.AgentCouncilNative.AC_ERR_UNSUPPORTED;
import static io.agentcouncil.natives.AgentCouncilNative.AC_OK;
import static io.agentcouncil.natives.AgentCouncilNative.ac_last_error;
import static io.agentcouncil.natives.AgentCouncilNative.ac_scan_candidates;
import static io.agentcouncil.natives.AgentCouncilNative.ac_scan_code_bytes;
import static io.agentcouncil.natives.AgentCouncilNative.ac_scan_encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/**
 * The vector scan of agentcouncil.h through its binding: the candidates always contain the true
 * top k (by the float dot product the caller rescores with), on vectors of several shapes, and
 * bad input is a status and a message.
 */
class AgentCouncilScanTest {

    private static final int DIMENSION = 64;

    @Test
    void codeBytesAreQ8BlocksAndZeroForADimensionTheScanDoesNotTake() {
        assertEquals(2 * 34, ac_scan_code_bytes(64));
        assertEquals(12 * 34, ac_scan_code_bytes(384));
        assertEquals(0, ac_scan_code_bytes(0));
        assertEquals(0, ac_scan_code_bytes(100));
        assertEquals(0, ac_scan_code_bytes(AgentCouncilNative.AC_SCAN_MAX_DIMENSION + 32));
    }

    @Test
    void candidatesHoldTheTopKOfUnitVectors() {
        Random random = new Random(1);
        float[][] vectors = IntStream.range(0, 3000).mapToObj(i -> unit(gaussian(random))).toArray(float[][]::new);
        for (int q = 0; q < 20; q++) {
            checkTopK(vectors, unit(gaussian(random)), 1 + q % 12, -1f, true);
        }
    }

    @Test
    void helperThreadsFindTheSameCandidates() {
        // 100,000 codes: past 32,768 per thread, so 3 threads score 3 ranges.
        Random random = new Random(10);
        float[][] vectors = IntStream.range(0, 100_000).mapToObj(i -> unit(gaussian(random))).toArray(float[][]::new);
        for (int q = 0; q < 3; q++) {
            float[] query = unit(gaussian(random));
            checkTopK(vectors, query, 10, -1f, true, 3);
            checkTopK(vectors, query, 1, -1f, true, 2);
        }
    }

    @Test
    void candidatesHoldTheTopKAmongNearDuplicatesAndTies() {
        // The hard case for bounds: many scores within the codes' error of each other.
        Random random = new Random(2);
        float[] base = unit(gaussian(random));
        float[][] vectors = new float[2000][];
        for (int i = 0; i < vectors.length; i++) {
            float[] v = base.clone();
            for (int j = 0; j < DIMENSION; j++) {
                v[j] += (i % 3 == 0 ? 0 : 1e-3f) * (float) random.nextGaussian();
            }
            vectors[i] = i % 7 == 0 && i > 0 ? vectors[i - 7] : unit(v);
        }
        checkTopK(vectors, base, 10, -1f, true);
        checkTopK(vectors, unit(gaussian(random)), 5, -1f, true);
    }

    @Test
    void candidatesRespectMinScoreAndUnnormalisedVectors() {
        Random random = new Random(3);
        float[][] vectors = IntStream.range(0, 1500)
                .mapToObj(i -> scale(gaussian(random), (float) Math.pow(10, random.nextInt(9) - 4)))
                .toArray(float[][]::new);
        vectors[5] = scale(gaussian(random), 1e9f);   // too large for an fp16 scale: the zero code
        vectors[6] = new float[DIMENSION];            // all zero
        float[] query = gaussian(random);
        checkTopK(vectors, query, 10, -1f, false);
        checkTopK(vectors, query, 3, 0.5f, false);
        checkTopK(vectors, query, 4000, Float.NEGATIVE_INFINITY, false); // k beyond n: every vector
    }

    @Test
    void aQueryTooLargeForItsCodeIsUnsupported() {
        Coded coded = new Coded(new float[][] {gaussian(new Random(4))});
        float[] query = scale(gaussian(new Random(5)), 1e9f);
        assertEquals(AC_ERR_UNSUPPORTED, ac_scan_candidates(coded.codes, coded.norms, 1, DIMENSION, query, 1, -1f, 1,
                new int[1], 1, new long[1]));
        assertTrue(ac_last_error().contains("too large"), ac_last_error());
    }

    @Test
    void moreCandidatesThanRoomAreCountedNotWritten() {
        float[][] same = new float[50][];
        Arrays.fill(same, unit(gaussian(new Random(6))));
        Coded coded = new Coded(same);
        int[] slots = new int[8];
        long[] count = new long[1];
        assertEquals(AC_OK, ac_scan_candidates(coded.codes, coded.norms, same.length, DIMENSION, same[0], 1, -1f, 1,
                slots, slots.length, count), ac_last_error());
        assertEquals(50, count[0], "equal vectors are all candidates");
    }

    @Test
    void badArgumentsAreStatusesWithMessages() {
        Coded coded = new Coded(new float[][] {gaussian(new Random(7))});
        float[] v = gaussian(new Random(8));
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_encode(v, DIMENSION, coded.codes, coded.norms, 1, 1));
        assertTrue(ac_last_error().contains("slot 1 outside 0..0"), ac_last_error());
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_encode(v, 48, coded.codes, coded.norms, 1, 0));
        assertTrue(ac_last_error().contains("dimension 48"), ac_last_error());
        v[3] = Float.NaN;
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_encode(v, DIMENSION, coded.codes, coded.norms, 1, 0));
        assertTrue(ac_last_error().contains("element 3 is not finite"), ac_last_error());
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_candidates(coded.codes, coded.norms, 1, DIMENSION, v, 1, -1f, 1,
                new int[1], 1, new long[1]));
        float[] q = gaussian(new Random(9));
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_candidates(coded.codes, coded.norms, 1, DIMENSION, q, 0, -1f, 1,
                new int[1], 1, new long[1]));
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_candidates(coded.codes, coded.norms, 1, DIMENSION, q, 1, Float.NaN, 1,
                new int[1], 1, new long[1]));
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_candidates(coded.codes, coded.norms, 1, DIMENSION, q, 1, -1f, 0,
                new int[1], 1, new long[1]));
        assertTrue(ac_last_error().contains("threads 0"), ac_last_error());
        assertEquals(AC_ERR_INVALID_ARGUMENT, ac_scan_candidates(null, coded.norms, 1, DIMENSION, q, 1, -1f, 1,
                new int[1], 1, new long[1]));
        assertTrue(ac_last_error().contains("NULL"), ac_last_error());
    }

    /**
     * Candidates must include every vector of the top k; for unit vectors ({@code tight}) also
     * none far below the k-th score, so that the bounds are of use.
     */
    private static void checkTopK(float[][] vectors, float[] query, int k, float minScore, boolean tight) {
        checkTopK(vectors, query, k, minScore, tight, 1);
    }

    private static void checkTopK(float[][] vectors, float[] query, int k, float minScore, boolean tight, int threads) {
        Coded coded = new Coded(vectors);
        int[] slots = new int[vectors.length];
        long[] count = new long[1];
        assertEquals(AC_OK, ac_scan_candidates(coded.codes, coded.norms, vectors.length, DIMENSION, query, k, minScore,
                threads, slots, slots.length, count), ac_last_error());
        int found = (int) count[0];
        int[] candidates = Arrays.copyOf(slots, found);
        for (int i = 1; i < found; i++) {
            assertTrue(candidates[i - 1] < candidates[i], "slots ascend");
        }
        Integer[] order = IntStream.range(0, vectors.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -dot(vectors[i], query)).thenComparing(i -> i));
        for (int r = 0; r < Math.min(k, vectors.length); r++) {
            int slot = order[r];
            if (dot(vectors[slot], query) < minScore) {
                break;
            }
            assertTrue(Arrays.binarySearch(candidates, slot) >= 0,
                    "top " + k + " member " + slot + " (rank " + r + ") is missing from " + found + " candidates");
        }
        for (int slot : tight ? candidates : new int[0]) {
            assertTrue(dot(vectors[slot], query) >= dot(vectors[order[k - 1]], query) - 0.1,
                    "candidate " + slot + " is far below the k-th score: the bounds are loose");
        }
    }

    private static final class Coded {
        final BytePointer codes;
        final FloatPointer norms;

        Coded(float[][] vectors) {
            codes = new BytePointer(vectors.length * ac_scan_code_bytes(DIMENSION));
            norms = new FloatPointer(2L * vectors.length);
            for (int i = 0; i < vectors.length; i++) {
                assertEquals(AC_OK, ac_scan_encode(vectors[i], DIMENSION, codes, norms, vectors.length, i), ac_last_error());
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static float[] gaussian(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] unit(float[] v) {
        return scale(v, (float) (1 / Math.sqrt(dot(v, v))));
    }

    private static float[] scale(float[] v, float by) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * by;
        }
        return out;
    }
}
