package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Redis (hot) in front of a real SQLite file (durable). */
class TieredMemoryStoreTest extends MemoryStoreContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    static RedisServer server;

    @TempDir
    Path dir;
    String prefix;

    @BeforeAll
    static void startServer() {
        server = RedisServer.ephemeral();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    MemoryStore open() {
        prefix = "tiered" + PREFIXES.incrementAndGet();
        return tieredOn(server);
    }

    private MemoryStore tieredOn(RedisServer redis) {
        return MemoryStores.tiered(MemoryStores.redis(redis.uri(), prefix), MemoryStores.sqlite(dir.resolve("memory.db")));
    }

    /** What the hot tier itself holds, seen through a second client. */
    private List<String> hotTexts(RedisServer redis, String session) {
        try (MemoryStore hot = MemoryStores.redis(redis.uri(), prefix)) {
            return texts(hot.entries(session));
        }
    }

    private static void awaitRecovery(MemoryStore tiered) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tiered.degraded()) {
            if (System.nanoTime() > deadline) {
                fail("still degraded 5 s after Redis came back");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void anEmptyHotStoreIsRefilledFromTheDurableOne() {
        store.close();
        try (MemoryStore durable = MemoryStores.sqlite(dir.resolve("memory.db"))) {
            durable.write(List.of(entry("s", 1, "said yesterday"), entry("s", 2, "and this")));
        }
        store = tieredOn(server);
        assertEquals(List.of(), hotTexts(server, "s"));
        assertEquals(List.of("said yesterday", "and this"), texts(store.entries("s")));
        assertEquals(List.of("said yesterday", "and this"), hotTexts(server, "s"));
        assertFalse(store.degraded());
    }

    @Test
    void readsComeFromTheHotStoreOnlyWhileItMatchesTheDurableOne() {
        store.write(List.of(entry("s", 1, "one"), entry("s", 2, "two")));
        assertEquals(List.of("one", "two"), texts(store.entries("s")));
        try (MemoryStore hot = MemoryStores.redis(server.uri(), prefix)) {
            // Changed behind the tiered store's back, at the same seq: the hot copy is what is read.
            hot.write(List.of(entry("s", 2, "two, as cached")));
            assertEquals(List.of("one", "two, as cached"), texts(store.recent("s", 5)));
            // A hot copy ahead of the durable store is not trusted: the durable store answers.
            hot.write(List.of(entry("s", 3, "never durable")));
            assertEquals(List.of("one", "two"), texts(store.entries("s")));
        }
    }

    @Test
    void aHotStoreThatLostItsDataUnnoticedIsRefilled() {
        store.write(List.of(entry("s", 1, "one"), entry("s", 2, "two")));
        assertEquals(List.of("one", "two"), texts(store.entries("s")));
        // No connection failed, so the tiered store cannot have noticed (as after eviction).
        try (var jedis = server.client()) {
            jedis.flushAll();
        }
        assertEquals(List.of("two"), texts(store.recent("s", 1)));
        assertEquals(List.of("one", "two"), hotTexts(server, "s"));
        assertFalse(store.degraded());
    }

    @Test
    void aHotCopyStillHoldingWhatTheDurableStoreArchivedIsNeverServed() {
        store.write(List.of(entry("s", 1, "s1"), entry("s", 2, "s2"), entry("s", 3, "s3")));
        assertEquals(List.of("s1", "s2", "s3"), texts(store.entries("s")));
        store.close();
        // Archived by a process that had no hot store: Redis still holds s1 as live.
        try (MemoryStore durable = MemoryStores.sqlite(dir.resolve("memory.db"))) {
            assertEquals(1, durable.archive(T0.plusSeconds(2)));
        }
        store = tieredOn(server);
        assertEquals(List.of("s2", "s3"), texts(store.entries("s")));
        assertEquals(List.of("s2", "s3"), texts(store.entries("s")), "and again, once the session was checked");
        assertEquals(List.of("s1", "s2", "s3"), hotTexts(server, "s"));
    }

    @Test
    void aHotStoreDownFromTheStartLeavesTheStoreWorkingDegraded() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        store.close();
        store = MemoryStores.tiered(MemoryStores.redis("127.0.0.1", port), MemoryStores.sqlite(dir.resolve("memory.db")));
        store.write(List.of(entry("s", 1, "kept anyway")));
        assertTrue(store.degraded());
        assertEquals(List.of("kept anyway"), texts(store.entries("s")));
        assertEquals(1, store.lastSeq("s"));
    }

    @Test
    void redisStoppedMidRunThenBackEmpty() throws Exception {
        store.write(List.of(entry("s", 1, "s1"), entry("s", 2, "s2")));
        assertEquals(List.of("s1", "s2"), texts(store.entries("s")));
        assertFalse(store.degraded());

        server.stop();
        try {
            // The first call to meet the dead server is a read of a session the hot store served.
            assertEquals(List.of("s1", "s2"), texts(store.entries("s")));
            assertTrue(store.degraded());
            store.write(List.of(entry("s", 3, "s3"), entry("t", 1, "t1")));
            assertEquals(List.of("s2", "s3"), texts(store.recent("s", 2)));
            assertEquals(List.of("t1"), texts(store.entries("t")));
            assertEquals(3, store.lastSeq("s"));
            assertEquals(2, store.archive(T0.plusSeconds(2)));
            assertTrue(store.degraded());
        } finally {
            server.start();
        }

        awaitRecovery(store);
        assertEquals(List.of("s2", "s3"), texts(store.entries("s")));
        assertEquals(List.of("s1"), texts(store.archived("s")));
        assertEquals(List.of(), texts(store.entries("t")));
        assertEquals(List.of("s2", "s3"), hotTexts(server, "s"));
        store.write(List.of(entry("s", 4, "s4")));
        assertEquals(List.of("s2", "s3", "s4"), texts(store.entries("s")));
        assertEquals(List.of("s2", "s3", "s4"), hotTexts(server, "s"));
        assertFalse(store.degraded());
    }

    @Test
    void redisBackWithOldDataIsResyncedForWhatItMissed() throws Exception {
        try (RedisServer persistent = RedisServer.persistent()) {
            store.close();
            store = tieredOn(persistent);
            store.write(List.of(entry("s", 1, "s1"), entry("s", 2, "s2"), entry("s", 3, "s3")));
            assertEquals(List.of("s1", "s2", "s3"), texts(store.entries("s")));

            persistent.stop();
            // Missed while down: a rewrite that leaves lastSeq as it was, and an archive run.
            store.write(List.of(entry("s", 2, "s2, corrected")));
            assertEquals(1, store.archive(T0.plusSeconds(2)));
            assertTrue(store.degraded());
            persistent.start();
            assertEquals(List.of("s1", "s2", "s3"), hotTexts(persistent, "s"), "Redis came back with its old data");

            awaitRecovery(store);
            assertEquals(List.of("s2, corrected", "s3"), texts(store.entries("s")));
            assertEquals(List.of("s2, corrected", "s3"), hotTexts(persistent, "s"));
            assertEquals(List.of("s1"), texts(store.archived("s")));
        }
    }

    @Test
    void concurrentReadsNeverMissAnAcknowledgedWriteAcrossARestart() throws Exception {
        AtomicLong acknowledged = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                for (long seq = 1; !stop.get(); seq++) {
                    store.write(List.of(entry("s", seq, "m" + seq)));
                    acknowledged.set(seq);
                }
                return null;
            });
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    while (!stop.get()) {
                        long before = acknowledged.get();
                        List<MemoryEntry> seen = store.entries("s");
                        assertTrue(seen.size() >= before, "saw " + seen.size() + " of " + before + " acknowledged");
                        for (int i = 0; i < seen.size(); i++) {
                            assertEquals(i + 1, seen.get(i).seq(), "no gap");
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(300);
            server.stop();
            Thread.sleep(300);
            server.start();
            awaitRecovery(store);
            Thread.sleep(300);
            stop.set(true);
            writer.get(10, TimeUnit.SECONDS);
            for (Future<?> reader : readers) {
                reader.get(10, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
        assertTrue(acknowledged.get() > 10, "the writer made progress: " + acknowledged.get());
        assertEquals(acknowledged.get(), store.entries("s").size());
        assertEquals(acknowledged.get(), hotTexts(server, "s").size());
    }
}
