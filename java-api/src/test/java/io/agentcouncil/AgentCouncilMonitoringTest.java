package io.agentcouncil;

import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.memory.Memory;
import io.agentcouncil.memory.MemoryEntry;
import io.agentcouncil.memory.MemoryStore;
import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.monitoring.Alert;
import io.agentcouncil.monitoring.AlertEvent;
import io.agentcouncil.monitoring.AlertSink;
import io.agentcouncil.monitoring.AlertState;
import io.agentcouncil.monitoring.AlertStatus;
import io.agentcouncil.monitoring.Alerting;
import io.agentcouncil.monitoring.FedGpuMonitor;
import io.agentcouncil.monitoring.Health;
import io.agentcouncil.monitoring.SlackAlertSink;
import io.agentcouncil.monitoring.SlackReceiver;
import io.agentcouncil.template.ChatMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerts fire and resolve on real conditions of a running council (the real Agent-0, a real
 * SQLite file, a real HTTP receiver for Slack); only the GPU's utilization is fed by the test,
 * through a real {@code GpuMonitor} implementation, as this machine has no GPU.
 */
class AgentCouncilMonitoringTest {
    private static final Duration EVERY = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static LanguageModel agent0;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        agent0 = LocalModel.load(TestModels.require(TestModels.SMOLLM2), 2);
    }

    @AfterAll
    static void free() {
        agent0.close();
    }

    private static AgentCouncilBuilder council(Alerting alerting) {
        return AgentCouncil.builder().agent0(ModelSource.instance(agent0)).threads(2).maxNewTokens(8).alerting(alerting);
    }

    /** Every event the sinks got, in order. */
    private static final class Recorder implements AlertSink {
        final List<AlertEvent> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void send(AlertEvent event) {
            events.add(event);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + WAIT + " for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static AlertState state(AgentCouncil c, Alert alert) {
        return c.alerts().stream().filter(s -> s.alert() == alert).findFirst().map(AlertStatus::state).orElseThrow();
    }

    @Test
    void agent0SlowFiresOnALongPromptTellsSlackAndResolvesWhenTheWindowHasPassed() throws Exception {
        Recorder recorder = new Recorder();
        try (SlackReceiver slack = new SlackReceiver();
             SlackAlertSink slackSink = SlackAlertSink.builder(slack.url()).build();
             AgentCouncil c = council(Alerting.builder().evaluationInterval(EVERY)
                     .agent0LatencyAbove(Duration.ofMillis(50), Duration.ZERO)
                     .agent0LatencyWindow(Duration.ofSeconds(3))
                     .sinks(recorder, slackSink).build()).build()) {
            await("a first evaluation", () -> state(c, Alert.AGENT0_SLOW) == AlertState.OK);
            String longPrompt = "Summarise this in one word: " + "the quick brown fox jumps over the lazy dog. ".repeat(90);
            c.chat("s", longPrompt);
            await("Agent0Slow firing", () -> state(c, Alert.AGENT0_SLOW) == AlertState.FIRING);
            Health h = c.health();
            assertEquals(Health.Status.DEGRADED, h.status(), h.toString());
            assertEquals("firing", h.components().get("alerts").state());

            List<String> texts = slack.await(1, WAIT);
            assertTrue(texts.get(0).startsWith("[FIRING] Performance degradation (Agent0Slow): "), texts.toString());

            await("Agent0Slow resolved", () -> state(c, Alert.AGENT0_SLOW) == AlertState.RESOLVED);
            texts = slack.await(2, WAIT);
            assertTrue(texts.get(1).startsWith("[RESOLVED] Performance degradation (Agent0Slow)"), texts.toString());
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                    recorder.events.stream().map(AlertEvent::state).toList());
            assertEquals(Health.Status.UP, c.health().status());
        }
    }

    @Test
    void flushStuckFiresWhileTheSqliteFileIsLockedAndResolvesWithNothingLostOnceItIsFree() throws Exception {
        Path db = dir.resolve("memory.db");
        Recorder recorder = new Recorder();
        Memory memory = Memory.builder().store(MemoryStores.sqlite(db)).embedder(Embedder.miniLm()).build();
        try (AgentCouncil c = council(Alerting.builder().evaluationInterval(EVERY).sinks(recorder).build())
                .memory(memory).build();
             Connection lock = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = lock.createStatement()) {
                st.execute("PRAGMA busy_timeout = 0");
                st.execute("BEGIN EXCLUSIVE"); // the flush worker now waits on SQLite's lock
            }
            List<ChatMessage> turn = List.of(ChatMessage.user("note"), ChatMessage.assistant("noted"));
            for (int i = 0; i < 600; i++) {
                memory.remember("locked", turn);
            }
            await("FlushStuck firing", () -> state(c, Alert.FLUSH_STUCK) == AlertState.FIRING);
            Health h = c.health();
            assertEquals("backlog", h.components().get("writeBehind").state(), h.toString());
            assertEquals(Health.Status.DEGRADED, h.status());

            try (Statement st = lock.createStatement()) {
                st.execute("COMMIT");
            }
            await("FlushStuck resolved", () -> state(c, Alert.FLUSH_STUCK) == AlertState.RESOLVED);
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                    recorder.events.stream().map(AlertEvent::state).toList());
            assertTrue(recorder.events.get(0).value() > 1000, recorder.events.toString());
        }
        try (MemoryStore reopened = MemoryStores.sqlite(db)) {
            List<MemoryEntry> entries = reopened.entries("locked");
            assertEquals(1200, entries.size(), "every acknowledged entry was written once the lock went");
        }
    }

    @Test
    void gpuFellToCpuIsPendingForItsDurationThenFiresAndResolves() throws Exception {
        FedGpuMonitor gpu = new FedGpuMonitor(95);
        Recorder recorder = new Recorder();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AgentCouncil c = council(Alerting.builder().evaluationInterval(EVERY)
                .gpuUtilizationBelow(20, Duration.ofMillis(600)).sinks(recorder).build())
                .gpuMonitor(gpu).meterRegistry(registry).build()) {
            assertEquals("gpu", c.health().components().get("compute").state());
            await("a first evaluation", () -> state(c, Alert.GPU_FELL_TO_CPU) == AlertState.OK);
            gpu.set(5);
            assertEquals(5.0, registry.get("gpu.utilization").gauge().value());
            await("GpuFellToCpu pending", () -> state(c, Alert.GPU_FELL_TO_CPU) == AlertState.PENDING);
            assertTrue(recorder.events.isEmpty(), "nothing is sent while pending");
            await("GpuFellToCpu firing", () -> state(c, Alert.GPU_FELL_TO_CPU) == AlertState.FIRING);
            AlertStatus firing = c.alerts().get(Alert.GPU_FELL_TO_CPU.ordinal());
            gpu.set(80);
            await("GpuFellToCpu resolved", () -> state(c, Alert.GPU_FELL_TO_CPU) == AlertState.RESOLVED);
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                    recorder.events.stream().map(AlertEvent::state).toList());
            assertEquals(5.0, firing.value());
        }
    }

    @Test
    void healthNamesEachComponentAndFallsWithThem() throws Exception {
        Path missing = dir.resolve("no-such-model.gguf");
        AgentCouncil c = council(Alerting.builder().evaluationInterval(EVERY).sinks().build())
                .specialist("broken", "anything at all", ModelSource.path(missing))
                .confidenceGate(1.0) // every message escalates
                .build();
        try {
            await("a first evaluation", () -> state(c, Alert.FLUSH_STUCK) == AlertState.OK);
            Health h = c.health();
            assertEquals(Health.Status.UP, h.status(), h.toString());
            assertEquals(100, h.score());
            assertEquals(List.of("agent0", "specialist:broken", "memory", "writeBehind", "alerts", "cloud", "compute"),
                    List.copyOf(h.components().keySet()));
            assertEquals("lazy", h.components().get("specialist:broken").state());
            assertEquals("cpu", h.components().get("compute").state());
            assertEquals(AlertState.INACTIVE, state(c, Alert.GPU_FELL_TO_CPU), "no GPU backend: the rule is inactive");
            assertEquals(AlertState.INACTIVE, state(c, Alert.BUDGET_BREACH), "no cloud tier: the rule is inactive");

            Reply r = c.chat("s", "Hello there");
            assertTrue(r.degraded(), "the only specialist failed to load");
            h = c.health();
            assertEquals(Health.Status.DEGRADED, h.status(), h.toString());
            assertEquals("failed", h.components().get("specialist:broken").state());
            assertTrue(h.components().get("specialist:broken").detail().contains("no-such-model.gguf"), h.toString());
            assertEquals(80, h.score());
        } finally {
            c.close();
        }
        Health down = c.health();
        assertEquals(Health.Status.DOWN, down.status());
        assertEquals(0, down.score());
    }
}
