package io.agentcouncil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.StreamListener.Escalation;
import io.agentcouncil.StreamListener.StreamToken;
import io.agentcouncil.confidence.TokenProbabilityEstimator;
import io.agentcouncil.council.ChairPolicy;
import io.agentcouncil.council.CouncilPolicy;
import io.agentcouncil.council.KeywordRouter;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.memory.Memory;
import io.agentcouncil.template.ChatMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The council with real models: Agent-0 (SmolLM2-135M) and the roster's 0.5B Qwen as the
 * specialist. Routing mechanics use the gate's extremes (0: Agent-0 always suffices, 1: always
 * escalate), so they do not depend on any one answer's confidence; {@link AgentCouncilGateTest}
 * shows the default gate working both ways.
 */
class AgentCouncilTest {

    private static LanguageModel agent0;
    private static LanguageModel qwen;

    @BeforeAll
    static void load() throws IOException {
        agent0 = LocalModel.load(TestModels.require(TestModels.SMOLLM2), 2);
        qwen = LocalModel.load(TestModels.require(TestModels.QWEN_CODER_05B), 2);
    }

    @AfterAll
    static void free() {
        agent0.close();
        qwen.close();
    }

    /** A source that counts its loads, handing out the shared Qwen model. */
    private static final class CountingSource implements ModelSource {
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public LanguageModel load(int threads) {
            loads.incrementAndGet();
            try {
                Thread.sleep(200); // long enough for concurrent first uses to overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return qwen;
        }

        @Override
        public boolean owned() {
            return false;
        }
    }

    private static AgentCouncilBuilder council(double gate) {
        return AgentCouncil.builder().agent0(ModelSource.instance(agent0)).threads(2).maxNewTokens(24).confidenceGate(gate);
    }

    @Test
    void confidentEnoughStaysWithAgent0AndNeverLoadsASpecialist() {
        CountingSource source = new CountingSource();
        try (AgentCouncil c = council(0).specialist("general", "general knowledge", source).build()) {
            Reply r = c.chat("s", "What is the capital of France?");
            assertEquals(Route.AGENT0, r.route());
            assertEquals(1, r.stages().size());
            assertEquals(agent0.name(), r.stages().get(0).model());
            assertEquals(r.stages().get(0).text(), r.text());
            assertFalse(r.text().isEmpty());
            assertTrue(r.tokensOut() > 0 && r.tokensOut() <= 24, () -> "tokens out " + r.tokensOut());
            assertEquals(0, source.loads.get(), "specialists load on their first escalation only");
        }
    }

    @Test
    void belowTheGateTheSpecialistAnswers() {
        CountingSource source = new CountingSource();
        try (AgentCouncil c = council(1).maxNewTokens(64).specialist("code", "programming and code", source).build()) {
            Reply r = c.chat("s", "Write a Python function that adds two numbers.");
            assertEquals(Route.COUNCIL, r.route());
            assertEquals(List.of(agent0.name(), qwen.name()), r.modelsConsulted());
            Stage a0 = r.stages().get(0), member = r.stages().get(1);
            assertTrue(a0.confidence() < 1);
            assertEquals(member.text(), r.text());
            assertEquals(member.confidence(), r.confidence());
            assertTrue(member.loadTime().toNanos() > 0, "the first escalation waits for the load");
            assertEquals("highest-confidence", r.policy());
            assertFalse(r.degraded(), "no cloud configured: the council's answer is the best there is");
            assertTrue(r.text().contains("def "), r::text);
            Reply again = c.chat("s2", "Write a Python function that multiplies two numbers.");
            assertEquals(0, again.stages().get(1).loadTime().toNanos(), "loaded once");
            assertEquals(1, source.loads.get());
        }
    }

    @Test
    void concurrentFirstEscalationsLoadTheSpecialistOnce() {
        CountingSource source = new CountingSource();
        try (AgentCouncil c = council(1).maxNewTokens(4).maxConcurrentTurns(4).specialist("code", "code", source).build()) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replies.add(c.chatAsync("s" + i, "Write a Python function number " + i + "."));
            }
            long waited = 0;
            for (CompletableFuture<Reply> f : replies) {
                Reply r = f.join();
                assertEquals(Route.COUNCIL, r.route());
                waited += r.stages().get(1).loadTime().toNanos() > 0 ? 1 : 0;
            }
            assertEquals(1, source.loads.get(), "one load however many turns need it at once");
            assertTrue(waited >= 1, "the turns that waited for the load say so");
        }
    }

    @Test
    void aChairSynthesisesTheMembersAnswers() {
        CouncilPolicy chair = new ChairPolicy(qwen, TokenProbabilityEstimator.defaults(), 32);
        try (AgentCouncil c = council(1).maxNewTokens(24).router(KeywordRouter.upTo(2)).councilPolicy(chair)
                .specialist("general", "general knowledge: capitals, countries", ModelSource.instance(qwen))
                .specialist("facts", "facts about capitals", ModelSource.instance(qwen)).build()) {
            Reply r = c.chat("s", "What is the capital of France?");
            assertEquals(Route.COUNCIL, r.route());
            assertEquals("chair:" + qwen.name(), r.policy());
            assertEquals(4, r.stages().size(), () -> r.stages().toString()); // Agent-0, two members, the chair
            Stage synthesis = r.stages().get(3);
            assertEquals("chair", synthesis.note());
            assertEquals(synthesis.text(), r.text());
            assertTrue(synthesis.tokensOut() > 0 && synthesis.tokensOut() <= 32);
            assertTrue(r.text().contains("Paris"), r::text);
        }
    }

    @Test
    void streamShowsAgent0ThenAnExplicitEscalationThenTheCouncil() {
        List<Object> events = new ArrayList<>();
        try (AgentCouncil c = council(1).specialist("code", "programming and code", ModelSource.instance(qwen)).build()) {
            Reply r = c.stream("s", "Write a Python function that adds two numbers.", new StreamListener() {
                @Override
                public void onToken(StreamToken token) {
                    events.add(token);
                }

                @Override
                public void onEscalation(Escalation e) {
                    events.add(e);
                }

                @Override
                public void onComplete(Reply reply) {
                    events.add(reply);
                }
            });
            StringBuilder agent0Text = new StringBuilder();
            int i = 0;
            for (; i < events.size() && events.get(i) instanceof StreamToken t && t.route() == Route.AGENT0; i++) {
                agent0Text.append(t.text());
            }
            assertEquals(r.stages().get(0).text(), agent0Text.toString(), "Agent-0's draft streams as it is generated");
            Escalation e = (Escalation) events.get(i);
            assertEquals(Route.AGENT0, e.from());
            assertEquals(Route.COUNCIL, e.to());
            assertEquals(List.of("code"), e.models());
            assertEquals(r.stages().get(0).confidence(), e.confidence());
            // The one specialist's answer streams token by token.
            StringBuilder councilText = new StringBuilder();
            int j = i + 1;
            for (; j < events.size() && events.get(j) instanceof StreamToken t; j++) {
                assertEquals(Route.COUNCIL, t.route());
                assertEquals(qwen.name(), t.model());
                councilText.append(t.text());
            }
            assertTrue(j - i - 1 > 1, "several council tokens, not one chunk");
            assertEquals(r.text(), councilText.toString());
            assertSame(r, events.get(j));
            assertEquals(j + 1, events.size());
        }
    }

    @Test
    void turnsOfASessionApplyInOrderAndFollowUpsReuseTheCache() {
        Memory memory = Memory.builder().build();
        try (AgentCouncil c = council(0).memory(memory).maxConcurrentTurns(4).build()) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                replies.add(c.chatAsync("ordered", "Message number " + i + "."));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).join();
            List<ChatMessage> history = memory.recent("ordered", 100).stream()
                    .map(e -> new ChatMessage(e.role(), e.text())).toList();
            assertEquals(8, history.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(ChatMessage.user("Message number " + (i + 1) + "."), history.get(2 * i));
                assertEquals(replies.get(i).join().text(), history.get(2 * i + 1).content());
            }
            // Each follow-up prefilled only what was new: fewer tokens than the first turn plus its reply.
            Stage first = replies.get(0).join().stages().get(0);
            for (int i = 1; i < 4; i++) {
                Stage s = replies.get(i).join().stages().get(0);
                assertTrue(s.tokensIn() < first.tokensIn() + first.tokensOut(),
                        "turn " + (i + 1) + " prefilled " + s.tokensIn() + " tokens; the first " + first.tokensIn());
            }
        }
    }

    @Test
    void sessionsDoNotSeeEachOther() {
        Memory memory = Memory.builder().build();
        try (AgentCouncil c = council(0).memory(memory).build()) {
            c.chat("alice", "My bike is turquoise.");
            c.chat("bob", "What colour is my bike?");
            assertTrue(memory.recent("bob", 10).stream().noneMatch(m -> m.text().contains("turquoise")));
            assertEquals(2, memory.recent("bob", 10).size());
        }
    }

    @Test
    void manySessionsBeyondTheLiveCacheStillAnswer() {
        try (AgentCouncil c = council(0).maxLiveSessions(2).maxConcurrentTurns(2).build()) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                replies.add(c.chatAsync("s" + (i % 3), "Say something about the number " + i + "."));
            }
            for (CompletableFuture<Reply> f : replies) {
                assertFalse(f.join().text().isEmpty());
            }
        }
    }

    @Test
    void decideEarlyStopsAgent0AfterItsFirstTokens() {
        try (AgentCouncil c = council(1).decideEarly(4).specialist("code", "code", ModelSource.instance(qwen)).build()) {
            Reply r = c.chat("s", "Write a Python function that adds two numbers.");
            Stage a0 = r.stages().get(0);
            assertEquals(4, a0.tokensOut());
            assertTrue(a0.note().startsWith("stopped early"), a0::note);
            assertEquals(Route.COUNCIL, r.route());
        }
    }

    @Test
    void aSpecialistThatCannotLoadLeavesADegradedAgent0Answer() {
        try (AgentCouncil c = council(1).specialist("code", "code", ModelSource.path(Path.of("/nonexistent/model.gguf"))).build()) {
            Reply r = c.chat("s", "Write a Python function that adds two numbers.");
            assertEquals(Route.AGENT0, r.route());
            assertTrue(r.degraded());
            assertTrue(r.stages().get(1).note().startsWith("load failed"), () -> r.stages().get(1).note());
            assertEquals(r.stages().get(0).text(), r.text());
        }
    }

    @Test
    void aMessageTooLongForAgent0IsAClearErrorAndLosesNothing() {
        Memory memory = Memory.builder().build();
        try (AgentCouncil c = council(0).memory(memory).agent0ContextLength(256).build()) {
            c.chat("s", "Hello!");
            String huge = "word ".repeat(1000);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.chat("s", huge));
            assertTrue(e.getMessage().startsWith("message too long"), e::getMessage);
            assertEquals(2, memory.recent("s", 10).size(), "the failed turn left no trace");
            assertFalse(c.chat("s", "Are you there?").text().isEmpty(), "the session goes on");
            assertEquals(4, memory.recent("s", 10).size());
        }
    }

    @Test
    void closeFinishesTurnsInFlightThenRefusesNewOnes() throws Exception {
        AgentCouncil c = council(0).build();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Reply> inFlight = CompletableFuture.supplyAsync(() -> c.stream("s", "Tell me about owls.", t -> started.countDown()));
        started.await();
        c.close();
        assertFalse(inFlight.join().text().isEmpty(), "a turn in flight finishes");
        assertThrows(IllegalStateException.class, () -> c.chat("s", "Hello?"));
        c.close(); // twice is harmless
        // Agent-0 was given as an instance: it stays the caller's and still works.
        try (var session = agent0.newSession(16)) {
            assertEquals(16, session.capacity());
        }
    }

    @Test
    void metricsCountRoutesAndEscalations() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AgentCouncil c = council(1).meterRegistry(registry).specialist("code", "code", ModelSource.instance(qwen)).build()) {
            c.chat("s", "Write a Python function that adds two numbers.");
        }
        assertEquals(1.0, registry.get("agentcouncil.requests").tag("route", "council").counter().count());
        assertEquals(0.0, registry.get("agentcouncil.requests").tag("route", "agent0").counter().count());
        assertEquals(1.0, registry.get("agentcouncil.escalations").tag("to", "council").counter().count());
        assertEquals(1, registry.get("agent0.latency").timer().count());
    }
}
