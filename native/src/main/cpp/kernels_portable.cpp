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

float dot_q8_0(const BlockQ8_0 *w, const ActQ8ConstView &x, int64_t nb) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t ib = 0; ib < nb; ++ib) {
        const int8_t *qs = w[ib].qs;
        add_block([&](int e) { return static_cast<int32_t>(qs[e]); }, x.qs + ib * kQK, fp16_to_fp32(w[ib].d) * x.d[ib], lane);
    }
    return hsum8(lane);
}

float dot(int32_t type, const void *w, int64_t n, const void *x, bool gemv) {
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
        case GGML_Q8_0:
            return dot_q8_0(static_cast<const BlockQ8_0 *>(w), act_q8_view(type, x, n), n / kQK);
        default:
            return 0.0f;
    }
}

void matmul(int32_t type, const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch,
            float *y, int64_t ldy, int64_t r0, int64_t r1, bool gemv) {
    const auto *wb = static_cast<const unsigned char *>(w);
    const auto *xb = static_cast<const unsigned char *>(x);
    for (int64_t r = r0; r < r1; ++r) {
        const unsigned char *wr = wb + static_cast<size_t>(r) * w_stride;
        for (int32_t b = 0; b < batch; ++b) {
            y[b * ldy + r] = dot(type, wr, n, xb + static_cast<size_t>(b) * x_stride, gemv);
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
