package io.agentcouncil.engine;

import io.agentcouncil.gguf.GgmlType;
import io.agentcouncil.gguf.GgufBuilder;
import io.agentcouncil.gguf.GgufValueType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small {@code qwen3} GGUF with seeded random weights, for checking the qwen3 forward pass (and
 * the Q5_K kernel, which no roster file uses) against llama.cpp: no Qwen3 model ships in a
 * package this project can fetch. Its shape has what sets qwen3 apart: a head size (128) that is
 * not n_embd / n_head, QK-norm weights, grouped KV heads, no biases. Every weight type the
 * K-quant kernels run appears. The vocabulary is GPT-2's 256 byte tokens plus control tokens,
 * with no merges: the tests feed token ids.
 *
 * <p>The bytes depend only on this code: the reference file records their SHA-256, so a change
 * here fails the test until the reference is made again ({@code scripts/reference/README.md}).
 */
final class SyntheticQwen3 {
    static final int N_VOCAB = 512;
    static final int N_EMBD = 256;
    static final int N_LAYER = 2;
    static final int N_HEAD = 4;
    static final int N_HEAD_KV = 2;
    static final int HEAD_DIM = 128;
    static final int N_FF = 768;
    static final long SEED = 20261201L;

    private final SplittableRandom rng = new SplittableRandom(SEED);

    /** Writes the model to {@code path} and returns it. */
    static Path write(Path path) throws IOException {
        Files.write(path, new SyntheticQwen3().build());
        return path;
    }

    private byte[] build() {
        GgufBuilder g = new GgufBuilder()
                .kv("general.architecture", GgufValueType.STRING, "qwen3")
                .kv("general.name", GgufValueType.STRING, "synthetic qwen3 (random weights)")
                .kv("qwen3.context_length", GgufValueType.UINT32, 4096L)
                .kv("qwen3.embedding_length", GgufValueType.UINT32, (long) N_EMBD)
                .kv("qwen3.block_count", GgufValueType.UINT32, (long) N_LAYER)
                .kv("qwen3.feed_forward_length", GgufValueType.UINT32, (long) N_FF)
                .kv("qwen3.attention.head_count", GgufValueType.UINT32, (long) N_HEAD)
                .kv("qwen3.attention.head_count_kv", GgufValueType.UINT32, (long) N_HEAD_KV)
                .kv("qwen3.attention.key_length", GgufValueType.UINT32, (long) HEAD_DIM)
                .kv("qwen3.attention.value_length", GgufValueType.UINT32, (long) HEAD_DIM)
                .kv("qwen3.rope.freq_base", GgufValueType.FLOAT32, 1000000.0f)
                .kv("qwen3.attention.layer_norm_rms_epsilon", GgufValueType.FLOAT32, 1e-6f);
        vocabulary(g);
        int qDim = N_HEAD * HEAD_DIM, kvDim = N_HEAD_KV * HEAD_DIM;
        g.tensor("token_embd.weight", GgmlType.Q8_0, blocks(GgmlType.Q8_0, (long) N_EMBD * N_VOCAB), N_EMBD, N_VOCAB);
        g.tensor("output_norm.weight", GgmlType.F32, norm(N_EMBD), N_EMBD);
        g.tensor("output.weight", GgmlType.Q6_K, blocks(GgmlType.Q6_K, (long) N_EMBD * N_VOCAB), N_EMBD, N_VOCAB);
        for (int i = 0; i < N_LAYER; i++) {
            String b = "blk." + i + ".";
            g.tensor(b + "attn_norm.weight", GgmlType.F32, norm(N_EMBD), N_EMBD);
            g.tensor(b + "attn_q.weight", GgmlType.Q5_K, blocks(GgmlType.Q5_K, (long) N_EMBD * qDim), N_EMBD, qDim);
            g.tensor(b + "attn_k.weight", GgmlType.Q4_K, blocks(GgmlType.Q4_K, (long) N_EMBD * kvDim), N_EMBD, kvDim);
            g.tensor(b + "attn_v.weight", GgmlType.Q6_K, blocks(GgmlType.Q6_K, (long) N_EMBD * kvDim), N_EMBD, kvDim);
            g.tensor(b + "attn_q_norm.weight", GgmlType.F32, norm(HEAD_DIM), HEAD_DIM);
            g.tensor(b + "attn_k_norm.weight", GgmlType.F32, norm(HEAD_DIM), HEAD_DIM);
            g.tensor(b + "attn_output.weight", GgmlType.Q5_0, blocks(GgmlType.Q5_0, (long) qDim * N_EMBD), qDim, N_EMBD);
            g.tensor(b + "ffn_norm.weight", GgmlType.F32, norm(N_EMBD), N_EMBD);
            g.tensor(b + "ffn_gate.weight", GgmlType.Q4_K, blocks(GgmlType.Q4_K, (long) N_EMBD * N_FF), N_EMBD, N_FF);
            g.tensor(b + "ffn_up.weight", GgmlType.Q5_K, blocks(GgmlType.Q5_K, (long) N_EMBD * N_FF), N_EMBD, N_FF);
            g.tensor(b + "ffn_down.weight", GgmlType.Q6_K, blocks(GgmlType.Q6_K, (long) N_FF * N_EMBD), N_FF, N_EMBD);
        }
        return g.build();
    }

    /** GPT-2 byte tokens 0..255 (token id = byte), then control tokens; no merges. */
    private static void vocabulary(GgufBuilder g) {
        Object[] tokens = new Object[N_VOCAB];
        Object[] types = new Object[N_VOCAB];
        int[] unicodeOf = gpt2ByteToUnicode();
        for (int b = 0; b < 256; b++) {
            tokens[b] = new String(Character.toChars(unicodeOf[b]));
            types[b] = 1; // normal
        }
        tokens[256] = "<|endoftext|>";
        tokens[257] = "<|im_start|>";
        tokens[258] = "<|im_end|>";
        for (int t = 259; t < N_VOCAB; t++) {
            tokens[t] = "<|extra_" + t + "|>";
        }
        for (int t = 256; t < N_VOCAB; t++) {
            types[t] = 3; // control
        }
        g.kv("tokenizer.ggml.model", GgufValueType.STRING, "gpt2")
                .kv("tokenizer.ggml.pre", GgufValueType.STRING, "qwen2")
                .array("tokenizer.ggml.tokens", GgufValueType.STRING, tokens)
                .array("tokenizer.ggml.token_type", GgufValueType.INT32, types)
                .array("tokenizer.ggml.merges", GgufValueType.STRING)
                .kv("tokenizer.ggml.eos_token_id", GgufValueType.UINT32, 258L)
                .kv("tokenizer.ggml.padding_token_id", GgufValueType.UINT32, 256L)
                .kv("tokenizer.ggml.bos_token_id", GgufValueType.UINT32, 256L)
                .kv("tokenizer.ggml.add_bos_token", GgufValueType.BOOL, false);
    }

    /** GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the rest 256 + n. */
    private static int[] gpt2ByteToUnicode() {
        int[] map = new int[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? b : next++;
        }
        return map;
    }

    /** F32 norm weights around 1. */
    private byte[] norm(int n) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            buf.putFloat((float) (1.0 + 0.2 * (rng.nextDouble() - 0.5)));
        }
        return buf.array();
    }

    /**
     * Random blocks of a quantized type: random quant bits, and fp16 block scales chosen so that
     * a weight is around 0.05 in magnitude (an embedding around 1), given each type's range of
     * quant values and sub-block scales; K-quant mins about centre the weights on zero.
     */
    private byte[] blocks(GgmlType type, long elements) {
        int n = (int) type.byteSize(elements);
        byte[] out = new byte[n];
        rng.nextBytes(out);
        int blockBytes = type.bytesPerBlock();
        for (int off = 0; off < n; off += blockBytes) {
            switch (type) {
                case Q8_0 -> { // d * (-127..127): d ~ 2^-6
                    half(out, off, 9);
                    for (int j = 0; j < 32; j++) {
                        out[off + 2 + j] = (byte) Math.max(-127, out[off + 2 + j]);
                    }
                }
                case Q5_0 -> half(out, off, 8); // d * (-16..15): d ~ 2^-7
                case Q4_K -> { // d * scale(0..63) * q(0..15) - dmin * min(0..63)
                    half(out, off, 3);
                    half(out, off + 2, 6);
                }
                case Q5_K -> { // d * scale(0..63) * q(0..31) - dmin * min(0..63)
                    half(out, off, 2);
                    half(out, off + 2, 6);
                }
                case Q6_K -> { // d * scale * (q - 32), scales limited to -16..15
                    for (int j = 0; j < 16; j++) {
                        out[off + 192 + j] = (byte) (out[off + 192 + j] >> 3);
                    }
                    half(out, off + 208, 4);
                }
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return out;
    }

    /** A positive fp16 at out[off..off+2): 2^(exponent - 15) times 1.mantissa, mantissa random. */
    private void half(byte[] out, int off, int exponent) {
        int bits = (exponent << 10) | rng.nextInt(1 << 10);
        out[off] = (byte) bits;
        out[off + 1] = (byte) (bits >>> 8);
    }
}
