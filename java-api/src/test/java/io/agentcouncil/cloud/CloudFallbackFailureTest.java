package io.agentcouncil.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.template.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Network and server failures, on real sockets: each ends in a result, never an exception. */
class CloudFallbackFailureTest {
    private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.user("Hello?"));
    private static final int MAX_TOKENS = 16;
    private static final double PRICE_IN = 1e-6;
    private static final double PRICE_OUT = 2e-6;
    private static final String OK_BODY = StubServer.completion("Hi.", 20, 3);

    @TempDir
    Path dir;

    private CloudFallback.Builder builder(URI baseUrl) {
        return CloudFallback.builder()
                .baseUrl(baseUrl)
                .model("stub-model")
                .pricePerInputToken(PRICE_IN)
                .pricePerOutputToken(PRICE_OUT)
                .ledger(dir.resolve("spend.json"))
                .timeout(Duration.ofSeconds(5))
                .maxRetries(2)
                .retryBackoff(Duration.ofMillis(50));
    }

    private static double worstCase() {
        return new Pricing(PRICE_IN, PRICE_OUT).worstCase(MESSAGES, MAX_TOKENS).doubleValue();
    }

    @Test
    void aServerThatNeverAnswersTimesOutOnEveryAttempt() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never read or answer
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Duration timeout = Duration.ofMillis(400);
            try (CloudFallback cloud = builder(URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .timeout(timeout).build()) {
                CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
                assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
                assertTrue(r.detail().contains("failed after 3 attempts"), r.detail());
                assertTrue(r.detail().contains("within 400 ms"), r.detail());
                // 3 timeouts + 50 + 100 ms of back-off, and some slack for a loaded machine.
                long ms = r.latency().toMillis();
                assertTrue(ms >= 3 * 400 && ms < 3 * 400 + 150 + 2000, "took " + ms + " ms");
                // Each request was sent and may have been billed: its worst case is booked.
                assertEquals(3 * worstCase(), r.costUsd(), 1e-15);
                assertEquals(3 * worstCase(), cloud.spentTodayUsd(), 1e-15);
            }
            assertEquals(3, accepted.size(), "one connection per attempt");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aRefusedConnectionFailsAfterTheRetriesAndCostsNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (CloudFallback cloud = builder(URI.create("http://127.0.0.1:" + port)).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().contains("cannot connect"), r.detail());
            assertTrue(r.detail().contains("failed after 3 attempts"), r.detail());
            assertEquals(0.0, r.costUsd());
            assertEquals(0.0, cloud.spentTodayUsd());
        }
    }

    @Test
    void aServerErrorIsRetried() throws Exception {
        try (StubServer server = StubServer.start((n, req) -> n == 1
                ? StubServer.Response.of(500, "{\"error\":{\"message\":\"overloaded\"}}")
                : StubServer.Response.of(200, OK_BODY));
             CloudFallback cloud = builder(server.baseUrl()).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OK, r.status(), r.detail());
            assertEquals("Hi.", r.text());
            assertEquals(20, r.tokensIn());
            assertEquals(3, r.tokensOut());
            assertEquals(20 * PRICE_IN + 3 * PRICE_OUT, r.costUsd(), 1e-15);
            assertEquals(r.costUsd(), cloud.spentTodayUsd(), 1e-15);
            assertTrue(r.detail().startsWith("attempt 1: HTTP 500"), r.detail());
            assertTrue(r.detail().contains("overloaded"), r.detail());
            assertEquals(2, server.requests());
        }
    }

    @Test
    void tooManyRequestsIsRetriedThenFails() throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(429, "{\"error\":\"slow down\"}"));
             CloudFallback cloud = builder(server.baseUrl()).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().contains("failed after 3 attempts: HTTP 429"), r.detail());
            assertEquals(3, server.requests());
            assertEquals(0.0, cloud.spentTodayUsd());
        }
    }

    @ParameterizedTest
    @CsvSource({"400", "401", "403", "404"})
    void aClientErrorIsNotRetried(int status) throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(status, "{\"error\":\"no\"}"));
             CloudFallback cloud = builder(server.baseUrl()).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().startsWith("failed: HTTP " + status), r.detail());
            assertEquals(1, server.requests());
            assertEquals(0.0, r.costUsd());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"choices\": [                                          | is not JSON",
            "<html>busy</html>                                        | is not JSON",
            "[1, 2]                                                   | is not a JSON object",
            "{\"usage\": {\"prompt_tokens\": 1, \"completion_tokens\": 1}} | has no \"choices\"",
            "{\"choices\": [{\"message\": {\"content\": 7}}], \"usage\": {}} | choices[0].message.content",
            "{\"choices\": [{\"message\": {\"content\": \"x\"}}]}        | has no \"usage\"",
            "{\"choices\": [{\"message\": {\"content\": \"x\"}}], \"usage\": {\"prompt_tokens\": -1, \"completion_tokens\": 1}} | usage.prompt_tokens",
            "{\"choices\": [{\"message\": {\"content\": \"x\"}}], \"usage\": {\"prompt_tokens\": 1, \"completion_tokens\": \"2\"}} | usage.completion_tokens",
    })
    void aMalformedResponseFailsNamingTheProblem(String body, String problem) throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(200, body));
             CloudFallback cloud = builder(server.baseUrl()).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.FAILED, r.status(), r.detail());
            assertTrue(r.detail().contains("malformed response"), r.detail());
            assertTrue(r.detail().contains(problem), r.detail());
            assertEquals(1, server.requests(), "a malformed answer is not retried");
            // The server answered, so it may have billed: the worst case stays booked.
            assertEquals(worstCase(), cloud.spentTodayUsd(), 1e-15);
        }
    }

    @Test
    void theRequestIsAnOpenAiChatCompletionWithTheKeyFromTheNamedVariable() throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(200, OK_BODY));
             CloudFallback cloud = builder(server.baseUrl())
                     .apiKeyEnv("MY_CLOUD_KEY").environment(Map.of("MY_CLOUD_KEY", "sk-123")::get).build()) {
            List<ChatMessage> messages = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Say \"hi\" ✓"));
            CloudResult r = cloud.complete(messages, 7);
            assertEquals(CloudResult.Status.OK, r.status(), r.detail());
            StubServer.Received req = server.received().get(0);
            assertEquals("POST", req.method());
            assertEquals("/v1/chat/completions", req.path());
            assertEquals("Bearer sk-123", req.authorization());
            JsonNode body = new ObjectMapper().readTree(req.body());
            assertEquals("stub-model", body.get("model").textValue());
            assertEquals(7, body.get("max_tokens").intValue());
            assertEquals(0, body.get("temperature").intValue());
            assertEquals(2, body.get("messages").size());
            assertEquals("system", body.at("/messages/0/role").textValue());
            assertEquals("Be brief.", body.at("/messages/0/content").textValue());
            assertEquals("user", body.at("/messages/1/role").textValue());
            assertEquals("Say \"hi\" ✓", body.at("/messages/1/content").textValue());
        }
    }

    @Test
    void noApiKeyVariableMeansNoAuthorizationHeader() throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(200, OK_BODY));
             CloudFallback cloud = builder(server.baseUrl()).build()) {
            assertEquals(CloudResult.Status.OK, cloud.complete(MESSAGES, MAX_TOKENS).status());
            assertNull(server.received().get(0).authorization());
        }
    }

    @Test
    void overBudgetSendsNothing() throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(200, OK_BODY));
             CloudFallback cloud = builder(server.baseUrl()).dailyBudgetUsd(worstCase() * 0.999).build()) {
            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
            assertEquals(CloudResult.Status.OVER_BUDGET, r.status(), r.detail());
            assertEquals(0, server.requests());
            assertEquals(0.0, cloud.spentTodayUsd());
        }
    }

    @Test
    void programmingErrorsThrowAndClosedRefuses() throws Exception {
        try (StubServer server = StubServer.start((n, req) -> StubServer.Response.of(200, OK_BODY))) {
            CloudFallback cloud = builder(server.baseUrl()).build();
            assertThrows(NullPointerException.class, () -> cloud.complete(null, MAX_TOKENS));
            assertThrows(IllegalArgumentException.class, () -> cloud.complete(List.of(), MAX_TOKENS));
            assertThrows(IllegalArgumentException.class, () -> cloud.complete(MESSAGES, 0));
            cloud.close();
            cloud.close();
            assertThrows(IllegalStateException.class, () -> cloud.complete(MESSAGES, MAX_TOKENS));
            assertEquals(0, server.requests());
        }
    }
}
