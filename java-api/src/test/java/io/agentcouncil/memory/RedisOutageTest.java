package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.Reply;
import io.agentcouncil.TestModels;
import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.template.ChatMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real redis-server stopped in the middle of a run and started again: memory goes on
 * (degraded), then recovers without a restart, and nothing acknowledged is lost.
 */
class RedisOutageTest {

    @TempDir
    Path dir;

    @Test
    void aRedisOnlyMemoryQueuesWhileRedisIsDownAndCatchesUp() throws Exception {
        try (RedisServer redis = RedisServer.ephemeral();
                Memory memory = Memory.builder().store(MemoryStores.redis(redis.host(), redis.port()))
                        .flushInterval(Duration.ofMillis(100)).build()) {
            memory.remember("s", List.of(ChatMessage.user("before the outage")));
            memory.flush();
            redis.stop();
            for (int i = 0; i < 50; i++) {
                memory.remember("s", List.of(ChatMessage.user("during " + i)));
            }
            waitFor(memory::degraded, "memory reports the failing store");
            assertEquals(51, memory.entries("s").size(), "reads go on from the heap");
            redis.start(); // empty: the outage lost Redis's data, as a crashed cache does
            memory.flush();
            assertFalse(memory.degraded());
            try (MemoryStore check = MemoryStores.redis(redis.host(), redis.port())) {
                assertEquals(50, check.entries("s").size(), "everything queued during the outage was written");
            }
        }
    }

    @Test
    void theCouncilAnswersThroughAnOutageOfTheHotTierAndRecovers() throws Exception {
        TestModels.require(TestModels.SMOLLM2);
        try (RedisServer redis = RedisServer.persistent()) {
            Memory memory = Memory.builder()
                    .store(MemoryStores.tiered(MemoryStores.redis(redis.host(), redis.port()),
                            MemoryStores.sqlite(dir.resolve("memory.db"))))
                    .embedder(Embedder.miniLm()).build();
            try (AgentCouncil c = AgentCouncil.builder().threads(2).maxNewTokens(16).memory(memory).build()) {
                assertFalse(c.chat("s", "Hello!").degraded());
                redis.stop();
                // Write-behind: this turn's reply is out before its write meets the dead server.
                assertFalse(c.chat("s", "Are you still there?").text().isEmpty());
                waitFor(memory::degraded, "memory notices the outage on its next write");
                Reply during = c.chat("s", "Still there?");
                assertFalse(during.text().isEmpty());
                assertTrue(during.degraded(), "a reply while memory is known to fail says so");
                redis.start();
                waitFor(() -> !memory.degraded(), "memory recovers once Redis is back");
                Reply after = c.chat("s", "Good, thanks.");
                assertFalse(after.degraded(), after::toString);
                memory.flush();
                assertEquals(8, memory.entries("s").size());
            }
            try (MemoryStore durable = MemoryStores.sqlite(dir.resolve("memory.db"))) {
                assertEquals(8, durable.entries("s").size(), "SQLite holds every turn, the outage's too");
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(50);
        }
    }
}
