package io.agentcouncil.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.TestModels;
import io.agentcouncil.gguf.GgufFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Streaming decode emits whole characters only, and adds up to the text that was encoded. */
class TokenDecoderTest {

    private static Tokenizer load(String name) throws IOException {
        try (GgufFile g = GgufFile.open(TestModels.require(name))) {
            return Tokenizer.fromGguf(g.metadata());
        }
    }

    private static List<String> corpus() throws IOException {
        List<String> texts = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TokenDecoderTest.class.getResourceAsStream("/reference/tokenizer-corpus.jsonl"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = json.readTree(line);
                texts.add(n.get("text").asText());
            }
        }
        return texts;
    }

    @ParameterizedTest
    @ValueSource(strings = {TestModels.SMOLLM2, "gemma-3-270m"})
    void streamOfEveryCorpusTextRebuildsItWithoutBrokenCharacters(String model) throws IOException {
        Tokenizer tok = load(model);
        for (String text : corpus()) {
            if (text.indexOf('\uFFFD') >= 0) {
                continue; // a replacement character in the input would be indistinguishable from a broken one
            }
            int[] ids = tok.encode(text);
            TokenDecoder decoder = tok.streamDecoder(false);
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                String chunk = decoder.append(id);
                assertFalse(chunk.contains("\uFFFD"), () -> "half a character emitted for " + text);
                out.append(chunk);
            }
            out.append(decoder.finish());
            assertEquals(tok.decode(ids), out.toString());
            if (text.chars().noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
                // SmolLM2's vocabulary has no token for some control bytes; llama.cpp drops them too.
                assertEquals(text, out.toString());
            }
        }
    }

    @Test
    void holdsBackByteTokensUntilTheCharacterCompletes() throws IOException {
        Tokenizer tok = load("gemma-3-270m");
        Vocabulary v = tok.vocabulary();
        TokenDecoder d = tok.streamDecoder(false);
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < smile.length - 1; i++) {
            assertEquals("", d.append(v.id(String.format("<0x%02X>", smile[i] & 0xFF))));
        }
        assertEquals("😀", d.append(v.id(String.format("<0x%02X>", smile[3] & 0xFF))));
        assertEquals("", d.finish());
        // A sequence that never completes is flushed as U+FFFD at the end, not lost or stuck.
        d.append(v.id("<0xE2>"));
        assertEquals("\uFFFD", d.finish());
        assertEquals("", d.append(v.id("<0xF0>")));
        // ... and a broken sequence followed by more text is released with it, not held forever.
        assertEquals("\uFFFDa", d.append(v.id("a")));
    }
}
