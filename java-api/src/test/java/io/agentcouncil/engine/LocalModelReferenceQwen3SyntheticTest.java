package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@link LocalModelReferenceTest} on {@link SyntheticQwen3} (qwen3; Q4_K, Q5_K, Q6_K, Q5_0, Q8_0):
 * llama.cpp's logits to the 5 stored decimals. The file is written to
 * {@code target/synthetic/qwen3-synthetic.gguf}, and must be the file the reference was made from
 * ({@code scripts/reference/make-synthetic-reference qwen3-synthetic <that file>}).
 */
class LocalModelReferenceQwen3SyntheticTest extends LocalModelReferenceTest {
    LocalModelReferenceQwen3SyntheticTest() {
        super("qwen3-synthetic", SAME_LOGIT);
    }

    @Override
    Path modelFile(JsonNode reference) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "synthetic"));
        Path file = SyntheticQwen3.write(dir.resolve("qwen3-synthetic.gguf"));
        assertEquals(reference.get("sha256").asText(), sha256(file),
                "SyntheticQwen3 writes other bytes than the reference was made from: run scripts/reference/make-synthetic-reference "
                        + "qwen3-synthetic " + file.toAbsolutePath());
        return file;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
