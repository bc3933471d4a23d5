package io.agentcouncil;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.memory.PlantedFacts;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's recall check end to end through {@link AgentCouncil#chat}: the real Agent-0
 * (SmolLM2-135M) at the default gate, the 0.5B Qwen as the council's general member, memory in
 * a real SQLite file with the real embedder. A fact said once, then ten unrelated turns (so it
 * has left the verbatim window), then the question: the reply names the fact; the same
 * question in another session does not. SmolLM2-135M given the same memory still answers
 * "blue" (it cannot use a fact from its prompt), with too low a confidence to pass the gate:
 * the council member answers from the same memory.
 */
class AgentCouncilMemoryTest {

    @TempDir
    Path dir;

    @Test
    void theBikeIsTurquoiseTenTurnsLaterAndOnlyInItsOwnSession() {
        TestModels.require(TestModels.SMOLLM2);
        TestModels.require(TestModels.QWEN_CODER_05B);
        try (AgentCouncil c = AgentCouncil.builder().threads(2).maxNewTokens(32)
                .specialist("general", "general knowledge", ModelSource.roster(TestModels.QWEN_CODER_05B))
                .memory(MemoryStores.sqlite(dir.resolve("memory.db"))).build()) {
            c.chat("alice", "My bike is turquoise.");
            List<PlantedFacts.Turn> filler = PlantedFacts.fillerTurns(11, 10);
            for (PlantedFacts.Turn t : filler) {
                c.chat("alice", t.user());
            }
            Reply r = c.chat("alice", "What colour is my bike?");
            assertTrue(r.text().toLowerCase(Locale.ROOT).contains("turquoise"), () -> "reply: " + r.text() + "; memory: " + r.memories());
            assertTrue(r.memories().stream().anyMatch(m -> m.contains("turquoise")), r.memories()::toString);
            assertFalse(r.degraded(), r::toString);

            Reply other = c.chat("bob", "What colour is my bike?");
            assertFalse(other.text().toLowerCase(Locale.ROOT).contains("turquoise"), other::text);
            assertTrue(other.memories().isEmpty(), other.memories()::toString);
        }
    }
}
