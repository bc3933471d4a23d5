package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link MemoryStore} must do; each store's test extends this with a real backend. */
abstract class MemoryStoreContract {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    MemoryStore store;

    /** A fresh, empty store on the real backend. */
    abstract MemoryStore open() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static MemoryEntry entry(String session, long seq, String text) {
        return new MemoryEntry(session, seq, seq % 2 == 1 ? "user" : "assistant", text, T0.plusSeconds(seq), new float[0]);
    }

    @Test
    void entriesComeBackInOrderPerSession() {
        store.write(List.of(entry("a", 1, "a1"), entry("b", 1, "b1"), entry("a", 2, "a2")));
        store.write(List.of(entry("a", 3, "a3")));
        assertEquals(List.of("a1", "a2", "a3"), texts(store.entries("a")));
        assertEquals(List.of("b1"), texts(store.entries("b")));
        assertEquals(List.of("a2", "a3"), texts(store.recent("a", 2)));
        assertEquals(List.of("a1", "a2", "a3"), texts(store.recent("a", 10)));
        assertEquals(List.of(), store.entries("nobody"));
        assertEquals(3, store.lastSeq("a"));
        assertEquals(0, store.lastSeq("nobody"));
    }

    @Test
    void fieldsAndEmbeddingRoundTrip() {
        float[] v = {0.25f, -1.5f, 3.0e-7f, Float.MIN_VALUE};
        MemoryEntry e = new MemoryEntry("s", 1, "user", "My bike is turquoise. ünïcødé ✓", T0, v);
        store.write(List.of(e));
        MemoryEntry back = store.entries("s").get(0);
        assertEquals(e.session(), back.session());
        assertEquals(e.seq(), back.seq());
        assertEquals(e.role(), back.role());
        assertEquals(e.text(), back.text());
        assertEquals(e.createdAt().toEpochMilli(), back.createdAt().toEpochMilli());
        assertArrayEquals(v, back.embedding());
        store.write(List.of(entry("s", 2, "no vector")));
        assertEquals(0, store.entries("s").get(1).embedding().length);
    }

    @Test
    void rewritingAnEntryReplacesIt() {
        store.write(List.of(entry("s", 1, "first")));
        store.write(List.of(entry("s", 1, "first"), entry("s", 2, "second")));
        assertEquals(List.of("first", "second"), texts(store.entries("s")));
    }

    @Test
    void sessionNamesAreNotPatterns() {
        store.write(List.of(entry("a*", 1, "star"), entry("a:b", 1, "colon"), entry("ab", 1, "plain"), entry("a%", 1, "pct")));
        assertEquals(List.of("star"), texts(store.entries("a*")));
        assertEquals(List.of("colon"), texts(store.entries("a:b")));
        assertEquals(List.of("plain"), texts(store.entries("ab")));
        assertEquals(List.of("pct"), texts(store.entries("a%")));
    }

    @Test
    void archiveMovesOldEntriesOutOfLiveReadsAndKeepsThem() {
        store.write(List.of(entry("s", 1, "old"), entry("s", 2, "old too"), entry("s", 3, "new"), entry("t", 1, "other old")));
        int moved = store.archive(T0.plusSeconds(3));
        assertEquals(3, moved);
        assertEquals(List.of("new"), texts(store.entries("s")));
        assertEquals(List.of("new"), texts(store.recent("s", 5)));
        assertEquals(List.of("old", "old too"), texts(store.archived("s")));
        assertEquals(List.of("other old"), texts(store.archived("t")));
        assertEquals(3, store.lastSeq("s"));
        assertEquals(1, store.lastSeq("t"));
        List<String> live = new ArrayList<>();
        store.forEachLive(e -> live.add(e.session() + "/" + e.text()));
        assertEquals(List.of("s/new"), live);
        assertEquals(0, store.archive(T0.plusSeconds(3)));
    }

    @Test
    void forEachLiveVisitsEverySessionInOrder() {
        List<MemoryEntry> batch = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            for (int i = 1; i <= 5; i++) {
                batch.add(entry("session-" + s, i, s + ":" + i));
            }
        }
        store.write(batch);
        List<MemoryEntry> seen = new ArrayList<>();
        store.forEachLive(seen::add);
        assertEquals(100, seen.size());
        for (int i = 1; i < seen.size(); i++) {
            MemoryEntry prev = seen.get(i - 1), cur = seen.get(i);
            if (prev.session().equals(cur.session())) {
                assertTrue(prev.seq() < cur.seq(), "in order within a session");
            }
        }
    }

    @Test
    void closedStoreRefusesWork() {
        store.close();
        store.close();
        assertThrows(IllegalStateException.class, () -> store.entries("s"));
        assertThrows(IllegalStateException.class, () -> store.write(List.of(entry("s", 1, "x"))));
    }

    static List<String> texts(List<MemoryEntry> entries) {
        return entries.stream().map(MemoryEntry::text).toList();
    }
}
