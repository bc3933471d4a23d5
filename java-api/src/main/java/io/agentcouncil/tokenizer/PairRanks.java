package io.agentcouncil.tokenizer;

/**
 * BPE merges keyed by the ids of the pair: (left, right) to (rank, merged id), in one open-addressed
 * table of longs so the merge loop neither hashes strings nor allocates.
 */
final class PairRanks {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;

    PairRanks(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(keys, EMPTY);
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    /** Records a merge unless the pair already has one: the first (lowest-ranked) merge wins. */
    void putIfAbsent(int left, int right, int rank, int merged) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY) {
            if (keys[i] == k) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
    }

    /** {@code rank << 32 | merged id}, or -1 when the pair does not merge. */
    long get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY) {
            if (keys[i] == k) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1L;
    }
}
