package io.agentcouncil.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.Stage;
import io.agentcouncil.TestModels;
import io.agentcouncil.template.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud tier against a real OpenAI-compatible server: llama-cpp-python's, serving Agent-0's
 * SmolLM2 file and requiring an API key. What reached the server is read from its access log.
 */
class CloudFallbackLlamaServerTest {
    private static final String KEY_ENV = "AGENTCOUNCIL_TEST_CLOUD_KEY";
    private static final String KEY = "sk-test-" + UUID.randomUUID();
    private static final String ALIAS = "smollm2";
    private static final double PRICE_IN = 0.15e-6;
    private static final double PRICE_OUT = 0.60e-6;
    private static final int MAX_TOKENS = 24;
    /** UTC+14, so its calendar day is not UTC's: 09:00Z is 23:00 on 2 December there, 10:30Z is 3 December. */
    private static final ZoneId ZONE = ZoneId.of("Pacific/Kiritimati");
    private static final Instant LATE_ON_DEC_2 = Instant.parse("2026-12-02T09:00:00Z");
    private static final Instant EARLY_ON_DEC_3 = Instant.parse("2026-12-02T10:30:00Z");
    private static final List<ChatMessage> MESSAGES = List.of(
            ChatMessage.system("Answer in one short sentence."),
            ChatMessage.user("What is the capital of France?"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LlamaServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = LlamaServer.start(TestModels.require(TestModels.SMOLLM2), ALIAS, KEY, Path.of("target", "cloud-test"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static CloudFallback.Builder builder(Path ledger, Instant now, String key) {
        Map<String, String> env = key == null ? Map.of() : Map.of(KEY_ENV, key);
        CloudFallback.Builder b = CloudFallback.builder()
                .baseUrl(server.baseUrl())
                .model(ALIAS)
                .pricePerInputToken(PRICE_IN)
                .pricePerOutputToken(PRICE_OUT)
                .dailyBudgetUsd(0.50)
                .zone(ZONE)
                .clock(Clock.fixed(now, ZoneId.of("UTC")))
                .ledger(ledger)
                .timeout(Duration.ofSeconds(60))
                .maxRetries(2)
                .retryBackoff(Duration.ofMillis(50))
                .environment(env::get);
        return key == null ? b : b.apiKeyEnv(KEY_ENV);
    }

    private static double price(int in, int out) {
        return in * PRICE_IN + out * PRICE_OUT;
    }

    @Test
    void answersAndBooksTheUsageTheServerReported() throws Exception {
        Path ledger = dir.resolve("spend.json");
        int before = server.chatRequests().size();
        CloudResult r;
        try (CloudFallback cloud = builder(ledger, LATE_ON_DEC_2, KEY).build()) {
            r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OK, r.status(), r.detail());
            assertFalse(r.text().isBlank(), "empty reply");
            assertEquals("", r.detail());
            assertEquals(price(r.tokensIn(), r.tokensOut()), r.costUsd(), 1e-15);
            assertEquals(r.costUsd(), cloud.spentTodayUsd(), 1e-15);
            assertEquals(ALIAS, cloud.model());
        }
        awaitChatRequests(before + 1);

        // The same request sent by hand: greedy decoding gives the same text and the same usage.
        JsonNode raw = rawCompletion();
        assertEquals(raw.at("/usage/prompt_tokens").intValue(), r.tokensIn(), raw.toString());
        assertEquals(raw.at("/usage/completion_tokens").intValue(), r.tokensOut(), raw.toString());
        assertEquals(raw.at("/choices/0/message/content").textValue(), r.text());
        assertTrue(r.tokensIn() > 0 && r.tokensIn() <= Pricing.worstCaseInputTokens(MESSAGES),
                "prompt tokens " + r.tokensIn() + " must be within the reserved bound " + Pricing.worstCaseInputTokens(MESSAGES));
        assertTrue(r.tokensOut() > 0 && r.tokensOut() <= MAX_TOKENS, "completion tokens " + r.tokensOut());
        assertEquals(List.of(200, 200), awaitChatRequests(before + 2).subList(before, before + 2));

        JsonNode stored = JSON.readTree(ledger.toFile());
        assertEquals("2026-12-02", stored.get("day").textValue(), stored.toString());
        assertEquals(r.costUsd(), stored.get("spentUsd").doubleValue(), 1e-15, stored.toString());
        assertEquals(0.0, stored.get("reservedUsd").doubleValue(), stored.toString());

        // A restart: a new instance on the same file sees the same spend.
        try (CloudFallback restarted = builder(ledger, LATE_ON_DEC_2.plusSeconds(60), KEY).build()) {
            assertEquals(r.costUsd(), restarted.spentTodayUsd(), 1e-15);
        }
    }

    @Test
    void overBudgetSendsNoRequest() throws Exception {
        Path ledger = dir.resolve("spend.json");
        double spent;
        try (CloudFallback cloud = builder(ledger, LATE_ON_DEC_2, KEY).build()) {
            CloudResult first = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OK, first.status(), first.detail());
            spent = cloud.spentTodayUsd();
        }
        double worstCase = price((int) Pricing.worstCaseInputTokens(MESSAGES), MAX_TOKENS);
        int before = awaitChatRequests(server.chatRequests().size()).size();

        // After a restart with a budget one worst case short of allowing another call.
        try (CloudFallback cloud = builder(ledger, LATE_ON_DEC_2, KEY).dailyBudgetUsd(spent + worstCase * 0.99).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OVER_BUDGET, r.status(), r.detail());
            assertTrue(r.detail().contains("does not fit in the daily budget"), r.detail());
            assertEquals("", r.text());
            assertEquals(0.0, r.costUsd());
            assertEquals(spent, cloud.spentTodayUsd(), 1e-15);
        }
        Thread.sleep(300);
        assertEquals(before, server.chatRequests().size(), "an over-budget call reached the server");
    }

    @Test
    void aNewDayInTheConfiguredZoneStartsAtZero() {
        Path ledger = dir.resolve("spend.json");
        double yesterday;
        try (CloudFallback cloud = builder(ledger, LATE_ON_DEC_2, KEY).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OK, r.status(), r.detail());
            yesterday = cloud.spentTodayUsd();
            assertTrue(yesterday > 0);
        }
        // 90 minutes later: the same UTC day, but 3 December in the ledger's zone.
        try (CloudFallback cloud = builder(ledger, EARLY_ON_DEC_3, KEY).build()) {
            assertEquals(0.0, cloud.spentTodayUsd());
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OK, r.status(), r.detail());
            assertEquals(r.costUsd(), cloud.spentTodayUsd(), 1e-15);
        }
        // A clock set back to 2 December must not bring back a day whose budget was reset.
        try (CloudFallback cloud = builder(ledger, LATE_ON_DEC_2, KEY).build()) {
            assertEquals(yesterday, cloud.spentTodayUsd(), 1e-15);
        }
    }

    @Test
    void wrongApiKeyFailsWithoutRetrying() throws Exception {
        assertUnauthorized(builder(dir.resolve("spend.json"), LATE_ON_DEC_2, "sk-wrong").build());
    }

    @Test
    void noApiKeyVariableSendsNoKey() throws Exception {
        assertUnauthorized(builder(dir.resolve("spend.json"), LATE_ON_DEC_2, null).build());
    }

    private void assertUnauthorized(CloudFallback built) throws Exception {
        int before = awaitChatRequests(server.chatRequests().size()).size();
        try (CloudFallback cloud = built) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().contains("HTTP 401"), r.detail());
            assertFalse(r.detail().contains(KEY), r.detail());
            assertEquals(0.0, r.costUsd());
            assertEquals(0.0, cloud.spentTodayUsd());
        }
        Thread.sleep(300);
        List<Integer> requests = server.chatRequests();
        assertEquals(List.of(401), requests.subList(before, requests.size()), "a 401 must be sent once, not retried");
    }

    /**
     * Through the council: below the gate with no specialist, the cloud answers; once the budget
     * is spent, the next turn gets Agent-0's answer marked degraded and sends nothing; a confident
     * Agent-0 never needs the cloud, budget or not.
     */
    @Test
    void theCouncilEscalatesToTheCloudUntilTheBudgetIsSpent() throws Exception {
        Path ledger = dir.resolve("spend.json");
        // The council's first conversation is MESSAGES: room for its worst case, and after its
        // real (smaller) cost, no room for the second's.
        double worstCase = price((int) Pricing.worstCaseInputTokens(MESSAGES), MAX_TOKENS);
        CloudFallback.Builder cloud = builder(ledger, LATE_ON_DEC_2, KEY).dailyBudgetUsd(1.01 * worstCase);
        try (AgentCouncil council = AgentCouncil.builder().agent0(ModelSource.roster(TestModels.SMOLLM2)).threads(2)
                .systemPrompt("Answer in one short sentence.").maxNewTokens(MAX_TOKENS).confidenceGate(1.0).cloud(cloud).build()) {
            int before = awaitChatRequests(server.chatRequests().size()).size();
            Reply first = council.chat("s1", "What is the capital of France?");
            assertEquals(Route.CLOUD, first.route(), first::toString);
            assertFalse(first.degraded());
            Stage c = first.stages().get(first.stages().size() - 1);
            assertEquals(Route.CLOUD, c.route());
            assertEquals(ALIAS, c.model());
            assertEquals(c.text(), first.text());
            assertTrue(c.tokensIn() > 0 && c.tokensOut() > 0, c::toString);
            assertEquals(before + 1, awaitChatRequests(before + 1).size());

            Reply second = council.chat("s2", "What is the capital of Italy?");
            assertEquals(Route.AGENT0, second.route());
            assertTrue(second.degraded(), "the cloud was wanted and over budget");
            assertEquals(second.stages().get(0).text(), second.text());
            assertTrue(second.stages().get(1).note().startsWith("over_budget"), second.stages().get(1).note());
            Thread.sleep(200); // the access log may lag: nothing may show up
            assertEquals(before + 1, server.chatRequests().size(), "an over-budget turn reached the server");
        }
        try (AgentCouncil council = AgentCouncil.builder().agent0(ModelSource.roster(TestModels.SMOLLM2)).threads(2)
                .maxNewTokens(MAX_TOKENS).confidenceGate(0).cloud(builder(ledger, LATE_ON_DEC_2, KEY).dailyBudgetUsd(0)).build()) {
            Reply r = council.chat("s3", "Hello!");
            assertEquals(Route.AGENT0, r.route());
            assertFalse(r.degraded());
        }
    }

    private static JsonNode rawCompletion() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("model", ALIAS).put("max_tokens", MAX_TOKENS).put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : MESSAGES) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.baseUrl().resolve("/v1/chat/completions"))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** The server's logged chat requests once there are at least {@code count} (the log may lag a little). */
    private static List<Integer> awaitChatRequests(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<Integer> requests = server.chatRequests();
        while (requests.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            requests = server.chatRequests();
        }
        assertTrue(requests.size() >= count, "server logged " + requests.size() + " chat requests, expected " + count
                + ":\n" + server.logTail());
        return new ArrayList<>(requests);
    }
}
