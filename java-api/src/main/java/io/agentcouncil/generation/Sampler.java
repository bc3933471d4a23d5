package io.agentcouncil.generation;

/**
 * Picks the next token from a row of logits, following llama.cpp's default chain: repetition
 * penalty, top-k, top-p, min-p, temperature, then a seeded draw (see {@link GenerationConfig}).
 * Temperature 0 is greedy: the highest logit after the penalty; ties go to the lowest id.
 *
 * <p>One instance per generation: it holds the random state and the recent tokens the penalty
 * looks at ({@link #accept}). Buffers the size of the vocabulary are allocated once, so drawing a
 * token allocates nothing; candidates are found by partial selection (quickselect), and only
 * top-p sorts, and then only as many of the best tokens as it needs. Not thread-safe.
 *
 * <p>The same seed, configuration, accepted tokens and logits give the same token, on every JVM:
 * the random numbers come from SplitMix64, not from a JDK class.
 */
public final class Sampler {

    private final GenerationConfig config;
    private final int vocabularySize;
    private final float[] work;
    private final int[] candidates;
    /** Scratch for selecting up to this many best tokens in one pass. */
    private final int[] heap;
    private final int[] recent;
    private final int[] seenStamp;
    private int stamp;
    private int recentCount;
    private int recentNext;
    private long rngState;

    /**
     * @param seed the seed of the draw; ignored when the config is greedy
     */
    public Sampler(GenerationConfig config, int vocabularySize, long seed) {
        if (vocabularySize <= 0) {
            throw new IllegalArgumentException("vocabulary size must be > 0: " + vocabularySize);
        }
        this.config = config;
        this.vocabularySize = vocabularySize;
        this.work = new float[vocabularySize];
        boolean sampling = !config.isGreedy();
        boolean penalty = config.repetitionPenalty() != 1.0 && config.repetitionWindow() > 0;
        this.candidates = sampling ? new int[vocabularySize] : new int[0];
        this.heap = new int[sampling ? Math.min(vocabularySize, 512) : 0];
        this.recent = new int[penalty ? config.repetitionWindow() : 0];
        this.seenStamp = penalty ? new int[vocabularySize] : new int[0];
        this.rngState = seed;
    }

    /** Adds a token to the history the repetition penalty looks at (prompt tokens too, as llama.cpp does). */
    public void accept(int token) {
        if (recent.length == 0) {
            return;
        }
        recent[recentNext] = token;
        recentNext = (recentNext + 1) % recent.length;
        recentCount = Math.min(recentCount + 1, recent.length);
    }

    /** Adds the last {@code repetitionWindow} of {@code tokens[0, length)}. */
    public void acceptAll(int[] tokens, int length) {
        for (int i = Math.max(0, length - recent.length); i < length; i++) {
            accept(tokens[i]);
        }
    }

    /**
     * The next token. {@code logits} is read, never written. A row longer than the vocabulary
     * (models pad their output layer) is fine: only its first {@code vocabularySize} entries count.
     *
     * @throws IllegalArgumentException if {@code logits} is shorter than the vocabulary
     */
    public int sample(float[] logits) {
        if (logits.length < vocabularySize) {
            throw new IllegalArgumentException(logits.length + " logits for a vocabulary of " + vocabularySize);
        }
        int best = prepare(logits);
        if (config.isGreedy()) {
            return best;
        }
        int n = vocabularySize;
        float max = work[best];
        if (Float.isInfinite(max)) {
            return best; // nothing finite to weigh (all impossible, or one certain): behave as greedy
        }
        double minLogit = config.minP() > 0 ? max + Math.log(config.minP()) : Double.NEGATIVE_INFINITY;
        int k = config.topK() > 0 ? Math.min(config.topK(), n) : n;
        int size;
        if (config.topP() >= 1) {
            // Without top-p no order is needed: min-p filter, then the k best of what is left.
            if (config.minP() > 0) {
                size = filterAtLeast(minLogit);
                if (k < size) {
                    selectTop(candidates, size, k);
                    size = k;
                }
            } else if (k < n) {
                size = topOfAll(k);
            } else {
                size = filterAtLeast(Double.NEGATIVE_INFINITY);
            }
        } else {
            size = topPCandidates(k, max, minLogit);
        }
        return draw(size, max);
    }

    /** The logits as the draw sees them: after the repetition penalty, NaN as impossible. For tests. */
    float[] penalized(float[] logits) {
        prepare(logits);
        return work.clone();
    }

    /** Copies the logits into {@code work} with the penalty applied; returns the best token. */
    private int prepare(float[] logits) {
        for (int i = 0; i < vocabularySize; i++) {
            float v = logits[i];
            work[i] = v != v ? Float.NEGATIVE_INFINITY : v; // NaN never wins
        }
        applyPenalty();
        return argmax(work);
    }

    /** Applies the repetition penalty to {@code work}, once per distinct recent token. */
    private void applyPenalty() {
        if (recentCount == 0) {
            return;
        }
        float penalty = (float) config.repetitionPenalty();
        if (++stamp == 0) {
            java.util.Arrays.fill(seenStamp, 0);
            stamp = 1;
        }
        for (int i = 0; i < recentCount; i++) {
            int t = recent[i];
            if (t < 0 || t >= vocabularySize || seenStamp[t] == stamp) {
                continue;
            }
            seenStamp[t] = stamp;
            float v = work[t];
            work[t] = v > 0 ? v / penalty : v * penalty;
        }
    }

    /**
     * Top-k, then top-p over the probabilities of those k at temperature 1, then min-p; leaves the
     * survivors, best first, in {@code candidates} and returns how many there are.
     */
    private int topPCandidates(int k, float max, double minLogit) {
        int n = vocabularySize;
        int size;
        double total = 0;
        if (k < n) {
            size = topOfAll(k);
            for (int i = 0; i < k; i++) {
                total += Math.exp(work[candidates[i]] - max);
            }
            // Min-p keeps a prefix of the sorted order, so what it drops can go now.
            int kept = 0;
            for (int i = 0; i < size; i++) {
                int id = candidates[i];
                if (work[id] >= minLogit) {
                    candidates[kept++] = id;
                }
            }
            size = kept;
        } else {
            for (int i = 0; i < n; i++) {
                total += Math.exp(work[i] - max);
            }
            size = filterAtLeast(minLogit);
        }
        double target = config.topP() * total;
        // Sort only as many of the best as top-p needs: most of the mass sits in a few tokens.
        int sorted = Math.min(size, 64);
        while (true) {
            selectTop(candidates, size, sorted);
            sortDescending(candidates, 0, sorted);
            double cumulative = 0;
            for (int i = 0; i < sorted; i++) {
                cumulative += Math.exp(work[candidates[i]] - max);
                if (cumulative >= target) {
                    return i + 1;
                }
            }
            if (sorted == size) {
                return size; // rounding kept the sum just short of the target: keep them all
            }
            sorted = (int) Math.min(size, sorted * 8L);
        }
    }

    /** Puts the ids whose logit is at least {@code minLogit} into {@code candidates}; returns how many. */
    private int filterAtLeast(double minLogit) {
        int size = 0;
        for (int i = 0; i < vocabularySize; i++) {
            if (work[i] >= minLogit) {
                candidates[size++] = i;
            }
        }
        return size;
    }

    /** Draws from {@code candidates[0, size)} with probabilities softmax(logit / temperature). */
    private int draw(int size, float max) {
        double invT = 1.0 / config.temperature();
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += Math.exp((work[candidates[i]] - max) * invT);
        }
        double u = nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            cumulative += Math.exp((work[candidates[i]] - max) * invT);
            if (u < cumulative) {
                return candidates[i];
            }
        }
        // u fell into the rounding gap at the very end: the last token with any weight.
        for (int i = size - 1; i > 0; i--) {
            if (work[candidates[i]] != Float.NEGATIVE_INFINITY) {
                return candidates[i];
            }
        }
        return candidates[0];
    }

    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64 (Steele, Lea, Flood 2014): fixed, so a seed means the same stream everywhere. */
    private long nextLong() {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The index of the largest value; the lowest index among equals. NaN never wins. */
    static int argmax(float[] values) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        boolean found = false;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v > bestValue || (!found && v == bestValue)) {
                best = i;
                bestValue = v;
                found = true;
            }
        }
        return best;
    }

    // ---- selection and sorting of ids by work[id], best first (higher logit, then lower id) ----

    private boolean better(int a, int b) {
        float x = work[a];
        float y = work[b];
        return x > y || (x == y && a < b);
    }

    /** Reorders {@code ids[0, size)} so that its first {@code k} are the k best, in no particular order. */
    private void selectTop(int[] ids, int size, int k) {
        if (k <= 0 || k >= size) {
            return;
        }
        if (k <= heap.length) {
            // One pass against the worst of the best k so far: most tokens lose a single comparison.
            int kth = kthBest(ids, size, k);
            int store = 0;
            for (int i = 0; i < size; i++) {
                int id = ids[i];
                if (id == kth || better(id, kth)) {
                    swap(ids, i, store++);
                }
            }
            return;
        }
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int p = partition(ids, lo, hi);
            if (p == k - 1 || p == k) {
                return;
            } else if (p < k) {
                lo = p + 1;
            } else {
                hi = p - 1;
            }
        }
    }

    /** Puts the k best of the whole vocabulary into {@code candidates[0, k)}, in no particular order; returns k. */
    private int topOfAll(int k) {
        if (k <= heap.length) {
            kthBest(null, vocabularySize, k);
            System.arraycopy(heap, 0, candidates, 0, k);
        } else {
            for (int i = 0; i < vocabularySize; i++) {
                candidates[i] = i;
            }
            selectTop(candidates, vocabularySize, k);
        }
        return k;
    }

    /**
     * The k-th best of {@code ids[0, size)} (of {@code 0 .. size-1} when {@code ids} is null), with a
     * min-heap of the best k (worst at the root), which stays in {@code heap[0, k)}.
     */
    private int kthBest(int[] ids, int size, int k) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            int id = ids == null ? i : ids[i];
            if (count < k) {
                int j = count++;
                while (j > 0) { // sift up: better ones sink away from the root
                    int parent = (j - 1) >>> 1;
                    if (!better(heap[parent], id)) {
                        break;
                    }
                    heap[j] = heap[parent];
                    j = parent;
                }
                heap[j] = id;
            } else {
                int root = heap[0];
                float v = work[id];
                float r = work[root];
                if (v > r || (v == r && id < root)) {
                    int j = 0;
                    while (true) { // sift down the newcomer from the root
                        int child = 2 * j + 1;
                        if (child >= k) {
                            break;
                        }
                        if (child + 1 < k && better(heap[child], heap[child + 1])) {
                            child++; // the worse child
                        }
                        if (!better(id, heap[child])) {
                            break;
                        }
                        heap[j] = heap[child];
                        j = child;
                    }
                    heap[j] = id;
                }
            }
        }
        return heap[0];
    }

    /** Sorts {@code ids[lo, hi)} best first. */
    private void sortDescending(int[] ids, int lo, int hi) {
        while (hi - lo > 16) {
            int p = partition(ids, lo, hi - 1);
            // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
            if (p - lo < hi - p) {
                sortDescending(ids, lo, p);
                lo = p + 1;
            } else {
                sortDescending(ids, p + 1, hi);
                hi = p;
            }
        }
        for (int i = lo + 1; i < hi; i++) {
            int id = ids[i];
            int j = i - 1;
            while (j >= lo && better(id, ids[j])) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }

    /**
     * Partitions {@code ids[lo, hi]} around a median-of-three pivot: better ones left of the
     * returned index, worse ones right, the pivot at it.
     */
    private int partition(int[] ids, int lo, int hi) {
        int mid = (lo + hi) >>> 1;
        if (better(ids[mid], ids[lo])) {
            swap(ids, mid, lo);
        }
        if (better(ids[hi], ids[lo])) {
            swap(ids, hi, lo);
        }
        if (better(ids[mid], ids[hi])) {
            swap(ids, mid, hi);
        }
        // now ids[hi] is the median of the three
        int pivot = ids[hi];
        int store = lo;
        for (int i = lo; i < hi; i++) {
            if (better(ids[i], pivot)) {
                swap(ids, i, store++);
            }
        }
        swap(ids, store, hi);
        return store;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
