// forward.cpp - the forward pass of the llama family (SmolLM2, Llama 2/3; Qwen2, Qwen3;
// Gemma 3), numerically as llama.cpp:
//
//   x = token_embd[tokens]                             gemma3: * sqrt(n_embd)
//   for each layer:
//       h = rms_norm(x) * attn_norm
//       q, k, v = wq h, wk h, wv h                     qwen2: + bq, bk, bv
//       q, k = rms_norm(q) * q_norm, ... per head      qwen3, gemma3
//       q, k = rope(q), rope(k)                        llama: adjacent pairs (x[2i], x[2i+1]);
//                                                      others: NeoX halves (x[i], x[i + n_rot/2])
//       cache <- k, v                                  F16
//       a = softmax(q k^T / sqrt(head_dim) + mask) v   per head, GQA; the mask is causal, and
//                                                      gemma3's local layers see n_swa positions
//       x = x + wo a                                   gemma3: + rms_norm(wo a) * post_norm
//       h = rms_norm(x) * ffn_norm
//       x = x + ffn_down(silu(ffn_gate h) * ffn_up h)  gemma3: gelu, and a post norm as above
//   logits = output (rms_norm(x) * output_norm)        output is token_embd when tied
//
// A batch of tokens is one pass: every matmul multiplies a weight by all the batch's rows at
// once through the kernels' batched matmul, split by weight rows across the thread pool.
// Attention is per query head and tile of query tokens, over each token's causal prefix,
// and also uses the kernels: scores = K q (K is F16, rows are positions) and out = Vt p (V is
// cached transposed, rows are head dimensions), which is how ggml computes it without flash
// attention: queries and probabilities are rounded to F16 on the way in, dot products summed
// in F32.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <initializer_list>

#include "engine.h"
#include "fp16.h"
#include "kernels.h"

namespace ac {
namespace {

// ---- per-row operations ----------------------------------------------------------------------

// out = x / sqrt(mean(x^2) + eps) * w, summing squares in double as ggml does.
void rms_norm(const float *x, const float *w, int64_t n, float eps, float *out) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i] * x[i]);
    const float mean = static_cast<float>(sum / static_cast<double>(n));
    const float scale = 1.0f / std::sqrt(mean + eps);
    for (int64_t i = 0; i < n; ++i) out[i] = (x[i] * scale) * w[i];
}

void add_inplace(float *x, const float *y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) x[i] += y[i];
}

// x += y, or with gemma3's post norm x += rms_norm(y) * post_norm (y normed in place).
void add_residual(float *x, float *y, const Tensor &post_norm, int64_t n, float eps) {
    if (post_norm.data != nullptr) rms_norm(y, post_norm.f32(), n, eps, y);
    add_inplace(x, y, n);
}

// GELU as ggml's CPU backend computes it: a table over the fp16 inputs of the tanh approximation
// 0.5 x (1 + tanh(sqrt(2/pi) x (1 + 0.044715 x^2))) in float (contracted as GCC contracts ggml's
// C), rounded to fp16; below -10 it is 0, from 10 on x itself.
struct GeluTable {
    uint16_t value[1 << 16];
    GeluTable() {
        for (uint32_t h = 0; h < (1u << 16); ++h) {
            const float x = fp16_to_fp32(static_cast<uint16_t>(h));
            const float inner = 0.79788456080286535587989211986876f * x * __builtin_fmaf(0.044715f * x, x, 1.0f);
            value[h] = fp32_to_fp16(0.5f * x * (1.0f + std::tanh(inner)));
        }
    }
};

const uint16_t *gelu_table() {
    static const GeluTable table;  // built on first use, thread-safely
    return table.value;
}

// out = gelu(gate) * up, elementwise (ggml_vec_geglu_f32).
void geglu(const float *gate, const float *up, int64_t n, float *out) {
    const uint16_t *table = gelu_table();
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        out[i] = g <= -10.0f ? 0.0f : g >= 10.0f ? g * up[i] : fp16_to_fp32(table[fp32_to_fp16(g)]) * up[i];
    }
}

// cos, sin of pos * base^(-2i/n_rot) for each pair i, computed as ggml's rope cache does
// (theta multiplied up in float), so the angles match llama.cpp bit for bit.
void rope_angles(int32_t pos, int32_t n_rot, float base, float *cos_sin) {
    const float theta_scale = std::pow(base, -2.0f / static_cast<float>(n_rot));
    float theta = static_cast<float>(pos);
    for (int32_t i = 0; i < n_rot; i += 2) {
        cos_sin[i] = std::cos(theta);
        cos_sin[i + 1] = std::sin(theta);
        theta *= theta_scale;
    }
}

// Rotates pair k, (x[a], x[a + offset]), by angle k; dimensions past n_rot stay as they are.
// llama.cpp's "normal" rope pairs adjacent dimensions (a = 2k, offset 1; GGUF converters permute
// the llama Q/K weights so that these are the right pairs), NeoX-style the two halves (a = k,
// offset n_rot / 2). The fmas are where GCC contracts ggml's x0*c - x1*s and x0*s + x1*c at -O3
// -march=native.
void rope(float *x, const float *cos_sin, int32_t n_rot, bool neox) {
    const int32_t offset = neox ? n_rot / 2 : 1;
    for (int32_t k = 0; k < n_rot / 2; ++k) {
        const float c = cos_sin[2 * k], s = cos_sin[2 * k + 1];
        float *p = x + (neox ? k : 2 * k);
        const float x0 = p[0], x1 = p[offset];
        p[0] = __builtin_fmaf(x0, c, -(x1 * s));
        p[offset] = __builtin_fmaf(x0, s, x1 * c);
    }
}

// What happens to a head's query or key between its projection and the cache: bias (qwen2),
// RMS norm (qwen3, gemma3), rope, and a scale (gemma3's queries; 1 otherwise).
void position_head(float *x, const float *bias, const Tensor &norm, const float *cos_sin, float scale, const HParams &hp) {
    if (bias != nullptr) add_inplace(x, bias, hp.head_dim);
    if (norm.data != nullptr) rms_norm(x, norm.f32(), hp.head_dim, hp.rms_norm_eps, x);
    rope(x, cos_sin, hp.n_rot, hp.rope_neox());
    if (scale != 1.0f) {
        for (int32_t d = 0; d < hp.head_dim; ++d) x[d] *= scale;
    }
}

// ---- batched matmuls -------------------------------------------------------------------------

struct MatMul {
    const Tensor *w;
    float *y;      // row b of the batch at y + b * ldy
    int64_t ldy;
};

// For batch rows b in [first, end): x_b = make_row(b, tmp) (a float row of n, possibly written
// into the thread's tmp), then y_i[b - first] = W_i x_b for every matmul i, in one parallel
// region: each thread prepares its share of the rows once per weight type, then, after a
// barrier, multiplies its share of every weight's rows by all of them.
template <class MakeRow>
void matmuls(Context &ctx, int32_t first, int32_t end, int64_t n, MakeRow &&make_row, std::initializer_list<MatMul> list) {
    const Kernels &K = kernels();
    MatMul mm[Context::kActSlots];
    int slot_of[Context::kActSlots];
    int32_t slot_type[Context::kActSlots];
    int count = 0, n_slots = 0;
    for (const MatMul &m : list) {
        int s = 0;
        while (s < n_slots && slot_type[s] != m.w->type) ++s;
        if (s == n_slots) slot_type[n_slots++] = m.w->type;
        slot_of[count] = s;
        mm[count++] = m;
    }
    const int32_t batch = end - first;
    const size_t act_stride = ctx.act_row_bytes;

    ctx.pool->run([&](int ith, int nth) {
        int64_t b0, b1;
        split_range(batch, ith, nth, 1, &b0, &b1);
        float *tmp = ctx.row_scratch(ith);
        for (int64_t b = b0; b < b1; ++b) {
            const float *row = make_row(first + static_cast<int32_t>(b), tmp);
            for (int s = 0; s < n_slots; ++s) {
                K.prepare(slot_type[s], row, n, ctx.act[s].bytes() + static_cast<size_t>(b) * act_stride);
            }
        }
        ctx.pool->barrier();
        for (int i = 0; i < count; ++i) {
            const Tensor &w = *mm[i].w;
            int64_t r0, r1;
            split_range(w.rows, ith, nth, 16, &r0, &r1);
            if (r0 < r1) {
                K.matmul(w.type, w.data, w.row_stride, n, ctx.act[slot_of[i]].bytes(), act_stride, batch, mm[i].y, mm[i].ldy, r0, r1,
                         batch);
            }
        }
    });
}

// ---- attention -------------------------------------------------------------------------------

// Bias, norm and RoPE on the batch's q and k, k and v into the cache at positions n_past.., then
// causal grouped-query attention of every query head over its token's prefix, into ctx.attn.
void attention(Context &ctx, int il, int32_t n_tokens) {
    const HParams &hp = ctx.model->hp;
    const Layer &L = ctx.model->layers[static_cast<size_t>(il)];
    const Kernels &K = kernels();
    const int32_t Q = hp.q_dim(), KV = hp.kv_dim(), hd = hp.head_dim, n_rot = hp.n_rot;
    const float *bq = L.bq.data ? L.bq.f32() : nullptr, *bk = L.bk.data ? L.bk.f32() : nullptr;
    const float *bv = L.bv.data ? L.bv.f32() : nullptr;
    const int32_t p0 = ctx.n_past;
    float *q = ctx.q.as<float>(), *k = ctx.k.as<float>(), *v = ctx.v.as<float>(), *out = ctx.attn.as<float>();
    const bool swa = hp.is_swa(il);
    const float *cos_sin = (swa ? ctx.rope_cos_sin_swa : ctx.rope_cos_sin).as<float>();
    uint16_t *k_cache = ctx.k_cache.as<uint16_t>(), *v_cache = ctx.v_cache.as<uint16_t>();
    const size_t kv_stride = static_cast<size_t>(ctx.kv_stride);
    // 1/sqrt(head_dim): on the scores in softmax, as llama.cpp's kq_scale; gemma3 scales the
    // queries instead (its f_attention_scale, with kq_scale 1), which rounds differently.
    const float kq_scale = 1.0f / std::sqrt(static_cast<float>(hd));
    const float q_scale = hp.arch == Arch::gemma3 ? kq_scale : 1.0f;
    const float softmax_scale = hp.arch == Arch::gemma3 ? 1.0f : kq_scale;

    const int32_t n_tiles = (n_tokens + kAttnTile - 1) / kAttnTile;
    const int32_t n_tasks = hp.n_head * n_tiles;
    std::atomic<int32_t> next_task{0};

    const size_t q_row = activation_row_bytes(GGML_F16, hd);

    ctx.pool->run([&](int ith, int nth) {
        // 1. positions into q and k, and the new keys and values into the cache (split by token)
        int64_t t0, t1;
        split_range(n_tokens, ith, nth, 1, &t0, &t1);
        for (int64_t t = t0; t < t1; ++t) {
            const float *cs = cos_sin + t * n_rot;
            for (int32_t h = 0; h < hp.n_head; ++h) {
                position_head(q + t * Q + h * hd, bq ? bq + h * hd : nullptr, L.attn_q_norm, cs, q_scale, hp);
            }
            const size_t pos = static_cast<size_t>(p0 + t);
            for (int32_t g = 0; g < hp.n_head_kv; ++g) {
                float *kt = k + t * KV + g * hd;
                position_head(kt, bk ? bk + g * hd : nullptr, L.attn_k_norm, cs, 1.0f, hp);
                uint16_t *kc = k_cache + ctx.k_offset(il, g) + pos * static_cast<size_t>(hd);
                for (int32_t d = 0; d < hd; ++d) kc[d] = fp32_to_fp16(kt[d]);
                float *vt = v + t * KV + g * hd;
                if (bv != nullptr) add_inplace(vt, bv + g * hd, hd);
                uint16_t *vc = v_cache + ctx.v_offset(il, g) + pos;
                for (int32_t d = 0; d < hd; ++d) vc[static_cast<size_t>(d) * kv_stride] = fp32_to_fp16(vt[d]);
            }
        }
        ctx.pool->barrier();

        // 2. tasks of (query head, tile of query tokens), taken in turn by whichever thread is free
        uint8_t *q_act = ctx.attn_q_scratch(ith);
        float *scores = ctx.attn_scores_scratch(ith);
        uint8_t *p_act = ctx.attn_p_scratch(ith);
        for (int32_t task; (task = next_task.fetch_add(1, std::memory_order_relaxed)) < n_tasks;) {
            const int32_t h = task % hp.n_head;
            const int32_t first = (task / hp.n_head) * kAttnTile;
            const int32_t count = std::min(kAttnTile, n_tokens - first);
            const int32_t g = h / hp.gqa_ratio();
            const int64_t n_kv = p0 + first + count;  // positions the tile's last token sees
            const int64_t n_pad = (n_kv + kKvPad - 1) / kKvPad * kKvPad;
            const size_t p_row = activation_row_bytes(GGML_F16, n_pad);

            for (int32_t i = 0; i < count; ++i) {
                K.prepare(GGML_F16, q + static_cast<int64_t>(first + i) * Q + h * hd, hd, q_act + static_cast<size_t>(i) * q_row);
            }
            // scores[i][j] = k_j . q_i
            K.matmul(GGML_F16, k_cache + ctx.k_offset(il, g), static_cast<size_t>(hd) * 2, hd, q_act, q_row, count, scores, n_pad, 0,
                     n_kv, n_tokens);  // ggml multiplies all of a head's queries at once
            for (int32_t i = 0; i < count; ++i) {
                float *s = scores + static_cast<int64_t>(i) * n_pad;
                const int64_t n_seen = p0 + first + i + 1;
                if (swa) {  // positions n_swa or more behind this one are masked out, as with -inf
                    for (int64_t j = 0; j < n_seen - hp.n_swa; ++j) s[j] = -__builtin_inff();
                }
                K.softmax(s, n_seen, n_pad, softmax_scale);
                K.prepare(GGML_F16, s, n_pad, p_act + static_cast<size_t>(i) * p_row);
            }
            // out[i][d] = sum_j p_i[j] v_j[d]: rows of Vt are head dimensions
            K.matmul(GGML_F16, v_cache + ctx.v_offset(il, g), kv_stride * 2, n_pad, p_act, p_row, count,
                     out + static_cast<int64_t>(first) * Q + h * hd, Q, 0, hd, n_tokens);
        }
    });
}

// One pass over n_tokens <= max_batch tokens. logits: NULL, or rows for every token
// (all_logits) or for the last one.
void forward_batch(Context &ctx, const int32_t *tokens, int32_t n_tokens, bool all_logits, float *logits) {
    const Model &m = *ctx.model;
    const HParams &hp = m.hp;
    const Kernels &K = kernels();
    const int64_t E = hp.n_embd, Q = hp.q_dim(), KV = hp.kv_dim(), FF = hp.n_ff;
    const float eps = hp.rms_norm_eps;
    float *x = ctx.x.as<float>(), *q = ctx.q.as<float>(), *k = ctx.k.as<float>(), *v = ctx.v.as<float>();
    float *attn = ctx.attn.as<float>(), *proj = ctx.proj.as<float>(), *gate = ctx.gate.as<float>(), *up = ctx.up.as<float>();

    for (int32_t t = 0; t < n_tokens; ++t) {
        rope_angles(ctx.n_past + t, hp.n_rot, hp.rope_freq_base, ctx.rope_cos_sin.as<float>() + static_cast<int64_t>(t) * hp.n_rot);
        if (hp.n_swa > 0) {
            rope_angles(ctx.n_past + t, hp.n_rot, hp.rope_freq_base_swa,
                        ctx.rope_cos_sin_swa.as<float>() + static_cast<int64_t>(t) * hp.n_rot);
        }
    }
    const float embd_scale = hp.arch == Arch::gemma3 ? std::sqrt(static_cast<float>(E)) : 1.0f;

    for (int32_t il = 0; il < hp.n_layer; ++il) {
        const Layer &L = m.layers[static_cast<size_t>(il)];

        // attention block; the previous block's residual add is folded in here
        matmuls(
            ctx, 0, n_tokens, E,
            [&](int32_t t, float *tmp) {
                float *xt = x + t * E;
                if (il == 0) {
                    K.get_row(m.token_embd.type, m.token_embd.data, E, tokens[t], xt);
                    if (embd_scale != 1.0f) {
                        for (int64_t i = 0; i < E; ++i) xt[i] *= embd_scale;
                    }
                } else {
                    add_residual(xt, proj + t * E, m.layers[static_cast<size_t>(il - 1)].ffn_post_norm, E, eps);
                }
                rms_norm(xt, L.attn_norm.f32(), E, eps, tmp);
                return tmp;
            },
            {{&L.wq, q, Q}, {&L.wk, k, KV}, {&L.wv, v, KV}});
        attention(ctx, il, n_tokens);
        matmuls(ctx, 0, n_tokens, Q, [&](int32_t t, float *) { return attn + t * Q; }, {{&L.wo, proj, E}});

        // feed-forward block
        matmuls(
            ctx, 0, n_tokens, E,
            [&](int32_t t, float *tmp) {
                float *xt = x + t * E;
                add_residual(xt, proj + t * E, L.attn_post_norm, E, eps);
                rms_norm(xt, L.ffn_norm.f32(), E, eps, tmp);
                return tmp;
            },
            {{&L.ffn_gate, gate, FF}, {&L.ffn_up, up, FF}});
        matmuls(
            ctx, 0, n_tokens, FF,
            [&](int32_t t, float *tmp) {
                if (hp.arch == Arch::gemma3) {
                    geglu(gate + t * FF, up + t * FF, FF, tmp);
                } else {
                    K.swiglu(gate + t * FF, up + t * FF, FF, tmp);
                }
                return tmp;
            },
            {{&L.ffn_down, proj, E}});
    }

    if (logits != nullptr) {
        matmuls(
            ctx, all_logits ? 0 : n_tokens - 1, n_tokens, E,
            [&](int32_t t, float *tmp) {
                float *xt = x + t * E;
                add_residual(xt, proj + t * E, m.layers.back().ffn_post_norm, E, eps);
                rms_norm(xt, m.output_norm.f32(), E, eps, tmp);
                return tmp;
            },
            {{&m.output, logits, hp.n_vocab}});
    }
    ctx.n_past += n_tokens;
}

}  // namespace

void forward(Context &ctx, const int32_t *tokens, int32_t n_tokens, bool all_logits, float *logits) {
    const int64_t n_vocab = ctx.model->hp.n_vocab;
    for (int32_t done = 0; done < n_tokens;) {
        const int32_t n = std::min(ctx.max_batch, n_tokens - done);
        const bool last = done + n == n_tokens;
        float *out = all_logits ? logits + static_cast<int64_t>(done) * n_vocab : (last ? logits : nullptr);
        forward_batch(ctx, tokens + done, n, all_logits, out);
        done += n;
    }
}

}  // namespace ac
