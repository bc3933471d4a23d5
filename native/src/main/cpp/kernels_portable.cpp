// kernels_portable.cpp - the reference kernels in plain C++ (no ISA assumptions).
//
// Numerics follow ggml: quantized weights are dotted with activations quantized per 32-block
// to 8 bits (ggml's AVX2 quantize_row_q8_0/q8_1: d = amax/127 rounded to fp16, q = round half
// to even of x*127/amax); F16 and BF16 weights with activations rounded to F16 / BF16 (ggml's
// vec_dot_type for those types); F32 with F32. Sums follow ggml's order of float operations
// (kernels_impl.h) lane by lane, so the vectorised kernels must equal these bit for bit.
#include <cmath>
#include <cstring>

#include "fp16.h"
#include "kernels.h"
#include "kernels_impl.h"

namespace ac {
namespace {

// One 32-block of ggml's AVX2 quantize_row_q8_1 (q8_0 is the same without s).
void quantize_block_q8(const float *x, int8_t *qs, float *d_out, float *s_out, int32_t *isum_out) {
    float amax = 0.0f;
    for (int j = 0; j < kQK; ++j) {
        const float a = std::fabs(x[j]);
        amax = a > amax ? a : amax;
    }
    const float d = amax / 127.0f;
    const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
    int32_t sum = 0;
    for (int j = 0; j < kQK; ++j) {
        const float v = std::nearbyint(x[j] * id);  // round half to even, as _mm256_round_ps
        // Clamp only for non-finite input (no UB on the conversion); finite values are in range.
        const int32_t q = v >= -127.0f && v <= 127.0f ? static_cast<int32_t>(v) : (v > 0.0f ? 127 : -127);
        qs[j] = static_cast<int8_t>(q);
        sum += q;
    }
    *d_out = fp16_to_fp32(fp32_to_fp16(d));
    *s_out = fp16_to_fp32(fp32_to_fp16(d * static_cast<float>(sum)));
    *isum_out = sum;
}

// One super-block of ggml's quantize_row_q8_K (its reference C, which every CPU build uses).
void quantize_block_q8_K(const float *x, BlockQ8_K *y) {
    float max = 0.0f, amax = 0.0f;
    for (int j = 0; j < kQKK; ++j) {
        const float ax = std::fabs(x[j]);
        if (ax > amax) {
            amax = ax;
            max = x[j];
        }
    }
    std::memset(y, 0, sizeof(*y));
    if (amax == 0.0f) {
        return;
    }
    const float iscale = -127.0f / max;
    for (int j = 0; j < kQKK; ++j) {
        const float v = std::nearbyint(iscale * x[j]);  // ggml's nearest_int: half to even
        // Finite inputs stay in range; others become -128, as the vector conversion makes them.
        y->qs[j] = static_cast<int8_t>(v >= -128.0f && v <= 127.0f ? static_cast<int32_t>(v) : -128);
    }
    for (int j = 0; j < kQKK / 16; ++j) {
        int32_t sum = 0;
        for (int i = 0; i < 16; ++i) sum += y->qs[16 * j + i];
        y->bsums[j] = static_cast<int16_t>(sum);
    }
    y->d = 1.0f / iscale;
}

void prepare(int32_t type, const float *x, int64_t n, void *out) {
    switch (type) {
        case GGML_F32:
            std::memcpy(out, x, static_cast<size_t>(n) * sizeof(float));
            return;
        case GGML_F16: {
            auto *o = static_cast<uint16_t *>(out);
            for (int64_t i = 0; i < n; ++i) {
                o[i] = fp32_to_fp16(x[i]);
            }
            return;
        }
        case GGML_BF16: {
            auto *o = static_cast<uint16_t *>(out);
            for (int64_t i = 0; i < n; ++i) {
                o[i] = fp32_to_bf16(x[i]);
            }
            return;
        }
        case GGML_Q4_0:
        case GGML_Q4_1:
        case GGML_Q5_0:
        case GGML_Q8_0: {
            const ActQ8View a = act_q8_view(type, out, n);
            const int64_t nb = n / kQK;
            int8_t q[kQK];
            for (int64_t ib = 0; ib < nb; ++ib) {
                quantize_block_q8(x + ib * kQK, q, a.d + ib, a.s + ib, a.isum + ib);
                std::memcpy(a.qs + ib * kQK, q, kQK);
            }
            if (a.corr != nullptr) {
                act_q8_fill_corr(type, a, nb);
            }
            return;
        }
        case GGML_Q4_K:
        case GGML_Q5_K:
        case GGML_Q6_K:
            for (int64_t ib = 0; ib < n / kQKK; ++ib) {
                quantize_block_q8_K(x + ib * kQKK, static_cast<BlockQ8_K *>(out) + ib);
            }
            return;
        default:
            return;
    }
}

// 8 lanes of element i % 8, hsum8; a tail past the last multiple of 8 is added in order.
template <class Load>
float dot_float(const Load &load, int64_t n) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const int64_t n8 = n / 8 * 8;
    for (int64_t i = 0; i < n8; ++i) {
        float w, x;
        load(i, &w, &x);
        lane[i % 8] = __builtin_fmaf(w, x, lane[i % 8]);
    }
    float s = hsum8(lane);
    for (int64_t i = n8; i < n; ++i) {
        float w, x;
        load(i, &w, &x);
        s = __builtin_fmaf(w, x, s);
    }
    return s;
}

// ggml_vec_dot_f16's order: 4 x 8 lanes over whole groups of 32, then the tail in double
// (ggml_vec_dot_f32's tail is a float fma chain instead).
template <bool kFloatTail, class Load>
float gemv_float(const Load &load, int64_t n) {
    float acc[4][8] = {};
    const int64_t n32 = n / 32 * 32;
    for (int64_t i = 0; i < n32; ++i) {
        float w, x;
        load(i, &w, &x);
        float &lane = acc[(i / 8) % 4][i % 8];
        lane = __builtin_fmaf(w, x, lane);
    }
    const float r = gemv_reduce(acc);
    if (kFloatTail) {
        float s = r;
        for (int64_t i = n32; i < n; ++i) {
            float w, x;
            load(i, &w, &x);
            s = __builtin_fmaf(w, x, s);
        }
        return s;
    }
    double s = static_cast<double>(r);
    for (int64_t i = n32; i < n; ++i) {
        float w, x;
        load(i, &w, &x);
        s += static_cast<double>(w * x);
    }
    return static_cast<float>(s);
}

template <bool kFloatTail = false, class Load>
float dot_or_gemv(const Load &load, int64_t n, bool gemv) {
    return gemv ? gemv_float<kFloatTail>(load, n) : dot_float(load, n);
}

float dot_f32(const float *w, const float *x, int64_t n, bool gemv) {
    return dot_or_gemv<true>([&](int64_t i, float *a, float *b) { *a = w[i], *b = x[i]; }, n, gemv);
}

float dot_f16(const uint16_t *w, const uint16_t *x, int64_t n, bool gemv) {
    return dot_or_gemv([&](int64_t i, float *a, float *b) { *a = fp16_to_fp32(w[i]), *b = fp16_to_fp32(x[i]); }, n, gemv);
}

float dot_bf16(const uint16_t *w, const uint16_t *x, int64_t n, bool gemv) {
    return dot_or_gemv([&](int64_t i, float *a, float *b) { *a = bf16_to_fp32(w[i]), *b = bf16_to_fp32(x[i]); }, n, gemv);
}

// Weight element e of a Q4 block: low nibbles are elements 0..15, high nibbles 16..31.
inline int32_t nibble(const uint8_t *qs, int e) { return e < 16 ? (qs[e] & 0x0F) : (qs[e - 16] >> 4); }

// lane[k] += (d_w * d_x) * (integer dot of elements 4k..4k+3), for one block.
template <class Weight>
void add_block(const Weight &weight, const int8_t *q, float d, float lane[8]) {
    for (int k = 0; k < 8; ++k) {
        int32_t isum = 0;
        for (int e = 4 * k; e < 4 * k + 4; ++e) {
            isum += weight(e) * q[e];
        }
        lane[k] = __builtin_fmaf(d, static_cast<float>(isum), lane[k]);
    }
}

float dot_q4_0(const BlockQ4_0 *w, const ActQ8ConstView &x, int64_t nb) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t ib = 0; ib < nb; ++ib) {
        const uint8_t *qs = w[ib].qs;
        add_block([&](int e) { return nibble(qs, e) - 8; }, x.qs + ib * kQK, fp16_to_fp32(w[ib].d) * x.d[ib], lane);
    }
    return hsum8(lane);
}

float dot_q4_1(const BlockQ4_1 *w, const ActQ8ConstView &x, int64_t nb) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    float summs = 0.0f;
    for (int64_t ib = 0; ib < nb; ++ib) {
        const uint8_t *qs = w[ib].qs;
        add_block([&](int e) { return nibble(qs, e); }, x.qs + ib * kQK, fp16_to_fp32(w[ib].d) * x.d[ib], lane);
        const float m = fp16_to_fp32(w[ib].m);
        summs = __builtin_fmaf(m, x.s[ib], summs);
    }
    return hsum8(lane) + summs;
}

// Element e of a Q5_0 block, -16..15.
inline int32_t q5_0_value(const BlockQ5_0 &b, int e) {
    uint32_t qh;
    std::memcpy(&qh, b.qh, 4);
    return (nibble(b.qs, e) | static_cast<int32_t>(((qh >> e) & 1) << 4)) - 16;
}

float dot_q5_0(const BlockQ5_0 *w, const ActQ8ConstView &x, int64_t nb) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t ib = 0; ib < nb; ++ib) {
        add_block([&](int e) { return q5_0_value(w[ib], e); }, x.qs + ib * kQK, fp16_to_fp32(w[ib].d) * x.d[ib], lane);
    }
    return hsum8(lane);
}

float dot_q8_0(const BlockQ8_0 *w, const ActQ8ConstView &x, int64_t nb) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t ib = 0; ib < nb; ++ib) {
        const int8_t *qs = w[ib].qs;
        add_block([&](int e) { return static_cast<int32_t>(qs[e]); }, x.qs + ib * kQK, fp16_to_fp32(w[ib].d) * x.d[ib], lane);
    }
    return hsum8(lane);
}

// A K-quant super-block unpacked: stored values (unsigned), a scale per element group of
// `group` (32 or 16), Q4_K/Q5_K mins per 32, and the fp16 factors as floats.
struct KBlock {
    int32_t q[kQKK];
    int32_t sc[16];
    int32_t min[8];
    int group;
    int32_t bias;  // the weight is q - bias
    float d, dmin;
};

void unpack(int32_t type, const void *row, int64_t ib, KBlock *k) {
    if (type == GGML_Q6_K) {
        const BlockQ6_K &b = static_cast<const BlockQ6_K *>(row)[ib];
        for (int e = 0; e < kQKK; ++e) k->q[e] = q6_k_value(b, e);
        for (int j = 0; j < 16; ++j) k->sc[j] = b.scales[j];
        k->group = 16;
        k->bias = 32;
        k->d = fp16_to_fp32(b.d);
        k->dmin = 0.0f;
        return;
    }
    const BlockQ4_K *b4 = type == GGML_Q4_K ? static_cast<const BlockQ4_K *>(row) + ib : nullptr;
    const BlockQ5_K *b5 = type == GGML_Q5_K ? static_cast<const BlockQ5_K *>(row) + ib : nullptr;
    const uint8_t *scales = b4 ? b4->scales : b5->scales;
    const uint8_t *qs = b4 ? b4->qs : b5->qs;
    for (int j = 0; j < 8; ++j) {
        k_scale_min(scales, j, &k->sc[j], &k->min[j]);
        for (int l = 0; l < 32; ++l) {
            const uint8_t byte = qs[32 * (j / 2) + l];
            int32_t v = j % 2 == 0 ? byte & 0xF : byte >> 4;
            if (b5) v |= ((b5->qh[l] >> j) & 1) << 4;
            k->q[32 * j + l] = v;
        }
    }
    k->group = 32;
    k->bias = 0;
    k->d = fp16_to_fp32(b4 ? b4->d : b5->d);
    k->dmin = fp16_to_fp32(b4 ? b4->dmin : b5->dmin);
}

// The rules of kernels_impl.h ("K-quant dot" and "K-quant matmul").
float dot_k(int32_t type, const void *w, const BlockQ8_K *x, int64_t nb, bool tiled) {
    KBlock k;
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    float mins[4] = {0, 0, 0, 0};
    float summs = 0.0f, acc = 0.0f;
    for (int64_t ib = 0; ib < nb; ++ib) {
        unpack(type, w, ib, &k);
        const BlockQ8_K &a = x[ib];
        int32_t li[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int e = 0; e < kQKK; ++e) li[(e % 32) / 4] += k.sc[e / k.group] * k.q[e] * a.qs[e];
        int32_t s_min[4] = {0, 0, 0, 0};  // min[2p] S[2p] + min[2p+1] S[2p+1]
        if (type == GGML_Q6_K) {
            for (int l = 0; l < 8; ++l) li[l] -= 32 * (k.sc[2 * l] * a.bsums[2 * l] + k.sc[2 * l + 1] * a.bsums[2 * l + 1]);
        } else {
            for (int j = 0; j < 8; ++j) s_min[j / 2] += k.min[j] * (a.bsums[2 * j] + a.bsums[2 * j + 1]);
        }
        if (tiled) {
            const int32_t s1 = li[0] + li[1] + li[2] + li[3] + li[4] + li[5] + li[6] + li[7];
            float r = k.d * static_cast<float>(s1);
            if (type != GGML_Q6_K) r = __builtin_fmaf(-k.dmin, static_cast<float>(s_min[0] + s_min[1] + s_min[2] + s_min[3]), r);
            acc = __builtin_fmaf(r, a.d, acc);
            continue;
        }
        const float d = a.d * k.d;
        for (int l = 0; l < 8; ++l) lane[l] = __builtin_fmaf(d, static_cast<float>(li[l]), lane[l]);
        const float dm = -a.d * k.dmin;
        if (type == GGML_Q4_K) {
            for (int p = 0; p < 4; ++p) mins[p] = __builtin_fmaf(dm, static_cast<float>(s_min[p]), mins[p]);
        } else if (type == GGML_Q5_K) {
            summs = __builtin_fmaf(dm, static_cast<float>(s_min[0] + s_min[1] + s_min[2] + s_min[3]), summs);
        }
    }
    if (tiled) return acc;
    if (type == GGML_Q4_K) return hsum8(lane) + ((mins[0] + mins[2]) + (mins[1] + mins[3]));
    if (type == GGML_Q5_K) return hsum8(lane) + summs;
    return hsum8(lane);
}

float dot(int32_t type, const void *w, int64_t n, const void *x, int32_t op_cols) {
    const bool gemv = op_cols == 1;
    switch (type) {
        case GGML_F32:
            return dot_f32(static_cast<const float *>(w), static_cast<const float *>(x), n, gemv);
        case GGML_F16:
            return dot_f16(static_cast<const uint16_t *>(w), static_cast<const uint16_t *>(x), n, gemv);
        case GGML_BF16:
            return dot_bf16(static_cast<const uint16_t *>(w), static_cast<const uint16_t *>(x), n, gemv);
        case GGML_Q4_0:
            return dot_q4_0(static_cast<const BlockQ4_0 *>(w), act_q8_view(type, x, n), n / kQK);
        case GGML_Q4_1:
            return dot_q4_1(static_cast<const BlockQ4_1 *>(w), act_q8_view(type, x, n), n / kQK);
        case GGML_Q5_0:
            return dot_q5_0(static_cast<const BlockQ5_0 *>(w), act_q8_view(type, x, n), n / kQK);
        case GGML_Q8_0:
            return dot_q8_0(static_cast<const BlockQ8_0 *>(w), act_q8_view(type, x, n), n / kQK);
        case GGML_Q4_K:
        case GGML_Q5_K:
        case GGML_Q6_K:
            return dot_k(type, w, static_cast<const BlockQ8_K *>(x), n / kQKK, op_cols >= kTiledMinCols);
        default:
            return 0.0f;
    }
}

void matmul(int32_t type, const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch,
            float *y, int64_t ldy, int64_t r0, int64_t r1, int32_t op_cols) {
    const auto *wb = static_cast<const unsigned char *>(w);
    const auto *xb = static_cast<const unsigned char *>(x);
    for (int64_t r = r0; r < r1; ++r) {
        const unsigned char *wr = wb + static_cast<size_t>(r) * w_stride;
        for (int32_t b = 0; b < batch; ++b) {
            y[b * ldy + r] = dot(type, wr, n, xb + static_cast<size_t>(b) * x_stride, op_cols);
        }
    }
}

void get_row(int32_t type, const void *w, int64_t n, int64_t row, float *out) {
    const unsigned char *p = static_cast<const unsigned char *>(w) + static_cast<size_t>(row) * row_bytes(type, n);
    switch (type) {
        case GGML_F32:
            std::memcpy(out, p, static_cast<size_t>(n) * sizeof(float));
            return;
        case GGML_F16: {
            const auto *h = reinterpret_cast<const uint16_t *>(p);
            for (int64_t i = 0; i < n; ++i) {
                out[i] = fp16_to_fp32(h[i]);
            }
            return;
        }
        case GGML_BF16: {
            const auto *h = reinterpret_cast<const uint16_t *>(p);
            for (int64_t i = 0; i < n; ++i) {
                out[i] = bf16_to_fp32(h[i]);
            }
            return;
        }
        case GGML_Q4_0: {
            const auto *b = reinterpret_cast<const BlockQ4_0 *>(p);
            for (int64_t ib = 0; ib < n / kQK; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                for (int j = 0; j < 16; ++j) {
                    out[ib * kQK + j] = static_cast<float>((b[ib].qs[j] & 0x0F) - 8) * d;
                    out[ib * kQK + j + 16] = static_cast<float>((b[ib].qs[j] >> 4) - 8) * d;
                }
            }
            return;
        }
        case GGML_Q4_1: {
            const auto *b = reinterpret_cast<const BlockQ4_1 *>(p);
            for (int64_t ib = 0; ib < n / kQK; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                const float m = fp16_to_fp32(b[ib].m);
                for (int j = 0; j < 16; ++j) {
                    out[ib * kQK + j] = static_cast<float>(b[ib].qs[j] & 0x0F) * d + m;
                    out[ib * kQK + j + 16] = static_cast<float>(b[ib].qs[j] >> 4) * d + m;
                }
            }
            return;
        }
        case GGML_Q5_0: {
            const auto *b = reinterpret_cast<const BlockQ5_0 *>(p);
            for (int64_t ib = 0; ib < n / kQK; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                for (int j = 0; j < kQK; ++j) {
                    out[ib * kQK + j] = static_cast<float>(q5_0_value(b[ib], j)) * d;
                }
            }
            return;
        }
        case GGML_Q8_0: {
            const auto *b = reinterpret_cast<const BlockQ8_0 *>(p);
            for (int64_t ib = 0; ib < n / kQK; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                for (int j = 0; j < kQK; ++j) {
                    out[ib * kQK + j] = static_cast<float>(b[ib].qs[j]) * d;
                }
            }
            return;
        }
        case GGML_Q4_K:
        case GGML_Q5_K:
        case GGML_Q6_K: {
            // ggml's dequantize_row_qN_K, built without FMA contraction: (d * sc) * q - (dmin * m).
            KBlock k;
            for (int64_t ib = 0; ib < n / kQKK; ++ib) {
                unpack(type, p, ib, &k);
                for (int e = 0; e < kQKK; ++e) {
                    const int j = e / k.group;
                    const float v = (k.d * static_cast<float>(k.sc[j])) * static_cast<float>(k.q[e] - k.bias);
                    out[ib * kQKK + e] = type == GGML_Q6_K ? v : v - k.dmin * static_cast<float>(k.min[j]);
                }
            }
            return;
        }
        default:
            return;
    }
}

void softmax(float *s, int64_t n_valid, int64_t n_pad, float scale) {
    float max = -__builtin_inff();
    for (int64_t j = 0; j < n_valid; ++j) {
        s[j] *= scale;
        max = s[j] > max ? s[j] : max;
    }
    double sum = 0.0;
    for (int64_t j0 = 0; j0 < n_pad; j0 += 8) {
        float e[8];
        for (int k = 0; k < 8; ++k) {
            const int64_t j = j0 + k;
            e[k] = j < n_valid ? expf_ggml(s[j] - max) : 0.0f;
            s[j] = e[k];
        }
        sum += static_cast<double>(hsum8(e));
    }
    const float inv = static_cast<float>(1.0 / sum);
    for (int64_t j = 0; j < n_valid; ++j) s[j] *= inv;
}

// ggml's vector loop covers whole groups of 8; its scalar tail uses the C library's expf.
void swiglu(const float *gate, const float *up, int64_t n, float *out) {
    const int64_t n8 = n / 8 * 8;
    for (int64_t i = 0; i < n; ++i) {
        const float e = i < n8 ? expf_ggml(0.0f - gate[i]) : __builtin_expf(-gate[i]);
        out[i] = gate[i] / (1.0f + e) * up[i];
    }
}

const Kernels kPortable = {"portable", prepare, matmul, get_row, softmax, swiglu};

}  // namespace

const Kernels &portable_kernels() { return kPortable; }

}  // namespace ac
