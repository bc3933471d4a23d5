package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat page at {@code GET /} in a real browser: Debian's Chromium (headless), driven by
 * playwright-core ({@code scripts/test-clients/chat_page.mjs}, playwright-core pinned and installed
 * outside the repository by {@code scripts/test-clients/make-node}, with no browser download). A
 * person's question is typed and sent; the tokens stream into the page, the escalation is shown
 * with Agent-0's draft struck through, the council's answer follows with its route badge. The
 * screenshot is {@code examples/http/target/chat-page.png}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChatPageBrowserTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static CouncilServer server;
    private static Path chromium;
    private static Path playwright;

    @BeforeAll
    static void start() throws IOException {
        chromium = ClientTools.require("chromium", "install Debian's chromium (apt-get install chromium)");
        playwright = ClientTools.playwrightDir();
        server = CouncilServer.start(null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ExternalProcess.Result runPage(CouncilServer s, Path screenshot, String fragment) throws IOException {
        return ExternalProcess.run(
                List.of(ClientTools.require("node", "install Node.js 20 or newer (apt-get install nodejs)").toString(),
                        ClientTools.script("chat_page.mjs").toString(), s.baseUrl(), screenshot.toString()),
                Map.of("PLAYWRIGHT_DIR", playwright.toString(), "CHROMIUM", chromium.toString(),
                        "CHAT_PAGE_QUESTION", CouncilServer.FRANCE, "CHAT_PAGE_TIMEOUT_MS", "120000",
                        "CHAT_PAGE_FRAGMENT", fragment),
                null, Duration.ofMinutes(4)).requireSuccess();
    }

    @Test
    void withABearerTokenThePageChatsWhenItsAddressCarriesTheToken() throws IOException {
        try (CouncilServer guarded = CouncilServer.start("page-token")) {
            ExternalProcess.Result r = runPage(guarded, Path.of("target", "chat-page-token.png").toAbsolutePath(),
                    "#token=page-token");
            JsonNode out = Api.JSON.readTree(r.lines().get(r.lines().size() - 1).text());
            assertFalse(out.has("error"), r.report());
            assertEquals("council", out.path("route").asText(), r.report());
            assertTrue(out.path("answer").asText().contains("Paris"), r.report());
            assertEquals(0, out.path("badResponses").size(), "no 401: " + r.report());
        }
    }

    @Test
    void aQuestionTypedIntoThePageStreamsEscalatesAndEndsWithTheCouncilsRouteBadge() throws IOException {
        Path screenshot = Path.of("target", "chat-page.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        ExternalProcess.Result r = runPage(server, screenshot, "");
        String report = r.report();
        JsonNode out = Api.JSON.readTree(r.lines().get(r.lines().size() - 1).text());

        assertFalse(out.has("error"), report);
        assertEquals(200, out.path("pageStatus").asInt(), report);
        assertEquals("AgentCouncil chat", out.path("title").asText(), report);
        assertEquals(CouncilServer.FRANCE, out.path("typed").asText(), "what was typed is in #prompt: " + report);
        assertEquals(CouncilServer.FRANCE, out.path("user").asText(), "the user's line: " + report);
        assertTrue(out.path("sendDisabledWhileStreaming").asBoolean(), "Send is off while a turn streams: " + report);
        assertFalse(out.path("routeShownAtFirstToken").asBoolean(true),
                "the first tokens were on the page before the route badge: they streamed" + report);
        assertTrue(out.path("firstTokenMs").asLong() < out.path("routeMs").asLong(), report);

        JsonNode answers = out.path("answers");
        assertEquals(2, answers.size(), "Agent-0's draft and the council's answer: " + report);
        assertTrue(answers.get(0).path("struckThrough").asBoolean(), "the draft is struck through, not swapped: " + report);
        assertFalse(answers.get(0).path("text").asText().isBlank(), report);
        assertFalse(answers.get(1).path("struckThrough").asBoolean(), report);
        String answer = out.path("answer").asText();
        assertFalse(answer.isBlank(), report);
        assertTrue(answer.contains("Paris"), "the council's answer: " + report);
        JsonNode escalations = out.path("escalations");
        assertEquals(1, escalations.size(), report);
        assertTrue(escalations.get(0).asText().startsWith("escalated from agent0 to council"), report);
        assertTrue(escalations.get(0).asText().endsWith(": general"), "the specialist consulted: " + report);
        assertEquals("council", out.path("route").asText(), "the badge's data-route: " + report);
        assertTrue(out.path("routeText").asText().matches("council · \\d+ ms"), report);
        assertFalse(out.path("sendDisabledAfter").asBoolean(true), "Send is back on after done: " + report);
        assertEquals(1, out.path("turns").asInt(), report);
        assertEquals(0, out.path("pageErrors").size(), "no script errors: " + report);
        assertEquals(1, out.path("streamRequests").size(), "one question, one /chat/stream request: " + report);
        assertEquals("POST " + server.baseUrl() + "/chat/stream", out.path("streamRequests").get(0).asText(), report);
        assertEquals(0, out.path("failedRequests").size(), "the stream is read to its end: " + report);
        assertEquals(0, out.path("badResponses").size(), "no error response: " + report);

        assertTrue(Files.isRegularFile(screenshot), screenshot + report);
        long size = Files.size(screenshot);
        assertTrue(size > 10_000, "a screenshot of a page with text is more than " + size + " bytes" + report);
        try (InputStream in = Files.newInputStream(screenshot)) {
            byte[] head = in.readNBytes(24);
            assertArrayEquals(PNG, Arrays.copyOf(head, 8), "a PNG file" + report);
            int width = ByteBuffer.wrap(head, 16, 4).getInt();
            int height = ByteBuffer.wrap(head, 20, 4).getInt();
            assertEquals(1000, width, "the viewport's width" + report);
            assertTrue(height >= 300, "height " + height + report);
        }
    }
}
