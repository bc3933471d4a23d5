package io.agentcouncil.vector;

import java.util.Arrays;

/**
 * A map from long keys to non-negative ints (slots, ordinals) without boxing: open addressing
 * with linear probing and backward-shift deletion, so there are no tombstones to clean. A
 * million-entry session costs 12 MB here instead of about 80 MB as a HashMap. Not thread-safe.
 */
final class LongIntMap {

    private static final int ABSENT = -1;

    private long[] keys = new long[8];
    private int[] values = filled(8);
    private int size;

    int size() {
        return size;
    }

    /** The value for {@code key}, or -1. */
    int get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); values[i] != ABSENT; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return ABSENT;
    }

    /** Maps {@code key} to {@code value} (at least 0), replacing any previous value. */
    void put(long key, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value " + value);
        }
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != ABSENT) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key}; returns its value, or -1 if it was absent. */
    int remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != ABSENT && keys[i] != key) {
            i = (i + 1) & mask;
        }
        int removed = values[i];
        if (removed == ABSENT) {
            return ABSENT;
        }
        // Backward shift: pull later entries of the probe run into the hole when their home
        // slot does not lie (cyclically) between the hole and their position.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] != ABSENT; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = ABSENT;
        size--;
        return removed;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = filled(oldKeys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != ABSENT) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: sequential keys spread out
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private static int[] filled(int length) {
        int[] a = new int[length];
        Arrays.fill(a, ABSENT);
        return a;
    }
}
