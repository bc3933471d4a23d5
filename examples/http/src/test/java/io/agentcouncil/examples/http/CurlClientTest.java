package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * curl, as the README tells a user to call the server: {@code curl -N} on {@code /chat/stream}
 * (GET with query parameters, POST with a JSON body) and on a streamed
 * {@code /v1/chat/completions}, plain curl on {@code /chat} and a whole completion. The SSE is
 * parsed from curl's own output, line by line as it arrived, so the test also sees that the
 * tokens came while the turn was still going on, not all at once at its end.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CurlClientTest {
    private static final Duration CURL_TIMEOUT = Duration.ofMinutes(3);
    /** A turn takes seconds on two cores; a stream whose first token came this close to done was held back. */
    private static final long STREAMED_GAP_MS = 50;
    private static final Pattern STATUS = Pattern.compile("^HTTP (\\d{3}) (.*)$", Pattern.MULTILINE);

    private static CouncilServer server;
    private static String curl;

    @BeforeAll
    static void start() throws IOException {
        curl = ClientTools.require("curl", "install Debian's curl (apt-get install curl)").toString();
        server = CouncilServer.start(null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An SSE event as curl printed it, and when its last line arrived. */
    record Event(String name, String data, long atNanos) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event " + name + " is not JSON: " + data, e);
            }
        }
    }

    /** A curl run: its output, and the status and content type it wrote to stderr with -w. */
    record Curl(ExternalProcess.Result result, int status, String contentType) {
        String report() {
            return result.report();
        }

        JsonNode json() {
            try {
                return Api.JSON.readTree(result.stdout());
            } catch (IOException e) {
                throw new AssertionError("curl's output is not JSON:" + report(), e);
            }
        }

        List<Event> events() {
            List<Event> events = new ArrayList<>();
            String name = "message";
            StringBuilder data = new StringBuilder();
            long at = 0;
            for (ExternalProcess.Line line : result.lines()) {
                String l = line.text();
                if (l.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, data.toString(), at));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (l.startsWith("event:")) {
                    name = l.substring(6).strip();
                } else if (l.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(l.substring(5).stripLeading());
                    at = line.atNanos();
                } else if (!l.startsWith(":")) {
                    throw new AssertionError("not an SSE line: " + l + report());
                }
            }
            if (!data.isEmpty()) {
                throw new AssertionError("the stream ended inside an event (no blank line after it):" + report());
            }
            return events;
        }
    }

    /** curl with {@code args}, its status and content type on stderr, never retried, with a deadline. */
    private static Curl curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(curl, "-sS", "--max-time", "150",
                "-w", "%{stderr}HTTP %{http_code} %{content_type}\\n"));
        cmd.addAll(List.of(args));
        ExternalProcess.Result r = ExternalProcess.run(cmd, CURL_TIMEOUT).requireSuccess();
        Matcher m = STATUS.matcher(r.stderr());
        if (!m.find()) {
            throw new AssertionError("curl wrote no status line:" + r.report());
        }
        return new Curl(r, Integer.parseInt(m.group(1)), m.group(2).strip());
    }

    private static String url(String path) {
        return server.baseUrl() + path;
    }

    private static String chatBody(String session, String prompt) {
        return Api.JSON.createObjectNode().put("session_id", session).put("prompt", prompt).toString();
    }

    private static String completionBody(String user, boolean stream) {
        var body = Api.JSON.createObjectNode().put("model", "agentcouncil").put("user", user);
        if (stream) {
            body.put("stream", true);
        }
        body.putArray("messages").addObject().put("role", "user").put("content", CouncilServer.FRANCE);
        return body.toString();
    }

    /**
     * The events of a France question's stream, checked: Agent-0's tokens, the escalation, the
     * council's tokens, done with the reply the council's tokens spell, each token before done.
     * Returns the reply.
     */
    private static JsonNode checkCouncilStream(Curl c, String session) {
        String report = c.report();
        assertEquals(200, c.status(), report);
        assertTrue(c.contentType().startsWith("text/event-stream"), c.contentType() + report);
        List<Event> events = c.events();
        List<String> names = events.stream().map(Event::name).toList();
        assertEquals("done", names.get(names.size() - 1), "done is the last event: " + names + report);
        assertEquals(1, names.stream().filter("done"::equals).count(), report);
        int escalation = names.indexOf("escalation");
        assertTrue(escalation > 0, "Agent-0's tokens, then the escalation: " + names + report);
        StringBuilder agent0 = new StringBuilder();
        for (Event e : events.subList(0, escalation)) {
            assertEquals("token", e.name(), report);
            assertEquals("agent0", e.json().path("route").asText(), report);
            assertEquals(server.agent0Name(), e.json().path("model").asText(), report);
            agent0.append(e.json().path("text").asText());
        }
        assertTrue(!agent0.toString().isBlank(), "Agent-0's draft was streamed: " + report);
        JsonNode esc = events.get(escalation).json();
        assertEquals("agent0", esc.path("from").asText(), report);
        assertEquals("council", esc.path("to").asText(), report);
        assertTrue(esc.path("confidence").asDouble() < esc.path("gate").asDouble(), report);
        StringBuilder council = new StringBuilder();
        List<Event> councilTokens = events.subList(escalation + 1, events.size() - 1);
        assertTrue(councilTokens.size() > 1, "the council's answer came as several tokens: " + report);
        for (Event e : councilTokens) {
            assertEquals("token", e.name(), report);
            assertEquals("council", e.json().path("route").asText(), report);
            assertEquals(server.specialistName(), e.json().path("model").asText(), report);
            council.append(e.json().path("text").asText());
        }
        Event doneEvent = events.get(events.size() - 1);
        JsonNode done = doneEvent.json();
        assertEquals(session, done.path("session_id").asText(), report);
        assertEquals("council", done.path("route").asText(), report);
        assertEquals(council.toString(), done.path("text").asText(), "done carries the reply the tokens spelled: " + report);
        assertTrue(done.path("text").asText().contains("Paris"), report);
        assertTrue(done.path("tokens").path("in").asInt() > 0 && done.path("tokens").path("out").asInt() > 0, report);
        assertEquals(List.of(server.agent0Name(), server.specialistName()),
                Api.JSON.convertValue(done.path("models"), List.class), report);
        long gapMs = (doneEvent.atNanos() - events.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMs >= STREAMED_GAP_MS, "curl -N got the first token " + gapMs
                + " ms before done: the stream was held back, not streamed" + report);
        return done;
    }

    @Test
    void curlNStreamsTokensThenTheEscalationThenDoneOverGetWithQueryParameters() {
        String session = "curl-get-" + System.nanoTime();
        Curl c = curl("-N", "-G", "--data-urlencode", "session_id=" + session,
                "--data-urlencode", "prompt=" + CouncilServer.FRANCE, url("/chat/stream"));
        checkCouncilStream(c, session);
    }

    @Test
    void curlNStreamsOverPostWithAJsonBodyAndChatGivesTheSameReplyWhole() {
        String session = "curl-post-" + System.nanoTime();
        Curl c = curl("-N", "-H", "Content-Type: application/json", "-d", chatBody(session, CouncilServer.FRANCE),
                url("/chat/stream"));
        JsonNode streamed = checkCouncilStream(c, session);

        String wholeSession = "curl-chat-" + System.nanoTime();
        Curl whole = curl("-H", "Content-Type: application/json", "-d", chatBody(wholeSession, CouncilServer.FRANCE),
                url("/chat"));
        String report = whole.report();
        assertEquals(200, whole.status(), report);
        assertTrue(whole.contentType().startsWith("application/json"), whole.contentType() + report);
        JsonNode reply = whole.json();
        assertEquals(wholeSession, reply.path("session_id").asText(), report);
        assertEquals("council", reply.path("route").asText(), report);
        assertEquals(streamed.path("text").asText(), reply.path("text").asText(),
                "greedy decoding, fresh sessions: /chat says what /chat/stream streamed" + report + c.report());
        assertTrue(reply.path("latency_ms").asDouble() > 0, report);
        assertTrue(reply.path("confidence").isNumber(), report);
        assertEquals(false, reply.path("degraded").asBoolean(true), report);
    }

    @Test
    void curlGetsOpenAiCompletionsWholeAndStreamedWithTheSameContent() {
        Curl whole = curl("-H", "Content-Type: application/json", "-d", completionBody("curl-oa-" + System.nanoTime(), false),
                url("/v1/chat/completions"));
        String report = whole.report();
        assertEquals(200, whole.status(), report);
        JsonNode completion = whole.json();
        assertEquals("chat.completion", completion.path("object").asText(), report);
        assertEquals("agentcouncil", completion.path("model").asText(), report);
        JsonNode choice = completion.path("choices").path(0);
        assertEquals("assistant", choice.path("message").path("role").asText(), report);
        assertEquals("stop", choice.path("finish_reason").asText(), report);
        String content = choice.path("message").path("content").asText();
        assertTrue(content.contains("Paris"), report);

        Curl s = curl("-N", "-H", "Content-Type: application/json", "-d",
                completionBody("curl-oa-stream-" + System.nanoTime(), true), url("/v1/chat/completions"));
        String sreport = s.report();
        assertEquals(200, s.status(), sreport);
        assertTrue(s.contentType().startsWith("text/event-stream"), s.contentType() + sreport);
        List<Event> chunks = s.events();
        assertEquals("[DONE]", chunks.get(chunks.size() - 1).data(), "the stream ends with data: [DONE]" + sreport);
        StringBuilder streamed = new StringBuilder();
        List<String> finish = new ArrayList<>();
        int contentChunks = 0;
        for (Event e : chunks.subList(0, chunks.size() - 1)) {
            assertEquals("message", e.name(), "OpenAI chunks are unnamed events" + sreport);
            JsonNode chunk = e.json();
            assertEquals("chat.completion.chunk", chunk.path("object").asText(), sreport);
            JsonNode c = chunk.path("choices").path(0);
            if (c.path("delta").has("content")) {
                contentChunks++;
                streamed.append(c.path("delta").path("content").asText());
            }
            if (!c.path("finish_reason").isNull() && !c.path("finish_reason").isMissingNode()) {
                finish.add(c.path("finish_reason").asText());
            }
        }
        assertEquals(content, streamed.toString(), "greedy decoding, fresh sessions: the deltas add up to the whole answer"
                + sreport + report);
        assertTrue(contentChunks > 1, sreport);
        assertEquals(List.of("stop"), finish, sreport);
        long gapMs = (chunks.get(chunks.size() - 1).atNanos() - chunks.get(0).atNanos()) / 1_000_000;
        assertTrue(gapMs >= STREAMED_GAP_MS, "the role chunk came only " + gapMs + " ms before [DONE]" + sreport);
    }

    @Test
    void curlSeesJsonErrorsWithTheirStatus() {
        Curl malformed = curl("-H", "Content-Type: application/json", "-d", "{\"prompt\": ", url("/chat"));
        assertEquals(400, malformed.status(), malformed.report());
        assertTrue(malformed.json().path("error").path("message").asText().contains("not valid JSON"), malformed.report());

        Curl noPrompt = curl("-N", "-G", "--data-urlencode", "session_id=x", url("/chat/stream"));
        assertEquals(400, noPrompt.status(), "a bad stream request is refused before the stream starts" + noPrompt.report());
        assertTrue(noPrompt.contentType().startsWith("application/json"), noPrompt.report());
        assertTrue(noPrompt.json().path("error").path("message").asText().contains("\"prompt\""), noPrompt.report());

        Curl unknown = curl("-H", "Content-Type: application/json", "-d",
                completionBody("x", false).replace("\"agentcouncil\"", "\"gpt-4o\""), url("/v1/chat/completions"));
        assertEquals(404, unknown.status(), unknown.report());
        assertTrue(unknown.json().path("error").path("message").asText().contains("gpt-4o"), unknown.report());

        Curl models = curl(url("/v1/models"));
        assertEquals(200, models.status(), models.report());
        assertEquals("agentcouncil", models.json().path("data").path(0).path("id").asText(), models.report());
    }
}
