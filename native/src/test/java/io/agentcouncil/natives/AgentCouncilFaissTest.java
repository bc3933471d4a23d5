package io.agentcouncil.natives;

import static io.agentcouncil.natives.AgentCouncilFaiss.AC_FAISS_ERR_INVALID_ARGUMENT;
import static io.agentcouncil.natives.AgentCouncilFaiss.AC_FAISS_OK;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_add;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_create;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_export;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_free;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_last_error;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_publish;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_remove;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_search;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_size;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_status_name;
import static io.agentcouncil.natives.AgentCouncilFaiss.ac_faiss_version;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.natives.AgentCouncilFaiss.FaissIndex;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * agentcouncil_faiss.h through its binding: what each call does, and that bad input is a status
 * and a message, never a crash. Runs wherever the build made the library (the faiss profile).
 */
@EnabledIfSystemProperty(named = "agentcouncil.faiss", matches = "ON",
        disabledReason = "built without FAISS (the faiss profile is off: libfaiss-dev is not installed)")
class AgentCouncilFaissTest {

    private FaissIndex index;

    @BeforeEach
    void create() {
        index = new FaissIndex();
        assertEquals(AC_FAISS_OK, ac_faiss_create(2, 8, 40, 16, index), ac_faiss_last_error());
        assertFalse(index.isNull());
    }

    @AfterEach
    void free() {
        ac_faiss_free(index);
    }

    @Test
    void reportsFaissAndItsKernel() {
        assertTrue(ac_faiss_version().matches("faiss 1\\.\\d+\\.\\d+, (avx2|portable) inner product"), ac_faiss_version());
        assertEquals("AC_FAISS_ERR_INVALID_ARGUMENT", ac_faiss_status_name(AC_FAISS_ERR_INVALID_ARGUMENT));
        assertEquals("AC_FAISS_ERR_UNKNOWN", ac_faiss_status_name(99));
    }

    @Test
    void addedVectorsAreFoundOnlyOncePublished() {
        add(new float[] {1, 0, 0.6f, 0.8f, 0, 1}, 10, 11, 12);
        assertArrayEquals(new long[] {}, search(new float[] {1, 0}, 3), "pending");
        assertArrayEquals(new long[] {0, 0, 3}, size(), "live, tombstones, pending");
        assertEquals(AC_FAISS_OK, ac_faiss_publish(index));
        float[] scores = new float[3];
        long[] ids = new long[3];
        int[] found = new int[1];
        assertEquals(AC_FAISS_OK, ac_faiss_search(index, new float[] {1, 0}, 3, scores, ids, found));
        assertEquals(3, found[0]);
        assertArrayEquals(new long[] {10, 11, 12}, ids);
        assertArrayEquals(new float[] {1f, 0.6f, 0f}, scores, 1e-6f);
    }

    @Test
    void addingAnIdAgainReplacesItAndRemovalLeavesATombstone() {
        add(new float[] {1, 0, 0, 1}, 1, 2);
        assertEquals(AC_FAISS_OK, ac_faiss_publish(index));
        add(new float[] {-1, 0}, 1);
        assertEquals(AC_FAISS_OK, ac_faiss_publish(index));
        assertArrayEquals(new long[] {2, 1}, search(new float[] {0, 1}, 5));
        int[] removed = new int[1];
        assertEquals(AC_FAISS_OK, ac_faiss_remove(index, 2, removed));
        assertEquals(1, removed[0]);
        assertEquals(AC_FAISS_OK, ac_faiss_remove(index, 2, removed));
        assertEquals(0, removed[0], "already removed");
        assertArrayEquals(new long[] {1}, search(new float[] {0, 1}, 5));
        assertArrayEquals(new long[] {1, 2, 0}, size(), "one live, two tombstones");

        long[] ids = new long[4];
        float[] vectors = new float[8];
        int[] count = new int[1];
        long[] next = new long[1];
        assertEquals(AC_FAISS_OK, ac_faiss_export(index, 0, 4, ids, vectors, count, next));
        assertEquals(1, count[0]);
        assertEquals(1, ids[0]);
        assertArrayEquals(new float[] {-1, 0}, new float[] {vectors[0], vectors[1]});
        assertEquals(-1, next[0]);
    }

    @Test
    void scoresAreExactWhereTheCodesTie() {
        // Both 0.001 and 0.0015 round to the same 8-bit code next to 1 (a step of 1/127): the walk
        // sees a tie, the floats' rescoring breaks it.
        add(new float[] {1, 0.001f, 1, 0.0015f, -1, 0}, 1, 2, 3);
        assertEquals(AC_FAISS_OK, ac_faiss_publish(index));
        float[] scores = new float[2];
        long[] ids = new long[2];
        int[] found = new int[1];
        assertEquals(AC_FAISS_OK, ac_faiss_search(index, new float[] {0, 1}, 2, scores, ids, found));
        assertEquals(2, found[0]);
        assertArrayEquals(new long[] {2, 1}, ids);
        assertArrayEquals(new float[] {0.0015f, 0.001f}, scores, 1e-9f);
    }

    @Test
    void aWalkReturnsExactInnerProductsOfItsNearestNodes() {
        int dimension = 37;  // not a multiple of the kernels' 8, 16 or 32 lanes: the tails count
        int n = 3000;
        int k = 5;
        Random random = new Random(7);
        float[] vectors = new float[n * dimension];
        for (int i = 0; i < vectors.length; i++) vectors[i] = (float) (random.nextGaussian() * (1 + i % 3));
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = 1000 + i;
        FaissIndex graph = new FaissIndex();
        assertEquals(AC_FAISS_OK, ac_faiss_create(dimension, 16, 64, 64, graph), ac_faiss_last_error());
        try {
            assertEquals(AC_FAISS_OK, ac_faiss_add(graph, n, vectors, keys), ac_faiss_last_error());
            assertEquals(AC_FAISS_OK, ac_faiss_publish(graph), ac_faiss_last_error());
            int hits = 0;
            int queries = 50;
            for (int q = 0; q < queries; q++) {
                float[] query = new float[dimension];
                for (int j = 0; j < dimension; j++) query[j] = (float) random.nextGaussian();
                float[] scores = new float[k];
                long[] ids = new long[k];
                int[] found = new int[1];
                assertEquals(AC_FAISS_OK, ac_faiss_search(graph, query, k, scores, ids, found), ac_faiss_last_error());
                assertEquals(k, found[0]);
                double[] exact = new double[n];
                for (int i = 0; i < n; i++) exact[i] = dot(query, vectors, i * dimension);
                for (int r = 0; r < k; r++) {
                    double expected = exact[(int) (ids[r] - 1000)];
                    assertEquals(expected, scores[r], 1e-4 * Math.max(1, Math.abs(expected)), "score of hit " + r);
                    if (r > 0) assertTrue(scores[r - 1] >= scores[r], "best first");
                }
                double kth = Arrays.stream(exact).sorted().skip(n - k).findFirst().orElseThrow();
                for (int r = 0; r < k; r++) if (exact[(int) (ids[r] - 1000)] >= kth) hits++;
            }
            double recall = hits / (double) (queries * k);
            assertTrue(recall >= 0.9, "recall@" + k + " " + recall);
        } finally {
            ac_faiss_free(graph);
        }
    }

    @Test
    void badArgumentsAreStatusesWithMessages() {
        FaissIndex none = new FaissIndex();
        assertInvalid(ac_faiss_create(0, 8, 40, 16, none), "dimension");
        assertInvalid(ac_faiss_create(65_537, 8, 40, 16, none), "dimension");
        assertInvalid(ac_faiss_create(2, 1, 40, 16, none), "m outside");
        assertInvalid(ac_faiss_create(2, 8, 0, 16, none), "ef_construction");
        assertInvalid(ac_faiss_create(2, 8, 40, 0, none), "ef_search");
        assertTrue(none.isNull(), "nothing was created");

        assertInvalid(ac_faiss_add(index, -1, new float[2], new long[1]), "negative");
        assertInvalid(ac_faiss_add(index, 1, null, new long[1]), "NULL");
        assertInvalid(ac_faiss_add(null, 1, new float[2], new long[1]), "NULL");
        assertInvalid(ac_faiss_publish(null), "NULL");
        assertInvalid(ac_faiss_remove(index, 1, null), "NULL");

        float[] scores = new float[1];
        long[] ids = new long[1];
        int[] found = new int[1];
        assertInvalid(ac_faiss_search(index, new float[2], 0, scores, ids, found), "k outside");
        assertInvalid(ac_faiss_search(index, new float[2], -5, scores, ids, found), "k outside");
        assertInvalid(ac_faiss_search(index, new float[2], 65_537, scores, ids, found), "k outside");
        assertInvalid(ac_faiss_search(index, null, 1, scores, ids, found), "NULL");
        assertInvalid(ac_faiss_search(null, new float[2], 1, scores, ids, found), "NULL");
        assertInvalid(ac_faiss_size(index, null, new long[1], new long[1]), "NULL");
        assertInvalid(ac_faiss_export(index, -1, 4, new long[4], new float[8], new int[1], new long[1]), "start");
        assertInvalid(ac_faiss_export(index, 0, 0, new long[4], new float[8], new int[1], new long[1]), "capacity");
        ac_faiss_free(null); // ignored

        // The index is untouched by all of it.
        add(new float[] {0, 1}, 7);
        assertEquals(AC_FAISS_OK, ac_faiss_publish(index));
        assertArrayEquals(new long[] {7}, search(new float[] {0, 1}, 1));
        assertEquals("", ac_faiss_last_error(), "a successful call clears the message");
    }

    private void add(float[] vectors, long... ids) {
        assertEquals(AC_FAISS_OK, ac_faiss_add(index, ids.length, vectors, ids), ac_faiss_last_error());
    }

    private long[] search(float[] query, int k) {
        float[] scores = new float[k];
        long[] ids = new long[k];
        int[] found = new int[1];
        assertEquals(AC_FAISS_OK, ac_faiss_search(index, query, k, scores, ids, found), ac_faiss_last_error());
        return Arrays.copyOf(ids, found[0]);
    }

    private static double dot(float[] query, float[] vectors, int offset) {
        double sum = 0;
        for (int j = 0; j < query.length; j++) sum += (double) query[j] * vectors[offset + j];
        return sum;
    }

    private long[] size() {
        long[] live = new long[1];
        long[] tombstones = new long[1];
        long[] pending = new long[1];
        assertEquals(AC_FAISS_OK, ac_faiss_size(index, live, tombstones, pending), ac_faiss_last_error());
        return new long[] {live[0], tombstones[0], pending[0]};
    }

    private static void assertInvalid(int status, String message) {
        assertEquals(AC_FAISS_ERR_INVALID_ARGUMENT, status, ac_faiss_last_error());
        assertTrue(ac_faiss_last_error().contains(message), ac_faiss_last_error());
    }
}
