package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official OpenAI Python client ({@code openai} from PyPI, pinned, in a throwaway venv made by
 * {@code scripts/test-clients/make-venv}) against the server, through
 * {@code scripts/test-clients/openai_client.py}: a completion whole and streamed, the model list,
 * an unknown model and a wrong API key, each as the client itself sees and raises it. The server
 * is guarded by a bearer token, which the client sends as its API key.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class OpenAiPythonClientTest {
    private static final String TOKEN = "test-clients-token";
    private static CouncilServer server;
    private static Path python;

    @BeforeAll
    static void start() throws IOException {
        python = ClientTools.openAiPython(); // before the models: the first run builds the venv
        server = CouncilServer.start(TOKEN);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theOfficialClientGetsTheSameAnswerWholeAndStreamedListsTheModelsAndRaisesTheRightErrors() throws IOException {
        ExternalProcess.Result r = ExternalProcess.run(List.of(python.toString(),
                ClientTools.script("openai_client.py").toString(), server.baseUrl() + "/v1",
                "--api-key", TOKEN, "--question", CouncilServer.FRANCE, "--session-prefix", "py-" + System.nanoTime()),
                Duration.ofMinutes(5)).requireSuccess();
        String report = r.report();
        JsonNode out = Api.JSON.readTree(r.lines().get(r.lines().size() - 1).text());
        assertEquals("3.57.0", out.path("openai_version").asText(), report);

        JsonNode whole = out.path("whole");
        String content = whole.path("content").asText();
        assertTrue(content.contains("Paris"), "the council's answer: " + report);
        assertEquals("chat.completion", whole.path("object").asText(), report);
        assertEquals("agentcouncil", whole.path("model").asText(), report);
        assertEquals("assistant", whole.path("role").asText(), report);
        assertEquals("stop", whole.path("finish_reason").asText(), report);
        JsonNode usage = whole.path("usage");
        assertTrue(usage.path("prompt_tokens").asInt() > 0 && usage.path("completion_tokens").asInt() > 0, report);
        assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(),
                usage.path("total_tokens").asInt(), report);
        assertEquals("council", whole.path("agentcouncil").path("route").asText(), "the extension field survives the client: " + report);

        JsonNode streamed = out.path("streamed");
        assertEquals(content, streamed.path("content").asText(),
                "greedy decoding, fresh sessions: the streamed deltas add up to the whole answer: " + report);
        assertTrue(streamed.path("content_chunks").asInt() > 1, "more than one content delta: " + report);
        assertEquals(List.of("assistant"), strings(streamed.path("roles")), "the role comes once, first: " + report);
        assertEquals(List.of("stop"), strings(streamed.path("finish_reasons")), report);
        assertEquals(List.of("chat.completion.chunk"), strings(streamed.path("objects")), report);
        assertEquals(1, streamed.path("ids").asInt(), "one id for every chunk of a completion: " + report);
        assertEquals(List.of("agent0 -> council"), strings(streamed.path("escalations")),
                "the escalation is an explicit chunk: " + report);
        assertEquals("council", streamed.path("agentcouncil").path("route").asText(), report);
        assertTrue(streamed.path("first_content_seconds").asDouble() < streamed.path("seconds").asDouble(), report);

        List<String> models = strings(out.path("models"));
        assertEquals("agentcouncil", models.get(0), report);
        assertTrue(models.contains(RosterModels.SMOLLM2), report);

        JsonNode unknown = out.path("unknown_model");
        assertNotNull(unknown, report);
        assertEquals("NotFoundError", unknown.path("error").asText(), report);
        assertEquals(404, unknown.path("status_code").asInt(), report);
        assertTrue(unknown.path("message").asText().contains("gpt-4o"), report);

        JsonNode wrongKey = out.path("wrong_key");
        assertEquals("AuthenticationError", wrongKey.path("error").asText(), report);
        assertEquals(401, wrongKey.path("status_code").asInt(), report);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
