// kernels_x86.h - the x86 kernels, compiled once per ISA level by the translation unit that
// includes it: kernels_avx2.cpp (AVX2+FMA+F16C), kernels_avx512.cpp (plus AVX-512 VNNI on
// 256-bit vectors), kernels_avxvnni.cpp (plus AVX-VNNI, the VEX form of the same instruction
// on CPUs without AVX-512). Each includer first defines AC_X86_NAME and AC_X86_VNNI: 0 (none),
// 1 (AVX512-VNNI + VL) or 2 (AVX-VNNI).
//
// Bit for bit the numerics of kernels_portable.cpp, which are ggml's AVX2 kernels' (the order
// of float operations in kernels_impl.h): activations are quantized as ggml's AVX2
// quantize_row_q8_1, every int32 lane of a block's integer dot is exact whatever the
// instructions (VNNI or not), and the float lanes, their FMAs and reductions follow ggml's order.
// Only how many outputs are computed side by side differs, which no output can see.
//
// Everything is in an anonymous namespace: nothing compiled with these ISA flags may be visible
// to the linker under a name the portable code could also use (no std:: templates either, which
// would be emitted as COMDATs shared with other translation units).
#pragma once

#include <immintrin.h>

#include <cstring>

#include "fp16.h"
#include "kernels.h"
#include "kernels_impl.h"

#if !defined(AC_X86_VNNI) || !defined(AC_X86_NAME)
#error "define AC_X86_VNNI and AC_X86_NAME before including kernels_x86.h"
#endif

namespace ac {
namespace {

#define AC_INLINE inline __attribute__((always_inline))


AC_INLINE float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AC_INLINE float hsum_max(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AC_INLINE __m256i loadu256(const void *p) { return _mm256_loadu_si256(static_cast<const __m256i *>(p)); }
AC_INLINE __m128i loadu128(const void *p) { return _mm_loadu_si128(static_cast<const __m128i *>(p)); }

// Sum over each group of 4 bytes: unsigned a x signed b, into 8 int32 lanes (exact).
AC_INLINE __m256i dot_u8s8(__m256i a, __m256i b) {
#if AC_X86_VNNI == 2
    return _mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), a, b);
#elif AC_X86_VNNI
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), a, b);
#else
    return _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), _mm256_set1_epi16(1));
#endif
}

// Same for two pairs of operands whose products, pairwise summed, fit int16 (|a| <= 15).
AC_INLINE __m256i dot2_u4s8(__m256i a0, __m256i b0, __m256i a1, __m256i b1) {
#if AC_X86_VNNI == 2
    return _mm256_dpbusd_avx_epi32(_mm256_dpbusd_avx_epi32(_mm256_setzero_si256(), a0, b0), a1, b1);
#elif AC_X86_VNNI
    return _mm256_dpbusd_epi32(_mm256_dpbusd_epi32(_mm256_setzero_si256(), a0, b0), a1, b1);
#else
    const __m256i s = _mm256_add_epi16(_mm256_maddubs_epi16(a0, b0), _mm256_maddubs_epi16(a1, b1));
    return _mm256_madd_epi16(s, _mm256_set1_epi16(1));
#endif
}

// ---- activation preparation -------------------------------------------------------------

// ggml's AVX2 quantize_row_q8_1, block by block, into the layout of kernels_impl.h.
void prepare_q8(int32_t type, const float *x, int64_t n, void *out) {
    const ActQ8View a = act_q8_view(type, out, n);
    const int64_t nb = n / kQK;
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int64_t ib = 0; ib < nb; ++ib) {
        const float *xb = x + ib * kQK;
        __m256 v0 = _mm256_loadu_ps(xb);
        __m256 v1 = _mm256_loadu_ps(xb + 8);
        __m256 v2 = _mm256_loadu_ps(xb + 16);
        __m256 v3 = _mm256_loadu_ps(xb + 24);
        __m256 amax = _mm256_andnot_ps(sign, v0);
        amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v1));
        amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v2));
        amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v3));
        __m128 m4 = _mm_max_ps(_mm256_extractf128_ps(amax, 1), _mm256_castps256_ps128(amax));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float max_scalar = _mm_cvtss_f32(m4);
        const float d = max_scalar / 127.0f;
        const float id = max_scalar != 0.0f ? 127.0f / max_scalar : 0.0f;
        const __m256 mul = _mm256_set1_ps(id);
        v0 = _mm256_round_ps(_mm256_mul_ps(v0, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        v1 = _mm256_round_ps(_mm256_mul_ps(v1, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        v2 = _mm256_round_ps(_mm256_mul_ps(v2, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        v3 = _mm256_round_ps(_mm256_mul_ps(v3, mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        const __m256i i0 = _mm256_cvtps_epi32(v0);
        const __m256i i1 = _mm256_cvtps_epi32(v1);
        const __m256i i2 = _mm256_cvtps_epi32(v2);
        const __m256i i3 = _mm256_cvtps_epi32(v3);
        const __m256i isum = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
        __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(isum), _mm256_extracti128_si256(isum, 1));
        s4 = _mm_add_epi32(s4, _mm_unpackhi_epi64(s4, s4));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x55));
        const int32_t sum = _mm_cvtsi128_si32(s4);
        // int32 -> int16 -> int8 with saturation; packs interleaves 128-bit lanes, perm undoes it.
        const __m256i q = _mm256_permutevar8x32_epi32(
            _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3)), perm);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(a.qs + ib * kQK), q);
        a.d[ib] = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
        a.s[ib] = _cvtsh_ss(_cvtss_sh(d * static_cast<float>(sum), _MM_FROUND_TO_NEAREST_INT));
        a.isum[ib] = sum;
    }
    if (a.corr != nullptr) {
        // Lane sums of 4 bytes (maddubs with unsigned ones, then madd), times the factor.
        const __m256i ones8 = _mm256_set1_epi8(1);
        const __m256i ones16 = _mm256_set1_epi16(1);
        const __m128i shift = _mm_cvtsi32_si128(type == GGML_Q4_0 ? 3 : type == GGML_Q5_0 ? 4 : 7);
        for (int64_t ib = 0; ib < nb; ++ib) {
            const __m256i lanes = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, loadu256(a.qs + ib * kQK)), ones16);
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(a.corr + 8 * ib), _mm256_sll_epi32(lanes, shift));
        }
    }
}

// ggml's quantize_row_q8_K (reference C), one super-block at a time.
void prepare_q8_K(const float *x, int64_t n, BlockQ8_K *out) {
    const __m256i perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int64_t ib = 0; ib < n / kQKK; ++ib) {
        const float *xb = x + ib * kQKK;
        BlockQ8_K &y = out[ib];
        // The first element of largest magnitude, found as ggml does (NaNs never win).
        float max = 0.0f, amax = 0.0f;
        for (int j = 0; j < kQKK; ++j) {
            const float ax = __builtin_fabsf(xb[j]);
            if (ax > amax) {
                amax = ax;
                max = xb[j];
            }
        }
        std::memset(&y, 0, sizeof(y));
        if (amax == 0.0f) {
            continue;
        }
        const float iscale = -127.0f / max;
        const __m256 mul = _mm256_set1_ps(iscale);
        for (int k = 0; k < kQKK; k += 32) {
            __m256i i[4];
            for (int t = 0; t < 4; ++t) {
                const __m256 v = _mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xb + k + 8 * t), mul), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
                i[t] = _mm256_cvtps_epi32(v);
            }
            const __m256i q = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(_mm256_packs_epi32(i[0], i[1]), _mm256_packs_epi32(i[2], i[3])), perm);
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(y.qs + k), q);
        }
        for (int g = 0; g < kQKK / 16; ++g) {
            int32_t sum = 0;
            for (int t = 0; t < 16; ++t) sum += y.qs[16 * g + t];
            y.bsums[g] = static_cast<int16_t>(sum);
        }
        y.d = 1.0f / iscale;
    }
}

void prepare_f16(const float *x, int64_t n, uint16_t *o) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm_storeu_si128(reinterpret_cast<__m128i *>(o + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; ++i) {
        o[i] = fp32_to_fp16(x[i]);
    }
}

void prepare_bf16(const float *x, int64_t n, uint16_t *o) {
    const __m256i abs_mask = _mm256_set1_epi32(0x7FFFFFFF);
    const __m256i inf = _mm256_set1_epi32(0x7F800000);
    const __m256i bias = _mm256_set1_epi32(0x7FFF);
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i quiet = _mm256_set1_epi32(64);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i r[2];
        for (int k = 0; k < 2; ++k) {
            const __m256i u = _mm256_castps_si256(_mm256_loadu_ps(x + i + 8 * k));
            const __m256i is_nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, abs_mask), inf);
            const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), one);
            const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(u, _mm256_add_epi32(bias, lsb)), 16);
            const __m256i nan = _mm256_or_si256(_mm256_srli_epi32(u, 16), quiet);
            r[k] = _mm256_blendv_epi8(rounded, nan, is_nan);
        }
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(r[0], r[1]), 0xD8);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(o + i), packed);
    }
    for (; i < n; ++i) {
        o[i] = fp32_to_bf16(x[i]);
    }
}

void prepare(int32_t type, const float *x, int64_t n, void *out) {
    switch (type) {
        case GGML_F32:
            std::memcpy(out, x, static_cast<size_t>(n) * sizeof(float));
            return;
        case GGML_F16:
            prepare_f16(x, n, static_cast<uint16_t *>(out));
            return;
        case GGML_BF16:
            prepare_bf16(x, n, static_cast<uint16_t *>(out));
            return;
        case GGML_Q4_0:
        case GGML_Q4_1:
        case GGML_Q5_0:
        case GGML_Q8_0:
            prepare_q8(type, x, n, out);
            return;
        case GGML_Q4_K:
        case GGML_Q5_K:
        case GGML_Q6_K:
            prepare_q8_K(x, n, static_cast<BlockQ8_K *>(out));
            return;
        default:
            return;
    }
}

// Calls f(Cols<nt>{}) for nt in 1..4: the number of activation rows as a compile-time constant.
template <int N>
struct Cols {
    static constexpr int value = N;
};

template <class F>
AC_INLINE void with_cols(int nt, F &&f) {
    switch (nt) {
        case 1:
            f(Cols<1>{});
            break;
        case 2:
            f(Cols<2>{});
            break;
        case 3:
            f(Cols<3>{});
            break;
        default:
            f(Cols<4>{});
            break;
    }
}

// ---- quantized matmul -----------------------------------------------------------------------
//
// Each output is one FMA chain over the row's blocks (ggml's order, kernels_impl.h), so the
// chains of several outputs are interleaved instead: NR weight rows times NB activation rows.

template <int T>
struct QType;
template <>
struct QType<GGML_Q4_0> {
    static constexpr int64_t kBytes = 18;
};
template <>
struct QType<GGML_Q4_1> {
    static constexpr int64_t kBytes = 20;
};
template <>
struct QType<GGML_Q5_0> {
    static constexpr int64_t kBytes = 22;
};
template <>
struct QType<GGML_Q8_0> {
    static constexpr int64_t kBytes = 34;
};

// Bytes of 0x00 or 0xFF: byte j is 0xFF when bit j of the 32 bits at p is set.
AC_INLINE __m256i bits_to_bytes(const uint8_t *p) {
    uint32_t bits;
    std::memcpy(&bits, p, 4);
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)),
                                               _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
    const __m256i bit = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
}

// A weight block's 32 elements as bytes in natural order: Q4 nibbles unsigned (0..15), Q5_0's
// 5-bit values unsigned (0..31), Q8 signed.
template <int T>
AC_INLINE __m256i block_bytes(const uint8_t *blk) {
    if constexpr (T == GGML_Q8_0) {
        return loadu256(blk + 2);
    } else {
        const __m256i v = _mm256_broadcastsi128_si256(loadu128(blk + QType<T>::kBytes - 16));
        const __m256i nibbles = _mm256_and_si256(_mm256_srlv_epi64(v, _mm256_setr_epi64x(0, 0, 4, 4)), _mm256_set1_epi8(0x0F));
        if constexpr (T == GGML_Q5_0) {
            return _mm256_or_si256(nibbles, _mm256_and_si256(bits_to_bytes(blk + 2), _mm256_set1_epi8(0x10)));
        }
        return nibbles;
    }
}

// The 8 int32 lanes of one block's dot: lane k = sum over elements 4k..4k+3 of w * q (exact).
template <int T>
AC_INLINE __m256i block_dot(__m256i wv, const ActQ8ConstView &x, int64_t ib) {
    const __m256i q = loadu256(x.qs + ib * kQK);
    if constexpr (T == GGML_Q4_1) {
        return dot_u8s8(wv, q);
    } else if constexpr (T == GGML_Q4_0 || T == GGML_Q5_0) {
        return _mm256_sub_epi32(dot_u8s8(wv, q), loadu256(x.corr + 8 * ib));
    } else {
#if AC_X86_VNNI
        // (w + 128) unsigned x q signed, minus 128 * sum(q) per lane.
        const __m256i u = _mm256_xor_si256(wv, _mm256_set1_epi8(static_cast<char>(0x80)));
        return _mm256_sub_epi32(dot_u8s8(u, q), loadu256(x.corr + 8 * ib));
#else
        // ggml's sign trick: |w| unsigned x (q with the sign of w).
        return dot_u8s8(_mm256_sign_epi8(wv, wv), _mm256_sign_epi8(q, wv));
#endif
    }
}

// The first 4 bytes (d, and m or the first qs bytes) of `count` <= 8 consecutive blocks as
// floats: lane j of d and m is block j's. Missing blocks read as zero.
template <int64_t BS>
AC_INLINE void load_heads(const uint8_t *p, int64_t count, __m256 &d, __m256 &m) {
    // Lane inserts straight from the blocks in the common case: a store of 4-byte pieces and a
    // 16-byte reload would stall (no store forwarding from several stores).
    auto at = [&](int64_t j) {
        int32_t v = 0;
        if (j < count) std::memcpy(&v, p + j * BS, 4);
        return v;
    };
    __m128i lo, hi;
    if (count == 8) {
        lo = _mm_setr_epi32(at(0), at(1), at(2), at(3));
        hi = _mm_setr_epi32(at(4), at(5), at(6), at(7));
    } else {
        alignas(16) int32_t h[8];
        for (int64_t j = 0; j < 8; ++j) h[j] = at(j);
        lo = _mm_load_si128(reinterpret_cast<const __m128i *>(h));
        hi = _mm_load_si128(reinterpret_cast<const __m128i *>(h + 4));
    }
    const __m256 a = _mm256_cvtph_ps(lo);  // d0 m0 d1 m1 | d2 m2 d3 m3
    const __m256 b = _mm256_cvtph_ps(hi);  // d4 m4 d5 m5 | d6 m6 d7 m7
    d = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
    m = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
}

AC_INLINE __m256 load_floats(const float *p, int64_t count) {
    if (count == 8) {
        return _mm256_loadu_ps(p);
    }
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    return _mm256_maskload_ps(p, mask);
}

// out[r * NB + b] = dot(weight row r, activation row b). Blocks go in windows of 8 whose scales
// d_w * d_x are multiplied 8 at a time (the same products as one by one); within a window each
// block's lane of them is broadcast to its FMA.
template <int T, int NR, int NB>
AC_INLINE void q_rows(const uint8_t *const *w, int64_t nb, const ActQ8ConstView *x, float *out) {
    constexpr int64_t BS = QType<T>::kBytes;
    __m256 acc[NR][NB];
    float summs[NR][NB];
    for (int r = 0; r < NR; ++r) {
        for (int b = 0; b < NB; ++b) {
            acc[r][b] = _mm256_setzero_ps();
            summs[r][b] = 0.0f;
        }
    }
    for (int64_t ib0 = 0; ib0 < nb; ib0 += 8) {
        const int64_t cnt = nb - ib0 < 8 ? nb - ib0 : 8;
        // A short last window slides back to end at the last block, so its loads stay whole:
        // blocks [ib0, nb) are then lanes [off, 8).
        const int64_t base = cnt < 8 && nb >= 8 ? nb - 8 : ib0;
        const int64_t loaded = cnt < 8 && nb >= 8 ? 8 : cnt;
        const int off = static_cast<int>(ib0 - base);
        __m256 sc[NR][NB];
        alignas(32) float m[NR][8];
        for (int r = 0; r < NR; ++r) {
            __m256 dw, mw;
            load_heads<BS>(w[r] + base * BS, loaded, dw, mw);
            for (int b = 0; b < NB; ++b) sc[r][b] = _mm256_mul_ps(dw, load_floats(x[b].d + base, loaded));
            if constexpr (T == GGML_Q4_1) _mm256_store_ps(m[r], mw);
        }
#pragma GCC unroll 8
        for (int64_t j = 0; j < cnt; ++j) {
            const int64_t ib = ib0 + j;
            const __m256i lane = _mm256_set1_epi32(off + static_cast<int>(j));
            for (int r = 0; r < NR; ++r) {
                const __m256i wv = block_bytes<T>(w[r] + ib * BS);
                for (int b = 0; b < NB; ++b) {
                    const __m256 d = _mm256_permutevar8x32_ps(sc[r][b], lane);
                    acc[r][b] = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(block_dot<T>(wv, x[b], ib)), acc[r][b]);
                }
                if constexpr (T == GGML_Q4_1) {
                    for (int b = 0; b < NB; ++b) {
                        summs[r][b] = __builtin_fmaf(m[r][off + j], x[b].s[ib], summs[r][b]);
                    }
                }
            }
        }
    }
    for (int r = 0; r < NR; ++r) {
        for (int b = 0; b < NB; ++b) {
            out[r * NB + b] = T == GGML_Q4_1 ? hsum(acc[r][b]) + summs[r][b] : hsum(acc[r][b]);
        }
    }
}

// Activation rows in groups of up to 4, weight rows inner (a weight row is read once per group,
// the group's activations stay in L1); two weight rows at once for two activation rows. For one
// activation row (decode, memory-bound) the weights are read strictly in order, one row after
// the other: rows interleaved in pairs or fours read 2.5x slower from DRAM once a row is longer
// than about 12 cache lines (measured on Zen: the hardware prefetcher loses the streams).
template <int T, int NB>
AC_INLINE void matmul_q_group(const uint8_t *wb, size_t w_stride, int64_t nb, const ActQ8ConstView *xv, float *y,
                              int64_t ldy, int64_t r0, int64_t r1) {
    constexpr int NR = NB == 2 ? 2 : 1;
    float out[NR * NB];
    int64_t r = r0;
    for (; r + NR <= r1; r += NR) {
        const uint8_t *rows[NR];
        for (int i = 0; i < NR; ++i) rows[i] = wb + static_cast<size_t>(r + i) * w_stride;
        q_rows<T, NR, NB>(rows, nb, xv, out);
        for (int i = 0; i < NR; ++i) {
            for (int b = 0; b < NB; ++b) y[b * ldy + r + i] = out[i * NB + b];
        }
    }
    for (; r < r1; ++r) {
        const uint8_t *row = wb + static_cast<size_t>(r) * w_stride;
        q_rows<T, 1, NB>(&row, nb, xv, out);
        for (int b = 0; b < NB; ++b) y[b * ldy + r] = out[b];
    }
}

template <int T>
void matmul_q(const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch, float *y,
              int64_t ldy, int64_t r0, int64_t r1) {
    const auto *wb = static_cast<const uint8_t *>(w);
    const auto *xb = static_cast<const uint8_t *>(x);
    const int64_t nb = n / kQK;
    for (int32_t b0 = 0; b0 < batch; b0 += 4) {
        const int nt = batch - b0 < 4 ? batch - b0 : 4;
        ActQ8ConstView xv[4];
        for (int k = 0; k < nt; ++k) {
            xv[k] = act_q8_view(T, xb + static_cast<size_t>(b0 + k) * x_stride, n);
        }
        float *yb = y + static_cast<int64_t>(b0) * ldy;
        with_cols(nt, [&](auto c) { matmul_q_group<T, decltype(c)::value>(wb, w_stride, nb, xv, yb, ldy, r0, r1); });
    }
}

// ---- K-quant matmul -------------------------------------------------------------------------
//
// Fewer than 8 columns (decode): per super-block a weight row is unpacked once into 8 groups of
// 32 unsigned bytes with their int16 scales; each activation row then takes 8 maddubs + madd
// (exact: |pairs| <= 2 * 63 * 128) into the 8 int32 lanes of ggml's vec_dot, rounded as vec_dot
// rounds them. 8 or more columns (prefill, ggml's tiled order): 8 weight rows are unpacked
// together and transposed so that each register holds 4 bytes of each row; one broadcast
// activation word then feeds all 8 rows, and the int16 products of a whole sub-block are summed
// before the one madd with the rows' scales. Both orders are in kernels_impl.h; the integers are
// exact, so only the float steps have an order.

// A super-block's values as 8 groups of 32 unsigned bytes in element order (group g: elements
// 32g..32g+31) and its scale words: Q4_K, Q5_K the 8 scales then the 8 mins; Q6_K the 16
// signed scales.
template <int T>
AC_INLINE __m256i k_unpack(const uint8_t *blk, __m256i q[8], float &d, float &dmin) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    if constexpr (T == GGML_Q6_K) {
        const auto &b = *reinterpret_cast<const BlockQ6_K *>(blk);
        const __m256i m2 = _mm256_set1_epi8(3);
        for (int h = 0; h < 2; ++h) {
            const __m256i l0 = loadu256(b.ql + 64 * h), l1 = loadu256(b.ql + 64 * h + 32), hb = loadu256(b.qh + 32 * h);
            auto high = [&](int shift) { return _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, shift), m2), 4); };
            q[4 * h + 0] = _mm256_or_si256(_mm256_and_si256(l0, m4), high(0));
            q[4 * h + 1] = _mm256_or_si256(_mm256_and_si256(l1, m4), high(2));
            q[4 * h + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4), high(4));
            q[4 * h + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4), high(6));
        }
        d = _cvtsh_ss(b.d);
        dmin = 0.0f;
        return _mm256_cvtepi8_epi16(loadu128(b.scales));
    } else {
        const auto &b4 = *reinterpret_cast<const BlockQ4_K *>(blk);  // Q5_K shares the first 16 bytes
        const uint8_t *qs = blk + (T == GGML_Q4_K ? 16 : 48);
        for (int c = 0; c < 4; ++c) {
            const __m256i bits = loadu256(qs + 32 * c);
            q[2 * c] = _mm256_and_si256(bits, m4);
            q[2 * c + 1] = _mm256_and_si256(_mm256_srli_epi16(bits, 4), m4);
        }
        if constexpr (T == GGML_Q5_K) {
            const __m256i hb = loadu256(blk + 16);
            const __m256i one = _mm256_set1_epi8(1);
            for (int j = 0; j < 8; ++j) {
                q[j] = _mm256_or_si256(q[j], _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, j), one), 4));
            }
        }
        d = _cvtsh_ss(b4.d);
        dmin = _cvtsh_ss(b4.dmin);
        // ggml's unpacking of the 6-bit scales and mins (k_scale_min for all 8 at once).
        uint32_t u[4];
        std::memcpy(u, b4.scales, 12);
        u[3] = ((u[2] >> 4) & 0x0f0f0f0fu) | (((u[1] >> 6) & 0x03030303u) << 4);
        const uint32_t scales_hi = u[1] & 0x3f3f3f3fu;
        u[1] = (u[2] & 0x0f0f0f0fu) | (((u[0] >> 6) & 0x03030303u) << 4);
        u[2] = scales_hi;
        u[0] &= 0x3f3f3f3fu;
        return _mm256_cvtepu8_epi16(
            _mm_set_epi32(static_cast<int>(u[3]), static_cast<int>(u[2]), static_cast<int>(u[1]), static_cast<int>(u[0])));
    }
}

struct KRow {
    __m256i q[8];   // group g: elements 32g..32g+31, stored values (unsigned)
    __m256i sc[8];  // int16 scale of each byte pair of group g
    __m128i min;    // Q4_K, Q5_K: int16 min of sub-block j in lane j
    __m256i sc16;   // Q6_K: int16 scale of sub-block j in lane j
    float d, dmin;
};

// The int16 shuffle control that broadcasts word lo to the low 128 bits and word hi to the high.
AC_INLINE __m256i word_broadcast(int lo, int hi) {
    return _mm256_set_m128i(_mm_set1_epi16(static_cast<short>((2 * hi) | ((2 * hi + 1) << 8))),
                            _mm_set1_epi16(static_cast<short>((2 * lo) | ((2 * lo + 1) << 8))));
}

template <int T>
AC_INLINE void unpack_k(const uint8_t *blk, KRow &k) {
    const __m256i words = k_unpack<T>(blk, k.q, k.d, k.dmin);
    if constexpr (T == GGML_Q6_K) {
        // Group g's low 16 bytes are sub-block 2g, its high 16 bytes sub-block 2g + 1.
        k.sc16 = words;
        const __m256i first = _mm256_permute4x64_epi64(words, 0x44), second = _mm256_permute4x64_epi64(words, 0xEE);
        for (int g = 0; g < 8; ++g) {
            k.sc[g] = _mm256_shuffle_epi8(g < 4 ? first : second, word_broadcast((2 * g) % 8, (2 * g + 1) % 8));
        }
        k.min = _mm_setzero_si128();
    } else {
        k.min = _mm256_extracti128_si256(words, 1);
        const __m256i scales = _mm256_permute4x64_epi64(words, 0x44);
        for (int j = 0; j < 8; ++j) k.sc[j] = _mm256_shuffle_epi8(scales, word_broadcast(j, j));
        k.sc16 = _mm256_setzero_si256();
    }
}

// The integer part of one super-block's dot with one activation row: vec_dot's 8 exact int32
// lanes (Q6_K's already less its -32 offset) and, for Q4_K/Q5_K, lane p of mins =
// min[2p] S[2p] + min[2p+1] S[2p+1].
template <int T>
AC_INLINE void k_ints(const KRow &k, const BlockQ8_K &a, __m256i &sumi, __m128i &mins) {
    sumi = _mm256_setzero_si256();
    for (int g = 0; g < 8; ++g) {
        sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(k.sc[g], _mm256_maddubs_epi16(k.q[g], loadu256(a.qs + 32 * g))));
    }
    const __m256i bsums = loadu256(a.bsums);
    if constexpr (T == GGML_Q6_K) {
        sumi = _mm256_sub_epi32(sumi, _mm256_slli_epi32(_mm256_madd_epi16(bsums, k.sc16), 5));
        mins = _mm_setzero_si128();
    } else {
        mins = _mm_madd_epi16(k.min, _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1)));
    }
}

// vec_dot's running sums of one output.
struct KLanes {
    __m256 lanes;
    __m128 mins;  // Q4_K
    float summs;  // Q5_K
};

template <int T>
AC_INLINE void k_vec_dot_step(const KRow &k, float dx, __m256i sumi, __m128i mins, KLanes &out) {
    out.lanes = _mm256_fmadd_ps(_mm256_set1_ps(dx * k.d), _mm256_cvtepi32_ps(sumi), out.lanes);
    const float dm = -dx * k.dmin;
    if constexpr (T == GGML_Q4_K) {
        out.mins = _mm_fmadd_ps(_mm_set1_ps(dm), _mm_cvtepi32_ps(mins), out.mins);
    } else if constexpr (T == GGML_Q5_K) {
        __m128i t = _mm_add_epi32(mins, _mm_unpackhi_epi64(mins, mins));
        t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x55));
        out.summs = __builtin_fmaf(dm, static_cast<float>(_mm_cvtsi128_si32(t)), out.summs);
    }
}

template <int T>
AC_INLINE float k_vec_dot_result(const KLanes &a) {
    const float h = hsum(a.lanes);
    if constexpr (T == GGML_Q4_K) {
        const __m128 t = _mm_add_ps(a.mins, _mm_movehl_ps(a.mins, a.mins));
        return h + _mm_cvtss_f32(_mm_add_ss(t, _mm_movehdup_ps(t)));
    } else if constexpr (T == GGML_Q5_K) {
        return h + a.summs;
    }
    return h;
}

template <int T>
constexpr size_t k_block_bytes() {
    return T == GGML_Q4_K ? sizeof(BlockQ4_K) : T == GGML_Q5_K ? sizeof(BlockQ5_K) : sizeof(BlockQ6_K);
}

// out[b] = dot(weight row w, activation row b) for NB <= 4 activation rows in vec_dot's order.
template <int T, int NB>
AC_INLINE void k_rows(const uint8_t *w, int64_t nb, const BlockQ8_K *const *x, float *out) {
    KRow k;
    KLanes acc[NB];
    for (int b = 0; b < NB; ++b) acc[b] = KLanes{_mm256_setzero_ps(), _mm_setzero_ps(), 0.0f};
    for (int64_t ib = 0; ib < nb; ++ib) {
        unpack_k<T>(w + static_cast<size_t>(ib) * k_block_bytes<T>(), k);
        for (int b = 0; b < NB; ++b) {
            __m256i sumi;
            __m128i mins;
            k_ints<T>(k, x[b][ib], sumi, mins);
            k_vec_dot_step<T>(k, x[b][ib].d, sumi, mins, acc[b]);
        }
    }
    for (int b = 0; b < NB; ++b) out[b] = k_vec_dot_result<T>(acc[b]);
}

// Lane r of out[j] = lane j of in[r]: the 8x8 transpose of 32-bit lanes.
AC_INLINE void transpose8(const __m256i in[8], __m256i out[8]) {
    __m256i t[8], u[8];
    for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_epi32(in[2 * i], in[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_epi32(in[2 * i], in[2 * i + 1]);
    }
    for (int i = 0; i < 2; ++i) {
        for (int h = 0; h < 2; ++h) {
            u[4 * i + h] = _mm256_unpacklo_epi64(t[4 * i + h], t[4 * i + 2 + h]);
            u[4 * i + 2 + h] = _mm256_unpackhi_epi64(t[4 * i + h], t[4 * i + 2 + h]);
        }
    }
    // u[0..3]: rows 0-3, lanes (0,4), (2,6), (1,5), (3,7) in the two 128-bit halves; u[4..7] rows 4-7.
    constexpr int lane_of[4] = {0, 2, 1, 3};
    for (int i = 0; i < 4; ++i) {
        out[lane_of[i]] = _mm256_permute2x128_si256(u[i], u[4 + i], 0x20);
        out[lane_of[i] + 4] = _mm256_permute2x128_si256(u[i], u[4 + i], 0x31);
    }
}

// 8 weight rows of one super-block, transposed: 4 bytes of each row per register.
template <int T>
struct KPanel {
    static constexpr int kSub = T == GGML_Q6_K ? 16 : 32;  // elements per scale
    __m256i q[64];            // elements 4c..4c+3 of row r in bytes 4r..4r+3 of q[c]
    __m256i sc[256 / kSub];   // sub-block s: row r's scale in words 2r and 2r + 1
    __m256i pair[8];          // words 2r, 2r+1 of pair[p]: row r's mins (Q4_K, Q5_K; p < 4) or
                              // scales (Q6_K) of sub-blocks 2p and 2p + 1
    __m256 d, dmin;           // lane r: row r's
};

template <int T>
AC_INLINE void k_panel(const uint8_t *const rows[8], KPanel<T> &p) {
    __m256i q[8][8], words[8];
    alignas(32) float d[8], dmin[8];
    for (int r = 0; r < 8; ++r) words[r] = k_unpack<T>(rows[r], q[r], d[r], dmin[r]);
    p.d = _mm256_load_ps(d);
    p.dmin = _mm256_load_ps(dmin);
    __m256i in[8];
    for (int g = 0; g < 8; ++g) {
        for (int r = 0; r < 8; ++r) in[r] = q[r][g];
        transpose8(in, p.q + 8 * g);
    }
    transpose8(words, p.pair);  // Q4_K, Q5_K: pair[0..3] are scale pairs, pair[4..7] the mins'
    if constexpr (T != GGML_Q6_K) {
        for (int p2 = 0; p2 < 4; ++p2) p.pair[p2] = p.pair[p2 + 4];
    }
    // Each scale word twice: an int32 lane of (w, w) per sub-block, then transposed.
    for (int h = 0; h < 256 / KPanel<T>::kSub / 8; ++h) {
        for (int r = 0; r < 8; ++r) {
            const __m128i half = h == 0 ? _mm256_castsi256_si128(words[r]) : _mm256_extracti128_si256(words[r], 1);
            const __m256i w = T == GGML_Q6_K ? _mm256_cvtepi16_epi32(half) : _mm256_cvtepu16_epi32(half);
            in[r] = _mm256_or_si256(_mm256_and_si256(w, _mm256_set1_epi32(0xFFFF)), _mm256_slli_epi32(w, 16));
        }
        transpose8(in, p.sc + 8 * h);
    }
}

AC_INLINE __m256i broadcast32(const void *p) {
    int32_t v;
    std::memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

// The exact s1 (Q6_K: before its -32 offset) of 8 weight rows (lane r) with each activation
// row, accumulated over one super-block: per 32 elements, 8 maddubs of the broadcast
// activation word against the transposed rows, summed in int16 as far as they fit (products up
// to 15 * 128 for Q4_K, 31 * 128 for Q5_K, 63 * 128 for Q6_K), then madd with the scales.
template <int T>
AC_INLINE void k_panel_ints(const KPanel<T> &p, const BlockQ8_K *const *x, int64_t ib, int nc, __m256i *s1) {
    constexpr int kChunks = T == GGML_Q4_K ? 8 : T == GGML_Q5_K ? 4 : 2;  // maddubs per int16 sum
    constexpr int kSub = KPanel<T>::kSub;
    for (int c = 0; c < nc; ++c) s1[c] = _mm256_setzero_si256();
    for (int pass = 0; pass < 8; ++pass) {  // 32 elements
        __m256i w[8];
        for (int j = 0; j < 8; ++j) w[j] = p.q[8 * pass + j];
        for (int c = 0; c < nc; ++c) {
            const int8_t *a = x[c][ib].qs + 32 * pass;
            __m256i sum = s1[c];
            for (int m = 0; m < 8; m += kChunks) {
                __m256i t = _mm256_maddubs_epi16(w[m], broadcast32(a + 4 * m));
                for (int j = 1; j < kChunks; ++j) t = _mm256_add_epi16(t, _mm256_maddubs_epi16(w[m + j], broadcast32(a + 4 * (m + j))));
                sum = _mm256_add_epi32(sum, _mm256_madd_epi16(t, p.sc[(32 * pass + 4 * m) / kSub]));
            }
            s1[c] = sum;
        }
    }
}

// The tiled order's step (kernels_impl.h) for 8 weight rows (lane r) and activation row x:
// r = d_w * float(s1), r = fma(-dmin_w, float(s2), r), acc = fma(r, d_x, acc).
template <int T>
AC_INLINE __m256 k_panel_step(const KPanel<T> &p, const BlockQ8_K &x, __m256i s1, __m256 acc) {
    if constexpr (T == GGML_Q6_K) {
        __m256i corr = _mm256_setzero_si256();
        for (int q = 0; q < 8; ++q) corr = _mm256_add_epi32(corr, _mm256_madd_epi16(p.pair[q], broadcast32(x.bsums + 2 * q)));
        const __m256 r = _mm256_mul_ps(p.d, _mm256_cvtepi32_ps(_mm256_sub_epi32(s1, _mm256_slli_epi32(corr, 5))));
        return _mm256_fmadd_ps(r, _mm256_set1_ps(x.d), acc);
    } else {
        // S_j = bsum[2j] + bsum[2j+1], in pairs (S_2q, S_2q+1) per int32.
        const __m256i bsums = loadu256(x.bsums);
        alignas(16) int32_t sums[4];
        _mm_store_si128(reinterpret_cast<__m128i *>(sums),
                        _mm_hadd_epi16(_mm256_castsi256_si128(bsums), _mm256_extracti128_si256(bsums, 1)));
        __m256i s2 = _mm256_setzero_si256();
        for (int q = 0; q < 4; ++q) s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(p.pair[q], _mm256_set1_epi32(sums[q])));
        __m256 r = _mm256_mul_ps(p.d, _mm256_cvtepi32_ps(s1));
        r = _mm256_fnmadd_ps(p.dmin, _mm256_cvtepi32_ps(s2), r);
        return _mm256_fmadd_ps(r, _mm256_set1_ps(x.d), acc);
    }
}

// Activation rows in groups of up to 64 (a group's current super-blocks stay in L1), weight rows
// 8 at a time within each.
template <int T>
void matmul_k_tiled(const uint8_t *wb, size_t w_stride, int64_t nb, const uint8_t *xb, size_t x_stride, int32_t batch,
                    float *y, int64_t ldy, int64_t r0, int64_t r1) {
    constexpr int kGroup = 64;
    KPanel<T> p;
    const BlockQ8_K *x[kGroup];
    __m256i s1[kGroup];
    __m256 acc[kGroup];
    for (int32_t b0 = 0; b0 < batch; b0 += kGroup) {
        const int nc = batch - b0 < kGroup ? batch - b0 : kGroup;
        for (int c = 0; c < nc; ++c) x[c] = reinterpret_cast<const BlockQ8_K *>(xb + static_cast<size_t>(b0 + c) * x_stride);
        for (int64_t r = r0; r < r1; r += 8) {
            const int nr = r1 - r < 8 ? static_cast<int>(r1 - r) : 8;
            const uint8_t *rows[8];
            for (int i = 0; i < 8; ++i) rows[i] = wb + static_cast<size_t>(r + (i < nr ? i : nr - 1)) * w_stride;
            for (int c = 0; c < nc; ++c) acc[c] = _mm256_setzero_ps();
            for (int64_t ib = 0; ib < nb; ++ib) {
                k_panel<T>(rows, p);
                for (int i = 0; i < 8; ++i) rows[i] += k_block_bytes<T>();
                k_panel_ints<T>(p, x, ib, nc, s1);
                for (int c = 0; c < nc; ++c) acc[c] = k_panel_step<T>(p, x[c][ib], s1[c], acc[c]);
            }
            for (int c = 0; c < nc; ++c) {
                float *out = y + static_cast<int64_t>(b0 + c) * ldy + r;
                if (nr == 8) {
                    _mm256_storeu_ps(out, acc[c]);
                } else {
                    alignas(32) float v[8];
                    _mm256_store_ps(v, acc[c]);
                    for (int i = 0; i < nr; ++i) out[i] = v[i];
                }
            }
        }
    }
}

template <int T>
void matmul_k(const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch, float *y, int64_t ldy,
              int64_t r0, int64_t r1, int32_t op_cols) {
    const auto *wb = static_cast<const uint8_t *>(w);
    const auto *xb = static_cast<const uint8_t *>(x);
    const int64_t nb = n / kQKK;
    if (op_cols >= kTiledMinCols) {
        matmul_k_tiled<T>(wb, w_stride, nb, xb, x_stride, batch, y, ldy, r0, r1);
        return;
    }
    for (int32_t b0 = 0; b0 < batch; b0 += 4) {
        const int nt = batch - b0 < 4 ? batch - b0 : 4;
        with_cols(nt, [&](auto c) {
            constexpr int NB = decltype(c)::value;
            const BlockQ8_K *xr[NB];
            for (int k = 0; k < NB; ++k) xr[k] = reinterpret_cast<const BlockQ8_K *>(xb + static_cast<size_t>(b0 + k) * x_stride);
            float *yb = y + static_cast<int64_t>(b0) * ldy;
            float out[NB];
            for (int64_t r = r0; r < r1; ++r) {
                k_rows<T, NB>(wb + static_cast<size_t>(r) * w_stride, nb, xr, out);
                for (int b = 0; b < NB; ++b) yb[b * ldy + r] = out[b];
            }
        });
    }
}

// ---- float matmul ---------------------------------------------------------------------------

template <int T>
struct FType;
template <>
struct FType<GGML_F32> {
    using Elem = float;
    static AC_INLINE __m256 load(const float *p) { return _mm256_loadu_ps(p); }
    static AC_INLINE float scalar(float v) { return v; }
};
template <>
struct FType<GGML_F16> {
    using Elem = uint16_t;
    static AC_INLINE __m256 load(const uint16_t *p) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
    }
    static AC_INLINE float scalar(uint16_t v) { return _cvtsh_ss(v); }
};
template <>
struct FType<GGML_BF16> {
    using Elem = uint16_t;
    static AC_INLINE __m256 load(const uint16_t *p) {
        const __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(v, 16));
    }
    static AC_INLINE float scalar(uint16_t v) { return bf16_to_fp32(v); }
};

// out[r * NB + b] = dot(weight row r, activation row b): one accumulator per output.
template <int T, int NR, int NB>
AC_INLINE void f_rows(const typename FType<T>::Elem *const *w, int64_t n, const typename FType<T>::Elem *const *x, float *out) {
    using F = FType<T>;
    __m256 acc[NR][NB];
    for (int r = 0; r < NR; ++r) {
        for (int b = 0; b < NB; ++b) acc[r][b] = _mm256_setzero_ps();
    }
    const int64_t n8 = n / 8 * 8;
    for (int64_t i = 0; i < n8; i += 8) {
        __m256 xv[NB];
        for (int b = 0; b < NB; ++b) xv[b] = F::load(x[b] + i);
        for (int r = 0; r < NR; ++r) {
            const __m256 wv = F::load(w[r] + i);
            for (int b = 0; b < NB; ++b) acc[r][b] = _mm256_fmadd_ps(wv, xv[b], acc[r][b]);
        }
    }
    for (int r = 0; r < NR; ++r) {
        for (int b = 0; b < NB; ++b) {
            float s = hsum(acc[r][b]);
            for (int64_t k = n8; k < n; ++k) s = __builtin_fmaf(F::scalar(w[r][k]), F::scalar(x[b][k]), s);
            out[r * NB + b] = s;
        }
    }
}

// ggml_vec_dot_f16/f32 for one activation row: four accumulators per output (kernels_impl.h).
template <int T, int NR>
AC_INLINE void f_rows_gemv(const typename FType<T>::Elem *const *w, int64_t n, const typename FType<T>::Elem *x, float *out) {
    using F = FType<T>;
    __m256 acc[NR][4];
    for (int r = 0; r < NR; ++r) {
        for (int j = 0; j < 4; ++j) acc[r][j] = _mm256_setzero_ps();
    }
    const int64_t n32 = n / 32 * 32;
    for (int64_t i = 0; i < n32; i += 32) {
        for (int j = 0; j < 4; ++j) {
            const __m256 xv = F::load(x + i + 8 * j);
            for (int r = 0; r < NR; ++r) acc[r][j] = _mm256_fmadd_ps(F::load(w[r] + i + 8 * j), xv, acc[r][j]);
        }
    }
    for (int r = 0; r < NR; ++r) {
        const __m256 a = _mm256_add_ps(_mm256_add_ps(acc[r][0], acc[r][2]), _mm256_add_ps(acc[r][1], acc[r][3]));
        const __m128 t0 = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
        const __m128 t1 = _mm_hadd_ps(t0, t0);
        const float red = _mm_cvtss_f32(_mm_hadd_ps(t1, t1));
        if constexpr (T == GGML_F32) {
            float s = red;
            for (int64_t k = n32; k < n; ++k) s = __builtin_fmaf(w[r][k], x[k], s);
            out[r] = s;
        } else {
            double s = static_cast<double>(red);
            for (int64_t k = n32; k < n; ++k) s += static_cast<double>(F::scalar(w[r][k]) * F::scalar(x[k]));
            out[r] = static_cast<float>(s);
        }
    }
}

template <int T>
void gemv_f(const uint8_t *wb, size_t w_stride, int64_t n, const typename FType<T>::Elem *x, float *y, int64_t r0, int64_t r1) {
    using E = typename FType<T>::Elem;
    float out[4];
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) {
        const E *rows[4];
        for (int i = 0; i < 4; ++i) rows[i] = reinterpret_cast<const E *>(wb + static_cast<size_t>(r + i) * w_stride);
        f_rows_gemv<T, 4>(rows, n, x, out);
        for (int i = 0; i < 4; ++i) y[r + i] = out[i];
    }
    for (; r < r1; ++r) {
        const E *row = reinterpret_cast<const E *>(wb + static_cast<size_t>(r) * w_stride);
        f_rows_gemv<T, 1>(&row, n, x, out);
        y[r] = out[0];
    }
}

template <int T, int NB>
AC_INLINE void matmul_f_group(const uint8_t *wb, size_t w_stride, int64_t n, const typename FType<T>::Elem *const *xr, float *y,
                              int64_t ldy, int64_t r0, int64_t r1) {
    using E = typename FType<T>::Elem;
    constexpr int NR = NB == 1 ? 4 : (NB == 2 ? 2 : 1);
    float out[NR * NB];
    int64_t r = r0;
    for (; r + NR <= r1; r += NR) {
        const E *rows[NR];
        for (int i = 0; i < NR; ++i) rows[i] = reinterpret_cast<const E *>(wb + static_cast<size_t>(r + i) * w_stride);
        f_rows<T, NR, NB>(rows, n, xr, out);
        for (int i = 0; i < NR; ++i) {
            for (int b = 0; b < NB; ++b) y[b * ldy + r + i] = out[i * NB + b];
        }
    }
    for (; r < r1; ++r) {
        const E *row = reinterpret_cast<const E *>(wb + static_cast<size_t>(r) * w_stride);
        f_rows<T, 1, NB>(&row, n, xr, out);
        for (int b = 0; b < NB; ++b) y[b * ldy + r] = out[b];
    }
}

template <int T>
void matmul_f(const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch, float *y,
              int64_t ldy, int64_t r0, int64_t r1, int32_t op_cols) {
    using E = typename FType<T>::Elem;
    const auto *wb = static_cast<const uint8_t *>(w);
    const auto *xb = static_cast<const uint8_t *>(x);
    if (op_cols == 1) {
        for (int32_t b = 0; b < batch; ++b) {
            gemv_f<T>(wb, w_stride, n, reinterpret_cast<const E *>(xb + static_cast<size_t>(b) * x_stride), y + static_cast<int64_t>(b) * ldy,
                      r0, r1);
        }
        return;
    }
    for (int32_t b0 = 0; b0 < batch; b0 += 4) {
        const int nt = batch - b0 < 4 ? batch - b0 : 4;
        const E *xr[4];
        for (int k = 0; k < nt; ++k) {
            xr[k] = reinterpret_cast<const E *>(xb + static_cast<size_t>(b0 + k) * x_stride);
        }
        float *yb = y + static_cast<int64_t>(b0) * ldy;
        with_cols(nt, [&](auto c) { matmul_f_group<T, decltype(c)::value>(wb, w_stride, n, xr, yb, ldy, r0, r1); });
    }
}

void matmul(int32_t type, const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch,
            float *y, int64_t ldy, int64_t r0, int64_t r1, int32_t op_cols) {
    switch (type) {
        case GGML_F32:
            matmul_f<GGML_F32>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1, op_cols);
            return;
        case GGML_F16:
            matmul_f<GGML_F16>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1, op_cols);
            return;
        case GGML_BF16:
            matmul_f<GGML_BF16>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1, op_cols);
            return;
        case GGML_Q4_0:
            matmul_q<GGML_Q4_0>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q4_1:
            matmul_q<GGML_Q4_1>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q5_0:
            matmul_q<GGML_Q5_0>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q8_0:
            matmul_q<GGML_Q8_0>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q4_K:
            matmul_k<GGML_Q4_K>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1, op_cols);
            return;
        case GGML_Q5_K:
            matmul_k<GGML_Q5_K>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1, op_cols);
            return;
        case GGML_Q6_K:
            matmul_k<GGML_Q6_K>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1, op_cols);
            return;
        default:
            return;
    }
}

// ---- embedding rows -------------------------------------------------------------------------

void get_row(int32_t type, const void *w, int64_t n, int64_t row, float *out) {
    const uint8_t *p = static_cast<const uint8_t *>(w) + static_cast<size_t>(row) * row_bytes(type, n);
    const int64_t nb = n / kQK;
    switch (type) {
        case GGML_F32:
            std::memcpy(out, p, static_cast<size_t>(n) * sizeof(float));
            return;
        case GGML_F16:
        case GGML_BF16: {
            const auto *h = reinterpret_cast<const uint16_t *>(p);
            int64_t i = 0;
            for (; i + 8 <= n; i += 8) {
                _mm256_storeu_ps(out + i, type == GGML_F16 ? FType<GGML_F16>::load(h + i) : FType<GGML_BF16>::load(h + i));
            }
            for (; i < n; ++i) {
                out[i] = type == GGML_F16 ? _cvtsh_ss(h[i]) : bf16_to_fp32(h[i]);
            }
            return;
        }
        case GGML_Q4_0:
        case GGML_Q4_1: {
            const int64_t bs = type == GGML_Q4_0 ? 18 : 20;
            const __m256i shift = _mm256_setr_epi64x(0, 0, 4, 4);
            const __m256i mask = _mm256_set1_epi8(0x0F);
            for (int64_t ib = 0; ib < nb; ++ib) {
                const uint8_t *blk = p + ib * bs;
                uint16_t dh, mh = 0;
                std::memcpy(&dh, blk, 2);
                const __m256 d = _mm256_set1_ps(_cvtsh_ss(dh));
                const __m256i packed = _mm256_broadcastsi128_si256(loadu128(blk + bs - 16));
                __m256i q = _mm256_and_si256(_mm256_srlv_epi64(packed, shift), mask);
                if (type == GGML_Q4_0) {
                    q = _mm256_sub_epi8(q, _mm256_set1_epi8(8));
                } else {
                    std::memcpy(&mh, blk + 2, 2);
                }
                const __m256 m = _mm256_set1_ps(_cvtsh_ss(mh));
                const __m128i lo = _mm256_castsi256_si128(q);
                const __m128i hi = _mm256_extracti128_si256(q, 1);
                const __m256i parts[4] = {_mm256_cvtepi8_epi32(lo), _mm256_cvtepi8_epi32(_mm_unpackhi_epi64(lo, lo)),
                                          _mm256_cvtepi8_epi32(hi), _mm256_cvtepi8_epi32(_mm_unpackhi_epi64(hi, hi))};
                for (int k = 0; k < 4; ++k) {
                    __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(parts[k]), d);
                    if (type == GGML_Q4_1) {
                        v = _mm256_add_ps(v, m);  // multiply then add, no FMA: as ggml's dequantize_row_q4_1
                    }
                    _mm256_storeu_ps(out + ib * kQK + 8 * k, v);
                }
            }
            return;
        }
        case GGML_Q8_0: {
            for (int64_t ib = 0; ib < nb; ++ib) {
                const uint8_t *blk = p + ib * 34;
                uint16_t dh;
                std::memcpy(&dh, blk, 2);
                const __m256 d = _mm256_set1_ps(_cvtsh_ss(dh));
                for (int k = 0; k < 4; ++k) {
                    const __m128i q8 = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(blk + 2 + 8 * k));
                    _mm256_storeu_ps(out + ib * kQK + 8 * k, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q8)), d));
                }
            }
            return;
        }
        default:
            // One row per token: not worth a vectorised copy of the portable dequantization.
            portable_kernels().get_row(type, w, n, row, out);
            return;
    }
}

// ---- softmax and SwiGLU ---------------------------------------------------------------------

// expf_ggml (kernels_impl.h) on 8 lanes.
AC_INLINE __m256 exp8(__m256 x) {
    const __m256 r = _mm256_set1_ps(0x1.8p23f);
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), r);
    const __m256 n = _mm256_sub_ps(z, r);
    const __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f), _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x));
    const __m256i e = _mm256_slli_epi32(_mm256_castps_si256(z), 23);
    const __m256 k = _mm256_castsi256_ps(_mm256_add_epi32(e, _mm256_castps_si256(_mm256_set1_ps(1.0f))));
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 j = _mm256_fmadd_ps(
        _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f)), u,
                        _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f))),
        u, _mm256_mul_ps(_mm256_set1_ps(0x1.ffffecp-1f), b));
    const __m256 normal = _mm256_fmadd_ps(j, k, k);
    const __m256 abs_n = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 big = _mm256_cmp_ps(abs_n, _mm256_set1_ps(126.0f), _CMP_GT_OQ);
    if (_mm256_movemask_ps(big) == 0) {
        return normal;
    }
    // Exponents past the float range: scale in two steps, or saturate to 0 / infinity.
    const __m256i g = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_LE_OQ)),
                                       _mm256_set1_epi32(static_cast<int>(0x82000000u)));
    const __m256 s1 = _mm256_castsi256_ps(_mm256_add_epi32(g, _mm256_set1_epi32(0x7f000000)));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_sub_epi32(e, g));
    const __m256 huge = _mm256_cmp_ps(abs_n, _mm256_set1_ps(192.0f), _CMP_GT_OQ);
    const __m256 scaled = _mm256_mul_ps(_mm256_fmadd_ps(s2, j, s2), s1);
    return _mm256_blendv_ps(_mm256_blendv_ps(normal, scaled, big), _mm256_mul_ps(s1, s1), huge);
}

void softmax(float *s, int64_t n_valid, int64_t n_pad, float scale) {
    const __m256 vscale = _mm256_set1_ps(scale);
    __m256 vmax = _mm256_set1_ps(-__builtin_inff());
    int64_t j = 0;
    for (; j + 8 <= n_valid; j += 8) {
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(s + j), vscale);
        _mm256_storeu_ps(s + j, v);
        vmax = _mm256_max_ps(vmax, v);
    }
    float max = hsum_max(vmax);
    for (; j < n_valid; ++j) {
        s[j] *= scale;
        max = s[j] > max ? s[j] : max;
    }
    const __m256 vm = _mm256_set1_ps(max);
    double sum = 0.0;
    for (j = 0; j < n_pad; j += 8) {
        const int64_t left = n_valid - j;
        __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(s + j), vm));
        if (left < 8) {  // the causal mask: positions past the token's own are exactly 0
            const __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(left < 0 ? 0 : left)),
                                                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
            e = _mm256_and_ps(e, _mm256_castsi256_ps(keep));
        }
        _mm256_storeu_ps(s + j, e);
        sum += static_cast<double>(hsum(e));
    }
    const __m256 inv = _mm256_set1_ps(static_cast<float>(1.0 / sum));
    for (j = 0; j < n_pad; j += 8) {
        _mm256_storeu_ps(s + j, _mm256_mul_ps(_mm256_loadu_ps(s + j), inv));
    }
}

void swiglu(const float *gate, const float *up, int64_t n, float *out) {
    const __m256 one = _mm256_set1_ps(1.0f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 silu = _mm256_div_ps(g, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), g))));
        _mm256_storeu_ps(out + i, _mm256_mul_ps(silu, _mm256_loadu_ps(up + i)));
    }
    for (; i < n; ++i) {
        out[i] = gate[i] / (1.0f + __builtin_expf(-gate[i])) * up[i];
    }
}

const Kernels kX86 = {AC_X86_NAME, prepare, matmul, get_row, softmax, swiglu};

}  // namespace
}  // namespace ac
