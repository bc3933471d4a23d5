package io.agentcouncil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentCouncilBuilderTest {

    @Test
    void everyBadFieldIsReportedAtOnce() {
        AgentCouncilBuilder b = AgentCouncil.builder()
                .agent0(null)
                .confidenceGate(1.5)
                .maxNewTokens(0)
                .threads(-1)
                .maxConcurrentTurns(0)
                .historyTurns(-2)
                .decideEarly(-1)
                .closeTimeout(Duration.ofSeconds(-1))
                .specialist("code", "programming", ModelSource.path(Path.of("a.gguf")))
                .specialist("code", " ", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        String m = e.getMessage();
        for (String field : List.of("agent0: missing", "confidenceGate: must be in [0, 1], got 1.5", "maxNewTokens: must be in 1..4096, got 0",
                "threads:", "maxConcurrentTurns:", "historyTurns:", "decideEarly:", "closeTimeout:",
                "specialists[1].name: \"code\" is used twice", "specialists[1].description: missing", "specialists[1].source: missing")) {
            assertTrue(m.contains(field), () -> "missing \"" + field + "\" in: " + m);
        }
        assertEquals(11, b.problems().size(), () -> String.join("\n", b.problems()));
    }

    @Test
    void defaultsAreValid() {
        assertEquals(List.of(), AgentCouncil.builder().problems());
        assertEquals(0.65, AgentCouncilBuilder.DEFAULT_GATE);
        assertEquals(160, AgentCouncilBuilder.DEFAULT_MAX_NEW_TOKENS);
    }

    @Test
    void contextMustLeaveRoomForTheAnswer() {
        List<String> p = AgentCouncil.builder().maxNewTokens(500).agent0ContextLength(256).problems();
        assertEquals(1, p.size(), p::toString);
        assertTrue(p.get(0).startsWith("agent0ContextLength: 256 leaves no room"), p::toString);
    }
}
