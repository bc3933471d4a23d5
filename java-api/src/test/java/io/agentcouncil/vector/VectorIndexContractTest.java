package io.agentcouncil.vector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link VectorIndex} promises, run against each kind by a subclass: exact answers
 * while sessions are small (the approximate indexes scan those exactly too), replacement,
 * removal, argument checks, and searches that stay right while other threads write.
 */
abstract class VectorIndexContractTest {

    static final int DIM = 384;

    /** A new index of the kind under test, as its public factory makes it. */
    abstract VectorIndex newIndex(int dimension);

    @Test
    void matchesBruteForceOnRandomVectors() {
        Random random = new Random(11);
        // 383 is not a multiple of the kernel's 8-way unrolling: the tail loop is exercised too.
        for (int dim : new int[] {DIM, 383, 5}) {
            try (VectorIndex index = newIndex(dim)) {
                Map<String, Map<Long, float[]>> truth = new HashMap<>();
                for (int i = 0; i < 3_000; i++) {
                    String session = "s" + random.nextInt(3);
                    long key = random.nextLong();
                    float[] v = TestVectors.randomUnit(random, dim);
                    index.add(session, key, v);
                    truth.computeIfAbsent(session, s -> new HashMap<>()).put(key, v);
                }
                assertEquals(3_000, index.size());
                for (int q = 0; q < 50; q++) {
                    String session = "s" + random.nextInt(3);
                    float[] query = TestVectors.randomUnit(random, dim);
                    int k = 1 + random.nextInt(20);
                    float minScore = q % 2 == 0 ? -1f : 0.05f;
                    assertSameHits(TestVectors.bruteForce(truth.get(session), query, k, minScore),
                            index.search(session, query, k, minScore));
                }
            }
        }
    }

    @Test
    void minScoreAndKBoundTheResults() {
        try (VectorIndex index = newIndex(2)) {
            index.add("s", 1, new float[] {1, 0});
            index.add("s", 2, new float[] {0.6f, 0.8f});
            index.add("s", 3, new float[] {0, 1});
            index.add("s", 4, new float[] {-1, 0});
            float[] query = {1, 0};
            assertEquals(List.of(new VectorHit(1, 1f), new VectorHit(2, 0.6f)), index.search("s", query, 10, 0.5f));
            assertEquals(List.of(new VectorHit(1, 1f)), index.search("s", query, 1, -1f));
            assertEquals(4, index.search("s", query, 10, Float.NEGATIVE_INFINITY).size());
            assertEquals(List.of(), index.search("s", query, 10, 1.5f));
        }
    }

    @Test
    void equalScoresRankTheSmallerKeyFirst() {
        try (VectorIndex index = newIndex(2)) {
            for (long key : new long[] {9, 3, 7, 1, 5}) {
                index.add("s", key, new float[] {1, 0});
            }
            assertEquals(List.of(1L, 3L, 5L), keys(index.search("s", new float[] {1, 0}, 3, -1)));
        }
    }

    @Test
    void addingAnExistingKeyReplacesItsVector() {
        try (VectorIndex index = newIndex(2)) {
            index.add("s", 1, new float[] {1, 0});
            index.add("s", 1, new float[] {0, 1});
            assertEquals(1, index.size());
            assertEquals(List.of(new VectorHit(1, 1f)), index.search("s", new float[] {0, 1}, 5, -1));
        }
    }

    @Test
    void theIndexKeepsACopyOfWhatItIsGiven() {
        try (VectorIndex index = newIndex(2)) {
            float[] v = {1, 0};
            index.add("s", 1, v);
            v[0] = -1;
            assertEquals(1f, index.search("s", new float[] {1, 0}, 1, -1).get(0).score());
        }
    }

    @Test
    void removedVectorsAreNeverFound() {
        Random random = new Random(5);
        try (VectorIndex index = newIndex(DIM)) {
            Map<Long, float[]> live = new HashMap<>();
            for (long key = 0; key < 2_000; key++) {
                float[] v = TestVectors.randomUnit(random, DIM);
                index.add("s", key, v);
                live.put(key, v);
            }
            // Removing from the middle moves the last vector into the hole: results must follow.
            for (long key = 0; key < 2_000; key += 3) {
                index.remove("s", key);
                live.remove(key);
            }
            index.remove("s", 1_000_000); // absent: no effect
            index.remove("nobody", 1);
            assertEquals(live.size(), index.size());
            for (int q = 0; q < 20; q++) {
                float[] query = TestVectors.randomUnit(random, DIM);
                assertSameHits(TestVectors.bruteForce(live, query, 10, -1), index.search("s", query, 10, -1));
            }
            index.compact(); // gives memory back; results unchanged
            float[] query = TestVectors.randomUnit(random, DIM);
            assertSameHits(TestVectors.bruteForce(live, query, 50, -1), index.search("s", query, 50, -1));
        }
    }

    @Test
    void aSessionEmptiedByRemovalsCanBeFilledAgain() {
        try (VectorIndex index = newIndex(2)) {
            index.add("s", 1, new float[] {1, 0});
            index.remove("s", 1);
            assertEquals(List.of(), index.search("s", new float[] {1, 0}, 5, -1));
            index.add("s", 2, new float[] {1, 0});
            assertEquals(List.of(new VectorHit(2, 1f)), index.search("s", new float[] {1, 0}, 5, -1));
            assertEquals(1, index.size());
        }
    }

    @Test
    void unknownSessionsHaveNoHits() {
        try (VectorIndex index = newIndex(2)) {
            index.add("a", 1, new float[] {1, 0});
            assertEquals(List.of(), index.search("b", new float[] {1, 0}, 5, -1));
        }
    }

    @Test
    void rejectsBadArguments() {
        try (VectorIndex index = newIndex(3)) {
            index.add("s", 1, new float[] {1, 0, 0});
            index.compact();
            assertThrows(IllegalArgumentException.class, () -> index.add("s", 1, new float[2]));
            assertThrows(IllegalArgumentException.class, () -> index.add("s", 1, null));
            assertThrows(IllegalArgumentException.class, () -> index.add(null, 1, new float[3]));
            assertThrows(IllegalArgumentException.class, () -> index.remove(null, 1));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[3], 0, 0));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[3], -1, 0));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[4], 1, 0));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[2], 1, 0));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", null, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> index.search(null, new float[3], 1, 0));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[3], 1, Float.NaN));
            assertEquals(List.of(new VectorHit(1, 1f)), index.search("s", new float[] {1, 0, 0}, 5, -1),
                    "the index still works after the rejected calls");
        }
        assertThrows(IllegalArgumentException.class, () -> newIndex(0));
        assertThrows(IllegalArgumentException.class, () -> newIndex(-1));
        VectorIndex closed = newIndex(3);
        closed.close();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.search("s", new float[3], 1, 0));
        assertThrows(IllegalStateException.class, () -> closed.add("s", 1, new float[3]));
        assertThrows(IllegalStateException.class, closed::compact);
    }

    @Test
    void searchesRunCorrectlyWhileOtherThreadsWrite() throws Exception {
        // Writers add and remove in sessions w0..w3 while readers search a fixed session whose
        // answer is known: every answer must be exactly right, and nothing may throw.
        Random random = new Random(8);
        try (VectorIndex index = newIndex(DIM)) {
            Map<Long, float[]> fixed = new HashMap<>();
            for (long key = 0; key < 3_000; key++) {
                float[] v = TestVectors.randomUnit(random, DIM);
                fixed.put(key, v);
                index.add("fixed", key, v);
            }
            float[][] queries = new float[20][];
            List<List<VectorHit>> expected = new ArrayList<>();
            for (int q = 0; q < queries.length; q++) {
                queries[q] = TestVectors.randomUnit(random, DIM);
                expected.add(TestVectors.bruteForce(fixed, queries[q], 10, -1));
            }
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<Integer>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    String session = "w" + w;
                    long seed = w;
                    writers.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        int adds = 0;
                        for (long key = 0; !stop.get() && key < 20_000; key++) {
                            index.add(session, key, TestVectors.randomUnit(r, DIM));
                            adds++;
                            if (key % 2 == 1) {
                                index.remove(session, key - 1);
                                adds--;
                            }
                            // A writer also writes to the fixed session, but a key it removes
                            // again at once, to contend on the searched partition's lock.
                            index.add("fixed", -1 - seed, TestVectors.randomUnit(r, DIM));
                            index.remove("fixed", -1 - seed);
                        }
                        return adds;
                    }));
                }
                List<Future<?>> readers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    readers.add(pool.submit(() -> {
                        for (int round = 0; round < 10; round++) {
                            for (int q = 0; q < queries.length; q++) {
                                List<VectorHit> hits = index.search("fixed", queries[q], 10, -1);
                                // A transient writer key may rank in; it must be the only stranger.
                                hits.removeIf(h -> h.key() < 0);
                                List<VectorHit> want = expected.get(q).subList(0, hits.size());
                                assertSameHits(want, hits);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> reader : readers) {
                    reader.get(60, TimeUnit.SECONDS);
                }
                stop.set(true);
                int total = fixed.size();
                for (Future<Integer> writer : writers) {
                    total += writer.get(60, TimeUnit.SECONDS);
                }
                assertEquals(total, index.size());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static void assertSameHits(List<VectorHit> expected, List<VectorHit> actual) {
        assertEquals(expected.size(), actual.size(), "number of hits");
        for (int i = 0; i < expected.size(); i++) {
            VectorHit e = expected.get(i);
            VectorHit a = actual.get(i);
            // float accumulation order differs from the double reference: allow a rounding
            // difference, and a swap of two keys whose scores are that close.
            assertEquals(e.score(), a.score(), 1e-5, "score of hit " + i);
            if (e.key() != a.key()) {
                assertTrue(Math.abs(e.score() - a.score()) < 1e-5 && actual.stream().anyMatch(h -> h.key() == e.key()),
                        "hit " + i + ": expected key " + e.key() + ", got " + a.key());
            }
        }
    }

    static List<Long> keys(List<VectorHit> hits) {
        return hits.stream().map(VectorHit::key).toList();
    }
}
