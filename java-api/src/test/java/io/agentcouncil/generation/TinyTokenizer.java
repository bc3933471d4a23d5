package io.agentcouncil.generation;

import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small SentencePiece tokenizer for tests, read from a GGUF file written here: control tokens,
 * all 256 byte tokens (so any text encodes) and a few word pieces.
 */
final class TinyTokenizer {

    static final int UNK = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final int IM_START = 3;
    static final int IM_END = 4;
    /** Ids of the word pieces, in the order of {@link #WORDS}. */
    static final int FIRST_WORD = 5 + 256;
    static final List<String> WORDS = List.of("Hel", "lo", "▁wor", "ld", "!", "▁the", "▁end", "4", "▁is", "2+2", "▁A", "▁B",
            "user", "assistant", "system");

    private static final Tokenizer INSTANCE = build();

    private TinyTokenizer() {}

    static Tokenizer get() {
        return INSTANCE;
    }

    /** The id of a word piece. */
    static int word(String piece) {
        int i = WORDS.indexOf(piece);
        if (i < 0) {
            throw new IllegalArgumentException(piece);
        }
        return FIRST_WORD + i;
    }

    /** The id of the byte token {@code <0xXX>}. */
    static int byteToken(int b) {
        return 5 + (b & 0xFF);
    }

    static int size() {
        return FIRST_WORD + WORDS.size();
    }

    private static Tokenizer build() {
        List<String> texts = new ArrayList<>(List.of("<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3, 3, 3));
        for (int b = 0; b < 256; b++) {
            texts.add(String.format("<0x%02X>", b));
            types.add(6);
        }
        for (String w : WORDS) {
            texts.add(w);
            types.add(1);
        }
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        int kv = 0;
        str(meta, "tokenizer.ggml.model");
        u32(meta, 8);
        str(meta, "llama");
        kv++;
        str(meta, "tokenizer.ggml.tokens");
        u32(meta, 9);
        u32(meta, 8);
        u64(meta, texts.size());
        texts.forEach(t -> str(meta, t));
        kv++;
        str(meta, "tokenizer.ggml.token_type");
        u32(meta, 9);
        u32(meta, 5); // INT32
        u64(meta, types.size());
        types.forEach(t -> u32(meta, t));
        kv++;
        str(meta, "tokenizer.ggml.scores");
        u32(meta, 9);
        u32(meta, 6); // FLOAT32
        u64(meta, texts.size());
        for (int i = 0; i < texts.size(); i++) {
            meta.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(-i).array());
        }
        kv++;

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u32(out, GgufFile.MAGIC);
        u32(out, 3);
        u64(out, 0);
        u64(out, kv);
        out.writeBytes(meta.toByteArray());
        while (out.size() % 32 != 0) {
            out.write(0);
        }
        try {
            Path file = Files.createTempFile("tiny-tokenizer", ".gguf");
            try {
                Files.write(file, out.toByteArray());
                try (GgufFile g = GgufFile.open(file)) {
                    return Tokenizer.fromGguf(g.metadata());
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(out, b.length);
        out.writeBytes(b);
    }

    private static void u32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
}
