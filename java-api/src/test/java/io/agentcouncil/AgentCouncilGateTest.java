package io.agentcouncil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The default gate (0.65) and the default estimator (the minimum token probability) with real
 * roster models, both ways. Agent-0 (SmolLM2-135M) is unsure of almost everything (its least
 * likely token rarely passes 0.5), so its answer escalates to the general specialist, which is
 * sure of it; with that specialist's model as Agent-0, the same question never leaves Agent-0.
 */
class AgentCouncilGateTest {

    private static final String QUESTION = "What is the capital of France?";

    @Test
    void anUnsureAgent0Escalates() {
        TestModels.require(TestModels.SMOLLM2);
        TestModels.require(TestModels.QWEN_CODER_05B);
        try (AgentCouncil c = AgentCouncil.builder().threads(2).maxNewTokens(40)
                .specialist("general", "general knowledge", ModelSource.roster(TestModels.QWEN_CODER_05B)).build()) {
            Reply r = c.chat("s", QUESTION);
            Stage agent0 = r.stages().get(0);
            assertTrue(agent0.confidence() < AgentCouncilBuilder.DEFAULT_GATE, () -> "Agent-0 was sure: " + agent0);
            assertEquals(Route.COUNCIL, r.route(), r::toString);
            assertTrue(r.confidence() >= AgentCouncilBuilder.DEFAULT_GATE, r::toString);
            assertTrue(r.text().contains("Paris"), r::text);
        }
    }

    @Test
    void aSureAgent0Answers() {
        TestModels.require(TestModels.QWEN_CODER_05B);
        try (AgentCouncil c = AgentCouncil.builder().agent0(ModelSource.roster(TestModels.QWEN_CODER_05B)).threads(2).maxNewTokens(40)
                .specialist("general", "general knowledge", ModelSource.path(java.nio.file.Path.of("/never/loaded.gguf"))).build()) {
            Reply r = c.chat("s", QUESTION);
            assertEquals(Route.AGENT0, r.route(), r::toString);
            assertTrue(r.confidence() >= AgentCouncilBuilder.DEFAULT_GATE, r::toString);
            assertEquals(1, r.stages().size());
            assertTrue(r.text().contains("Paris"), r::text);
        }
    }
}
