package io.agentcouncil.vector;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LongIntMapTest {

    @Test
    void agreesWithHashMapOverRandomPutsAndRemovals() {
        Random random = new Random(3);
        LongIntMap map = new LongIntMap();
        Map<Long, Integer> reference = new HashMap<>();
        // A small key range makes collisions, replacements and removals of present keys common,
        // which is where backward-shift deletion can go wrong.
        for (int step = 0; step < 200_000; step++) {
            long key = random.nextInt(5_000) * 1_024L - 7;
            if (random.nextInt(3) == 0) {
                assertEquals(reference.getOrDefault(key, -1), map.remove(key), "remove " + key);
                reference.remove(key);
            } else {
                int value = random.nextInt(1_000_000);
                map.put(key, value);
                reference.put(key, value);
            }
            assertEquals(reference.size(), map.size());
        }
        for (long key = -7; key < 5_000 * 1_024L; key += 1_024) {
            assertEquals(reference.getOrDefault(key, -1), map.get(key), "get " + key);
        }
    }

    @Test
    void sequentialKeysSurviveGrowth() {
        LongIntMap map = new LongIntMap();
        for (int i = 0; i < 100_000; i++) {
            map.put(i, i);
        }
        for (int i = 0; i < 100_000; i += 2) {
            assertEquals(i, map.remove(i));
        }
        for (int i = 0; i < 100_000; i++) {
            assertEquals(i % 2 == 0 ? -1 : i, map.get(i));
        }
        assertEquals(50_000, map.size());
    }
}
