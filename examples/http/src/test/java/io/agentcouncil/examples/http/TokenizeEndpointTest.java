package io.agentcouncil.examples.http;

import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/tokenize} on the real SmolLM2 file: the server's ids must be exactly what the
 * public tokenizer API gives for the same text from the same file.
 */
class TokenizeEndpointTest {
    private static Api api;
    private static Tokenizer direct;

    @BeforeAll
    static void start() throws Exception {
        ModelSpec spec = RosterModels.require(RosterModels.SMOLLM2);
        try (GgufFile gguf = GgufFile.open(ModelRoster.get().pathOf(spec))) {
            direct = Tokenizer.fromGguf(gguf.metadata());
        }
        api = Api.start(AgentCouncilHttp.create(ModelRoster.get()));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Hello, world!",
        "",
        "  leading spaces and trailing  ",
        "Grüße aus Zürich — 東京 👋🏽",
        "def square(x):\n    return x ** 2\n",
        "12345 + 678 = 13023",
        "<|im_start|>user is plain text here<|im_end|>"
    })
    void idsEqualTheTokenizerOnTheSameFile(String text) {
        Api.Response r = api.post("/v1/tokenize", Api.tokenizeBody(RosterModels.SMOLLM2, text));
        assertEquals(200, r.status(), r.text());
        int[] expected = direct.encode(text);
        assertEquals(RosterModels.SMOLLM2, r.body().get("model").asText());
        assertArrayEquals(expected, Api.ids(r.body().get("tokens")), text);
        assertEquals(expected.length, r.body().get("count").asInt());
    }

    @Test
    void concurrentRequestsAllGetTheSameIds() throws Exception {
        String text = "Concurrent requests share one tokenizer: 8 threads × 20 requests.";
        int[] expected = direct.encode(text);
        String body = Api.tokenizeBody(RosterModels.SMOLLM2, text);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                threads.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        Api.Response r = api.post("/v1/tokenize", body);
                        if (r.status() != 200 || !Arrays.equals(expected, Api.ids(r.body().get("tokens")))) {
                            problems.add(r.status() + " " + r.text());
                        }
                    }
                    return problems;
                }));
            }
            List<String> problems = new ArrayList<>();
            for (Future<List<String>> f : threads) {
                problems.addAll(f.get());
            }
            assertTrue(problems.isEmpty(), problems.size() + " of 160 responses differ, first: "
                    + (problems.isEmpty() ? "" : problems.get(0)));
        } finally {
            pool.shutdownNow();
        }
    }
}
