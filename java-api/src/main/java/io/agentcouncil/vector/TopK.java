package io.agentcouncil.vector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The best {@code k} (key, score) pairs offered, scores at least a floor: a min-heap on two
 * parallel arrays, so offering allocates nothing. Equal scores rank the smaller key first, which
 * makes every index's answer deterministic and comparable with a brute-force one. Not
 * thread-safe: one per search.
 */
final class TopK {

    private static final Comparator<VectorHit> BEST_FIRST =
            Comparator.comparingDouble((VectorHit h) -> -h.score()).thenComparingLong(VectorHit::key);

    private final int k;
    private final float floor;
    private final float[] scores;
    private final long[] keys;
    private int size;

    TopK(int k, float floor) {
        this.k = k;
        this.floor = floor;
        this.scores = new float[k];
        this.keys = new long[k];
    }

    int k() {
        return k;
    }

    float floor() {
        return floor;
    }

    /** Offers a candidate; kept if it is among the best {@code k} so far. */
    void offer(long key, float score) {
        if (!(score >= floor)) {
            return; // also drops NaN
        }
        if (size < k) {
            int i = size++;
            // Sift up: the root (index 0) is the worst kept.
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!worse(score, key, scores[parent], keys[parent])) {
                    break;
                }
                scores[i] = scores[parent];
                keys[i] = keys[parent];
                i = parent;
            }
            scores[i] = score;
            keys[i] = key;
        } else if (worse(scores[0], keys[0], score, key)) {
            siftDown(score, key);
        }
    }

    /** Whether a candidate with {@code score} could be kept: a cheap test before a costlier one. */
    boolean admits(float score) {
        return score >= floor && (size < k || score >= scores[0]);
    }

    /** What was kept, best first. */
    List<VectorHit> hits() {
        List<VectorHit> hits = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            hits.add(new VectorHit(keys[i], scores[i]));
        }
        hits.sort(BEST_FIRST);
        return hits;
    }

    // Replaces the root with (score, key) and restores the heap below it.
    private void siftDown(float score, long key) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            int right = child + 1;
            if (right < size && worse(scores[right], keys[right], scores[child], keys[child])) {
                child = right;
            }
            if (!worse(scores[child], keys[child], score, key)) {
                break;
            }
            scores[i] = scores[child];
            keys[i] = keys[child];
            i = child;
        }
        scores[i] = score;
        keys[i] = key;
    }

    private static boolean worse(float scoreA, long keyA, float scoreB, long keyB) {
        return scoreA < scoreB || (scoreA == scoreB && keyA > keyB);
    }
}
