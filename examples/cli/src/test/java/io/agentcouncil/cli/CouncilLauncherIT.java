package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.memory.MemoryEntry;
import io.agentcouncil.memory.MemoryStore;
import io.agentcouncil.memory.MemoryStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * chat, ask and serve through the ./agentcouncil launcher with the real roster models: what a
 * user types, and what a script reads back. Answers are whatever the models say; the checks are
 * on what the CLI makes of them.
 */
class CouncilLauncherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** Short answers on two threads keep each turn to seconds; the question routes to the general specialist. */
    private static final List<String> SMALL = List.of("--threads", "2", "--max-new-tokens", "32");
    private static final String QUESTION = "What is the capital of France?";
    private static final List<String> COUNCIL = List.of(Cli.AGENT0, "qwen2.5-coder-0.5b-instruct", "qwen2.5-coder-1.5b-instruct");

    @TempDir
    Path tmp;

    @Test
    void askJsonDescribesTheTurnAndPlainAskPrintsTheSameAnswer() throws Exception {
        COUNCIL.forEach(Cli::model);
        Launcher.Result json = Launcher.run(args("ask", "--json", QUESTION), Map.of(), "", TIMEOUT);
        assertEquals(0, json.exit(), json.err());
        JsonNode doc = JSON.readTree(json.out());

        String text = doc.get("text").asText();
        assertFalse(text.isBlank(), json.out());
        String route = doc.get("route").asText();
        assertTrue(Set.of("agent0", "council", "cloud").contains(route), route);
        assertTrue(doc.get("latency_ms").asDouble() > 0, json.out());
        JsonNode stages = doc.get("stages");
        assertEquals("agent0", stages.get(0).get("route").asText(), "Agent-0 always answers first");
        assertEquals(Cli.AGENT0, stages.get(0).get("model").asText());
        int tokensIn = 0;
        int tokensOut = 0;
        List<String> models = new ArrayList<>();
        double bestCouncil = -1;
        for (JsonNode s : stages) {
            tokensIn += s.get("tokens_in").asInt();
            tokensOut += s.get("tokens_out").asInt();
            assertTrue(s.get("tokens_out").asInt() <= 32, "--max-new-tokens caps every stage: " + s);
            if (!models.contains(s.get("model").asText())) {
                models.add(s.get("model").asText());
            }
            if (s.get("route").asText().equals("council")) {
                bestCouncil = Math.max(bestCouncil, s.get("confidence").asDouble());
            }
        }
        assertTrue(tokensIn > 0 && tokensOut > 0, json.out());
        assertEquals(tokensIn, doc.get("tokens_in").asInt(), "the reply's tokens are its stages'");
        assertEquals(tokensOut, doc.get("tokens_out").asInt());
        assertEquals(models, JSON.convertValue(doc.get("models"), List.class));
        double confidence = doc.get("confidence").asDouble();
        double agent0Confidence = stages.get(0).get("confidence").asDouble();
        if (route.equals("agent0")) {
            assertTrue(agent0Confidence >= 0.65, "kept by Agent-0 only at or above the gate: " + json.out());
            assertEquals(agent0Confidence, confidence);
        } else {
            assertTrue(agent0Confidence < 0.65, "escalated only below the gate: " + json.out());
            assertEquals("council", route, "no cloud is configured");
            assertEquals("qwen2.5-coder-0.5b-instruct", models.get(1), "the question has no word of code: the general member");
            assertEquals(bestCouncil, confidence, "the default policy keeps the most confident member");
        }

        // Greedy decoding and a fresh session: the same turn again, as a person at a pipe sees it.
        Launcher.Result plain = Launcher.run(args("ask", QUESTION), Map.of(), "", TIMEOUT);
        assertEquals(0, plain.exit(), plain.err());
        assertEquals(text.endsWith("\n") ? text : text + "\n", plain.out(), "stdout that is no terminal gets the answer alone");
        String escalation = String.format(Locale.ROOT, "↳ escalated to council (confidence %.2f < 0.65): general", agent0Confidence);
        assertEquals(!route.equals("agent0"), plain.err().contains(escalation + "\n"), plain.err());
        List<String> errLines = plain.err().lines().toList();
        assertTrue(errLines.get(errLines.size() - 1).startsWith("[" + route + ", confidence "), plain.err());
    }

    @Test
    void pipedChatKeepsSessionsApartAndReportsStats() throws Exception {
        COUNCIL.forEach(Cli::model);
        String word = "tulip" + (1000 + new Random().nextInt(9000)); // no model can guess it
        Path db = tmp.resolve("memory.db");
        String input = String.join("\n",
                "My secret word is " + word + ". Please remember it.",
                "/stats",
                "/session beta",
                "What is my secret word?",
                "/stats",
                "/reset",
                "/session",
                "/quit",
                "This line comes after /quit and is never read.") + "\n";
        Launcher.Result r = Launcher.run(args("chat", "--session", "alpha", "--memory", db.toString()), Map.of(), input, TIMEOUT);
        assertEquals(0, r.exit(), r.err());
        String out = r.out();

        String first = section(out, "> My secret word is", "> /stats");
        assertFalse(first.isBlank(), out);
        String stats1 = section(out, "> /stats", "> /session beta");
        assertStats(stats1, "alpha", 1, 1);
        assertTrue(out.contains("> /session beta\nsession beta\n"), out);
        String betaAnswer = section(out, "> What is my secret word?", "> /stats");
        assertFalse(betaAnswer.isBlank(), out);
        assertFalse(betaAnswer.contains(word.substring(5)), "session beta must not know alpha's word:\n" + betaAnswer);
        String stats2 = section(out.substring(out.indexOf("> What is my secret word?")), "> /stats", "> /reset");
        assertStats(stats2, "beta", 2, 2);
        assertTrue(tokens(stats2)[0] > tokens(stats1)[0] && tokens(stats2)[1] > tokens(stats1)[1], stats1 + stats2);

        Matcher reset = Pattern.compile("> /reset\nnew session (chat-[0-9a-f]{8})\n> /session\nsession (\\S+)\n").matcher(out);
        assertTrue(reset.find(), out);
        String fresh = reset.group(1);
        assertEquals(fresh, reset.group(2), "/session alone shows the current session");
        assertFalse(out.contains("never read"), "nothing after /quit is read: " + out);
        assertEquals(2, r.err().lines().filter(l -> l.matches("\\[(agent0|council|cloud), confidence .*]")).count(),
                "one summary per turn:\n" + r.err());

        // The memory file, read back with the library: each session has only its own turns.
        MemoryStore store = MemoryStores.sqlite(db);
        try {
            List<MemoryEntry> alpha = store.entries("alpha");
            List<MemoryEntry> beta = store.entries("beta");
            assertEquals(List.of("user", "assistant"), alpha.stream().map(MemoryEntry::role).toList());
            assertTrue(alpha.get(0).text().contains(word), alpha.toString());
            assertEquals(List.of("user", "assistant"), beta.stream().map(MemoryEntry::role).toList());
            assertEquals("What is my secret word?", beta.get(0).text());
            assertTrue(beta.stream().noneMatch(e -> e.text().contains(word.substring(5))), beta.toString());
            assertEquals(List.of(), store.entries(fresh), "the new session of /reset starts empty");
        } finally {
            store.close();
        }
    }

    @Test
    void missingModelsExitThreeNamingTheFetchCommand() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-models"));
        Map<String, String> env = Map.of("AGENTCOUNCIL_MODELS", empty.toString());
        String expected = "error: models " + String.join(", ", COUNCIL) + " are not fetched into " + empty
                + ": run scripts/fetch-models " + String.join(" ", COUNCIL) + " (or add --fetch)\n";
        for (List<String> command : List.of(List.of("ask", QUESTION), List.of("chat"))) {
            Launcher.Result r = Launcher.run(command, env, "hello\n", TIMEOUT);
            assertEquals(3, r.exit(), command + ": " + r.err());
            assertEquals(expected, r.err(), command.toString());
            assertEquals("", r.out());
        }
        Launcher.Result one = Launcher.run(List.of("ask", "--specialist", "general=" + Cli.model("qwen2.5-coder-0.5b-instruct"),
                QUESTION), env, "", TIMEOUT);
        assertEquals(3, one.exit(), one.err());
        assertEquals("error: model " + Cli.AGENT0 + " is not fetched into " + empty + ": run scripts/fetch-models " + Cli.AGENT0
                + " (or add --fetch)\n", one.err(), "a specialist given as a path needs no fetch");
    }

    @Test
    void badUsageExitsTwo() throws Exception {
        Launcher.Result r = Launcher.run(List.of("ask", "--gate", "7", QUESTION), Map.of(), "", TIMEOUT);
        assertEquals(2, r.exit(), r.err());
        assertEquals("error: --gate must be between 0 and 1: 7.0 (see 'agentcouncil ask --help')\n", r.err());
        Launcher.Result unknown = Launcher.run(List.of("chat", "--no-such-option"), Map.of(), "", TIMEOUT);
        assertEquals(2, unknown.exit(), unknown.err());
    }

    @Test
    void serveStartsTheHttpServer() throws Exception {
        COUNCIL.forEach(Cli::model);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path log = tmp.resolve("serve.log");
        Process p = Launcher.builder(List.of("serve", "--port", Integer.toString(port)), Map.of())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(10)).build();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            HttpResponse<String> response = null;
            while (response == null && p.isAlive() && System.nanoTime() < deadline) {
                try {
                    response = http.send(health, HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException e) {
                    Thread.sleep(250); // not listening yet
                }
            }
            assertTrue(response != null, "no answer on port " + port + "; the server said:\n" + Files.readString(log));
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(JSON.readTree(response.body()).isObject(), response.body());
            assertTrue(p.isAlive(), "serve keeps serving after it has started");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("serve did not stop on SIGTERM:\n" + Files.readString(log));
            }
        }
        assertEquals(143, p.exitValue(), "ended by SIGTERM, as the usage says:\n" + Files.readString(log));
    }

    private static List<String> args(String command, String... more) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(SMALL);
        a.addAll(List.of(more));
        return a;
    }

    /** The transcript from the line starting with {@code from} up to the next line starting with {@code to}. */
    private static String section(String out, String from, String to) {
        int start = out.indexOf(from);
        assertTrue(start >= 0, "no " + from + " in:\n" + out);
        int body = out.indexOf('\n', start) + 1;
        int end = out.indexOf("\n" + to, body - 1);
        assertTrue(end >= 0, "no " + to + " after " + from + " in:\n" + out);
        return out.substring(body, end + 1);
    }

    /** /stats names the session and counts the turns and sessions; routes add up to the turns. */
    private static void assertStats(String stats, String session, int turns, int sessions) {
        assertTrue(stats.contains("session     " + session + "\n"), stats);
        Matcher m = Pattern.compile("turns       (\\d+) \\(agent0 (\\d+), council (\\d+), cloud (\\d+)\\) in (\\d+) sessions?\n")
                .matcher(stats);
        assertTrue(m.find(), stats);
        assertEquals(turns, Integer.parseInt(m.group(1)), stats);
        assertEquals(turns, Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4)), stats);
        assertEquals(sessions, Integer.parseInt(m.group(5)), stats);
        int[] tokens = tokens(stats);
        assertTrue(tokens[0] > 0 && tokens[1] > 0, stats);
        assertTrue(Pattern.compile("last reply  (agent0|council|cloud), confidence [0-9.]+, [0-9.]+ s").matcher(stats).find(), stats);
        assertTrue(Pattern.compile("health      (UP|DEGRADED|DOWN), score \\d+\n").matcher(stats).find(), stats);
        assertTrue(Pattern.compile("\n  agent0 +UP +loaded +" + Pattern.quote(Cli.AGENT0) + "\n").matcher(stats).find(), stats);
        assertNotEquals(-1, stats.indexOf("  specialist:general "), stats);
    }

    private static int[] tokens(String stats) {
        Matcher m = Pattern.compile("tokens      (\\d+) in, (\\d+) out\n").matcher(stats);
        assertTrue(m.find(), stats);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
