package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static io.agentcouncil.cli.Cli.assertOneErrorLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agentcouncil bench} in-process with small sizes. Speeds are checked for sense, never against thresholds. */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void jsonGivesPositiveFigures() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("bench", Cli.AGENT0, "--prompt-tokens", "32", "--decode-tokens", "8", "--runs", "1", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(model.toString(), doc.get("model").asText());
        assertEquals(2, doc.get("threads").asInt(), "two threads by default");
        assertEquals(1, doc.get("runs").asInt());
        assertEquals(32, doc.get("prompt_tokens").asInt());
        assertEquals(8, doc.get("decode_tokens").asInt());
        assertEquals(37, doc.get("first_token_prompt_tokens").asInt(), "the question in SmolLM2's template");
        assertTrue(!doc.get("kernels").asText().isEmpty());
        for (String key : List.of("load_ms", "time_to_first_token_ms", "prefill_tokens_per_second", "decode_tokens_per_second")) {
            JsonNode stat = doc.get(key);
            double median = stat.get("median").asDouble();
            assertTrue(median > 0 && Double.isFinite(median), key + ": " + stat);
            assertEquals(median, stat.get("min").asDouble(), key);
            assertEquals(median, stat.get("max").asDouble(), key);
            assertEquals(1, stat.get("values").size(), key);
        }
    }

    @Test
    void textShowsMedianAndRange() {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("bench", Cli.AGENT0, "--prompt-tokens", "16", "--decode-tokens", "4", "--runs", "2", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(6, lines.size(), r.out());
        assertTrue(lines.get(1).contains("1 thread, 2 runs"), r.out());
        assertTrue(lines.get(2).matches("load +[0-9.]+ ms +\\([0-9.]+–[0-9.]+\\)"), lines.get(2));
        assertTrue(lines.get(3).matches("first token +[0-9.]+ ms +\\([0-9.]+–[0-9.]+\\) +37-token chat prompt"), lines.get(3));
        assertTrue(lines.get(4).matches("prefill +[0-9.]+ tokens/s +\\([0-9.]+–[0-9.]+\\) +16-token prompt, one evaluation"), lines.get(4));
        assertTrue(lines.get(5).matches("decode +[0-9.]+ tokens/s +\\([0-9.]+–[0-9.]+\\) +4 tokens at batch 1"), lines.get(5));
    }

    @Test
    void badFlagsAreUsageErrors() {
        String[][] cases = {
                {"--runs", "0"},
                {"--threads", "-1"},
                {"--prompt-tokens", "0"},
                {"--decode-tokens", "-5"},
                {"--runs", "x"},
        };
        for (String[] flag : cases) {
            Cli.Result r = Cli.run(GenerateCommandTest.append(new String[] {"bench", Cli.AGENT0}, flag));
            assertEquals(2, r.exit(), String.join(" ", flag) + ": " + r.err());
            assertOneErrorLine(r, flag[0]);
        }
        Cli.model(Cli.AGENT0);
        Cli.Result tooLong = Cli.run("bench", Cli.AGENT0, "--prompt-tokens", "9000", "--runs", "1");
        assertEquals(2, tooLong.exit(), tooLong.err());
        assertOneErrorLine(tooLong, "context length of 8192");
    }

    @Test
    void garbageFileIsABadModelFile() throws IOException {
        byte[] garbage = new byte[8192];
        new Random(7).nextBytes(garbage);
        Path file = Files.write(tmp.resolve("garbage.gguf"), garbage);
        Cli.Result r = Cli.run("bench", file.toString(), "--runs", "1", "--json");
        assertEquals(1, r.exit(), r.err());
        assertOneErrorLine(r, file + ": malformed GGUF file: header.magic at offset 0: not a GGUF file");
        assertEquals("", r.out());
    }

    @Test
    void prefillPromptHasExactlyTheTokensAsked() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        try (GgufFile gguf = GgufFile.open(model)) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf.metadata());
            for (int n : new int[] {1, 2, 32, 512}) {
                int[] prompt = BenchCommand.prompt(tokenizer, n);
                assertEquals(n, prompt.length);
                assertEquals(tokenizer.vocabulary().bos(), prompt[0]);
            }
        }
    }

    @Test
    void medianOfOddAndEvenRuns() {
        BenchCommand.Stat odd = BenchCommand.Stat.of(new double[] {3, 1, 2});
        assertEquals(new BenchCommand.Stat(2, 1, 3), odd);
        BenchCommand.Stat even = BenchCommand.Stat.of(new double[] {4, 1, 2, 10});
        assertEquals(new BenchCommand.Stat(3, 1, 10), even);
    }
}
