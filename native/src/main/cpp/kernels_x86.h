// kernels_x86.h - the x86 kernels, compiled once per ISA level by the translation unit that
// includes it: kernels_avx2.cpp (AVX2+FMA+F16C), kernels_avx512.cpp (plus AVX-512 VNNI on
// 256-bit vectors), kernels_avxvnni.cpp (plus AVX-VNNI, the VEX form of the same instruction
// on CPUs without AVX-512). Each includer first defines AC_X86_NAME and AC_X86_VNNI: 0 (none),
// 1 (AVX512-VNNI + VL) or 2 (AVX-VNNI).
//
// Same numerics as kernels_portable.cpp up to the order of float additions: activations are
// quantized bit-identically (ggml's AVX2 quantize_row_q8_1), every int32 lane of a block's
// integer dot is exact, and each lane contributes float(lane) * (d_w * d_x) as in ggml's
// vec_dot; Q4_1 adds m_w * s_x per block.
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

AC_INLINE int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

AC_INLINE float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AC_INLINE uint32_t load_u32(const uint8_t *p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
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
    const bool paired = act_q8_paired(type);
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
        if (paired && !(ib % 2 == 0 && ib + 1 == nb)) {
            int8_t *dst = a.qs + (ib / 2) * 64 + (ib % 2) * 16;
            _mm_storeu_si128(reinterpret_cast<__m128i *>(dst), _mm256_castsi256_si128(q));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(dst + 32), _mm256_extracti128_si256(q, 1));
        } else {
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(a.qs + ib * kQK), q);
        }
        a.d[ib] = _cvtsh_ss(_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT));
        a.s[ib] = _cvtsh_ss(_cvtss_sh(d * static_cast<float>(sum), _MM_FROUND_TO_NEAREST_INT));
        a.isum[ib] = sum;
    }
    if (a.corr != nullptr) {
        // Lane sums of 4 bytes (maddubs with unsigned ones, then madd), times the factor.
        const int64_t chunks = act_q8_chunks(type, nb);
        const __m256i ones8 = _mm256_set1_epi8(1);
        const __m256i ones16 = _mm256_set1_epi16(1);
        const __m128i shift = _mm_cvtsi32_si128(type == GGML_Q4_0 ? 3 : 7);
        for (int64_t c = 0; c < chunks; ++c) {
            const int8_t *q = a.qs + (type == GGML_Q4_0 ? 64 * c : 32 * c);
            __m256i lanes = _mm256_maddubs_epi16(ones8, loadu256(q));
            if (type == GGML_Q4_0 && 2 * c + 1 < nb) {
                lanes = _mm256_add_epi16(lanes, _mm256_maddubs_epi16(ones8, loadu256(q + 32)));
            }
            lanes = _mm256_sll_epi32(_mm256_madd_epi16(lanes, ones16), shift);
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(a.corr + 8 * c), lanes);
        }
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
        case GGML_Q8_0:
            prepare_q8(type, x, n, out);
            return;
        default:
            return;
    }
}

// ---- quantized matmul -----------------------------------------------------------------------

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
struct QType<GGML_Q8_0> {
    static constexpr int64_t kBytes = 34;
};

// The first 4 bytes (d, and m or the first qs bytes) of `count` <= 8 consecutive blocks, as
// floats: d[j] and m[j] of block j. Missing blocks read as zero.
template <int64_t BS>
AC_INLINE void load_heads(const uint8_t *p, int64_t count, __m256 &d, __m256 &m) {
    __m128i lo, hi;
    if (count == 8) {
        lo = _mm_cvtsi32_si128(static_cast<int>(load_u32(p)));
        lo = _mm_insert_epi32(lo, static_cast<int>(load_u32(p + BS)), 1);
        lo = _mm_insert_epi32(lo, static_cast<int>(load_u32(p + 2 * BS)), 2);
        lo = _mm_insert_epi32(lo, static_cast<int>(load_u32(p + 3 * BS)), 3);
        hi = _mm_cvtsi32_si128(static_cast<int>(load_u32(p + 4 * BS)));
        hi = _mm_insert_epi32(hi, static_cast<int>(load_u32(p + 5 * BS)), 1);
        hi = _mm_insert_epi32(hi, static_cast<int>(load_u32(p + 6 * BS)), 2);
        hi = _mm_insert_epi32(hi, static_cast<int>(load_u32(p + 7 * BS)), 3);
    } else {
        alignas(16) uint32_t tmp[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int64_t j = 0; j < count; ++j) {
            tmp[j] = load_u32(p + j * BS);
        }
        lo = _mm_load_si128(reinterpret_cast<const __m128i *>(tmp));
        hi = _mm_load_si128(reinterpret_cast<const __m128i *>(tmp + 4));
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

// A window of 8 blocks' scales: blocks [ib, ib + cnt) are lanes [off, off + cnt). When fewer
// than 8 blocks remain the window slides back to end at the last block (off > 0), so that the
// loads stay full width; only for rows of fewer than 8 blocks is it partial (zero lanes).
struct Window {
    int64_t base;   // first block of the window
    int64_t count;  // blocks loaded (8, or nb < 8)
    int off;        // lane of block ib
};

AC_INLINE Window window(int64_t ib, int64_t cnt, int64_t nb) {
    if (cnt == 8) {
        return Window{ib, 8, 0};
    }
    if (nb >= 8) {
        return Window{nb - 8, 8, static_cast<int>(8 - cnt)};
    }
    return Window{ib, cnt, 0};
}

// Q4_0 / Q4_1 rows: blocks two at a time against the paired activation layout.
template <int T, int NB>
AC_INLINE void q4_pair(const uint8_t *w, int64_t blk, const ActQ8ConstView *x, __m256i idx, const __m256 *sc,
                       __m256 *acc) {
    constexpr int64_t BS = QType<T>::kBytes;
    const uint8_t *q0 = w + blk * BS + (BS - 16);
    const __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(loadu128(q0)), loadu128(q0 + BS), 1);
    const __m256i mask = _mm256_set1_epi8(0x0F);
    const __m256i lo = _mm256_and_si256(v, mask);
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), mask);
    for (int b = 0; b < NB; ++b) {
        const int8_t *xq = x[b].qs + blk * kQK;
        __m256i p = dot2_u4s8(lo, loadu256(xq), hi, loadu256(xq + 32));
        if constexpr (T == GGML_Q4_0) {
            p = _mm256_sub_epi32(p, loadu256(x[b].corr + (blk / 2) * 8));
        }
        acc[b] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_permutevar8x32_ps(sc[b], idx), acc[b]);
    }
}

template <int T, int NB>
AC_INLINE void q4_single(const uint8_t *w, int64_t blk, const ActQ8ConstView *x, int lane, const __m256 *sc,
                         __m256 *acc) {
    constexpr int64_t BS = QType<T>::kBytes;
    const __m256i v = _mm256_broadcastsi128_si256(loadu128(w + blk * BS + (BS - 16)));
    const __m256i wv = _mm256_and_si256(_mm256_srlv_epi64(v, _mm256_setr_epi64x(0, 0, 4, 4)), _mm256_set1_epi8(0x0F));
    const __m256i idx = _mm256_set1_epi32(lane);
    for (int b = 0; b < NB; ++b) {
        __m256i p = dot_u8s8(wv, loadu256(x[b].qs + blk * kQK));
        if constexpr (T == GGML_Q4_0) {
            p = _mm256_sub_epi32(p, loadu256(x[b].corr + (blk / 2) * 8));
        }
        acc[b] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_permutevar8x32_ps(sc[b], idx), acc[b]);
    }
}

// out[b] = dot(weight row w, activation row x[b]) for b < NB.
template <int T, int NB>
void q4_row(const uint8_t *w, int64_t nb, const ActQ8ConstView *x, float *out) {
    constexpr int64_t BS = QType<T>::kBytes;
    constexpr bool kMin = T == GGML_Q4_1;
    __m256 acc0[NB], acc1[NB], macc[NB], sc[NB];
    for (int b = 0; b < NB; ++b) {
        acc0[b] = _mm256_setzero_ps();
        acc1[b] = _mm256_setzero_ps();
        macc[b] = _mm256_setzero_ps();
    }
    const __m256i pair_pattern = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
    const __m256i two = _mm256_set1_epi32(2);
    for (int64_t ib = 0; ib < nb; ib += 8) {
        const int64_t cnt = min64(8, nb - ib);
        const Window win = window(ib, cnt, nb);
        __m256 dw, mw;
        load_heads<BS>(w + win.base * BS, win.count, dw, mw);
        if (kMin && win.off != 0) {  // lanes before off were counted by the previous window
            const __m256i keep = _mm256_cmpgt_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(win.off - 1));
            mw = _mm256_and_ps(mw, _mm256_castsi256_ps(keep));
        }
        for (int b = 0; b < NB; ++b) {
            sc[b] = _mm256_mul_ps(dw, load_floats(x[b].d + win.base, win.count));
            if constexpr (kMin) {
                macc[b] = _mm256_fmadd_ps(mw, load_floats(x[b].s + win.base, win.count), macc[b]);
            }
        }
        if (cnt == 8) {  // the common case, unrolled with constant lane indices
            q4_pair<T, NB>(w, ib, x, _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1), sc, acc0);
            q4_pair<T, NB>(w, ib + 2, x, _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3), sc, NB == 1 ? acc1 : acc0);
            q4_pair<T, NB>(w, ib + 4, x, _mm256_setr_epi32(4, 4, 4, 4, 5, 5, 5, 5), sc, acc0);
            q4_pair<T, NB>(w, ib + 6, x, _mm256_setr_epi32(6, 6, 6, 6, 7, 7, 7, 7), sc, NB == 1 ? acc1 : acc0);
            continue;
        }
        __m256i idx = _mm256_add_epi32(pair_pattern, _mm256_set1_epi32(win.off));
        int64_t j = 0;
        if constexpr (NB == 1) {  // two FMA chains
            for (; j + 4 <= cnt; j += 4) {
                q4_pair<T, NB>(w, ib + j, x, idx, sc, acc0);
                idx = _mm256_add_epi32(idx, two);
                q4_pair<T, NB>(w, ib + j + 2, x, idx, sc, acc1);
                idx = _mm256_add_epi32(idx, two);
            }
        }
        for (; j + 2 <= cnt; j += 2) {
            q4_pair<T, NB>(w, ib + j, x, idx, sc, acc0);
            idx = _mm256_add_epi32(idx, two);
        }
        if (j < cnt) {
            q4_single<T, NB>(w, ib + j, x, win.off + static_cast<int>(j), sc, acc0);
        }
    }
    for (int b = 0; b < NB; ++b) {
        const float main = hsum(_mm256_add_ps(acc0[b], acc1[b]));
        out[b] = kMin ? main + hsum(macc[b]) : main;
    }
}

// Q8_0 rows: one block at a time, activations in natural order.
template <int NB>
AC_INLINE void q8_block(const uint8_t *wblk, int64_t blk, const ActQ8ConstView *x, const float *sc, __m256 *acc) {
    const __m256i wv = loadu256(wblk + 2);
#if AC_X86_VNNI
    // (w + 128) unsigned x q signed, minus 128 * sum(q) per lane: exact.
    const __m256i u = _mm256_xor_si256(wv, _mm256_set1_epi8(static_cast<char>(0x80)));
    for (int b = 0; b < NB; ++b) {
        const __m256i p = _mm256_sub_epi32(dot_u8s8(u, loadu256(x[b].qs + blk * kQK)), loadu256(x[b].corr + blk * 8));
        acc[b] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_broadcast_ss(sc + 8 * b), acc[b]);
    }
#else
    // ggml's sign trick: |w| unsigned x (q with the sign of w).
    const __m256i aw = _mm256_sign_epi8(wv, wv);
    for (int b = 0; b < NB; ++b) {
        const __m256i p = dot_u8s8(aw, _mm256_sign_epi8(loadu256(x[b].qs + blk * kQK), wv));
        acc[b] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_broadcast_ss(sc + 8 * b), acc[b]);
    }
#endif
}

template <int NB>
void q8_row(const uint8_t *w, int64_t nb, const ActQ8ConstView *x, float *out) {
    constexpr int64_t BS = QType<GGML_Q8_0>::kBytes;
    __m256 acc0[NB], acc1[NB];
    for (int b = 0; b < NB; ++b) {
        acc0[b] = _mm256_setzero_ps();
        acc1[b] = _mm256_setzero_ps();
    }
    alignas(32) float sc[NB * 8];
    for (int64_t ib = 0; ib < nb; ib += 8) {
        const int64_t cnt = min64(8, nb - ib);
        const Window win = window(ib, cnt, nb);
        __m256 dw, mw;
        load_heads<BS>(w + win.base * BS, win.count, dw, mw);
        for (int b = 0; b < NB; ++b) {
            _mm256_store_ps(sc + 8 * b, _mm256_mul_ps(dw, load_floats(x[b].d + win.base, win.count)));
        }
        const float *s = sc + win.off;
        if (cnt == 8) {  // the common case, unrolled
            for (int64_t k = 0; k < 8; k += 2) {
                q8_block<NB>(w + (ib + k) * BS, ib + k, x, s + k, acc0);
                q8_block<NB>(w + (ib + k + 1) * BS, ib + k + 1, x, s + k + 1, NB == 1 ? acc1 : acc0);
            }
            continue;
        }
        int64_t j = 0;
        if constexpr (NB == 1) {
            for (; j + 2 <= cnt; j += 2) {
                q8_block<NB>(w + (ib + j) * BS, ib + j, x, s + j, acc0);
                q8_block<NB>(w + (ib + j + 1) * BS, ib + j + 1, x, s + j + 1, acc1);
            }
        }
        for (; j < cnt; ++j) {
            q8_block<NB>(w + (ib + j) * BS, ib + j, x, s + j, acc0);
        }
    }
    for (int b = 0; b < NB; ++b) {
        out[b] = hsum(_mm256_add_ps(acc0[b], acc1[b]));
    }
}

template <int T, int NB>
AC_INLINE void q_row(const uint8_t *w, int64_t nb, const ActQ8ConstView *x, float *out) {
    if constexpr (T == GGML_Q8_0) {
        q8_row<NB>(w, nb, x, out);
    } else {
        q4_row<T, NB>(w, nb, x, out);
    }
}

template <int T>
void matmul_q(const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch, float *y,
              int64_t ldy, int64_t r0, int64_t r1) {
    const auto *wb = static_cast<const uint8_t *>(w);
    const auto *xb = static_cast<const uint8_t *>(x);
    const int64_t nb = n / kQK;
    // Activation rows outer, 4 at a time, weight rows inner: a weight row is read once per 4
    // activation rows, and the 4 activation rows stay in L1 while the weights stream.
    for (int32_t b0 = 0; b0 < batch; b0 += 4) {
        const int nt = batch - b0 < 4 ? batch - b0 : 4;
        ActQ8ConstView xv[4];
        for (int k = 0; k < nt; ++k) {
            xv[k] = act_q8_view(T, xb + static_cast<size_t>(b0 + k) * x_stride, n);
        }
        float out[4];
        for (int64_t r = r0; r < r1; ++r) {
            const uint8_t *wr = wb + static_cast<size_t>(r) * w_stride;
            switch (nt) {
                case 1:
                    q_row<T, 1>(wr, nb, xv, out);
                    break;
                case 2:
                    q_row<T, 2>(wr, nb, xv, out);
                    break;
                case 3:
                    q_row<T, 3>(wr, nb, xv, out);
                    break;
                default:
                    q_row<T, 4>(wr, nb, xv, out);
                    break;
            }
            for (int k = 0; k < nt; ++k) {
                y[static_cast<int64_t>(b0 + k) * ldy + r] = out[k];
            }
        }
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

template <int T, int NB>
void frow(const typename FType<T>::Elem *w, int64_t n, const typename FType<T>::Elem *const *x, float *out) {
    using F = FType<T>;
    constexpr int NA = NB == 1 ? 4 : (NB == 2 ? 2 : 1);
    __m256 acc[NA][NB];
    for (int a = 0; a < NA; ++a) {
        for (int b = 0; b < NB; ++b) {
            acc[a][b] = _mm256_setzero_ps();
        }
    }
    int64_t i = 0;
    for (; i + 8 * NA <= n; i += 8 * NA) {
        for (int a = 0; a < NA; ++a) {
            const __m256 wv = F::load(w + i + 8 * a);
            for (int b = 0; b < NB; ++b) {
                acc[a][b] = _mm256_fmadd_ps(wv, F::load(x[b] + i + 8 * a), acc[a][b]);
            }
        }
    }
    for (; i + 8 <= n; i += 8) {
        const __m256 wv = F::load(w + i);
        for (int b = 0; b < NB; ++b) {
            acc[0][b] = _mm256_fmadd_ps(wv, F::load(x[b] + i), acc[0][b]);
        }
    }
    for (int b = 0; b < NB; ++b) {
        __m256 s = acc[0][b];
        for (int a = 1; a < NA; ++a) {
            s = _mm256_add_ps(s, acc[a][b]);
        }
        float r = hsum(s);
        for (int64_t k = i; k < n; ++k) {
            r += F::scalar(w[k]) * F::scalar(x[b][k]);
        }
        out[b] = r;
    }
}

template <int T>
void matmul_f(const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch, float *y,
              int64_t ldy, int64_t r0, int64_t r1) {
    using E = typename FType<T>::Elem;
    const auto *wb = static_cast<const uint8_t *>(w);
    const auto *xb = static_cast<const uint8_t *>(x);
    for (int32_t b0 = 0; b0 < batch; b0 += 4) {
        const int nt = batch - b0 < 4 ? batch - b0 : 4;
        const E *xr[4];
        for (int k = 0; k < nt; ++k) {
            xr[k] = reinterpret_cast<const E *>(xb + static_cast<size_t>(b0 + k) * x_stride);
        }
        float out[4];
        for (int64_t r = r0; r < r1; ++r) {
            const E *wr = reinterpret_cast<const E *>(wb + static_cast<size_t>(r) * w_stride);
            switch (nt) {
                case 1:
                    frow<T, 1>(wr, n, xr, out);
                    break;
                case 2:
                    frow<T, 2>(wr, n, xr, out);
                    break;
                case 3:
                    frow<T, 3>(wr, n, xr, out);
                    break;
                default:
                    frow<T, 4>(wr, n, xr, out);
                    break;
            }
            for (int k = 0; k < nt; ++k) {
                y[static_cast<int64_t>(b0 + k) * ldy + r] = out[k];
            }
        }
    }
}

void matmul(int32_t type, const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride, int32_t batch,
            float *y, int64_t ldy, int64_t r0, int64_t r1) {
    switch (type) {
        case GGML_F32:
            matmul_f<GGML_F32>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_F16:
            matmul_f<GGML_F16>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_BF16:
            matmul_f<GGML_BF16>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q4_0:
            matmul_q<GGML_Q4_0>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q4_1:
            matmul_q<GGML_Q4_1>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
            return;
        case GGML_Q8_0:
            matmul_q<GGML_Q8_0>(w, w_stride, n, x, x_stride, batch, y, ldy, r0, r1);
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
            return;
    }
}

const Kernels kX86 = {AC_X86_NAME, prepare, matmul, get_row};

}  // namespace
}  // namespace ac
