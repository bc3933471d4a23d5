package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.monitoring.Alerting;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.Javalin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat server over real HTTP: the real Agent-0 (SmolLM2) and one real specialist (the 0.5B
 * Qwen), which "What is the capital of France?" reaches (SmolLM2 is unsure of it; the Qwen says
 * Paris), so one question walks the whole escalation path.
 */
class ChatServerTest {
    private static final String FRANCE = "What is the capital of France?";
    private static final ModelRoster ROSTER = ModelRoster.get();

    private static LanguageModel smollm;
    private static LanguageModel qwen;
    private static Served main;

    /** A service and its started server. */
    record Served(CouncilService service, Api api) implements AutoCloseable {
        @Override
        public void close() {
            service.close();
            api.stop();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        RosterModels.require(RosterModels.SMOLLM2);
        RosterModels.require("qwen2.5-coder-0.5b-instruct");
        smollm = LocalModel.load(ROSTER.pathOf(ROSTER.find(RosterModels.SMOLLM2).orElseThrow()), 2);
        qwen = LocalModel.load(ROSTER.pathOf(ROSTER.find("qwen2.5-coder-0.5b-instruct").orElseThrow()), 2);
        main = serve(ServerLimits.fromEnvironment(java.util.Map.of()).withMaxPromptTokens(256));
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.close();
        }
        smollm.close();
        qwen.close();
    }

    static Served serve(ServerLimits limits) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentCouncil council = AgentCouncil.builder().agent0(ModelSource.instance(smollm)).threads(2).maxNewTokens(24)
                .specialist("general", "general questions, facts", ModelSource.instance(qwen))
                .meterRegistry(registry).alerting(Alerting.builder().sinks().build()).build();
        CouncilService service = new CouncilService(council, registry, limits);
        Javalin app = AgentCouncilHttp.create(ROSTER, service);
        return new Served(service, Api.start(app));
    }

    private static String body(String session, String prompt) {
        return Api.JSON.createObjectNode().put("session_id", session).put("prompt", prompt).toString();
    }

    private static List<Sse> events(Api api, HttpRequest.Builder request) {
        HttpResponse<Stream<String>> r = api.lines(request);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (Stream<String> lines = r.body()) {
            return Sse.parse(lines);
        }
    }

    @Test
    void chatAnswersWithTheRouteTokensAndModels() {
        Api.Response r = main.api().post("/chat", body("chat-1", FRANCE));
        assertEquals(200, r.status(), r.text());
        JsonNode b = r.body();
        assertEquals("chat-1", b.path("session_id").asText());
        assertEquals("council", b.path("route").asText(), r.text());
        assertTrue(b.path("text").asText().contains("Paris"), r.text());
        assertTrue(b.path("tokens").path("in").asInt() > 0 && b.path("tokens").path("out").asInt() > 0, r.text());
        assertTrue(b.path("latency_ms").asDouble() > 0);
        assertEquals(List.of(smollm.name(), qwen.name()), Api.JSON.convertValue(b.path("models"), List.class));
    }

    @Test
    void streamSendsAgent0sTokensThenTheEscalationThenTheCouncilsTokensThenDone() {
        String query = "/chat/stream?session_id=stream-1&prompt=" + java.net.URLEncoder.encode(FRANCE, java.nio.charset.StandardCharsets.UTF_8);
        List<Sse> events = events(main.api(), main.api().request(query).GET());
        List<String> names = events.stream().map(Sse::name).toList();
        int escalation = names.indexOf("escalation");
        assertTrue(escalation > 0, "tokens, then the escalation: " + names);
        assertTrue(names.subList(0, escalation).stream().allMatch("token"::equals));
        assertTrue(events.subList(0, escalation).stream().allMatch(e -> e.json().path("route").asText().equals("agent0")));
        assertEquals("done", names.get(names.size() - 1));
        StringBuilder council = new StringBuilder();
        for (Sse e : events.subList(escalation + 1, events.size() - 1)) {
            assertEquals("token", e.name());
            assertEquals("council", e.json().path("route").asText());
            council.append(e.json().path("text").asText());
        }
        JsonNode done = events.get(events.size() - 1).json();
        assertEquals(done.path("text").asText(), council.toString(), "the council's tokens are its answer");
        assertEquals(0.65, events.get(escalation).json().path("gate").asDouble());

        List<Sse> posted = events(main.api(), main.api().request("/chat/stream")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("stream-2", "Hi"))));
        assertEquals("done", posted.get(posted.size() - 1).name());
    }

    @Test
    void openAiCompletionsWholeAndStreamedGiveTheSameAnswer() {
        String request = """
                {"model": "agentcouncil", "messages": [{"role": "system", "content": "ignored"},
                 {"role": "user", "content": "%s"}]}""".formatted(FRANCE);
        Api.Response whole = main.api().post("/v1/chat/completions", request);
        assertEquals(200, whole.status(), whole.text());
        assertEquals("chat.completion", whole.body().path("object").asText());
        String text = whole.body().path("choices").get(0).path("message").path("content").asText();
        assertTrue(text.contains("Paris"), whole.text());
        assertEquals("stop", whole.body().path("choices").get(0).path("finish_reason").asText());
        assertTrue(whole.body().path("usage").path("total_tokens").asInt() > 0);

        HttpResponse<Stream<String>> r = main.api().lines(main.api().request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.replace("{\"model\"", "{\"stream\": true, \"model\""))));
        assertEquals(200, r.statusCode());
        List<Sse> chunks;
        try (Stream<String> lines = r.body()) {
            chunks = Sse.parse(lines);
        }
        assertEquals("[DONE]", chunks.get(chunks.size() - 1).data());
        StringBuilder streamed = new StringBuilder();
        boolean escalated = false;
        for (Sse c : chunks.subList(0, chunks.size() - 1)) {
            JsonNode chunk = c.json();
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            streamed.append(chunk.path("choices").get(0).path("delta").path("content").asText(""));
            escalated |= chunk.path("agentcouncil").path("escalation").asText().equals("agent0 -> council");
        }
        assertEquals(text, streamed.toString(), "Agent-0's dropped draft is not in the stream");
        assertTrue(escalated, "the escalation is an explicit chunk");

        Api.Response unknown = main.api().post("/v1/chat/completions", request.replace("agentcouncil", "gpt-4o"));
        assertEquals(404, unknown.status());
        assertTrue(unknown.errorMessage().contains("gpt-4o"));
        Api.Response models = main.api().get("/v1/models");
        assertEquals("agentcouncil", models.body().path("data").get(0).path("id").asText());
    }

    @Test
    void healthStatusAndMetrics() {
        main.api().post("/chat", body("metrics-1", "Hello"));
        Api.Response health = main.api().get("/health");
        assertEquals(200, health.status());
        assertTrue(List.of("UP", "DEGRADED").contains(health.body().path("status").asText()), health.text());
        for (String c : List.of("agent0", "specialist:general", "memory", "writeBehind", "alerts", "cloud", "compute")) {
            assertTrue(health.body().path("components").has(c), c + " in " + health.text());
        }
        assertEquals("fetched", health.body().path("roster").path(RosterModels.SMOLLM2).asText());
        Api.Response healthz = main.api().get("/healthz");
        assertEquals(200, healthz.status());
        assertTrue(healthz.text().length() < 40, healthz.text());

        Api.Response status = main.api().get("/status/production");
        for (String key : List.of("status", "score", "gpu_profile", "models", "memory", "budget", "compute", "alerts")) {
            assertTrue(status.body().has(key), key + " in " + status.text());
        }
        assertEquals("OK", status.body().path("alerts").path("FlushStuck").path("state").asText(), status.text());
        assertEquals("INACTIVE", status.body().path("alerts").path("GpuFellToCpu").path("state").asText());

        Api.Response production = main.api().get("/metrics/production");
        for (String key : List.of("gpu_utilization", "agent0_latency_p95_seconds", "cloud_demand_today_usd",
                "scratchpad_entries_queue", "health_score")) {
            assertTrue(production.body().has(key), key + " in " + production.text());
        }

        HttpResponse<Stream<String>> metrics = main.api().lines(main.api().request("/metrics").GET());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String scrape;
        try (Stream<String> lines = metrics.body()) {
            scrape = String.join("\n", lines.toList());
        }
        for (String name : List.of("agentcouncil_requests_total", "agent0_latency_seconds_bucket", "scratchpad_entries_queue",
                "model_tokens_per_second_count", "time_to_first_token_seconds_count")) {
            assertTrue(scrape.contains(name), name);
        }
    }

    @Test
    void badInputGetsAJsonErrorNamingTheProblem() {
        Api.Response malformed = main.api().post("/chat", "{\"prompt\": ");
        assertEquals(400, malformed.status());
        assertTrue(malformed.errorMessage().contains("not valid JSON"), malformed.text());
        Api.Response missing = main.api().post("/chat", "{\"session_id\": \"x\"}");
        assertEquals(400, missing.status());
        assertTrue(missing.errorMessage().contains("\"prompt\""), missing.text());
        Api.Response wrongType = main.api().post("/chat", "{\"prompt\": 42}");
        assertEquals(400, wrongType.status());
        Api.Response longPrompt = main.api().post("/chat", body("x", "word ".repeat(400)));
        assertEquals(413, longPrompt.status());
        assertTrue(longPrompt.errorMessage().contains("limit of 256"), longPrompt.text());
        Api.Response huge = main.api().post("/chat", body("x", "a".repeat(AgentCouncilHttp.MAX_BODY_BYTES)));
        assertEquals(413, huge.status());
        Api.Response noMessages = main.api().post("/v1/chat/completions", "{\"messages\": []}");
        assertEquals(400, noMessages.status());
    }

    @Test
    void beyondTheConcurrencyLimitIs429WithRetryAfter() throws Exception {
        try (Served one = serve(ServerLimits.fromEnvironment(java.util.Map.of()).withMaxConcurrent(1))) {
            HttpResponse<Stream<String>> first = one.api().lines(one.api().request("/chat/stream")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("busy", FRANCE))));
            Iterator<String> lines = first.body().iterator();
            assertTrue(lines.next().startsWith("event: token"), "the first request holds the only slot");
            HttpResponse<String> second = one.api().client().send(one.api().request("/chat")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body("other", "Hi"))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, second.statusCode(), second.body());
            assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
            lines.forEachRemaining(l -> { });
            assertEquals(200, one.api().post("/chat", body("other", "Hi")).status(), "the slot is free again");
        }
    }

    @Test
    void aBearerTokenGuardsEverythingButHealthz() {
        try (Served guarded = serve(ServerLimits.fromEnvironment(java.util.Map.of(ServerLimits.TOKEN_ENV, "s3cret")))) {
            Api api = guarded.api();
            Api.Response none = api.post("/chat", body("a", "Hi"));
            assertEquals(401, none.status());
            assertTrue(none.errorMessage().contains("Bearer"));
            assertEquals(401, api.send(api.request("/metrics").header("Authorization", "Bearer wrong").GET()).status());
            assertEquals(200, api.get("/healthz").status());
            Api.Response ok = api.send(api.request("/chat").header("Authorization", "Bearer s3cret")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("a", "Hi"))));
            assertEquals(200, ok.status(), ok.text());
        }
    }

    @Test
    void stoppingFinishesTheRequestInFlightThenRefusesNewOnes() throws Exception {
        Served s = serve(ServerLimits.fromEnvironment(java.util.Map.of()));
        try {
            HttpResponse<Stream<String>> inFlight = s.api().lines(s.api().request("/chat/stream")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body("late", FRANCE))));
            Iterator<String> lines = inFlight.body().iterator();
            assertTrue(lines.next().startsWith("event: token"));
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(s.service()::close);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            Api.Response refused;
            do {
                refused = s.api().post("/chat", body("new", "Hi"));
            } while (refused.status() != 503 && System.nanoTime() < deadline);
            assertEquals(503, refused.status(), "a stop refuses new chats");
            StringBuilder rest = new StringBuilder();
            lines.forEachRemaining(l -> rest.append(l).append('\n'));
            assertTrue(rest.toString().contains("event: done"), "the request in flight finished: " + rest);
            stopping.get();
            assertFalse(s.api().get("/healthz").status() == 200, "the council is closed: DOWN");
        } finally {
            s.api().stop();
        }
    }
}
