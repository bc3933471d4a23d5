// kernels_impl.h - what the kernel implementations (and their tests) share: the ggml block
// layouts of the weights and the layout of a prepared activation row.
//
// Internal to the kernels: the forward pass only sees kernels.h. Everything here has internal
// linkage or is a plain declaration, because this header is included by translation units
// compiled for different ISAs (see fp16.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "fp16.h"
#include "kernels.h"

namespace ac {

constexpr int64_t kQK = 32;   // elements per block of Q4_0, Q4_1, Q5_0, Q8_0
constexpr int64_t kQKK = 256;  // elements per super-block of the K-quants

// ggml's blocks, byte for byte (fp16 fields as raw bits).
struct BlockQ4_0 {
    uint16_t d;
    uint8_t qs[16];  // element j in the low nibble of qs[j], element j+16 in the high nibble
};
struct BlockQ4_1 {
    uint16_t d;
    uint16_t m;
    uint8_t qs[16];
};
struct BlockQ5_0 {
    uint16_t d;
    uint8_t qh[4];   // bit j: the fifth bit of element j
    uint8_t qs[16];  // as Q4_0; element = nibble + 16 * bit - 16
};
struct BlockQ8_0 {
    uint16_t d;
    int8_t qs[32];
};
// K-quants: 256 elements, 8 sub-blocks of 32 (Q4_K, Q5_K: 6-bit scale and min each) or 16 of 16
// (Q6_K: int8 scale each). Element e of sub-block j (natural order) is, per 64-element chunk c
// (Q4_K, Q5_K): sub-block 2c in the low nibbles of qs[32c..32c+32), 2c+1 in the high nibbles;
// Q5_K's fifth bit of element l of sub-block j is bit j of qh[l]. Q6_K: see q6_k_value().
struct BlockQ4_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];  // packed 6-bit scales and mins (k_scale_min())
    uint8_t qs[128];
};
struct BlockQ5_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[12];
    uint8_t qh[32];
    uint8_t qs[128];
};
struct BlockQ6_K {
    uint8_t ql[128];
    uint8_t qh[64];
    int8_t scales[16];
    uint16_t d;
};
// The activation row for the K-quants is ggml's block_q8_K, as quantize_row_q8_K writes it.
struct BlockQ8_K {
    float d;           // 1 / (-127 / x_max), x_max the first element of largest magnitude
    int8_t qs[256];    // round half to even of x * (-127 / x_max)
    int16_t bsums[16]; // sums of qs per 16 elements
};
static_assert(sizeof(BlockQ4_0) == 18, "ggml block_q4_0");
static_assert(sizeof(BlockQ4_1) == 20, "ggml block_q4_1");
static_assert(sizeof(BlockQ5_0) == 22, "ggml block_q5_0");
static_assert(sizeof(BlockQ8_0) == 34, "ggml block_q8_0");
static_assert(sizeof(BlockQ4_K) == 144, "ggml block_q4_K");
static_assert(sizeof(BlockQ5_K) == 176, "ggml block_q5_K");
static_assert(sizeof(BlockQ6_K) == 210, "ggml block_q6_K");
static_assert(sizeof(BlockQ8_K) == 292, "ggml block_q8_K");

static inline bool is_k_quant(int32_t type) { return type == GGML_Q4_K || type == GGML_Q5_K || type == GGML_Q6_K; }

// Scale and min of sub-block j (0..7) of a Q4_K/Q5_K super-block (ggml's get_scale_min_k4).
static inline void k_scale_min(const uint8_t *q, int j, int32_t *sc, int32_t *m) {
    if (j < 4) {
        *sc = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *sc = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        *m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// Element e (0..255) of a Q6_K super-block as stored, 0..63 (the weight is this minus 32): per
// 128-element half h, element l of each quarter q takes 4 bits from ql and 2 from qh.
static inline int32_t q6_k_value(const BlockQ6_K &b, int e) {
    const int h = e / 128, q = (e % 128) / 32, l = e % 32;
    const uint8_t *ql = b.ql + 64 * h, *qh = b.qh + 32 * h;
    const int32_t lo = q & 1 ? ql[l + 32] : ql[l];
    return ((q < 2 ? lo & 0xF : lo >> 4) | (((qh[l] >> (2 * q)) & 3) << 4));
}

// A prepared activation row for the 32-block weight types (Q4_0, Q4_1, Q5_0, Q8_0): ggml's
// quantize_row_q8_1 (the AVX2 one: d = amax/127, id = 127/amax, round half to even), stored
// planar so that the kernels find every block's numbers without unpacking (nb = n / 32):
//
//   int8_t  qs[n]        the quantized values, in natural order (block ib at qs + 32 ib)
//   float   d[nb]        block scale amax/127 rounded to fp16, as a float
//   float   s[nb]        ggml's q8_1 "s": fp16(d_unrounded * sum(q of the block)), as a float
//   int32_t isum[nb]     sum(q of the block)
//   int32_t corr[8 * nb] not for Q4_1: corr[8 ib + k] = F * (sum of the q of elements
//                        4k..4k+3 of block ib), F = 8 for Q4_0 (so that sum(nibble * q) - corr =
//                        sum((nibble - 8) * q) per int32 lane), 16 for Q5_0 (likewise with the
//                        5-bit value) and 128 for Q8_0 (sum((w + 128) * q) - corr = sum(w * q):
//                        unsigned x signed VNNI)
//
// With a 4-byte aligned row start every float/int field is aligned (n is a multiple of 32).
struct ActQ8View {
    int8_t *qs;
    float *d;
    float *s;
    int32_t *isum;
    int32_t *corr;  // nullptr for Q4_1
};

struct ActQ8ConstView {
    const int8_t *qs;
    const float *d;
    const float *s;
    const int32_t *isum;
    const int32_t *corr;
};

static inline bool act_q8_has_corr(int32_t type) { return type != GGML_Q4_1; }

static inline int32_t act_q8_corr_factor(int32_t type) { return type == GGML_Q4_0 ? 8 : type == GGML_Q5_0 ? 16 : 128; }

static inline size_t act_q8_bytes(int32_t type, int64_t n) {
    const int64_t nb = n / kQK;
    return static_cast<size_t>(n + 12 * nb + (act_q8_has_corr(type) ? 32 * nb : 0));
}

static inline ActQ8View act_q8_view(int32_t type, void *row, int64_t n) {
    const int64_t nb = n / kQK;
    auto *base = static_cast<unsigned char *>(row);
    return ActQ8View{reinterpret_cast<int8_t *>(base), reinterpret_cast<float *>(base + n),
                     reinterpret_cast<float *>(base + n + 4 * nb), reinterpret_cast<int32_t *>(base + n + 8 * nb),
                     act_q8_has_corr(type) ? reinterpret_cast<int32_t *>(base + n + 12 * nb) : nullptr};
}

static inline ActQ8ConstView act_q8_view(int32_t type, const void *row, int64_t n) {
    const int64_t nb = n / kQK;
    const auto *base = static_cast<const unsigned char *>(row);
    return ActQ8ConstView{reinterpret_cast<const int8_t *>(base), reinterpret_cast<const float *>(base + n),
                          reinterpret_cast<const float *>(base + n + 4 * nb),
                          reinterpret_cast<const int32_t *>(base + n + 8 * nb),
                          act_q8_has_corr(type) ? reinterpret_cast<const int32_t *>(base + n + 12 * nb) : nullptr};
}

// Fills corr from qs.
static inline void act_q8_fill_corr(int32_t type, const ActQ8View &a, int64_t nb) {
    const int32_t f = act_q8_corr_factor(type);
    for (int64_t ib = 0; ib < nb; ++ib) {
        for (int k = 0; k < 8; ++k) {
            int32_t sum = 0;
            for (int t = 0; t < 4; ++t) {
                sum += a.qs[ib * kQK + 4 * k + t];
            }
            a.corr[8 * ib + k] = f * sum;
        }
    }
}

// ---- ggml's order of float operations ------------------------------------------------------
//
// Every implementation computes each output with the same float operations, in the same order,
// as ggml's AVX2 CPU kernels do, so that all of them (and llama.cpp on the same file) agree
// bit for bit; integer parts are exact whatever the instructions. The rules:
//
//   quantized dot: 8 float lanes, lane k covering elements 4k..4k+3 of every 32-block;
//                  lane_k = fma(d_w * d_x, float(integer dot of those 4 elements), lane_k),
//                  block after block; result hsum8(lanes), plus for Q4_1 the scalar chain
//                  summs = fma(m_w, s_x, summs) block after block (ggml's C, contracted).
//   float dot:     8 lanes, lane k covering elements i with i % 8 == k: lane_k = fma(w_i,
//                  x_i, lane_k) in order; result hsum8(lanes) (llamafile's tinyBLAS, which
//                  ggml uses for matrix products of two or more columns).
//   float gemv:    ggml_vec_dot_f16/f32, for a product with one column: 4 x 8 lanes, element i
//                  (below the last multiple of 32) in accumulator (i / 8) % 4, lane i % 8;
//                  then a = (acc0 + acc2) + (acc1 + acc3) lanewise, t_k = a_k + a_k+4, result
//                  (t0 + t1) + (t2 + t3); the tail adds products in double (F32: a float fma
//                  chain). BF16 follows the same rule, which is not ggml's own BF16 order.
//   K-quant dot, fewer than 8 columns (ggml_vec_dot_qN_K_q8_K): per super-block, 8 exact int32
//                  lanes, lane k = sum over the 32-element groups g of scale(element) *
//                  q_w * q_x for elements 32g + 4k..32g + 4k+3 (q_w unsigned as stored; Q6_K's
//                  lane then less 32 * (sc[2k] bsum[2k] + sc[2k+1] bsum[2k+1]));
//                  lane_k = fma(d_x * d_w, float(lane), lane_k) super-block after super-block;
//                  result hsum8(lanes) + the mins term. Mins, with dm = (-d_x) * dmin_w and
//                  S_j = bsum[2j] + bsum[2j+1]: Q4_K 4 lanes m_p = fma(dm, float(min[2p] S[2p]
//                  + min[2p+1] S[2p+1]), m_p), term (m0 + m2) + (m1 + m3); Q5_K one chain
//                  summs = fma(dm, float(sum_j min[j] S_j), summs).
//   K-quant matmul, 8 or more columns (ggml's tiled matmul): per super-block the exact
//                  s1 = sum scale * (q_w - bias) * q_x (bias 32 for Q6_K, else 0) and s2 =
//                  sum_j min[j] S_j; r = d_w * float(s1), then (Q4_K, Q5_K) r = fma(-dmin_w,
//                  float(s2), r); acc = fma(r, d_x, acc) super-block after super-block.
//   hsum8(a):      ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)).
//   softmax:       e_i = expf_ggml(x_i - max), summed per 8 (hsum8) into a double, then
//                  e_i * float(1 / sum) (ggml_vec_soft_max_f32).
//   swiglu:        silu(g) * u with silu(g) = g / (1 + expf_ggml(0 - g)).
static inline float hsum8(const float a[8]) { return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7])); }

// The reduction of ggml_vec_dot_f16's four accumulators of 8 lanes.
static inline float gemv_reduce(const float acc[4][8]) {
    float a[8], t[4];
    for (int k = 0; k < 8; ++k) a[k] = (acc[0][k] + acc[2][k]) + (acc[1][k] + acc[3][k]);
    for (int k = 0; k < 4; ++k) t[k] = a[k] + a[k + 4];
    return (t[0] + t[1]) + (t[2] + t[3]);
}


// e^x as ggml_v_expf computes it (the Arm optimized-routines single-precision algorithm:
// x = n ln2 + b, 2^n by exponent arithmetic, a degree-5 polynomial for e^b; at most 1.5 ulp
// from e^x; 0 below about -104, infinity above about 88.4). Lanes are independent, so this
// scalar form equals every vector lane of the vectorised one. Builtins rather than std::
// functions: this header is compiled for several ISAs, and an inline std:: function would be one
// COMDAT that the linker may take from the AVX2 translation unit.
static inline float expf_ggml(float x) {
    const float r = 0x1.8p23f;
    const float z = __builtin_fmaf(x, 0x1.715476p+0f, r);
    const float n = z - r;
    const float b = __builtin_fmaf(-n, 0x1.7f7d1cp-20f, __builtin_fmaf(-n, 0x1.62e4p-1f, x));
    const uint32_t e = fp32_bits(z) << 23;
    const float k = fp32_from_bits(e + fp32_bits(1.0f));
    const float u = b * b;
    const float j = __builtin_fmaf(__builtin_fmaf(__builtin_fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, __builtin_fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)), u,
                             0x1.ffffecp-1f * b);
    if (!(__builtin_fabsf(n) > 126.0f)) {
        return __builtin_fmaf(j, k, k);
    }
    const uint32_t g = n <= 0.0f ? 0x82000000u : 0u;
    const float s1 = fp32_from_bits(g + 0x7f000000u);
    if (__builtin_fabsf(n) > 192.0f) {
        return s1 * s1;
    }
    const float s2 = fp32_from_bits(e - g);
    return __builtin_fmaf(s2, j, s2) * s1;
}

// The 32-block quantized types, whose activations are ActQ8 rows.
static inline bool is_quantized(int32_t type) {
    return type == GGML_Q4_0 || type == GGML_Q4_1 || type == GGML_Q5_0 || type == GGML_Q8_0;
}

// ggml switches K-quant products of this many columns or more to its tiled kernel.
constexpr int32_t kTiledMinCols = 8;

// The implementations (each defined in its own translation unit). The vectorised ones may only
// be called when the CPU has their instructions.
const Kernels &avx2_kernels();
const Kernels &avxvnni_kernels();
const Kernels &avx512_kernels();

}  // namespace ac
