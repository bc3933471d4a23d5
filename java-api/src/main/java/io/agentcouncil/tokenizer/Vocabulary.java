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

    /*
     * Converters do not always type chat and infill markers as control tokens, so llama.cpp
     * recognises them by their text; so must we, or "<|im_end|>" would be tokenized as plain text.
     * The first text of each role found becomes that role's token.
     */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<end_of_utterance>");
    private static final List<List<String>> FIM_TEXTS = List.of(
            List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<PRE>", "<|code_prefix|>", "<|prefix|>"),
            List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<SUF>", "<|code_suffix|>", "<|suffix|>"),
            List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<MID>", "<|code_middle|>", "<|middle|>"));
    /** Infill markers that also end generation: pad, repository, file separator. */
    private static final List<List<String>> FIM_EOG_TEXTS = List.of(
            List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"),
            List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"),
            List.of("<|file_sep|>"));
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>");

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

        int eotId = specialId(md, "tokenizer.ggml.eot_token_id", NONE);
        if (eotId == NONE) {
            eotId = firstOf(EOT_TEXTS);
        }
        eot = eotId;
        int eom = specialId(md, "tokenizer.ggml.eom_token_id", firstOf(List.of("<|eom_id|>")));
        for (List<String> role : FIM_TEXTS) {
            firstOf(role);
        }
        for (List<String> role : FIM_EOG_TEXTS) {
            int id = firstOf(role);
            if (id != NONE) {
                endOfGeneration.set(id);
            }
        }
        for (String t : EOG_TEXTS) {
            int id = firstOf(List.of(t));
            if (id != NONE) {
                endOfGeneration.set(id);
            }
        }
        for (int id : new int[] {eos, eot, eom}) {
            if (id != NONE) {
                endOfGeneration.set(id);
            }
        }
        // Harmony-style vocabularies end turns with <|return|>/<|call|>; their <|end|> only ends a message.
        int end = id("<|end|>");
        if (end != NONE && endOfGeneration.get(end) && ((has("<|return|>") && has("<|call|>")) || (has("<|calls|>") && has("<|flush|>")))) {
            endOfGeneration.clear(end);
            types[end] = TokenType.USER_DEFINED;
        }
        // Where <|tool_response> exists, </s> is ordinary text.
        int closeS = id("</s>");
        if (closeS != NONE && has("<|tool_response>")) {
            endOfGeneration.clear(closeS);
            types[closeS] = TokenType.NORMAL;
        }
        for (String t : List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>")) {
            if (has(t)) {
                types[id(t)] = TokenType.USER_DEFINED; // always rendered, as llama.cpp does for gpt-oss
            }
        }
    }

    /** The id of the first of {@code texts} in the vocabulary, now typed as a control token; or NONE. */
    private int firstOf(List<String> texts) {
        for (String t : texts) {
            Integer id = ids.get(t);
            if (id != null) {
                types[id] = TokenType.CONTROL;
                return id;
            }
        }
        return NONE;
    }

    private boolean has(String text) {
        return ids.containsKey(text);
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
