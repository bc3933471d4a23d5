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
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link VectorIndex} contract, and what an {@link ApproximateVectorIndex} adds, for each kind
 * of graph: recall against exact, small sessions exact, recent additions exact until the
 * compaction, tombstones and rebuilds, and correct answers while writes and compactions run.
 */
abstract class GraphIndexContractTest extends VectorIndexContractTest {

    /** An index of the kind under test whose sessions get a graph from {@code exactBelow} vectors. */
    abstract VectorIndex newIndex(int dimension, int exactBelow);

    @Test
    void recallAtTenIsAtLeastNinetyPercentOfExactAtTwentyThousand() {
        Random random = new Random(21);
        int n = 20_000;
        float[][] data = TestVectors.lowRank(random, n + 2_000 + 100, 64, DIM);
        try (VectorIndex approximate = newIndex(DIM); VectorIndex exact = VectorIndex.exact(DIM)) {
            for (int i = 0; i < n; i++) {
                approximate.add("s", i, data[i]);
                exact.add("s", i, data[i]);
            }
            approximate.compact(); // builds the graph
            assertTrue(meanRecall(approximate, exact, data, n + 2_000) >= 0.9);

            // Added after the build: scanned exactly until the next compaction links them in.
            for (int i = n; i < n + 2_000; i++) {
                approximate.add("s", i, data[i]);
                exact.add("s", i, data[i]);
            }
            assertFindsItself(approximate, data, n, n + 2_000);
            approximate.compact();
            assertFindsItself(approximate, data, n, n + 2_000);
            assertTrue(meanRecall(approximate, exact, data, n + 2_000) >= 0.9);
            assertEquals(n + 2_000, approximate.size());
        }
    }

    @Test
    void smallSessionsAreSearchedExactly() {
        Random random = new Random(22);
        try (VectorIndex approximate = newIndex(DIM)) {
            Map<Long, float[]> truth = new HashMap<>();
            for (long key = 0; key < ApproximateVectorIndex.DEFAULT_EXACT_BELOW - 1; key++) {
                float[] v = TestVectors.randomUnit(random, DIM);
                truth.put(key, v);
                approximate.add("s", key, v);
            }
            approximate.compact();
            for (int q = 0; q < 20; q++) {
                float[] query = TestVectors.randomUnit(random, DIM);
                // Random 384-d vectors: a graph would miss some of these; an exact scan cannot.
                assertSameHits(TestVectors.bruteForce(truth, query, 10, -1), approximate.search("s", query, 10, -1));
            }
        }
    }

    @Test
    void removalsAreFilteredAtOnceAndTheRebuildDropsThem() {
        Random random = new Random(23);
        float[][] data = TestVectors.lowRank(random, 3_000, 32, DIM);
        try (VectorIndex index = newIndex(DIM, 100)) {
            Map<Long, float[]> live = new HashMap<>();
            for (int i = 0; i < data.length; i++) {
                index.add("s", i, data[i]);
                live.put((long) i, data[i]);
            }
            index.compact();
            for (long key = 0; key < data.length; key += 2) { // half of the graph: tombstones
                index.remove("s", key);
                live.remove(key);
            }
            assertEquals(live.size(), index.size());
            assertNoneRemoved(index, data, live);
            index.compact(); // more than a fifth are tombstones: rebuilt from the live half
            assertNoneRemoved(index, data, live);
            for (long key = 1; key < data.length; key += 2) {
                assertEquals(key, index.search("s", data[(int) key], 1, -1).get(0).key());
            }
        }
    }

    @Test
    void replacingAKeyInTheGraphReplacesItsVector() {
        Random random = new Random(24);
        float[][] data = TestVectors.lowRank(random, 1_000, 32, DIM);
        try (VectorIndex index = newIndex(DIM, 100)) {
            for (int i = 0; i < data.length; i++) {
                index.add("s", i, data[i]);
            }
            index.compact();
            float[] moved = TestVectors.randomUnit(random, DIM);
            index.add("s", 7, moved);
            assertEquals(data.length, index.size());
            assertHit(index, moved, 7);
            assertFalse(keys(index.search("s", data[7], 5, 0.99f)).contains(7L), "the old vector of 7 is gone");
            index.compact();
            assertHit(index, moved, 7);
            assertFalse(keys(index.search("s", data[7], 5, 0.99f)).contains(7L), "the old vector of 7 is gone");
        }
    }

    @Test
    void aShrunkenSessionGoesBackToExactSearch() {
        Random random = new Random(25);
        try (VectorIndex index = newIndex(DIM, 1_000)) {
            Map<Long, float[]> live = new HashMap<>();
            for (long key = 0; key < 1_500; key++) {
                float[] v = TestVectors.randomUnit(random, DIM);
                index.add("s", key, v);
                live.put(key, v);
            }
            index.compact();
            for (long key = 0; key < 1_100; key++) {
                index.remove("s", key);
                live.remove(key);
            }
            index.compact(); // 400 left, below half of 1,000: the graph is dissolved
            for (int q = 0; q < 20; q++) {
                float[] query = TestVectors.randomUnit(random, DIM);
                assertSameHits(TestVectors.bruteForce(live, query, 10, -1), index.search("s", query, 10, -1));
            }
        }
    }

    @Test
    void emptiedSessionsAreDroppedAndCanComeBack() {
        try (VectorIndex index = newIndex(2, 1)) {
            index.add("s", 1, new float[] {1, 0});
            index.compact();
            index.remove("s", 1);
            index.compact();
            assertEquals(List.of(), index.search("s", new float[] {1, 0}, 1, -1));
            index.add("s", 2, new float[] {1, 0});
            assertEquals(List.of(new VectorHit(2, 1f)), index.search("s", new float[] {1, 0}, 1, -1));
            index.compact();
            assertEquals(List.of(new VectorHit(2, 1f)), index.search("s", new float[] {1, 0}, 1, -1));
            assertEquals(1, index.size());
        }
    }

    @Test
    void searchesStayCorrectWhileWritesAndCompactionsRun() throws Exception {
        // Keys 0..1999 are stable: each, queried with its own vector, must come back first at
        // all times. Writers add keys from 10,000 up and remove every odd one again, publishing
        // how far they have removed: no removed key may ever be returned after that.
        Random random = new Random(26);
        int stable = 2_000;
        float[][] data = TestVectors.lowRank(random, stable + 4_000, 32, DIM);
        try (VectorIndex index = newIndex(DIM, 500)) {
            for (int i = 0; i < stable; i++) {
                index.add("s", i, data[i]);
            }
            index.compact();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong removedUpTo = new AtomicLong(-1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?> writer = pool.submit(() -> {
                    for (int i = 0; i < 4_000; i++) {
                        long key = 10_000 + i;
                        index.add("s", key, data[stable + i]);
                        if (key % 2 == 1) {
                            index.remove("s", key);
                            removedUpTo.set(key);
                        }
                    }
                    return null;
                });
                Future<?> compactor = pool.submit(() -> {
                    while (!stop.get()) {
                        index.compact();
                    }
                    return null;
                });
                List<Future<?>> readers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    long seed = t;
                    readers.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        for (int q = 0; q < 1_500; q++) {
                            long removed = removedUpTo.get();
                            int probe = r.nextInt(stable);
                            List<VectorHit> hits = index.search("s", data[probe], 10, -1);
                            assertEquals(probe, hits.get(0).key(), "a stable key queried with its own vector");
                            for (VectorHit hit : hits) {
                                assertFalse(hit.key() >= 10_000 && hit.key() % 2 == 1 && hit.key() <= removed,
                                        "removed key " + hit.key() + " returned");
                            }
                        }
                        return null;
                    }));
                }
                writer.get(120, TimeUnit.SECONDS);
                for (Future<?> reader : readers) {
                    reader.get(120, TimeUnit.SECONDS);
                }
                stop.set(true);
                compactor.get(120, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(stable + 2_000, index.size());
            index.compact();
            for (int i = 0; i < 4_000; i += 2) { // the even keys the writer kept
                assertHit(index, data[stable + i], 10_000 + i);
            }
        }
    }

    @Test
    void rejectsBadArgumentsToASessionWithAGraph() {
        assertThrows(IllegalArgumentException.class, () -> newIndex(3, 0));
        Random random = new Random(27);
        float[][] data = TestVectors.lowRank(random, 200, 8, DIM);
        try (VectorIndex index = newIndex(DIM, 100)) {
            for (int i = 0; i < data.length; i++) {
                index.add("s", i, data[i]);
            }
            index.compact(); // the session has a graph now
            assertThrows(IllegalArgumentException.class, () -> index.add("s", 1, new float[DIM - 1]));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[DIM + 1], 10, -1));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", new float[1], 10, -1));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", data[0], 0, -1));
            assertThrows(IllegalArgumentException.class, () -> index.search("s", data[0], Integer.MIN_VALUE, -1));
            // A k far above the session's size returns all of it.
            assertEquals(data.length, index.search("s", data[0], 100_000, Float.NEGATIVE_INFINITY).size());
            assertHit(index, data[5], 5);
        }
    }

    private static double meanRecall(VectorIndex approximate, VectorIndex exact, float[][] data, int firstQuery) {
        double sum = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = data[firstQuery + q];
            List<VectorHit> truth = exact.search("s", query, 10, -1);
            List<VectorHit> found = approximate.search("s", query, 10, -1);
            for (VectorHit hit : found) {
                // Rescored exactly: a hit's score is the true dot product, not JVector's.
                assertEquals(dot(data[(int) hit.key()], query), hit.score(), 1e-5);
            }
            sum += TestVectors.recall(truth, found);
        }
        System.out.printf("recall@10 against exact over %d queries: %.3f%n", queries, sum / queries);
        return sum / queries;
    }

    private static void assertFindsItself(VectorIndex index, float[][] data, int from, int to) {
        for (int i = from; i < to; i += 50) {
            assertHit(index, data[i], i);
        }
    }

    private static void assertHit(VectorIndex index, float[] vector, long key) {
        List<VectorHit> hits = index.search("s", vector, 1, -1);
        assertEquals(key, hits.get(0).key());
        assertEquals(1f, hits.get(0).score(), 1e-5);
    }

    private static void assertNoneRemoved(VectorIndex index, float[][] data, Map<Long, float[]> live) {
        for (long key = 0; key < data.length; key += 2) {
            for (VectorHit hit : index.search("s", data[(int) key], 10, -1)) {
                assertTrue(live.containsKey(hit.key()), "removed key " + hit.key() + " returned");
            }
        }
    }

    private static float dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return (float) sum;
    }
}
