package io.agentcouncil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufTensor;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static io.agentcouncil.cli.Cli.assertOneErrorLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI in-process against the real SmolLM2 file from the roster cache. */
class MainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SMOLLM2_PARAMETERS = 134_515_008L;

    @TempDir
    Path tmp;

    @Test
    void inspectJsonDescribesSmolLm2() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("inspect", Cli.AGENT0, "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(model.toString(), doc.get("file").asText());
        assertEquals(Files.size(model), doc.get("size").asLong());
        assertEquals(3, doc.get("gguf_version").asInt());
        assertEquals("llama", doc.get("architecture").asText());
        assertEquals(8192, doc.get("context_length").asInt());
        assertEquals(576, doc.get("embedding_length").asInt());
        assertEquals(30, doc.get("block_count").asInt());
        assertEquals(9, doc.get("head_count").asInt());
        assertEquals(3, doc.get("head_count_kv").asInt());
        assertEquals(49152, doc.get("vocab_size").asInt());
        assertEquals("Q4_1", doc.get("file_type").get("name").asText());

        long parameters = doc.get("parameters").asLong();
        assertEquals(sumOfTensorElements(model), parameters);
        assertEquals(SMOLLM2_PARAMETERS, parameters, SMOLLM2_PARAMETERS * 0.02);
        assertEquals("134.5M", doc.get("parameters_human").asText());

        long tensors = 0;
        long bytes = 0;
        for (JsonNode t : doc.get("tensor_types")) {
            tensors += t.get("tensors").asLong();
            bytes += t.get("bytes").asLong();
        }
        assertEquals(doc.get("tensor_count").asLong(), tensors);
        assertTrue(bytes < Files.size(model) && bytes > Files.size(model) * 0.9, "tensor bytes " + bytes);

        JsonNode tok = doc.get("tokenizer");
        assertEquals("gpt2", tok.get("model").asText());
        assertEquals("smollm", tok.get("pre").asText());
        assertTrue(tok.get("supported").asBoolean());
        assertEquals("<|im_start|>", tok.get("bos").get("text").asText());
        assertEquals("<|im_end|>", tok.get("eos").get("text").asText());
        assertEquals("<|im_end|>", tok.get("eot").get("text").asText());
        // The full template, not an excerpt.
        String template = doc.get("chat_template").asText();
        assertTrue(template.startsWith("{% for message in messages %}") && template.endsWith("{% endif %}"), template);
    }

    @Test
    void inspectWithoutModelShowsAgent0() {
        Path model = Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("inspect");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(model.toString()), r.out());
        assertTrue(r.out().contains("parameters        134.5M (134,515,008)"), r.out());
        assertTrue(r.out().contains("context length    8192"), r.out());
        assertTrue(r.out().contains("bos / eos / eot   1 <|im_start|> / 2 <|im_end|> / 2 <|im_end|>"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void tokenizeJsonMatchesTheTokenizer() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        String text = "Hello, world!\n\tIndented \"quotes\", émoji 🙂 and 漢字 <|im_end|>";
        Cli.Result r = Cli.run("tokenize", Cli.AGENT0, text, "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());

        int[] expected = encode(model, text);
        assertArrayEquals(expected, ints(doc.get("ids")));
        assertEquals(expected.length, doc.get("count").asInt());
        assertEquals(text, doc.get("text").asText());
        // The pieces' bytes put back together are the text: nothing lost to display escaping.
        StringBuilder hex = new StringBuilder();
        doc.get("tokens").forEach(t -> hex.append(t.get("hex").asText()));
        assertEquals(text, new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8));
    }

    @Test
    void tokenizeShowsVisiblePieces() {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("tokenize", Cli.AGENT0, "Hello, world!\n");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of(
                "19556  \"Hello\"",
                "   28  \",\"",
                "  905  \" world\"",
                "   17  \"!\"",
                "  198  \"\\n\"",
                "5 tokens: [19556, 28, 905, 17, 198]"), r.out().lines().toList());
    }

    @Test
    void tokenizeShowsSplitCharactersAsBytes() {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("tokenize", Cli.AGENT0, "𝔘");
        assertEquals(0, r.exit(), r.err());
        String joined = String.join("", r.out().lines().filter(l -> l.contains("\"")).toList());
        assertTrue(joined.contains("<0xF0><0x9D>") && joined.contains("<0x94>") && joined.contains("<0x98>"), r.out());
    }

    @Test
    void tokenizeSpecialAndBos() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        Cli.Result plain = Cli.run("tokenize", Cli.AGENT0, "<|im_start|>user", "--json");
        Cli.Result special = Cli.run("tokenize", Cli.AGENT0, "<|im_start|>user", "--json", "--special", "--bos");
        assertEquals(0, special.exit(), special.err());
        int[] ids = ints(JSON.readTree(special.out()).get("ids"));
        assertArrayEquals(new int[] {1, 1, encode(model, "user")[0]}, ids, "BOS, then <|im_start|> as one token, then user");
        assertTrue(ints(JSON.readTree(plain.out()).get("ids")).length > 3, "without --special the marker is plain text");
    }

    @Test
    void tokenizeReadsStandardInput() {
        Cli.model(Cli.AGENT0);
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("Hello, world!\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Result r = Cli.run("tokenize", Cli.AGENT0, "-");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().endsWith("5 tokens: [19556, 28, 905, 17, 198]\n"), r.out());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void modelsJsonListsTheRosterWithStatuses() throws IOException {
        Cli.model(Cli.AGENT0);
        Cli.Result r = Cli.run("models", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        ModelRoster roster = ModelRoster.get();
        assertEquals(roster.cacheDir().toString(), doc.get("cache_dir").asText());
        JsonNode models = doc.get("models");
        assertEquals(4, models.size());
        List<String> names = new ArrayList<>();
        for (JsonNode m : models) {
            var spec = roster.find(m.get("name").asText()).orElseThrow();
            names.add(spec.name());
            assertEquals(roster.isFetched(spec) ? "fetched" : "not fetched", m.get("status").asText());
            assertEquals(roster.pathOf(spec).toString(), m.get("path").asText());
            assertEquals(spec.size(), m.get("size").asLong());
        }
        assertEquals(List.of("smollm2-135m-instruct", "qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct", "gemma-3-270m"), names);
        assertEquals("fetched", models.get(0).get("status").asText());
        assertEquals("agent0", models.get(0).get("role").asText());
    }

    @Test
    void modelsTableShowsRolesAndTheCache() {
        Cli.Result r = Cli.run("models");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("NAME "), r.out());
        assertTrue(r.out().contains("specialist (code)"), r.out());
        assertTrue(r.out().contains("cache: " + ModelRoster.get().cacheDir()), r.out());
    }

    @Test
    void modelsFetchRunsTheFetchScript() {
        Path model = Cli.model(Cli.AGENT0); // present, so the script only verifies it: no download
        Cli.Result r = Cli.run("models", "--fetch", Cli.AGENT0);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains(model.getFileName().toString()), r.out() + r.err());
    }

    @Test
    void modelsFetchPassesTheScriptsExitCodeThrough() {
        Cli.Result r = Cli.run("models", "--fetch", "no-such-model");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no-such-model"), r.err());
    }

    @Test
    void missingFileIsAUsageError() {
        Cli.Result r = Cli.run("inspect", tmp.resolve("absent.gguf").toString());
        assertEquals(2, r.exit());
        assertOneErrorLine(r, "is neither a file nor a roster model");
    }

    @Test
    void unknownModelNameListsTheRoster() {
        Cli.Result r = Cli.run("tokenize", "no-such-model", "hi");
        assertEquals(2, r.exit());
        assertOneErrorLine(r, Cli.AGENT0);
    }

    @Test
    void garbageFileIsABadModelFile() throws IOException {
        byte[] garbage = new byte[8192];
        new Random(42).nextBytes(garbage);
        Path file = Files.write(tmp.resolve("garbage.gguf"), garbage);
        for (String command : new String[] {"inspect", "tokenize"}) {
            Cli.Result r = command.equals("inspect") ? Cli.run(command, file.toString()) : Cli.run(command, file.toString(), "hi");
            assertEquals(1, r.exit(), command);
            assertOneErrorLine(r, file + ": malformed GGUF file: header.magic at offset 0: not a GGUF file");
        }
    }

    @Test
    void truncatedModelNamesTheFieldItStoppedAt() throws IOException {
        Path model = Cli.model(Cli.AGENT0);
        byte[] head = new byte[100_000]; // inside the vocabulary, far before the tensor data
        try (InputStream in = Files.newInputStream(model)) {
            assertEquals(head.length, in.readNBytes(head, 0, head.length));
        }
        Path file = Files.write(tmp.resolve("truncated.gguf"), head);
        Cli.Result r = Cli.run("inspect", file.toString(), "--json");
        assertEquals(1, r.exit());
        assertOneErrorLine(r, "tokenizer.ggml.tokens");
        assertEquals("", r.out());
    }

    @Test
    void unknownSubcommandAndOptionAreUsageErrors() {
        Cli.Result sub = Cli.run("frobnicate");
        assertEquals(2, sub.exit());
        assertOneErrorLine(sub, "'frobnicate'");
        Cli.Result opt = Cli.run("inspect", "--frobnicate");
        assertEquals(2, opt.exit());
        assertOneErrorLine(opt, "--frobnicate");
    }

    @Test
    void bareCommandPrintsUsage() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("inspect") && r.err().contains("tokenize") && r.err().contains("models")
                && r.err().contains("generate") && r.err().contains("bench"), r.err());
    }

    private static long sumOfTensorElements(Path model) throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            return gguf.tensors().stream().mapToLong(GgufTensor::elements).sum();
        }
    }

    private static int[] encode(Path model, String text) throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            return Tokenizer.fromGguf(gguf.metadata()).encode(text);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] a = new int[array.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = array.get(i).asInt();
        }
        return a;
    }
}
