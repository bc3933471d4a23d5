package io.agentcouncil.cli;

import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgmlType;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufMetadata;
import io.agentcouncil.gguf.GgufTensor;
import io.agentcouncil.tokenizer.Tokenizer;
import io.agentcouncil.tokenizer.Vocabulary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code inspect} says about a GGUF file, read once and then printed as text or JSON.
 * Optional hyper-parameters are null when the file does not record them.
 *
 * @param tokenizerProblem why this engine cannot tokenize for the model, or null when it can
 */
record ModelReport(
        Path file,
        long size,
        int ggufVersion,
        String name,
        String architecture,
        long parameters,
        int tensorCount,
        List<TypeUsage> tensorTypes,
        Long fileType,
        Long contextLength,
        Long embeddingLength,
        Long blockCount,
        Long headCount,
        Long headCountKv,
        Integer vocabSize,
        String tokenizerModel,
        String tokenizerPre,
        String tokenizerProblem,
        SpecialToken bos,
        SpecialToken eos,
        SpecialToken eot,
        String chatTemplate) {

    /** How many tensors of one type the file holds, and their bytes. */
    record TypeUsage(GgmlType type, int tensors, long bytes) {}

    record SpecialToken(int id, String text) {}

    static ModelReport of(Path path, GgufFile gguf) {
        GgufMetadata md = gguf.metadata();
        String arch = md.getString("general.architecture", null);
        long parameters = 0;
        Map<GgmlType, long[]> byType = new EnumMap<>(GgmlType.class);
        for (GgufTensor t : gguf.tensors()) {
            parameters += t.elements();
            long[] usage = byType.computeIfAbsent(t.type(), k -> new long[2]);
            usage[0]++;
            usage[1] += t.byteSize();
        }
        List<TypeUsage> types = new ArrayList<>();
        byType.forEach((type, u) -> types.add(new TypeUsage(type, (int) u[0], u[1])));
        types.sort(Comparator.comparingLong(TypeUsage::bytes).reversed());

        String[] tokens = md.get("tokenizer.ggml.tokens") instanceof String[] a ? a : null;
        Vocabulary vocab = null;
        String problem = null;
        if (!md.has("tokenizer.ggml.model")) {
            problem = "the file has no tokenizer (tokenizer.ggml.model)";
        } else {
            try {
                vocab = Tokenizer.fromGguf(md).vocabulary();
            } catch (UnsupportedModelException e) {
                problem = e.getMessage(); // still worth inspecting: everything else is readable
            }
        }
        // The engine's view where it can tokenize, since the vocabulary also infers EOT from marker
        // texts such as <|im_end|>; otherwise the ids the metadata records.
        int bos = vocab != null ? vocab.bos() : recordedId(md, "bos");
        int eos = vocab != null ? vocab.eos() : recordedId(md, "eos");
        int eot = vocab != null ? vocab.eot() : recordedId(md, "eot");
        String prefix = arch + ".";
        return new ModelReport(path, gguf.fileSize(), gguf.version(),
                md.getString("general.name", null), arch, parameters, gguf.tensors().size(), types,
                optionalInt(md, "general.file_type"),
                optionalInt(md, prefix + "context_length"),
                optionalInt(md, prefix + "embedding_length"),
                optionalInt(md, prefix + "block_count"),
                optionalInt(md, prefix + "attention.head_count"),
                optionalInt(md, prefix + "attention.head_count_kv"),
                tokens == null ? null : tokens.length,
                md.getString("tokenizer.ggml.model", null),
                md.getString("tokenizer.ggml.pre", null),
                problem,
                special(tokens, bos),
                special(tokens, eos),
                special(tokens, eot),
                md.getString("tokenizer.chat_template", null));
    }

    /**
     * An integer hyper-parameter, or null. Some architectures store per-layer arrays (head counts
     * of hybrid models); those are not a malformed file, just not one number to show.
     */
    private static Long optionalInt(GgufMetadata md, String key) {
        Object v = md.get(key);
        return v instanceof Integer || v instanceof Long ? md.getLong(key) : null;
    }

    /** The token with this id and its text, or null for {@link Vocabulary#NONE} or an id outside the table. */
    private static SpecialToken special(String[] tokens, int id) {
        return tokens == null || id < 0 || id >= tokens.length ? null : new SpecialToken(id, tokens[id]);
    }

    private static int recordedId(GgufMetadata md, String role) {
        Long id = optionalInt(md, "tokenizer.ggml." + role + "_token_id");
        return id == null ? Vocabulary.NONE : id.intValue();
    }
}
