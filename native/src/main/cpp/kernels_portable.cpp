// kernels_portable.cpp - the reference kernels in plain C++ (no ISA assumptions).
//
// Numerics follow ggml: quantized weights are dotted with activations quantized per 32-block
// to 8 bits (ggml's AVX2 quantize_row_q8_0/q8_1: d = amax/127 rounded to fp16, q = round half
// to even of x*127/amax); F16 and BF16 weights with activations rounded to F16 / BF16 (ggml's
// vec_dot_type for those types); F32 with F32. Per block, integer dot then one float multiply
// by d_w*d_x, as ggml's vec_dot_*.
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
                for (int j = 0; j < kQK; ++j) {
                    a.qs[act_q8_offset(type, nb, ib * kQK + j)] = q[j];
                }
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

float dot_f32(const float *w, const float *x, int64_t n) {
    float s = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        s += w[i] * x[i];
    }
    return s;
}

float dot_f16(const uint16_t *w, const uint16_t *x, int64_t n) {
    float s = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        s += fp16_to_fp32(w[i]) * fp16_to_fp32(x[i]);
    }
    return s;
}

float dot_bf16(const uint16_t *w, const uint16_t *x, int64_t n) {
    float s = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        s += bf16_to_fp32(w[i]) * bf16_to_fp32(x[i]);
    }
    return s;
}

// Elements 0..15 and 16..31 of block ib in the paired activation order (kernels_impl.h).
inline const int8_t *paired_lo(const ActQ8ConstView &x, int64_t nb, int64_t ib) {
    return x.qs + act_q8_offset(GGML_Q4_1, nb, ib * kQK);
}
inline const int8_t *paired_hi(const ActQ8ConstView &x, int64_t nb, int64_t ib) {
    return x.qs + act_q8_offset(GGML_Q4_1, nb, ib * kQK + 16);
}

float dot_q4_0(const BlockQ4_0 *w, const ActQ8ConstView &x, int64_t nb) {
    float s = 0.0f;
    for (int64_t ib = 0; ib < nb; ++ib) {
        const int8_t *lo = paired_lo(x, nb, ib), *hi = paired_hi(x, nb, ib);
        int32_t isum = 0;
        for (int j = 0; j < 16; ++j) {
            isum += ((w[ib].qs[j] & 0x0F) - 8) * lo[j] + ((w[ib].qs[j] >> 4) - 8) * hi[j];
        }
        s += (fp16_to_fp32(w[ib].d) * x.d[ib]) * static_cast<float>(isum);
    }
    return s;
}

float dot_q4_1(const BlockQ4_1 *w, const ActQ8ConstView &x, int64_t nb) {
    float s = 0.0f;
    float summs = 0.0f;
    for (int64_t ib = 0; ib < nb; ++ib) {
        const int8_t *lo = paired_lo(x, nb, ib), *hi = paired_hi(x, nb, ib);
        int32_t isum = 0;
        for (int j = 0; j < 16; ++j) {
            isum += (w[ib].qs[j] & 0x0F) * lo[j] + (w[ib].qs[j] >> 4) * hi[j];
        }
        s += (fp16_to_fp32(w[ib].d) * x.d[ib]) * static_cast<float>(isum);
        summs += fp16_to_fp32(w[ib].m) * x.s[ib];
    }
    return s + summs;
}

float dot_q8_0(const BlockQ8_0 *w, const ActQ8ConstView &x, int64_t nb) {
    float s = 0.0f;
    for (int64_t ib = 0; ib < nb; ++ib) {
        const int8_t *q = x.qs + ib * kQK;
        int32_t isum = 0;
        for (int j = 0; j < kQK; ++j) {
            isum += w[ib].qs[j] * q[j];
        }
        s += (fp16_to_fp32(w[ib].d) * x.d[ib]) * static_cast<float>(isum);
    }
    return s;
}

float dot(int32_t type, const void *w, int64_t n, const void *x) {
    switch (type) {
        case GGML_F32:
            return dot_f32(static_cast<const float *>(w), static_cast<const float *>(x), n);
        case GGML_F16:
            return dot_f16(static_cast<const uint16_t *>(w), static_cast<const uint16_t *>(x), n);
        case GGML_BF16:
            return dot_bf16(static_cast<const uint16_t *>(w), static_cast<const uint16_t *>(x), n);
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
            float *y, int64_t ldy, int64_t r0, int64_t r1) {
    const auto *wb = static_cast<const unsigned char *>(w);
    const auto *xb = static_cast<const unsigned char *>(x);
    for (int64_t r = r0; r < r1; ++r) {
        const unsigned char *wr = wb + static_cast<size_t>(r) * w_stride;
        for (int32_t b = 0; b < batch; ++b) {
            y[b * ldy + r] = dot(type, wr, n, xb + static_cast<size_t>(b) * x_stride);
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

const Kernels kPortable = {"portable", prepare, matmul, get_row};

}  // namespace

const Kernels &portable_kernels() { return kPortable; }

}  // namespace ac
