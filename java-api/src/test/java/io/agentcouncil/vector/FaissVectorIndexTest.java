package io.agentcouncil.vector;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The contracts on FAISS graphs ({@link VectorIndex#faiss}), through the real native library,
 * and what the binding must refuse before any native code runs.
 */
class FaissVectorIndexTest extends GraphIndexContractTest {

    @BeforeAll
    static void faiss() {
        FaissTesting.requireFaiss();
    }

    @Override
    VectorIndex newIndex(int dimension) {
        return VectorIndex.faiss(dimension);
    }

    @Override
    VectorIndex newIndex(int dimension, int exactBelow) {
        return new ApproximateVectorIndex(dimension, exactBelow, new FaissGraphs(dimension, FaissGraphs.DEFAULT_M,
                FaissGraphs.DEFAULT_EF_CONSTRUCTION, FaissGraphs.DEFAULT_EF_SEARCH));
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> VectorIndex.faiss(DIM, 0));
        assertThrows(IllegalArgumentException.class, () -> new FaissGraphs(DIM, 1, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new FaissGraphs(DIM, 257, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new FaissGraphs(DIM, 16, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new FaissGraphs(65_537, 16, 100, 100));
    }

    @Test
    void nativeRefusalsBecomeIllegalArgumentExceptions() {
        // A graph the library itself refuses (a dimension FAISS has no vectors for): the status
        // comes back as an exception with the library's message, and nothing is left half made.
        FaissGraphs graphs = new FaissGraphs(DIM, 16, 40, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> graphs.build(0, new long[1], new float[][] {new float[0]}, 1));
        assertEquals(true, e.getMessage().contains("AC_FAISS_ERR_INVALID_ARGUMENT"), e.getMessage());
    }

    @Test
    void aGraphOfOneSessionNeverAnswersForAnother() {
        // Two sessions, each with a graph, holding the same keys with opposite vectors.
        try (VectorIndex index = newIndex(2, 1)) {
            for (long key = 0; key < 50; key++) {
                double angle = key * 0.01;
                index.add("a", key, new float[] {(float) Math.cos(angle), (float) Math.sin(angle)});
                index.add("b", key, new float[] {(float) -Math.cos(angle), (float) -Math.sin(angle)});
            }
            index.compact();
            List<VectorHit> a = index.search("a", new float[] {1, 0}, 50, 0f);
            List<VectorHit> b = index.search("b", new float[] {1, 0}, 50, 0f);
            assertEquals(50, a.size());
            assertEquals(List.of(), b, "session b's vectors all score below 0 against the query");
        }
    }
}
