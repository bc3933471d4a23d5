package io.agentcouncil.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exact index's coded scan (FlatVectors over VectorCodes and the engine's vector scan) gives
 * exactly what a float scan of the same vectors gives, hit for hit and score for score, through
 * adds, replacements, removals and trims. The scans are compared with each other rather than
 * with a double-precision reference, so that not even a tie may differ.
 */
class CodedScanTest {

    private static final int DIM = 384;

    @Test
    void sentenceLikeVectors() {
        Random random = new Random(21);
        try (Pair pair = new Pair(DIM)) {
            // One draw, so that the queries lie on the vectors' subspace.
            float[][] all = TestVectors.lowRank(random, 6_040, 64, DIM);
            for (int i = 0; i < 6_000; i++) {
                pair.put(i, all[i]);
            }
            assertTrue(pair.coded.coded(), "6,000 vectors are past CODED_FROM: the codes are in use");
            for (int q = 0; q < 40; q++) {
                pair.assertSameScan(all[6_000 + q], 1 + q % 25, q % 3 == 0 ? 0.2f : -1f);
            }
            float[][] vectors = all;
            // A query that is one of the vectors: its top hit has score 1 and near neighbours crowd it.
            pair.assertSameScan(vectors[17], 10, -1f);
        }
    }

    @Test
    void nearDuplicatesAndExactTies() {
        // Scores within the codes' error of each other, and equal scores that only the key orders.
        Random random = new Random(22);
        float[] centre = TestVectors.randomUnit(random, DIM);
        try (Pair pair = new Pair(DIM)) {
            for (int i = 0; i < 3_000; i++) {
                float[] v = centre.clone();
                for (int d = 0; d < DIM; d++) {
                    v[d] += 1e-3f * (float) random.nextGaussian();
                }
                pair.put(3L * i, TestVectors.normalise(v));
                if (i % 10 == 0) {
                    pair.put(3L * i + 1, TestVectors.normalise(v)); // the same vector under another key
                }
            }
            pair.assertSameScan(centre, 10, -1f);
            pair.assertSameScan(TestVectors.near(random, centre), 40, -1f);
        }
    }

    @Test
    void codesFollowReplacementsRemovalsAndTrims() {
        Random random = new Random(23);
        try (Pair pair = new Pair(DIM)) {
            float[][] vectors = TestVectors.lowRank(random, 8_000, 32, DIM);
            for (int i = 0; i < vectors.length; i++) {
                pair.put(i, vectors[i]);
            }
            for (int i = 0; i < 5_000; i++) {
                pair.remove(random.nextInt(vectors.length));
            }
            for (int i = 0; i < 500; i++) {
                pair.put(random.nextInt(vectors.length), TestVectors.randomUnit(random, DIM));
            }
            pair.trim();
            assertTrue(pair.coded.coded());
            for (int q = 0; q < 20; q++) {
                pair.assertSameScan(vectors[random.nextInt(vectors.length)], 10, -1f);
            }
        }
    }

    @Test
    void otherDimensionsAndSmallSessionsScanFloats() {
        try (FlatVectors odd = new FlatVectors(383, true); FlatVectors small = new FlatVectors(DIM, true)) {
            Random random = new Random(24);
            for (int i = 0; i < 2_000; i++) {
                odd.put(i, TestVectors.randomUnit(random, 383));
            }
            for (int i = 0; i < FlatVectors.CODED_FROM - 1; i++) {
                small.put(i, TestVectors.randomUnit(random, DIM));
            }
            assertFalse(odd.coded(), "383 is not a multiple of 32");
            assertFalse(small.coded(), "below CODED_FROM");
            small.put(FlatVectors.CODED_FROM, TestVectors.randomUnit(random, DIM));
            assertTrue(small.coded(), "at CODED_FROM");
        }
    }

    @Test
    void theExactIndexUsesTheCodedScan() {
        Random random = new Random(25);
        try (VectorIndex index = VectorIndex.exact(DIM); Pair pair = new Pair(DIM)) {
            float[][] vectors = TestVectors.lowRank(random, 3_001, 64, DIM);
            for (int i = 0; i < 3_000; i++) {
                index.add("big", i, vectors[i]);
                pair.put(i, vectors[i]);
            }
            float[] query = vectors[3_000];
            assertEquals(pair.floatScan(query, 10, -1f), index.search("big", query, 10, -1f));
        }
    }

    /** The same vectors in a coded and a float-only FlatVectors. */
    private static final class Pair implements AutoCloseable {
        final FlatVectors coded;
        final FlatVectors plain;

        Pair(int dimension) {
            coded = new FlatVectors(dimension, true);
            plain = new FlatVectors(dimension, false);
        }

        void put(long key, float[] v) {
            assertEquals(plain.put(key, v), coded.put(key, v));
        }

        void remove(long key) {
            assertEquals(plain.remove(key), coded.remove(key));
        }

        void trim() {
            plain.trim();
            coded.trim();
        }

        List<VectorHit> floatScan(float[] query, int k, float minScore) {
            TopK top = new TopK(k, minScore);
            plain.scan(query, top);
            return top.hits();
        }

        void assertSameScan(float[] query, int k, float minScore) {
            TopK top = new TopK(k, minScore);
            coded.scan(query, top);
            List<VectorHit> expected = floatScan(query, k, minScore);
            assertEquals(expected, new ArrayList<>(top.hits()), "k " + k + ", minScore " + minScore);
            assertFalse(expected.isEmpty());
        }

        @Override
        public void close() {
            coded.close();
            plain.close();
        }
    }
}
