package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisMemoryStoreTest extends MemoryStoreContract {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    static RedisServer server;
    String prefix;

    @BeforeAll
    static void startServer() {
        server = RedisServer.ephemeral();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Each test its own key prefix, so tests never see each other's keys. */
    @Override
    MemoryStore open() {
        prefix = "test" + PREFIXES.incrementAndGet();
        return MemoryStores.redis(server.uri(), prefix);
    }

    @Test
    void keysFollowTheDocumentedLayout() {
        store.write(List.of(entry("a:b", 1, "x"), entry("a:b", 2, "y")));
        store.archive(T0.plusSeconds(2));
        try (Jedis jedis = server.client()) {
            // "a:b" is 61 3a 62 in UTF-8.
            assertEquals(Set.of(prefix + ":sessions", prefix + ":s:{613a62}:live", prefix + ":s:{613a62}:archive",
                    prefix + ":s:{613a62}:created"), jedis.keys(prefix + ":*"));
            assertEquals(Set.of("a:b"), jedis.smembers(prefix + ":sessions"));
            assertEquals(1, jedis.zcard(prefix + ":s:{613a62}:live"));
            assertEquals(1, jedis.zcard(prefix + ":s:{613a62}:archive"));
            assertEquals(List.of("2"), jedis.zrange(prefix + ":s:{613a62}:created", 0, -1));
        }
    }

    @Test
    void sessionNamesWithAnyCharactersAreIsolated() {
        // Names that look like patterns, hash tags, key separators, another name's hex, or nothing.
        List<String> names = List.of("*", "?", "[a]", "{x}", "}:live", "a b", "сессия ✓", "", "61", "a", "s:{61}:live", "\\");
        List<MemoryEntry> batch = new ArrayList<>();
        for (String name : names) {
            batch.add(entry(name, 1, "text of <" + name + ">"));
        }
        store.write(batch);
        for (String name : names) {
            assertEquals(List.of("text of <" + name + ">"), texts(store.entries(name)), name);
            assertEquals(1, store.lastSeq(name), name);
        }
        Set<String> seen = new TreeSet<>();
        store.forEachLive(e -> {
            assertEquals("text of <" + e.session() + ">", e.text());
            assertTrue(seen.add(e.session()), "visited once: " + e.session());
        });
        assertEquals(new TreeSet<>(names), seen);
    }

    @Test
    void prefixesSeparateStoresOnOneServer() {
        store.write(List.of(entry("s", 1, "mine")));
        try (MemoryStore other = MemoryStores.redis(server.uri(), prefix + "-other")) {
            assertEquals(List.of(), other.entries("s"));
            assertEquals(0, other.lastSeq("s"));
            other.write(List.of(entry("s", 1, "theirs")));
            assertEquals(List.of("theirs"), texts(other.entries("s")));
        }
        assertEquals(List.of("mine"), texts(store.entries("s")));
    }

    @Test
    void rewritingAnArchivedEntryKeepsItArchived() {
        store.write(List.of(entry("s", 1, "old"), entry("s", 2, "new")));
        assertEquals(1, store.archive(T0.plusSeconds(2)));
        store.write(List.of(entry("s", 1, "old, corrected")));
        assertEquals(List.of("new"), texts(store.entries("s")));
        assertEquals(List.of("old, corrected"), texts(store.archived("s")));
    }

    @Test
    void forEachLivePagesThroughLargeSessions() {
        List<MemoryEntry> batch = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            batch.add(entry("big", i, "m" + i));
        }
        store.write(batch);
        List<Long> seqs = new ArrayList<>();
        store.forEachLive(e -> seqs.add(e.seq()));
        assertEquals(1000, seqs.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i + 1, seqs.get(i));
        }
    }

    @Test
    void anUnreachableServerIsNamedQuicklyAndNeverTheCredentials() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        // Nothing listens on the port now: the connection is refused.
        try (MemoryStore down = MemoryStores.redis(URI.create("redis://agent:s3cret-pw@127.0.0.1:" + port), "p")) {
            long start = System.nanoTime();
            MemoryStoreException e = assertThrows(MemoryStoreException.class, () -> down.write(List.of(entry("s", 1, "x"))));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret-pw"), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2500, "failed within the timeout");
            assertThrows(MemoryStoreException.class, () -> down.entries("s"));
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutInsteadOfHanging() throws Exception {
        // Accepts connections (the kernel does, from the backlog) and never says a word.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                MemoryStore stuck = MemoryStores.redis("127.0.0.1", silent.getLocalPort())) {
            long start = System.nanoTime();
            MemoryStoreException e = assertThrows(MemoryStoreException.class, () -> stuck.entries("s"));
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(e.getMessage().contains("127.0.0.1:" + silent.getLocalPort()), e.getMessage());
            assertTrue(ms >= 1500 && ms < 5000, "timed out after the 2 s read timeout, took " + ms + " ms");
        }
    }

    @Test
    void theStoreWorksAgainWhenTheServerIsBackWithoutReopening() throws Exception {
        store.write(List.of(entry("s", 1, "before")));
        // Concurrent reads leave several idle connections in the pool, all dead once it stops.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                reads.add(pool.submit(() -> store.entries("s")));
            }
            for (Future<?> f : reads) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        server.stop();
        try {
            assertThrows(MemoryStoreException.class, () -> store.write(List.of(entry("s", 2, "while down"))));
        } finally {
            server.start();
        }
        // The server came back empty (no persistence); no call meets a dead connection again.
        for (int i = 3; i < 13; i++) {
            store.write(List.of(entry("s", i, "after")));
        }
        assertEquals(10, store.entries("s").size());
    }

    @Test
    void aDefaultStoreUsesTheDefaultPrefix() {
        try (MemoryStore plain = MemoryStores.redis(server.host(), server.port()); Jedis jedis = server.client()) {
            plain.write(List.of(entry("s", 1, "x")));
            assertTrue(jedis.exists("agentcouncil:sessions"));
            assertEquals(List.of("x"), texts(plain.entries("s")));
            jedis.del("agentcouncil:sessions", "agentcouncil:s:{73}:live", "agentcouncil:s:{73}:created");
            assertEquals(Set.of(), jedis.keys("agentcouncil:*"));
        }
    }
}
