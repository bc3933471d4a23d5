package io.agentcouncil.tokenizer;

import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.gguf.GgufMetadata;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token table of a model: texts, kinds, scores and the special ids, read from
 * {@code tokenizer.ggml.*} metadata. Immutable and shared by every thread using the model.
 */
public final class Vocabulary {

    /** Texts by which llama.cpp recognises end-of-generation tokens that converters left untyped. */
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>");
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>");
    private static final List<String> FIM_TEXTS = List.of("<|fim_prefix|>", "<fim-prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>",
            "<|code_prefix|>", "<|fim_suffix|>", "<fim-suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>",
            "<|fim_middle|>", "<fim-middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|fim_pad|>", "<fim-pad>",
            "<PAD>", "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>", "<fim-sep>", "<FILE_SEP>");

    public static final int NONE = -1;

    private final String[] texts;
    private final TokenType[] types;
    private final float[] scores;
    private final Map<String, Integer> ids;
    private final int bos;
    private final int eos;
    private final int eot;
    private final int unknown;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;
    private final BitSet endOfGeneration = new BitSet();

    Vocabulary(GgufMetadata md, boolean spm) {
        texts = md.getStringArray("tokenizer.ggml.tokens").clone();
        int n = texts.length;
        if (n == 0) {
            throw new GgufFormatException("metadata[\"tokenizer.ggml.tokens\"]", -1, "empty vocabulary");
        }
        types = new TokenType[n];
        if (md.has("tokenizer.ggml.token_type")) {
            int[] raw = md.getIntArray("tokenizer.ggml.token_type");
            requireLength("tokenizer.ggml.token_type", raw.length, n);
            for (int i = 0; i < n; i++) {
                types[i] = TokenType.byId(raw[i]);
            }
        } else {
            Arrays.fill(types, TokenType.NORMAL);
        }
        if (md.has("tokenizer.ggml.scores")) {
            scores = md.getFloatArray("tokenizer.ggml.scores");
            requireLength("tokenizer.ggml.scores", scores.length, n);
        } else {
            scores = new float[n];
        }
        ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (texts[i].isEmpty()) {
                texts[i] = "[EMPTY_" + i + "]"; // as llama.cpp does, so the text cannot match input
            }
            ids.put(texts[i], i); // a repeated text resolves to its last id, as in llama.cpp
        }
        bos = specialId(md, "tokenizer.ggml.bos_token_id", spm ? 1 : 11);
        eos = specialId(md, "tokenizer.ggml.eos_token_id", spm ? 2 : 11);
        unknown = specialId(md, "tokenizer.ggml.unknown_token_id", spm ? 0 : NONE);
        addBos = md.getBoolean("tokenizer.ggml.add_bos_token", spm);
        addEos = md.getBoolean("tokenizer.ggml.add_eos_token", false);
        addSpacePrefix = md.getBoolean("tokenizer.ggml.add_space_prefix", spm);

        // Converters do not always mark chat and infill markers as control tokens; llama.cpp
        // recognises them by text, and so must we, or "<|im_end|>" would be split as plain text.
        int eotId = specialId(md, "tokenizer.ggml.eot_token_id", NONE);
        for (String t : EOT_TEXTS) {
            Integer id = ids.get(t);
            if (id != null && eotId == NONE) {
                eotId = id;
                types[id] = TokenType.CONTROL;
            }
        }
        eot = eotId;
        for (String t : FIM_TEXTS) {
            Integer id = ids.get(t);
            if (id != null && types[id] != TokenType.CONTROL) {
                types[id] = TokenType.CONTROL;
            }
        }
        for (String t : EOG_TEXTS) {
            Integer id = ids.get(t);
            if (id != null) {
                endOfGeneration.set(id);
                types[id] = TokenType.CONTROL;
            }
        }
        if (eos != NONE) {
            endOfGeneration.set(eos);
        }
        if (eot != NONE) {
            endOfGeneration.set(eot);
        }
    }

    private void requireLength(String key, int length, int expected) {
        if (length != expected) {
            throw new GgufFormatException("metadata[\"" + key + "\"]", -1, length + " entries for a vocabulary of " + expected);
        }
    }

    private int specialId(GgufMetadata md, String key, int fallback) {
        if (!md.has(key)) {
            return fallback < texts.length ? fallback : NONE;
        }
        long id = md.getLong(key);
        if (id < 0 || id >= texts.length) {
            throw new GgufFormatException("metadata[\"" + key + "\"]", -1, "token id " + id + " outside the vocabulary of " + texts.length);
        }
        return (int) id;
    }

    public int size() {
        return texts.length;
    }

    /** The token's text as stored in the vocabulary (byte-level BPE tokens are still encoded). */
    public String text(int id) {
        return texts[id];
    }

    public TokenType type(int id) {
        return types[id];
    }

    public float score(int id) {
        return scores[id];
    }

    /** The id of a token by its exact vocabulary text, or {@link #NONE}. */
    public int id(String text) {
        Integer id = ids.get(text);
        return id == null ? NONE : id;
    }

    public int bos() {
        return bos;
    }

    public int eos() {
        return eos;
    }

    /** End-of-turn token of chat models, or {@link #NONE}. */
    public int eot() {
        return eot;
    }

    public int unknown() {
        return unknown;
    }

    /** Whether the model expects BOS in front of a prompt. */
    public boolean addBos() {
        return addBos;
    }

    public boolean addEos() {
        return addEos;
    }

    boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    /** Whether generation should stop at this token (EOS, EOT and the chat end markers). */
    public boolean isEndOfGeneration(int id) {
        return endOfGeneration.get(id);
    }

    /** Tokens matched as whole units in input text: control, user-defined and unknown, as llama.cpp does. */
    boolean isSpecial(int id) {
        TokenType t = types[id];
        return t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN;
    }
}
