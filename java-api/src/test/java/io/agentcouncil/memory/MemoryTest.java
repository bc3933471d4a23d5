package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.template.ChatMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryTest {

    static Embedder embedder;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadEmbedder() {
        embedder = Embedder.miniLm();
    }

    @AfterAll
    static void closeEmbedder() {
        embedder.close();
    }

    private Path db() {
        return dir.resolve("memory.db");
    }

    private static List<ChatMessage> turn(String user, String assistant) {
        return List.of(ChatMessage.user(user), ChatMessage.assistant(assistant));
    }

    @Test
    void writeBehindFlushesOnItsOwnAndOnFlush() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).flushInterval(Duration.ofMillis(200))
                        .meterRegistry(registry).build();
                MemoryStore reader = MemoryStores.sqlite(db())) {
            List<MemoryEntry> acked = m.remember("s", turn("Hello there.", "Hi!"));
            assertEquals(List.of(1L, 2L), acked.stream().map(MemoryEntry::seq).toList());
            assertEquals(2, m.recent("s", 10).size(), "reads see acknowledged entries at once");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (reader.entries("s").size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(2, reader.entries("s").size(), "the worker wrote the entries without a flush");
            for (int i = 0; i < 100; i++) {
                m.remember("s", turn("question " + i, "answer " + i));
            }
            m.flush();
            assertEquals(202, reader.entries("s").size());
            assertEquals(0, m.queueDepth());
            assertEquals(0.0, registry.get("scratchpad.entries.queue").gauge().value());
        }
    }

    @Test
    void closeDrainsEverythingAcknowledged() {
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).flushInterval(Duration.ofSeconds(10)).build()) {
            for (int i = 0; i < 6_000; i++) {
                m.remember("s" + (i % 7), List.of(ChatMessage.user("entry " + i)));
            }
        }
        try (MemoryStore store = MemoryStores.sqlite(db())) {
            int total = 0;
            for (int s = 0; s < 7; s++) {
                total += store.entries("s" + s).size();
            }
            assertEquals(6_000, total);
        }
    }

    @Test
    void synchronousModeHasCommittedBeforeItAcknowledges() {
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).durability(Memory.Durability.SYNCHRONOUS).build();
                MemoryStore reader = MemoryStores.sqlite(db())) {
            for (int i = 1; i <= 20; i++) {
                m.remember("s", List.of(ChatMessage.user("entry " + i)));
                assertEquals(i, reader.entries("s").size());
            }
        }
    }

    /** A store whose writes fail while {@code down}: the queue's own logic, nothing else. */
    static final class FlakyStore implements MemoryStore {
        final MemoryStore inner = MemoryStores.inMemory();
        volatile boolean down;

        @Override
        public void write(List<MemoryEntry> entries) {
            if (down) {
                throw new MemoryStoreException("backend unreachable");
            }
            inner.write(entries);
        }

        @Override
        public List<MemoryEntry> recent(String session, int count) {
            return inner.recent(session, count);
        }

        @Override
        public List<MemoryEntry> entries(String session) {
            return inner.entries(session);
        }

        @Override
        public long lastSeq(String session) {
            return inner.lastSeq(session);
        }

        @Override
        public void forEachLive(Consumer<MemoryEntry> sink) {
            inner.forEachLive(sink);
        }

        @Override
        public int archive(Instant cutoff) {
            return inner.archive(cutoff);
        }

        @Override
        public List<MemoryEntry> archived(String session) {
            return inner.archived(session);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aFullQueueBlocksThenFailsClearlyAndLosesNothingAcknowledged() {
        FlakyStore store = new FlakyStore();
        try (Memory m = Memory.builder().store(store).queueCapacity(10).flushInterval(Duration.ofMillis(50))
                .offerTimeout(Duration.ofMillis(300)).build()) {
            m.remember("s", List.of(ChatMessage.user("before")));
            m.flush();
            store.down = true;
            // The queue holds 10; the worker's failed batch holds what it had drained when the store went down.
            int accepted = 0;
            long t0 = 0;
            MemoryFullException full = null;
            while (full == null && accepted < 100) {
                t0 = System.nanoTime();
                try {
                    m.remember("s", List.of(ChatMessage.user("queued " + accepted)));
                    accepted++;
                } catch (MemoryFullException e) {
                    full = e;
                }
            }
            assertTrue(full != null && accepted >= 10 && accepted <= 20, "accepted " + accepted + " before refusing");
            long waitedMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertTrue(waitedMs >= 250, "blocked for the offer timeout, waited " + waitedMs + " ms");
            assertTrue(full.getMessage().contains("full (10 entries)") && full.getMessage().contains("backend unreachable"),
                    full.getMessage());
            assertTrue(m.degraded());
            store.down = false;
            m.flush();
            assertFalse(m.degraded());
            List<String> texts = store.inner.entries("s").stream().map(MemoryEntry::text).toList();
            assertEquals(1 + accepted, texts.size());
            assertEquals("before", texts.get(0));
            assertEquals("queued " + (accepted - 1), texts.get(accepted));
            assertEquals(accepted + 2, m.remember("s", List.of(ChatMessage.user("after"))).get(0).seq(), "numbering goes on");
        }
    }

    @Test
    void closeReportsWhatTheStoreNeverTook() {
        FlakyStore store = new FlakyStore();
        Memory m = Memory.builder().store(store).flushTimeout(Duration.ofMillis(300)).build();
        store.down = true;
        m.remember("s", turn("lost?", "yes"));
        MemoryStoreException e = assertThrows(MemoryStoreException.class, m::close);
        assertTrue(e.getMessage().startsWith("2 memory entries could not be written"), e.getMessage());
    }

    @Test
    void recallFindsTheSessionsOwnFactAndNeverAnothers() {
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).embedder(embedder).build()) {
            m.remember("alice", turn("My bike is turquoise.", "Nice colour!"));
            m.remember("alice", turn("I had pasta for lunch.", "Sounds tasty."));
            m.remember("bob", turn("My bike is red.", "Red is fast."));
            m.flush();
            List<Memory.Recollection> hits = m.recall("alice", "What colour is my bike?", 3, 0.3f);
            assertFalse(hits.isEmpty());
            assertEquals("My bike is turquoise.", hits.get(0).entry().text());
            assertTrue(hits.stream().allMatch(h -> h.entry().session().equals("alice")));
            assertTrue(hits.stream().noneMatch(h -> h.entry().text().contains("red")));
            assertEquals("My bike is red.", m.recall("bob", "What colour is my bike?", 1, 0.3f).get(0).entry().text());
            assertTrue(m.recall("carol", "What colour is my bike?", 3, 0.0f).isEmpty());
        }
    }

    @Test
    void vectorsArePersistedAndRecallWorksAfterARestart() {
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).embedder(embedder).build()) {
            m.remember("s", turn("My dog is called Rex.", "Hello Rex!"));
            m.remember("s", turn("The weather is cold today.", "Wrap up warm."));
        }
        try (MemoryStore store = MemoryStores.sqlite(db())) {
            assertTrue(store.entries("s").stream().allMatch(MemoryEntry::hasEmbedding), "embeddings are stored");
        }
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).embedder(embedder).build()) {
            assertEquals("My dog is called Rex.", m.recall("s", "What is my dog's name?", 1, 0.3f).get(0).entry().text());
            assertEquals(5, m.remember("s", List.of(ChatMessage.user("next"))).get(0).seq());
        }
    }

    static final class MutableClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void oldEntriesAreArchivedNotRecalledAndStillExported() {
        MutableClock clock = new MutableClock();
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).embedder(embedder).clock(clock).build()) {
            m.remember("s", turn("My car is silver.", "Shiny."));
            clock.now = clock.now.plus(Duration.ofDays(20));
            m.remember("s", turn("My umbrella is yellow.", "Bright."));
            clock.now = clock.now.plus(Duration.ofDays(15)); // the car is 35 days old, the umbrella 15
            assertEquals(2, m.archiveNow());
            assertEquals(List.of("My umbrella is yellow.", "Bright."), m.entries("s").stream().map(MemoryEntry::text).toList());
            assertTrue(m.recall("s", "What colour is my car?", 3, 0.0f).stream()
                    .noneMatch(h -> h.entry().text().contains("car")), "archived entries are not recalled");
            assertEquals(List.of("My car is silver.", "Shiny."), m.exportArchive("s").stream().map(MemoryEntry::text).toList());
            assertEquals(5, m.remember("s", List.of(ChatMessage.user("later"))).get(0).seq(), "numbering is not reused");
        }
        try (MemoryStore store = MemoryStores.sqlite(db())) {
            assertEquals(2, store.archived("s").size(), "nothing was deleted");
            assertEquals(3, store.entries("s").size());
        }
    }

    @Test
    void sessionsBeyondTheHeapLimitAreReloadedWhole() {
        try (Memory m = Memory.builder().store(MemoryStores.sqlite(db())).embedder(embedder).maxSessions(2).build()) {
            for (int round = 0; round < 3; round++) {
                for (int s = 0; s < 5; s++) {
                    m.remember("s" + s, turn("session " + s + " round " + round, "ok"));
                }
                m.flush();
            }
            for (int s = 0; s < 5; s++) {
                String prefix = "session " + s;
                List<MemoryEntry> e = m.entries("s" + s);
                assertEquals(6, e.size());
                List<Long> seqs = new ArrayList<>();
                e.forEach(x -> seqs.add(x.seq()));
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs);
                assertTrue(e.stream().allMatch(x -> x.text().startsWith(prefix) || x.text().equals("ok")));
                assertEquals("session " + s + " round 2", m.recall("s" + s, "session " + s + " round 2", 1, 0.0f).get(0).entry().text());
            }
        }
    }

    @Test
    void aClosedMemoryRefusesWork() {
        Memory m = Memory.builder().build();
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.remember("s", List.of(ChatMessage.user("x"))));
        assertThrows(IllegalStateException.class, () -> m.recent("s", 1));
    }
}
