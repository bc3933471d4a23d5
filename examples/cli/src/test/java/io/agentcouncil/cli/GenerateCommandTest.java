package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static io.agentcouncil.cli.Cli.assertOneErrorLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agentcouncil generate} in-process, through the real SmolLM2 model and the native engine. */
class GenerateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RAW_PROMPT = "The capital of France is";
    private static final String QUESTION = "What is the capital of France?";
    /**
     * Greedy SmolLM2-135M (Q4_1) answers the bare question with French word salad under its default
     * system prompt ("L'Étoile, la Cité, …": llama.cpp does the same on this file, see
     * chat-capital in java-api's logits reference). With a system prompt asking for one sentence
     * it says "The capital of France is Paris." and ends its turn.
     */
    private static final String ONE_SENTENCE = "Answer in one short sentence.";

    @TempDir
    Path tmp;

    @Test
    void rawGreedyJsonHasTokensWithLogprobs() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        int maxTokens = 8;
        Cli.Result r = Cli.run("generate", Cli.AGENT0, RAW_PROMPT, "--raw", "--json", "--max-tokens", Integer.toString(maxTokens),
                "--top-logprobs", "3", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode doc = JSON.readTree(r.out());

        assertEquals(model.toString(), doc.get("model").asText());
        assertEquals("raw", doc.get("mode").asText());
        assertEquals(RAW_PROMPT, doc.get("prompt").asText());
        String text = doc.get("text").asText();
        assertFalse(text.isBlank(), r.out());

        JsonNode tokens = doc.get("tokens");
        assertTrue(tokens.size() >= 1 && tokens.size() <= maxTokens, "tokens: " + tokens.size());
        String stop = doc.get("stop_reason").asText();
        assertTrue(stop.equals("MAX_TOKENS") || stop.equals("EOS"), stop);
        if (stop.equals("MAX_TOKENS")) {
            assertEquals(maxTokens, tokens.size());
        }
        double sum = 0;
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            JsonNode t = tokens.get(i);
            ids[i] = t.get("id").asInt();
            double logprob = t.get("logprob").asDouble();
            assertTrue(logprob <= 0, t.toString());
            sum += logprob;
            JsonNode alternatives = t.get("alternatives");
            assertEquals(3, alternatives.size(), t.toString());
            for (int j = 0; j < alternatives.size(); j++) {
                assertTrue(alternatives.get(j).get("logprob").asDouble() <= 0, t.toString());
                if (j > 0) {
                    assertTrue(alternatives.get(j).get("logprob").asDouble() <= alternatives.get(j - 1).get("logprob").asDouble(),
                            "most likely first: " + t);
                }
            }
            // Greedy without a repetition penalty: the chosen token is the most likely one.
            assertEquals(alternatives.get(0).get("id").asInt(), ids[i], t.toString());
            assertEquals(logprob, alternatives.get(0).get("logprob").asDouble(), 1e-6, t.toString());
        }
        assertEquals(sum, doc.get("total_logprob").asDouble(), 1e-4);

        Tokenizer tokenizer = tokenizer(model);
        if (stop.equals("MAX_TOKENS")) {
            assertEquals(tokenizer.decode(ids), text, "the text is the tokens' text");
        }
        JsonNode t = doc.get("timings");
        assertEquals(tokenizer.encode(RAW_PROMPT, true, false).length, t.get("prompt_tokens").asInt());
        assertEquals(0, t.get("reused_tokens").asInt());
        assertEquals(tokens.size(), t.get("generated_tokens").asInt());
        assertTrue(t.get("load_ms").asDouble() > 0 && t.get("prefill_ms").asDouble() > 0, t.toString());
        assertTrue(t.get("time_to_first_token_ms").asDouble() > 0 && t.get("decode_tokens_per_second").asDouble() > 0, t.toString());
        assertEquals(maxTokens, doc.get("config").get("max_tokens").asInt());
        assertEquals(2, doc.get("config").get("threads").asInt());
    }

    @Test
    void streamedTextIsTheJsonTextAndTheSummaryGoesToStderr() throws IOException {
        Cli.model(Cli.AGENT0);
        String[] args = {"generate", Cli.AGENT0, RAW_PROMPT, "--raw", "-n", "6", "--threads", "2"};
        Cli.Result streamed = Cli.run(args);
        assertEquals(0, streamed.exit(), streamed.err());
        Cli.Result json = Cli.run(append(args, "--json"));
        assertEquals(0, json.exit(), json.err());
        String text = JSON.readTree(json.out()).get("text").asText();

        assertEquals(text.endsWith("\n") ? text : text + "\n", streamed.out(), "greedy: the same text, ending in a newline");
        assertEquals(1, streamed.err().lines().count(), streamed.err());
        assertTrue(streamed.err().startsWith("[6 tokens, stop MAX_TOKENS, greedy | load "), streamed.err());
        assertTrue(streamed.err().contains("prefill") && streamed.err().contains("decode") && streamed.err().contains("reused"),
                streamed.err());
    }

    @Test
    void chatAnswersWithTheModelsTemplate() throws IOException {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("generate", Cli.AGENT0, QUESTION, "--system", ONE_SENTENCE, "--json", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("chat", doc.get("mode").asText());
        assertEquals(ONE_SENTENCE, doc.get("system").asText());
        assertTrue(doc.get("text").asText().contains("Paris"), doc.get("text").asText());
        // The turn ends with the template's end-of-turn token, which is not part of the text.
        assertEquals("EOS", doc.get("stop_reason").asText());
        JsonNode tokens = doc.get("tokens");
        assertEquals("<|im_end|>", tokens.get(tokens.size() - 1).get("text").asText());
        assertFalse(doc.get("text").asText().contains("<|im_end|>"));
    }

    @Test
    void chatPromptIsTheTemplatesRendering() throws IOException {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("generate", Cli.AGENT0, QUESTION, "--json", "-n", "1", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        // SmolLM2's template adds its own system prompt: 37 tokens, as llama.cpp's reference (chat-capital) has.
        assertEquals(37, doc.get("timings").get("prompt_tokens").asInt());
        assertEquals(1, doc.get("tokens").size());
        assertEquals("MAX_TOKENS", doc.get("stop_reason").asText());
    }

    @Test
    void stopStringEndsTheReplyBeforeIt() throws IOException {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("generate", Cli.AGENT0, QUESTION, "--system", ONE_SENTENCE, "--stop", " Paris", "--json",
                "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("STOP_STRING", doc.get("stop_reason").asText());
        assertFalse(doc.get("text").asText().contains("Paris"), doc.get("text").asText());
        assertEquals(" Paris", doc.get("config").get("stop").get(0).asText());
    }

    @Test
    void seededSamplingRepeats() throws IOException {
        Cli.model(Cli.AGENT0);
        String[] args = {"generate", Cli.AGENT0, RAW_PROMPT, "--raw", "--json", "-n", "10", "--temperature", "0.9",
                "--top-k", "50", "--top-p", "0.9", "--min-p", "0.02", "--repetition-penalty", "1.1", "--seed", "7", "--threads", "2"};
        JsonNode first = JSON.readTree(Cli.run(args).out());
        JsonNode second = JSON.readTree(Cli.run(args).out());
        assertEquals(7, first.get("seed").asLong());
        assertEquals(first.get("text"), second.get("text"));
        assertEquals(first.get("tokens"), second.get("tokens"));
        JsonNode config = first.get("config");
        assertEquals(0.9, config.get("temperature").asDouble());
        assertEquals(50, config.get("top_k").asInt());
        assertEquals(1.1, config.get("repetition_penalty").asDouble());
    }

    @Test
    void promptLongerThanTheContextIsAUsageError() {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("generate", Cli.AGENT0, "one two three four five six seven", "--raw", "--ctx", "4");
        assertEquals(2, r.exit(), r.err());
        assertOneErrorLine(r, "raise --ctx");
        assertEquals("", r.out());
    }

    @Test
    void badFlagsAreUsageErrors() {
        String[][] cases = {
                {"--max-tokens", "0"},
                {"--threads", "-1"},
                {"--temperature", "-1"},
                {"--top-p", "0"},
                {"--min-p", "1"},
                {"--top-k", "-2"},
                {"--repetition-penalty", "0"},
                {"--top-logprobs", "-1"},
                {"--ctx", "0"},
                {"--stop", ""},
                {"--max-tokens", "many"},
        };
        for (String[] flag : cases) {
            Cli.Result r = Cli.run(append(new String[] {"generate", Cli.AGENT0, "hi"}, flag));
            assertEquals(2, r.exit(), String.join(" ", flag) + ": " + r.err());
            assertOneErrorLine(r, flag[0]);
        }
        Cli.Result rawSystem = Cli.run("generate", Cli.AGENT0, "hi", "--raw", "--system", "Be brief.");
        assertEquals(2, rawSystem.exit());
        assertOneErrorLine(rawSystem, "--system");
        Cli.Result noPrompt = Cli.run("generate");
        assertEquals(2, noPrompt.exit());
        assertOneErrorLine(noPrompt, "PROMPT");
        Cli.Result unquoted = Cli.run("generate", Cli.AGENT0, "What", "is", "this?");
        assertEquals(2, unquoted.exit());
        assertOneErrorLine(unquoted, "quote the prompt");
        Cli.Result unknown = Cli.run("generate", "no-such-model", "hi");
        assertEquals(2, unknown.exit());
        assertOneErrorLine(unknown, Cli.AGENT0);
    }

    @Test
    void garbageAndTruncatedFilesAreBadModelFiles() throws IOException {
        byte[] garbage = new byte[8192];
        new Random(42).nextBytes(garbage);
        Path file = Files.write(tmp.resolve("garbage.gguf"), garbage);
        Cli.Result r = Cli.run("generate", file.toString(), "hi");
        assertEquals(1, r.exit(), r.err());
        assertOneErrorLine(r, file + ": malformed GGUF file: header.magic at offset 0: not a GGUF file");

        // Metadata and tensor table intact, tensor data cut short: found before the engine maps anything.
        Path model = Cli.model(Cli.AGENT0);
        Path truncated = tmp.resolve("truncated.gguf");
        try (InputStream in = Files.newInputStream(model)) {
            Files.write(truncated, in.readNBytes((int) (Files.size(model) / 2)));
        }
        Cli.Result t = Cli.run("generate", truncated.toString(), "hi", "--json");
        assertEquals(1, t.exit(), t.err());
        assertOneErrorLine(t, truncated + ": malformed GGUF file: ");
        assertTrue(t.err().contains("file truncated?"), t.err());
        assertEquals("", t.out());
    }

    @Test
    void theCodeSpecialistAnswersWithCode() {
        Cli.model("qwen2.5-coder-0.5b-instruct");
        Cli.Result r = Cli.run("generate", "qwen2.5-coder-0.5b-instruct", "--max-tokens", "48",
                "Write a Python function square(x) that returns x squared.");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("def square(x)"), r.out());
    }

    @Test
    void unsupportedArchitectureIsABadModelFile() throws IOException {
        // A GGUF v3 header with no tensors and one key, general.architecture = "mamba", padded to
        // its (empty) data section at the next multiple of 32.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] key = "general.architecture".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] value = "mamba".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b.putInt(0x46554747).putInt(3).putLong(0).putLong(1).putLong(key.length).put(key).putInt(8).putLong(value.length).put(value);
        Path file = Files.write(tmp.resolve("mamba.gguf"), java.util.Arrays.copyOf(b.array(), (b.position() + 31) / 32 * 32));
        Cli.Result r = Cli.run("generate", file.toString(), "hi");
        assertEquals(1, r.exit(), r.err());
        assertOneErrorLine(r, file + ": architecture \"mamba\"");
    }

    private static Tokenizer tokenizer(Path model) throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            return Tokenizer.fromGguf(gguf.metadata());
        }
    }

    static String[] append(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
