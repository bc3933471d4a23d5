package io.agentcouncil.engine;

import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgmlType;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.gguf.GgufMetadata;
import io.agentcouncil.gguf.GgufTensor;
import io.agentcouncil.natives.AgentCouncilNative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyper-parameters of a GGUF file of the llama family ({@code llama}, {@code qwen2},
 * {@code qwen3}, {@code gemma3}) and the tensors its forward pass reads, checked in Java before anything reaches
 * the native engine: a file this engine cannot run is an {@link UnsupportedModelException} naming
 * the architecture, feature or tensor type; a file whose tensors contradict its own metadata is a
 * {@link GgufFormatException}.
 */
record HyperParameters(
        Architecture arch,
        int nVocab,
        int nEmbd,
        int nLayer,
        int nHead,
        int nHeadKv,
        int nFf,
        int headDim,
        int nRot,
        float ropeFreqBase,
        float rmsNormEps,
        int contextLength,
        SlidingWindow slidingWindow) {

    /**
     * Gemma 3's local layers: all but every {@code pattern}-th attend to the last {@code size}
     * positions only, with RoPE base {@code ropeFreqBase}; {@link #NONE} for the others.
     */
    record SlidingWindow(int size, int pattern, float ropeFreqBase) {
        static final SlidingWindow NONE = new SlidingWindow(0, 0, 0f);
    }

    /** The architectures the engine runs: what each adds to the llama forward pass. */
    enum Architecture {
        LLAMA("llama", false, false, false),
        /** Bias on the q, k and v projections. */
        QWEN2("qwen2", true, false, false),
        /** RMS norm of every query and key head (QK-norm); a head size of its own. */
        QWEN3("qwen3", false, true, false),
        /**
         * QK-norm and a head size of its own; norms after attention and FFN; a GELU FFN; scaled
         * embeddings; sliding-window local layers (the native engine knows the arithmetic).
         */
        GEMMA3("gemma3", false, true, true);

        final String ggufName;
        final boolean qkvBias;
        final boolean qkNorm;
        final boolean postNorms;

        Architecture(String ggufName, boolean qkvBias, boolean qkNorm, boolean postNorms) {
            this.ggufName = ggufName;
            this.qkvBias = qkvBias;
            this.qkNorm = qkNorm;
            this.postNorms = postNorms;
        }

        /** Whether the file gives the head size (attention.key_length) rather than implying it. */
        boolean ownHeadSize() {
            return this == QWEN3 || this == GEMMA3;
        }

        static Architecture of(String name) {
            for (Architecture a : values()) {
                if (a.ggufName.equals(name)) {
                    return a;
                }
            }
            return null;
        }

        static String supported() {
            StringBuilder sb = new StringBuilder();
            for (Architecture a : values()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(a.ggufName);
            }
            return sb.toString();
        }
    }

    int qDim() {
        return nHead * headDim;
    }

    /**
     * Reads {@code <arch>.*} metadata and checks every tensor: the expected set (no more, no less,
     * {@code output.weight} optional), types the kernels run (norms and biases F32), shapes the
     * numbers imply. Returns the tensors to hand to the engine, in the file's order.
     */
    static HyperParameters read(GgufFile file, List<GgufTensor> used) {
        String archName = file.metadata().getString("general.architecture", null);
        if (archName == null) {
            throw new GgufFormatException("metadata[\"general.architecture\"]", -1, "missing");
        }
        Architecture arch = Architecture.of(archName);
        if (arch == null) {
            throw new UnsupportedModelException("architecture \"" + archName + "\" (general.architecture) is not supported; supported: "
                    + Architecture.supported());
        }
        GgufMetadata md = file.metadata();
        String p = arch.ggufName + ".";
        int nEmbd = positive(md, p + "embedding_length", md.getInt(p + "embedding_length"));
        int nLayer = positive(md, p + "block_count", md.getInt(p + "block_count"));
        int nFf = positive(md, p + "feed_forward_length", md.getInt(p + "feed_forward_length"));
        int nHead = positive(md, p + "attention.head_count", md.getInt(p + "attention.head_count"));
        int nHeadKv = positive(md, p + "attention.head_count_kv", md.getInt(p + "attention.head_count_kv", nHead));
        int contextLength = positive(md, p + "context_length", md.getInt(p + "context_length"));
        if (nHead % nHeadKv != 0) {
            throw new GgufFormatException("metadata[\"" + p + "attention.head_count_kv\"]", -1,
                    "head count " + nHead + " is not a multiple of the KV head count " + nHeadKv);
        }
        // qwen3 and gemma3 give the head size; the others imply it.
        int headDim;
        if (arch.ownHeadSize()) {
            headDim = positive(md, p + "attention.key_length", md.getInt(p + "attention.key_length", nEmbd / nHead));
        } else {
            if (nEmbd % nHead != 0) {
                throw new GgufFormatException("metadata[\"" + p + "embedding_length\"]", -1,
                        nEmbd + " is not a multiple of the head count " + nHead);
            }
            headDim = nEmbd / nHead;
        }
        for (String key : new String[] {p + "attention.key_length", p + "attention.value_length"}) {
            if (md.has(key) && md.getInt(key) != headDim) {
                throw new UnsupportedModelException(key + " = " + md.getInt(key) + " differs from the head size " + headDim
                        + ", which this engine does not support");
            }
        }
        int nRot = md.getInt(p + "rope.dimension_count", headDim);
        if (nRot < 2 || nRot > headDim || nRot % 2 != 0) {
            throw new GgufFormatException("metadata[\"" + p + "rope.dimension_count\"]", -1,
                    nRot + " is not an even number in 2.." + headDim + " (the head size)");
        }
        String scaling = md.getString(p + "rope.scaling.type", "none");
        double scalingFactor = md.getDouble(p + "rope.scaling.factor", 1.0);
        if (!scaling.equals("none") && !(scaling.equals("linear") && scalingFactor == 1.0)) {
            throw new UnsupportedModelException("RoPE scaling \"" + scaling + "\" (factor " + scalingFactor + ") is not supported");
        }
        if (md.getLong(p + "expert_count", 0) > 0) {
            throw new UnsupportedModelException("mixture-of-experts models (" + p + "expert_count) are not supported");
        }
        float ropeFreqBase = (float) md.getDouble(p + "rope.freq_base", 10000.0);
        SlidingWindow window = SlidingWindow.NONE;
        if (arch == Architecture.GEMMA3) {
            if (md.getDouble(p + "final_logit_softcapping", 0.0) != 0.0) {
                throw new UnsupportedModelException(p + "final_logit_softcapping is not supported");
            }
            // llama.cpp's defaults for gemma3: every 6th layer global, local RoPE base 10000.
            window = new SlidingWindow(md.getInt(p + "attention.sliding_window", 0),
                    positive(md, p + "attention.sliding_window_pattern", md.getInt(p + "attention.sliding_window_pattern", 6)),
                    (float) md.getDouble(p + "rope.freq_base_swa", 10000.0));
            if (window.size() < 0 || !(window.ropeFreqBase() > 0 && Float.isFinite(window.ropeFreqBase()))) {
                throw new GgufFormatException("metadata[\"" + p + "attention.sliding_window\"]", -1, window + " is not a valid window");
            }
        }
        float eps = (float) md.getDouble(p + "attention.layer_norm_rms_epsilon");
        if (!(ropeFreqBase > 0 && Float.isFinite(ropeFreqBase))) {
            throw new GgufFormatException("metadata[\"" + p + "rope.freq_base\"]", -1, ropeFreqBase + " is not a positive number");
        }
        if (!(eps > 0 && Float.isFinite(eps))) {
            throw new GgufFormatException("metadata[\"" + p + "attention.layer_norm_rms_epsilon\"]", -1, eps + " is not a positive number");
        }

        GgufTensor embd = file.tensor("token_embd.weight");
        if (embd == null) {
            throw new GgufFormatException("tensor \"token_embd.weight\"", -1, "missing");
        }
        int nVocab = embd.dims() == 2 && embd.dim(1) > 0 && embd.dim(1) <= (1 << 24) ? (int) embd.dim(1) : -1;
        if (nVocab < 0) {
            throw new GgufFormatException("tensor \"token_embd.weight\"", -1, "shape " + Arrays.toString(embd.shape())
                    + " is not [embedding_length, vocabulary size]");
        }
        if (md.has(p + "vocab_size") && md.getLong(p + "vocab_size") != nVocab) {
            throw new GgufFormatException("metadata[\"" + p + "vocab_size\"]", -1, md.getLong(p + "vocab_size")
                    + " differs from the " + nVocab + " rows of token_embd.weight");
        }

        HyperParameters hp = new HyperParameters(arch, nVocab, nEmbd, nLayer, nHead, nHeadKv, nFf, headDim, nRot, ropeFreqBase, eps,
                contextLength, window);
        hp.checkTensors(file, used);
        return hp;
    }

    /** Shape [cols] for vectors (rows 0), [cols, rows] for matrices, and whether it must be F32. */
    private record Expected(long cols, long rows, boolean f32) {}

    private void checkTensors(GgufFile file, List<GgufTensor> used) {
        int kvDim = nHeadKv * headDim;
        int qDim = qDim();
        Map<String, Expected> expected = new LinkedHashMap<>();
        expected.put("token_embd.weight", new Expected(nEmbd, nVocab, false));
        expected.put("output_norm.weight", new Expected(nEmbd, 0, true));
        for (int i = 0; i < nLayer; i++) {
            String b = "blk." + i + ".";
            expected.put(b + "attn_norm.weight", new Expected(nEmbd, 0, true));
            expected.put(b + "attn_q.weight", new Expected(nEmbd, qDim, false));
            expected.put(b + "attn_k.weight", new Expected(nEmbd, kvDim, false));
            expected.put(b + "attn_v.weight", new Expected(nEmbd, kvDim, false));
            expected.put(b + "attn_output.weight", new Expected(qDim, nEmbd, false));
            if (arch.qkvBias) {
                expected.put(b + "attn_q.bias", new Expected(qDim, 0, true));
                expected.put(b + "attn_k.bias", new Expected(kvDim, 0, true));
                expected.put(b + "attn_v.bias", new Expected(kvDim, 0, true));
            }
            if (arch.qkNorm) {
                expected.put(b + "attn_q_norm.weight", new Expected(headDim, 0, true));
                expected.put(b + "attn_k_norm.weight", new Expected(headDim, 0, true));
            }
            if (arch.postNorms) {
                expected.put(b + "post_attention_norm.weight", new Expected(nEmbd, 0, true));
                expected.put(b + "post_ffw_norm.weight", new Expected(nEmbd, 0, true));
            }
            expected.put(b + "ffn_norm.weight", new Expected(nEmbd, 0, true));
            expected.put(b + "ffn_gate.weight", new Expected(nEmbd, nFf, false));
            expected.put(b + "ffn_up.weight", new Expected(nEmbd, nFf, false));
            expected.put(b + "ffn_down.weight", new Expected(nFf, nEmbd, false));
        }
        Expected output = new Expected(nEmbd, nVocab, false); // absent: tied to token_embd

        for (GgufTensor t : file.tensors()) {
            Expected e = expected.get(t.name());
            if (e == null && t.name().equals("output.weight")) {
                e = output;
            }
            if (e == null) {
                throw new UnsupportedModelException("tensor " + t.name() + " is not part of the " + arch.ggufName
                        + " forward pass this engine runs (RoPE frequency factors, experts and the like are not supported)");
            }
            checkTensor(t, e);
            used.add(t);
        }
        List<String> missing = new ArrayList<>();
        for (String name : expected.keySet()) {
            if (file.tensor(name) == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new GgufFormatException("tensor \"" + missing.get(0) + "\"", -1, "missing"
                    + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
        }
    }

    private static void checkTensor(GgufTensor t, Expected e) {
        GgmlType type = t.type();
        if (e.f32 ? type != GgmlType.F32 : AgentCouncilNative.ac_tensor_type_supported(type.id()) == 0) {
            throw new UnsupportedModelException("tensor " + t.name() + " has type " + type + ", which this engine does not run"
                    + (e.f32 ? " (norm weights and biases must be F32)" : "; supported: " + supportedTypes()));
        }
        long[] want = e.rows == 0 ? new long[] {e.cols} : new long[] {e.cols, e.rows};
        long[] have = t.shape();
        // Trailing dimensions of 1 are the same shape, as in ggml.
        int n = have.length;
        while (n > want.length && have[n - 1] == 1) {
            n--;
        }
        if (!Arrays.equals(Arrays.copyOf(have, n), want)) {
            throw new GgufFormatException("tensor \"" + t.name() + "\"", -1, "shape " + Arrays.toString(have)
                    + ", but the hyper-parameters imply " + Arrays.toString(want));
        }
    }

    static String supportedTypes() {
        StringBuilder sb = new StringBuilder();
        for (GgmlType type : GgmlType.values()) {
            if (AgentCouncilNative.ac_tensor_type_supported(type.id()) != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(type);
            }
        }
        return sb.toString();
    }

    private static int positive(GgufMetadata md, String key, int value) {
        if (value < 1) {
            throw new GgufFormatException("metadata[\"" + key + "\"]", -1, "value " + value + " is not positive");
        }
        return value;
    }
}
