// kernels_test - correctness of every kernel implementation this CPU can run, and a micro
// benchmark (--bench).
//
// For each weight type and implementation, with random weights quantized by the reference
// quantizers below:
//   prepare   bit-identical to an independent scalar mirror of ggml's activation quantizer;
//   matmul    (a) within 1e-5 * sum|terms| of a double-precision dot of the dequantized weights
//                 with the *same quantized* activations, and within the computed worst case of
//                 the activation quantization of the float dot;
//             (b) vectorised implementations bit-identical to the portable one (ggml's order),
//                 in both the matrix (tinyBLAS) and the matrix-vector (vec_dot) order;
//             (d) random row ranges [r0, r1), batch 1..9, ldy > rows: exactly the rows and
//                 columns asked for are written;
//   get_row   (c) bit-identical to the reference dequantization.
// The K-quants (Q4_K, Q5_K, Q6_K: random super-blocks, Q8_K activations) likewise, for n up to
// 8960, and besides bit-identical to the two orders of kernels_impl.h written out again here:
// ggml's vec_dot for op_cols 1..7, its tiled kernel from 8 (op_cols == batch or not, batch
// 1..12, and 70), with Q8_K edge cases (zero super-block, ties, the sign of the first largest
// element) and a saturated super-block against activations of -128.
// Returns non-zero on the first failure.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "fp16.h"
#include "kernels.h"
#include "kernels_impl.h"

using namespace ac;

namespace {

int g_failures = 0;
int64_t g_checks = 0;

#define CHECK(cond, ...)                                                  \
    do {                                                                  \
        ++g_checks;                                                       \
        if (!(cond)) {                                                    \
            ++g_failures;                                                 \
            std::fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);     \
            std::fprintf(stderr, __VA_ARGS__);                            \
            std::fprintf(stderr, "\n");                                   \
            if (g_failures > 20) {                                        \
                std::fprintf(stderr, "too many failures\n");              \
                std::exit(1);                                             \
            }                                                             \
        }                                                                 \
    } while (0)

const char *type_name(int32_t t) {
    switch (t) {
        case GGML_F32: return "F32";
        case GGML_F16: return "F16";
        case GGML_BF16: return "BF16";
        case GGML_Q4_0: return "Q4_0";
        case GGML_Q4_1: return "Q4_1";
        case GGML_Q5_0: return "Q5_0";
        case GGML_Q8_0: return "Q8_0";
        case GGML_Q4_K: return "Q4_K";
        case GGML_Q5_K: return "Q5_K";
        case GGML_Q6_K: return "Q6_K";
        default: return "?";
    }
}

// 64-byte aligned byte buffer.
struct Buffer {
    std::vector<unsigned char> storage;
    unsigned char *data = nullptr;
    size_t size = 0;
    explicit Buffer(size_t n = 0) { resize(n); }
    void resize(size_t n) {
        storage.assign(n + 64, 0);
        auto addr = reinterpret_cast<uintptr_t>(storage.data());
        data = storage.data() + ((64 - addr % 64) % 64);
        size = n;
    }
};

// ---- reference quantizers (ggml's *_ref, scalar) for the weights ---------------------------

void quantize_weights(int32_t type, const float *x, int64_t n, unsigned char *out) {
    switch (type) {
        case GGML_F32:
            std::memcpy(out, x, static_cast<size_t>(n) * 4);
            return;
        case GGML_F16:
            for (int64_t i = 0; i < n; ++i) {
                const uint16_t h = fp32_to_fp16(x[i]);
                std::memcpy(out + 2 * i, &h, 2);
            }
            return;
        case GGML_BF16:
            for (int64_t i = 0; i < n; ++i) {
                const uint16_t h = fp32_to_bf16(x[i]);
                std::memcpy(out + 2 * i, &h, 2);
            }
            return;
        case GGML_Q4_0: {
            auto *b = reinterpret_cast<BlockQ4_0 *>(out);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float *v = x + ib * 32;
                float amax = 0.0f, max = 0.0f;
                for (int j = 0; j < 32; ++j) {
                    if (std::fabs(v[j]) > amax) {
                        amax = std::fabs(v[j]);
                        max = v[j];
                    }
                }
                const float d = max / -8.0f;
                const float id = d != 0.0f ? 1.0f / d : 0.0f;
                b[ib].d = fp32_to_fp16(d);
                for (int j = 0; j < 16; ++j) {
                    const int q0 = std::min(15, static_cast<int>(v[j] * id + 8.5f));
                    const int q1 = std::min(15, static_cast<int>(v[j + 16] * id + 8.5f));
                    b[ib].qs[j] = static_cast<uint8_t>(q0 | (q1 << 4));
                }
            }
            return;
        }
        case GGML_Q4_1: {
            auto *b = reinterpret_cast<BlockQ4_1 *>(out);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float *v = x + ib * 32;
                float mn = v[0], mx = v[0];
                for (int j = 1; j < 32; ++j) {
                    mn = std::min(mn, v[j]);
                    mx = std::max(mx, v[j]);
                }
                const float d = (mx - mn) / 15.0f;
                const float id = d != 0.0f ? 1.0f / d : 0.0f;
                b[ib].d = fp32_to_fp16(d);
                b[ib].m = fp32_to_fp16(mn);
                for (int j = 0; j < 16; ++j) {
                    const int q0 = std::min(15, static_cast<int>((v[j] - mn) * id + 0.5f));
                    const int q1 = std::min(15, static_cast<int>((v[j + 16] - mn) * id + 0.5f));
                    b[ib].qs[j] = static_cast<uint8_t>(q0 | (q1 << 4));
                }
            }
            return;
        }
        case GGML_Q5_0: {
            // ggml's quantize_row_q5_0_ref: d = max / -16, 5-bit values 0..31, the low 4 bits in
            // nibbles as Q4_0, bit 4 of element j in bit j of the little-endian uint32 qh.
            auto *b = reinterpret_cast<BlockQ5_0 *>(out);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float *v = x + ib * 32;
                float amax = 0.0f, max = 0.0f;
                for (int j = 0; j < 32; ++j) {
                    if (std::fabs(v[j]) > amax) {
                        amax = std::fabs(v[j]);
                        max = v[j];
                    }
                }
                const float d = max / -16.0f;
                const float id = d != 0.0f ? 1.0f / d : 0.0f;
                b[ib].d = fp32_to_fp16(d);
                uint32_t qh = 0;
                for (int j = 0; j < 16; ++j) {
                    const int q0 = std::min(31, static_cast<int>(v[j] * id + 16.5f));
                    const int q1 = std::min(31, static_cast<int>(v[j + 16] * id + 16.5f));
                    b[ib].qs[j] = static_cast<uint8_t>((q0 & 15) | ((q1 & 15) << 4));
                    qh |= static_cast<uint32_t>((q0 >> 4) & 1) << j;
                    qh |= static_cast<uint32_t>((q1 >> 4) & 1) << (j + 16);
                }
                const unsigned char le[4] = {static_cast<unsigned char>(qh), static_cast<unsigned char>(qh >> 8),
                                             static_cast<unsigned char>(qh >> 16), static_cast<unsigned char>(qh >> 24)};
                std::memcpy(b[ib].qh, le, 4);
            }
            return;
        }
        case GGML_Q8_0: {
            auto *b = reinterpret_cast<BlockQ8_0 *>(out);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float *v = x + ib * 32;
                float amax = 0.0f;
                for (int j = 0; j < 32; ++j) {
                    amax = std::max(amax, std::fabs(v[j]));
                }
                const float d = amax / 127.0f;
                const float id = d != 0.0f ? 1.0f / d : 0.0f;
                b[ib].d = fp32_to_fp16(d);
                for (int j = 0; j < 32; ++j) {
                    b[ib].qs[j] = static_cast<int8_t>(std::lround(v[j] * id));
                }
            }
            return;
        }
        default:
            return;
    }
}

// Element j (0..31) of a Q5_0 block, -16..15, as ggml's dequantize_row_q5_0 forms it.
int q5_0_weight(const BlockQ5_0 &b, int j) {
    const uint32_t qh = static_cast<uint32_t>(b.qh[0]) | static_cast<uint32_t>(b.qh[1]) << 8 |
                        static_cast<uint32_t>(b.qh[2]) << 16 | static_cast<uint32_t>(b.qh[3]) << 24;
    const int low = j < 16 ? (b.qs[j] & 15) : (b.qs[j - 16] >> 4);
    return (low | static_cast<int>(((qh >> j) & 1u) << 4)) - 16;
}

// Reference dequantization of one weight row, in float with the same operations as ggml's
// dequantize_row_* (so get_row must match it bit for bit).
void dequantize_weights(int32_t type, const unsigned char *row, int64_t n, float *out) {
    switch (type) {
        case GGML_F32:
            std::memcpy(out, row, static_cast<size_t>(n) * 4);
            return;
        case GGML_F16:
        case GGML_BF16:
            for (int64_t i = 0; i < n; ++i) {
                uint16_t h;
                std::memcpy(&h, row + 2 * i, 2);
                out[i] = type == GGML_F16 ? fp16_to_fp32(h) : bf16_to_fp32(h);
            }
            return;
        case GGML_Q4_0: {
            const auto *b = reinterpret_cast<const BlockQ4_0 *>(row);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                for (int j = 0; j < 16; ++j) {
                    out[ib * 32 + j] = static_cast<float>((b[ib].qs[j] & 15) - 8) * d;
                    out[ib * 32 + j + 16] = static_cast<float>((b[ib].qs[j] >> 4) - 8) * d;
                }
            }
            return;
        }
        case GGML_Q4_1: {
            const auto *b = reinterpret_cast<const BlockQ4_1 *>(row);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                const float m = fp16_to_fp32(b[ib].m);
                for (int j = 0; j < 16; ++j) {
                    out[ib * 32 + j] = static_cast<float>(b[ib].qs[j] & 15) * d + m;
                    out[ib * 32 + j + 16] = static_cast<float>(b[ib].qs[j] >> 4) * d + m;
                }
            }
            return;
        }
        case GGML_Q5_0: {
            const auto *b = reinterpret_cast<const BlockQ5_0 *>(row);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                for (int j = 0; j < 32; ++j) {
                    out[ib * 32 + j] = static_cast<float>(q5_0_weight(b[ib], j)) * d;
                }
            }
            return;
        }
        case GGML_Q8_0: {
            const auto *b = reinterpret_cast<const BlockQ8_0 *>(row);
            for (int64_t ib = 0; ib < n / 32; ++ib) {
                const float d = fp16_to_fp32(b[ib].d);
                for (int j = 0; j < 32; ++j) {
                    out[ib * 32 + j] = static_cast<float>(b[ib].qs[j]) * d;
                }
            }
            return;
        }
        default:
            return;
    }
}

// ---- independent mirror of ggml's activation conversion --------------------------------------

struct RefAct {
    std::vector<float> f;       // F32/F16/BF16: the (rounded) activation values
    std::vector<int8_t> qs;     // quantized: q
    std::vector<float> d, s;    // per block
    std::vector<int32_t> isum;
};

RefAct reference_activation(int32_t type, const float *x, int64_t n) {
    RefAct r;
    if (!is_quantized(type)) {
        r.f.resize(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            r.f[i] = type == GGML_F32 ? x[i] : type == GGML_F16 ? fp16_to_fp32(fp32_to_fp16(x[i])) : bf16_to_fp32(fp32_to_bf16(x[i]));
        }
        return r;
    }
    const int64_t nb = n / 32;
    r.qs.resize(static_cast<size_t>(n));
    r.d.resize(static_cast<size_t>(nb));
    r.s.resize(static_cast<size_t>(nb));
    r.isum.resize(static_cast<size_t>(nb));
    for (int64_t ib = 0; ib < nb; ++ib) {
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j) {
            amax = std::max(amax, std::fabs(x[ib * 32 + j]));
        }
        // ggml's AVX2 quantize_row_q8_1: d = amax/127, id = 127/amax, round half to even.
        const float d = amax / 127.0f;
        const float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        int32_t sum = 0;
        for (int j = 0; j < 32; ++j) {
            const float v = std::nearbyint(x[ib * 32 + j] * id);
            const auto q = static_cast<int8_t>(v);
            r.qs[static_cast<size_t>(ib * 32 + j)] = q;
            sum += q;
        }
        r.d[ib] = fp16_to_fp32(fp32_to_fp16(d));
        r.s[ib] = fp16_to_fp32(fp32_to_fp16(d * static_cast<float>(sum)));
        r.isum[ib] = sum;
    }
    return r;
}

bool activation_matches(int32_t type, const RefAct &ref, const void *prepared, int64_t n, std::string &why) {
    if (!is_quantized(type)) {
        for (int64_t i = 0; i < n; ++i) {
            float v;
            if (type == GGML_F32) {
                std::memcpy(&v, static_cast<const unsigned char *>(prepared) + 4 * i, 4);
            } else {
                uint16_t h;
                std::memcpy(&h, static_cast<const unsigned char *>(prepared) + 2 * i, 2);
                v = type == GGML_F16 ? fp16_to_fp32(h) : bf16_to_fp32(h);
            }
            if (fp32_bits(v) != fp32_bits(ref.f[i])) {
                why = "element " + std::to_string(i);
                return false;
            }
        }
        return true;
    }
    const int64_t nb = n / 32;
    const ActQ8ConstView a = act_q8_view(type, prepared, n);
    // Natural element order (kernels_impl.h).
    auto offset = [&](int64_t i) -> int64_t { return i; };
    for (int64_t i = 0; i < n; ++i) {
        if (a.qs[offset(i)] != ref.qs[static_cast<size_t>(i)]) {
            why = "q[" + std::to_string(i) + "] " + std::to_string(a.qs[offset(i)]) + " vs " +
                  std::to_string(ref.qs[static_cast<size_t>(i)]);
            return false;
        }
    }
    for (int64_t ib = 0; ib < nb; ++ib) {
        if (fp32_bits(a.d[ib]) != fp32_bits(ref.d[static_cast<size_t>(ib)]) ||
            fp32_bits(a.s[ib]) != fp32_bits(ref.s[static_cast<size_t>(ib)]) || a.isum[ib] != ref.isum[static_cast<size_t>(ib)]) {
            why = "block " + std::to_string(ib) + " scales";
            return false;
        }
    }
    // Lane corrections: lane k of block c covers its elements 4k..4k+3.
    if (type == GGML_Q4_1) {
        return a.corr == nullptr || (why = "Q4_1 has corr", false);
    }
    const int32_t factor = type == GGML_Q8_0 ? 128 : type == GGML_Q5_0 ? 16 : 8;
    for (int64_t c = 0; c < nb; ++c) {
        for (int k = 0; k < 8; ++k) {
            int32_t want = 0;
            for (int t = 0; t < 4; ++t) {
                want += factor * ref.qs[static_cast<size_t>(c * 32 + 4 * k + t)];
            }
            if (a.corr[8 * c + k] != want) {
                why = "corr[" + std::to_string(8 * c + k) + "] " + std::to_string(a.corr[8 * c + k]) + " vs " +
                      std::to_string(want);
                return false;
            }
        }
    }
    return true;
}

// The exact value of what the kernels compute (in double), its magnitude sum|terms| (the scale
// of float rounding), and the worst case of the activation conversion against the float dot.
struct RefDot {
    double value = 0, magnitude = 0, conversion_bound = 0, float_dot = 0;
};

RefDot reference_dot(int32_t type, const unsigned char *wrow, int64_t n, const RefAct &a, const float *x) {
    std::vector<float> wf(static_cast<size_t>(n));
    dequantize_weights(type, wrow, n, wf.data());
    // Exact weights in double (float dequantization of Q4_1 rounds n*d + m).
    std::vector<double> w(wf.begin(), wf.end());
    if (type == GGML_Q4_1) {
        for (int64_t ib = 0; ib < n / 32; ++ib) {
            const auto *b = reinterpret_cast<const BlockQ4_1 *>(wrow) + ib;
            for (int j = 0; j < 16; ++j) {
                w[static_cast<size_t>(ib * 32 + j)] = (b->qs[j] & 15) * static_cast<double>(fp16_to_fp32(b->d)) + fp16_to_fp32(b->m);
                w[static_cast<size_t>(ib * 32 + j + 16)] = (b->qs[j] >> 4) * static_cast<double>(fp16_to_fp32(b->d)) + fp16_to_fp32(b->m);
            }
        }
    }
    RefDot r;
    for (int64_t i = 0; i < n; ++i) {
        r.float_dot += w[i] * x[i];
    }
    if (!is_quantized(type)) {
        for (int64_t i = 0; i < n; ++i) {
            const double t = w[i] * a.f[i];
            r.value += t;
            r.magnitude += std::fabs(t);
            r.conversion_bound += std::fabs(w[i]) * std::fabs(static_cast<double>(a.f[i]) - x[i]);
        }
        return r;
    }
    for (int64_t ib = 0; ib < n / 32; ++ib) {
        double dw = 0, mw = 0;
        int64_t isum = 0, iabs = 0;  // sum of products and of their absolute values
        const double dx = a.d[ib];
        if (type == GGML_Q4_1) {
            const auto *b = reinterpret_cast<const BlockQ4_1 *>(wrow) + ib;
            dw = fp16_to_fp32(b->d);
            mw = fp16_to_fp32(b->m);
            for (int j = 0; j < 16; ++j) {
                const int p0 = (b->qs[j] & 15) * a.qs[static_cast<size_t>(ib * 32 + j)];
                const int p1 = (b->qs[j] >> 4) * a.qs[static_cast<size_t>(ib * 32 + j + 16)];
                isum += p0 + p1;
                iabs += std::abs(p0) + std::abs(p1);
            }
        } else if (type == GGML_Q4_0) {
            const auto *b = reinterpret_cast<const BlockQ4_0 *>(wrow) + ib;
            dw = fp16_to_fp32(b->d);
            for (int j = 0; j < 16; ++j) {
                const int p0 = ((b->qs[j] & 15) - 8) * a.qs[static_cast<size_t>(ib * 32 + j)];
                const int p1 = ((b->qs[j] >> 4) - 8) * a.qs[static_cast<size_t>(ib * 32 + j + 16)];
                isum += p0 + p1;
                iabs += std::abs(p0) + std::abs(p1);
            }
        } else if (type == GGML_Q5_0) {
            const auto *b = reinterpret_cast<const BlockQ5_0 *>(wrow) + ib;
            dw = fp16_to_fp32(b->d);
            for (int j = 0; j < 32; ++j) {
                const int p = q5_0_weight(*b, j) * a.qs[static_cast<size_t>(ib * 32 + j)];
                isum += p;
                iabs += std::abs(p);
            }
        } else {
            const auto *b = reinterpret_cast<const BlockQ8_0 *>(wrow) + ib;
            dw = fp16_to_fp32(b->d);
            for (int j = 0; j < 32; ++j) {
                const int p = b->qs[j] * a.qs[static_cast<size_t>(ib * 32 + j)];
                isum += p;
                iabs += std::abs(p);
            }
        }
        const double main = dw * dx * static_cast<double>(isum);
        const double minterm = mw * a.s[ib];
        r.value += main + minterm;
        r.magnitude += std::fabs(dw * dx) * static_cast<double>(iabs) + std::fabs(minterm);
        // kernel - float dot = sum_j w_j (q_j dx - x_j) + mw (s - dx sum q)
        for (int j = 0; j < 32; ++j) {
            const size_t k = static_cast<size_t>(ib * 32 + j);
            r.conversion_bound += std::fabs(w[k]) * std::fabs(a.qs[k] * dx - x[k]);
        }
        r.conversion_bound += std::fabs(mw) * std::fabs(a.s[ib] - dx * a.isum[ib]);
    }
    return r;
}

struct Impl {
    const char *name;
    const Kernels *k;
};

std::vector<Impl> implementations() {
    std::vector<Impl> v;
    for (const char *name : {"portable", "avx2", "avxvnni", "avx512"}) {
        if (const Kernels *k = kernels_named(name)) {
            v.push_back({name, k});
        }
    }
    return v;
}

constexpr double kRel = 1e-5;

// ggml multiplies K-quant weights by 8 or more columns with its tiled kernel (kernels_impl.h).
constexpr int32_t kGgmlTiledMinCols = 8;

void test_fp16_conversions() {
    std::mt19937 rng(7);
    // Every half converts to a float and back to itself (NaNs stay NaN).
    for (uint32_t h = 0; h < 65536; ++h) {
        const float f = fp16_to_fp32(static_cast<uint16_t>(h));
        const uint16_t back = fp32_to_fp16(f);
        const bool nan = (h & 0x7C00u) == 0x7C00u && (h & 0x3FFu) != 0;
        CHECK(nan ? ((back & 0x7C00u) == 0x7C00u && (back & 0x3FFu) != 0) : back == h, "half %04x -> %g -> %04x", h,
              static_cast<double>(f), back);
    }
    // Round to nearest even: against an exact decision on random floats near the half range.
    std::uniform_int_distribution<uint32_t> bits(0x30000000u, 0x48000000u);
    for (int i = 0; i < 200000; ++i) {
        const float f = fp32_from_bits(bits(rng) | (i & 1 ? 0x80000000u : 0u));
        const uint16_t h = fp32_to_fp16(f);
        const double back = fp16_to_fp32(h);
        // No half is closer than the chosen one (neighbours compared in double).
        const double err = std::fabs(back - static_cast<double>(f));
        if ((h & 0x7FFFu) < 0x7C00u) {
            const uint16_t up = static_cast<uint16_t>(h + 1), down = static_cast<uint16_t>(h - 1);
            const double eu = (up & 0x7FFFu) < 0x7C00u ? std::fabs(fp16_to_fp32(up) - static_cast<double>(f)) : 1e30;
            const double ed = (h & 0x7FFFu) != 0 ? std::fabs(fp16_to_fp32(down) - static_cast<double>(f)) : 1e30;
            CHECK(err <= eu && err <= ed && (err < eu || (h & 1u) == 0) && (err < ed || (h & 1u) == 0),
                  "fp32_to_fp16(%a) = %04x", static_cast<double>(f), h);
        }
    }
}

void test_type(int32_t type, const std::vector<Impl> &impls, std::mt19937 &rng) {
    const bool q = is_quantized(type);
    std::vector<int64_t> sizes = {32, 64, 96, 160, 224, 256, 288, 352, 480, 576, 1536, 4096};
    if (!q) {
        sizes.insert(sizes.end(), {1, 7, 8, 15, 33, 100, 577});
    }
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::uniform_real_distribution<float> unif(-1.0f, 1.0f);
    double worst_ref = 0, worst_impl = 0, worst_conv = 0;
    for (size_t case_index = 0; case_index < sizes.size(); ++case_index) {
        const int64_t n = sizes[case_index];
        const int64_t rows = 1 + static_cast<int64_t>(rng() % 23);
        const int32_t batch = 1 + static_cast<int32_t>(case_index % 9);  // every batch 1..9 per type
        // Both float orders: op_cols 1 is ggml's vec_dot, more is tinyBLAS (op_cols may exceed
        // batch, as when the caller splits the columns: so batch 1 is tested in both orders).
        const int32_t op_cols = case_index % 2 == 1 ? 1 : std::max<int32_t>(batch, 2);
        // Weights: mostly small gaussian values, some rows scaled up, a few exact zeros.
        std::vector<float> wf(static_cast<size_t>(rows * n));
        for (size_t i = 0; i < wf.size(); ++i) {
            wf[i] = (i % 97 == 5) ? 0.0f : 0.05f * gauss(rng) * (1.0f + static_cast<float>((i / static_cast<size_t>(n)) % 3));
        }
        const size_t rb = row_bytes(type, n);
        const size_t w_stride = rb + (rng() % 2 ? 0 : 64);  // strided weights too
        Buffer w(w_stride * static_cast<size_t>(rows));
        for (int64_t r = 0; r < rows; ++r) {
            quantize_weights(type, wf.data() + r * n, n, w.data + static_cast<size_t>(r) * w_stride);
        }
        // Activations: gaussian with outliers (as hidden states have), one all-zero block.
        std::vector<float> xf(static_cast<size_t>(batch * n));
        for (size_t i = 0; i < xf.size(); ++i) {
            xf[i] = gauss(rng) * (i % 53 == 0 ? 20.0f : 1.0f) + 0.1f * unif(rng);
        }
        if (n >= 64) {
            std::fill(xf.begin() + 32, xf.begin() + 64, 0.0f);
        }
        const size_t arb = activation_row_bytes(type, n);
        const size_t x_stride = (arb + 63) / 64 * 64;
        const int64_t ldy = rows + 3;

        std::vector<RefAct> ref_act;
        for (int32_t b = 0; b < batch; ++b) {
            ref_act.push_back(reference_activation(type, xf.data() + static_cast<size_t>(b) * static_cast<size_t>(n), n));
        }
        std::vector<RefDot> ref(static_cast<size_t>(rows * batch));
        for (int64_t r = 0; r < rows; ++r) {
            for (int32_t b = 0; b < batch; ++b) {
                ref[static_cast<size_t>(b * rows + r)] =
                    reference_dot(type, w.data + static_cast<size_t>(r) * w_stride, n, ref_act[static_cast<size_t>(b)],
                                  xf.data() + static_cast<size_t>(b) * static_cast<size_t>(n));
            }
        }

        std::vector<float> y_portable;
        for (const Impl &impl : impls) {
            Buffer x(x_stride * static_cast<size_t>(batch));
            for (int32_t b = 0; b < batch; ++b) {
                impl.k->prepare(type, xf.data() + static_cast<size_t>(b) * static_cast<size_t>(n), n,
                                x.data + static_cast<size_t>(b) * x_stride);
                std::string why;
                CHECK(activation_matches(type, ref_act[static_cast<size_t>(b)], x.data + static_cast<size_t>(b) * x_stride, n, why),
                      "%s %s n=%" PRId64 ": prepared activation differs from ggml's: %s", impl.name, type_name(type), n,
                      why.c_str());
            }
            // The whole matrix, in random pieces [r0, r1) as threads would split it.
            const float sentinel = -12345.0f;
            std::vector<float> y(static_cast<size_t>(ldy * batch), sentinel);
            int64_t r0 = 0;
            while (r0 < rows) {
                const int64_t r1 = std::min<int64_t>(rows, r0 + 1 + static_cast<int64_t>(rng() % 7));
                impl.k->matmul(type, w.data, w_stride, n, x.data, x_stride, batch, y.data(), ldy, r0, r1, op_cols);
                r0 = r1;
            }
            // A partial range writes only its rows.
            std::vector<float> y2(static_cast<size_t>(ldy * batch), sentinel);
            const int64_t p0 = static_cast<int64_t>(rng() % static_cast<uint32_t>(rows));
            const int64_t p1 = p0 + static_cast<int64_t>(rng() % static_cast<uint32_t>(rows - p0 + 1));
            impl.k->matmul(type, w.data, w_stride, n, x.data, x_stride, batch, y2.data(), ldy, p0, p1, op_cols);
            for (int32_t b = 0; b < batch; ++b) {
                for (int64_t r = 0; r < ldy; ++r) {
                    const size_t i = static_cast<size_t>(b * ldy + r);
                    if (r >= rows) {
                        CHECK(y[i] == sentinel, "%s %s: padding y[%d][%" PRId64 "] written", impl.name, type_name(type), b, r);
                        continue;
                    }
                    if (r >= p0 && r < p1) {
                        CHECK(fp32_bits(y2[i]) == fp32_bits(y[i]), "%s %s: range [%" PRId64 ",%" PRId64 ") row %" PRId64
                              " differs from the full run", impl.name, type_name(type), p0, p1, r);
                    } else {
                        CHECK(y2[i] == sentinel, "%s %s: row %" PRId64 " outside [%" PRId64 ",%" PRId64 ") written",
                              impl.name, type_name(type), r, p0, p1);
                    }
                    const RefDot &rd = ref[static_cast<size_t>(b * rows + r)];
                    const double tol = kRel * rd.magnitude + 1e-30;
                    const double err = std::fabs(y[i] - rd.value);
                    worst_ref = std::max(worst_ref, err / (rd.magnitude + 1e-30));
                    CHECK(err <= tol, "%s %s n=%" PRId64 " batch=%d row %" PRId64 " b %d: %.9g vs exact %.9g (|terms| %.3g)",
                          impl.name, type_name(type), n, batch, r, b, static_cast<double>(y[i]), rd.value, rd.magnitude);
                    // Against the float dot: activation conversion error, bounded exactly.
                    const double conv_err = std::fabs(y[i] - rd.float_dot);
                    const double conv_tol = rd.conversion_bound + tol;
                    worst_conv = std::max(worst_conv, conv_err / (conv_tol + 1e-30));
                    CHECK(conv_err <= conv_tol, "%s %s n=%" PRId64 ": %.9g vs float dot %.9g beyond the conversion bound %.3g",
                          impl.name, type_name(type), n, static_cast<double>(y[i]), rd.float_dot, rd.conversion_bound);
                    if (!y_portable.empty()) {
                        // Every implementation rounds in ggml's order: bit for bit the same.
                        const double d = std::fabs(static_cast<double>(y[i]) - y_portable[i]);
                        worst_impl = std::max(worst_impl, d / (rd.magnitude + 1e-30));
                        CHECK(fp32_bits(y[i]) == fp32_bits(y_portable[i]),
                              "%s vs portable %s n=%" PRId64 " batch=%d op_cols=%d row %" PRId64 " b %d: %.9g vs %.9g", impl.name,
                              type_name(type), n, batch, op_cols, r, b, static_cast<double>(y[i]),
                              static_cast<double>(y_portable[i]));
                    }
                }
            }
            if (y_portable.empty()) {
                y_portable = y;
            }
            // get_row: bit-identical to the reference dequantization (rows contiguous here).
            Buffer wc(rb * static_cast<size_t>(rows));
            for (int64_t r = 0; r < rows; ++r) {
                std::memcpy(wc.data + static_cast<size_t>(r) * rb, w.data + static_cast<size_t>(r) * w_stride, rb);
            }
            std::vector<float> got(static_cast<size_t>(n)), want(static_cast<size_t>(n));
            for (int64_t r = 0; r < rows; ++r) {
                impl.k->get_row(type, wc.data, n, r, got.data());
                dequantize_weights(type, wc.data + static_cast<size_t>(r) * rb, n, want.data());
                CHECK(std::memcmp(got.data(), want.data(), static_cast<size_t>(n) * 4) == 0,
                      "%s %s get_row(%" PRId64 ") n=%" PRId64 " differs from dequantization", impl.name, type_name(type), r, n);
            }
        }
    }
    std::printf("  %-5s max |y - exact| / sum|terms| = %.2e, implementations vs portable %.2e, "
                "float-dot error / bound %.2f\n",
                type_name(type), worst_ref, worst_impl, worst_conv);
}

// ---- K-quants: Q4_K, Q5_K, Q6_K weights, Q8_K activations ------------------------------------
//
// Written from ggml's block layouts and reference C (quantize_row_q8_K_ref, get_scale_min_k4,
// dequantize_row_q4_K/q5_K/q6_K), reading the bytes at ggml's offsets rather than through the
// engine's structs and unpack helpers:
//   block_q4_K (144 bytes): fp16 d @0, fp16 dmin @2, scales[12] @4, qs[128] @16
//   block_q5_K (176 bytes): fp16 d @0, fp16 dmin @2, scales[12] @4, qh[32] @16, qs[128] @48
//   block_q6_K (210 bytes): ql[128] @0, qh[64] @128, int8 scales[16] @192, fp16 d @208
//   block_q8_K (292 bytes): float d @0, int8 qs[256] @4, int16 bsums[16] @260

size_t k_block_bytes(int32_t type) { return type == GGML_Q4_K ? 144 : type == GGML_Q5_K ? 176 : 210; }

uint16_t load_u16(const unsigned char *p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }

void store_u16(unsigned char *p, uint16_t v) {
    p[0] = static_cast<unsigned char>(v & 0xFF);
    p[1] = static_cast<unsigned char>(v >> 8);
}

// One super-block of ggml's quantize_row_q8_K_ref.
struct RefQ8K {
    float d = 0.0f;
    int8_t qs[256] = {};
    int16_t bsums[16] = {};
};

// ggml's nearest_int: round to nearest, ties to even, by adding 1.5 * 2^23.
int nearest_int_ggml(float f) {
    const float v = f + 12582912.0f;
    int32_t i;
    std::memcpy(&i, &v, 4);
    return (i & 0x007fffff) - 0x00400000;
}

std::vector<RefQ8K> reference_q8_K(const float *x, int64_t n) {
    std::vector<RefQ8K> out(static_cast<size_t>(n / 256));
    for (size_t ib = 0; ib < out.size(); ++ib, x += 256) {
        RefQ8K &y = out[ib];
        float max = 0.0f, amax = 0.0f;
        for (int j = 0; j < 256; ++j) {
            const float ax = std::fabs(x[j]);
            if (ax > amax) {  // the first element of largest magnitude decides the sign
                amax = ax;
                max = x[j];
            }
        }
        if (amax == 0.0f) {
            continue;  // d = 0, q = 0 (ggml leaves bsums alone; 0, their value, here)
        }
        const float iscale = -127.0f / max;
        for (int j = 0; j < 256; ++j) {
            y.qs[j] = static_cast<int8_t>(std::min(127, nearest_int_ggml(iscale * x[j])));
        }
        for (int j = 0; j < 16; ++j) {
            int sum = 0;
            for (int i = 0; i < 16; ++i) sum += y.qs[16 * j + i];
            y.bsums[j] = static_cast<int16_t>(sum);
        }
        y.d = 1.0f / iscale;
    }
    return out;
}

bool q8_K_matches(const std::vector<RefQ8K> &ref, const void *prepared, std::string &why) {
    for (size_t ib = 0; ib < ref.size(); ++ib) {
        const auto *p = static_cast<const unsigned char *>(prepared) + 292 * ib;
        float d;
        std::memcpy(&d, p, 4);
        if (fp32_bits(d) != fp32_bits(ref[ib].d)) {
            why = "super-block " + std::to_string(ib) + " d " + std::to_string(d) + " vs " + std::to_string(ref[ib].d);
            return false;
        }
        for (int j = 0; j < 256; ++j) {
            const auto q = static_cast<int8_t>(p[4 + j]);
            if (q != ref[ib].qs[j]) {
                why = "super-block " + std::to_string(ib) + " q[" + std::to_string(j) + "] " + std::to_string(q) + " vs " +
                      std::to_string(ref[ib].qs[j]);
                return false;
            }
        }
        for (int j = 0; j < 16; ++j) {
            const auto s = static_cast<int16_t>(load_u16(p + 260 + 2 * j));
            if (s != ref[ib].bsums[j]) {
                why = "super-block " + std::to_string(ib) + " bsums[" + std::to_string(j) + "] " + std::to_string(s) + " vs " +
                      std::to_string(ref[ib].bsums[j]);
                return false;
            }
        }
    }
    return true;
}

// One weight super-block as ggml's dequantize_row_qN_K walks it: per element the stored value
// (unsigned), the weight value (stored less 32 for Q6_K), its scale, and its min (Q4_K, Q5_K).
struct RefK {
    int32_t stored[256], q[256], sc[256], m[256];
    float d, dmin;
};

void get_scale_min_k4_ref(int j, const unsigned char *q, int *d, int *m) {
    if (j < 4) {
        *d = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        *m = (q[j + 4] >> 4) | ((q[j - 0] >> 6) << 4);
    }
}

void decode_k(int32_t type, const unsigned char *blk, RefK &k) {
    auto set = [&](int e, int stored, int bias, int sc, int m) {
        k.stored[e] = stored;
        k.q[e] = stored - bias;
        k.sc[e] = sc;
        k.m[e] = m;
    };
    if (type == GGML_Q6_K) {
        const unsigned char *ql = blk, *qh = blk + 128, *sc = blk + 192;
        k.d = fp16_to_fp32(load_u16(blk + 208));
        k.dmin = 0.0f;
        for (int n = 0; n < 256; n += 128) {
            for (int l = 0; l < 32; ++l) {
                const int is = l / 16;
                const int q1 = (ql[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4);
                const int q2 = (ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4);
                const int q3 = (ql[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4);
                const int q4 = (ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4);
                set(n + l + 0, q1, 32, static_cast<int8_t>(sc[is + 0]), 0);
                set(n + l + 32, q2, 32, static_cast<int8_t>(sc[is + 2]), 0);
                set(n + l + 64, q3, 32, static_cast<int8_t>(sc[is + 4]), 0);
                set(n + l + 96, q4, 32, static_cast<int8_t>(sc[is + 6]), 0);
            }
            ql += 64;
            qh += 32;
            sc += 8;
        }
        return;
    }
    const bool q5 = type == GGML_Q5_K;
    k.d = fp16_to_fp32(load_u16(blk));
    k.dmin = fp16_to_fp32(load_u16(blk + 2));
    const unsigned char *scales = blk + 4, *qh = blk + 16;
    const unsigned char *ql = blk + (q5 ? 48 : 16);
    int is = 0, u1 = 1, u2 = 2;
    for (int j = 0; j < 256; j += 64) {
        int sc1, m1, sc2, m2;
        get_scale_min_k4_ref(is + 0, scales, &sc1, &m1);
        get_scale_min_k4_ref(is + 1, scales, &sc2, &m2);
        for (int l = 0; l < 32; ++l) set(j + l, (ql[l] & 0xF) + (q5 && (qh[l] & u1) ? 16 : 0), 0, sc1, m1);
        for (int l = 0; l < 32; ++l) set(j + 32 + l, (ql[l] >> 4) + (q5 && (qh[l] & u2) ? 16 : 0), 0, sc2, m2);
        ql += 32;
        is += 2;
        u1 <<= 2;
        u2 <<= 2;
    }
}

// ggml's dequantize_row_qN_K in float, no FMA: Q4_K/Q5_K (d * sc) * q - dmin * m, Q6_K (d * sc) * q.
void dequantize_k(int32_t type, const unsigned char *row, int64_t n, float *out) {
    RefK k;
    for (int64_t ib = 0; ib < n / 256; ++ib) {
        decode_k(type, row + static_cast<size_t>(ib) * k_block_bytes(type), k);
        for (int e = 0; e < 256; ++e) {
            const float d1 = k.d * static_cast<float>(k.sc[e]);
            const float v = d1 * static_cast<float>(k.q[e]);
            if (type == GGML_Q6_K) {
                out[ib * 256 + e] = v;
            } else {
                const float m1 = k.dmin * static_cast<float>(k.m[e]);
                out[ib * 256 + e] = v - m1;
            }
        }
    }
}

// Random super-blocks: random bytes, then small fp16 d (and dmin), a few negative, zero or
// subnormal.
void random_k_row(int32_t type, unsigned char *row, int64_t n, std::mt19937 &rng) {
    std::uniform_real_distribution<float> exponent(-3.0f, -2.0f);
    auto factor = [&](uint32_t negative_percent) -> uint16_t {
        const auto u = static_cast<uint32_t>(rng() % 100);
        if (u < 2) {
            return u == 0 ? 0x0000 : 0x8000;  // +0, -0
        }
        float v = u < 4 ? 1e-6f * static_cast<float>(1 + rng() % 50) : std::pow(10.0f, exponent(rng));  // fp16 subnormals
        if (rng() % 100 < negative_percent) v = -v;
        return fp32_to_fp16(v);
    };
    const size_t bs = k_block_bytes(type);
    for (int64_t ib = 0; ib < n / 256; ++ib) {
        unsigned char *b = row + static_cast<size_t>(ib) * bs;
        for (size_t i = 0; i < bs; ++i) b[i] = static_cast<unsigned char>(rng() & 0xFF);
        if (type == GGML_Q6_K) {
            store_u16(b + 208, factor(30));
        } else {
            store_u16(b, factor(10));
            store_u16(b + 2, factor(10));
        }
    }
}

// Every quant of a super-block at its largest (all bits set), scales and factors kept.
void saturate_k_block(int32_t type, unsigned char *b) {
    if (type == GGML_Q6_K) {
        std::fill(b, b + 192, 0xFF);  // ql, qh
    } else {
        std::fill(b + (type == GGML_Q4_K ? 16 : 48), b + k_block_bytes(type), 0xFF);  // qs
        if (type == GGML_Q5_K) std::fill(b + 16, b + 48, 0xFF);                       // qh
    }
}

float hsum8_ref(const float a[8]) { return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7])); }

// The exact value (double) of one weight row dotted with Q8_K activations, sum|terms|, the float
// dot and the worst case of the activation quantization against it; and the two float results
// ggml's kernels round to, written again from kernels_impl.h ("K-quant dot", "K-quant matmul").
struct RefKDot {
    double value = 0, magnitude = 0, float_dot = 0, conversion_bound = 0;
    float vec_dot = 0, tiled = 0;
};

RefKDot reference_k_dot(int32_t type, const RefK *w, const std::vector<RefQ8K> &a, const float *x) {
    RefKDot r;
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0}, mins[4] = {0, 0, 0, 0};
    float summs = 0.0f, acc = 0.0f;
    for (size_t ib = 0; ib < a.size(); ++ib) {
        const RefK &k = w[ib];
        const RefQ8K &q = a[ib];
        // Exact.
        int64_t s1 = 0, s1_abs = 0, s2 = 0, s2_abs = 0;
        for (int e = 0; e < 256; ++e) {
            const int64_t p = static_cast<int64_t>(k.sc[e]) * k.q[e] * q.qs[e];
            const int64_t pm = static_cast<int64_t>(k.m[e]) * q.qs[e];
            s1 += p;
            s1_abs += std::llabs(p);
            s2 += pm;
            s2_abs += std::llabs(pm);
            const double we = static_cast<double>(k.d) * k.sc[e] * k.q[e] - static_cast<double>(k.dmin) * k.m[e];
            const double xe = x[ib * 256 + static_cast<size_t>(e)];
            r.float_dot += we * xe;
            r.conversion_bound += std::fabs(we) * std::fabs(static_cast<double>(q.qs[e]) * q.d - xe);
        }
        const double dx = q.d;
        r.value += static_cast<double>(k.d) * dx * static_cast<double>(s1) - static_cast<double>(k.dmin) * dx * static_cast<double>(s2);
        r.magnitude += std::fabs(static_cast<double>(k.d) * dx) * static_cast<double>(s1_abs) +
                       std::fabs(static_cast<double>(k.dmin) * dx) * static_cast<double>(s2_abs);
        // Sub-block sums of the activations: S_j over elements 32j..32j+31.
        int32_t s_min[4] = {0, 0, 0, 0};
        for (int j = 0; j < 8 && type != GGML_Q6_K; ++j) {
            s_min[j / 2] += k.m[32 * j] * (q.bsums[2 * j] + q.bsums[2 * j + 1]);
        }
        // vec_dot: 8 int32 lanes of stored values, lane l over elements 32g + 4l..4l+3.
        int32_t li[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (int g = 0; g < 8; ++g) {
            for (int l = 0; l < 8; ++l) {
                for (int t = 0; t < 4; ++t) {
                    const int e = 32 * g + 4 * l + t;
                    li[l] += k.sc[e] * k.stored[e] * q.qs[e];
                }
            }
        }
        if (type == GGML_Q6_K) {
            for (int l = 0; l < 8; ++l) {
                li[l] -= 32 * (k.sc[16 * (2 * l)] * q.bsums[2 * l] + k.sc[16 * (2 * l + 1)] * q.bsums[2 * l + 1]);
            }
        }
        const float dd = q.d * k.d;
        for (int l = 0; l < 8; ++l) lane[l] = std::fma(dd, static_cast<float>(li[l]), lane[l]);
        const float dm = -q.d * k.dmin;
        if (type == GGML_Q4_K) {
            for (int p = 0; p < 4; ++p) mins[p] = std::fma(dm, static_cast<float>(s_min[p]), mins[p]);
        } else if (type == GGML_Q5_K) {
            summs = std::fma(dm, static_cast<float>(s_min[0] + s_min[1] + s_min[2] + s_min[3]), summs);
        }
        // Tiled: one chain per output.
        float t = k.d * static_cast<float>(static_cast<int32_t>(s1));
        if (type != GGML_Q6_K) t = std::fma(-k.dmin, static_cast<float>(static_cast<int32_t>(s2)), t);
        acc = std::fma(t, q.d, acc);
    }
    r.vec_dot = hsum8_ref(lane);
    if (type == GGML_Q4_K) r.vec_dot += (mins[0] + mins[2]) + (mins[1] + mins[3]);
    if (type == GGML_Q5_K) r.vec_dot += summs;
    r.tiled = acc;
    return r;
}

void test_k_type(int32_t type, const std::vector<Impl> &impls, std::mt19937 &rng) {
    // (batch, op_cols): vec_dot's order below 8 columns, the tiled kernel's from 8; op_cols
    // need not be batch (a caller splitting a product's columns); batch 9..12 leave every
    // remainder of the implementations' groups of 4 columns.
    struct Shape {
        int32_t batch, op_cols;
    };
    const Shape shapes[] = {{1, 1}, {2, 2},   {3, 3},   {4, 4},   {5, 5}, {6, 6}, {7, 7}, {8, 8}, {9, 9},
                            {10, 10}, {11, 11}, {12, 12}, {3, 8}, {1, 8}, {2, 7}, {5, 1}, {4, 64}, {70, 70}};
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    double worst_ref = 0, worst_impl = 0, worst_conv = 0;
    int64_t differ = 0, compared = 0;  // n = 8960 outputs whose two orders give different bits
    const size_t bs = k_block_bytes(type);
    for (int64_t n : {256, 512, 768, 1536, 4864, 8960}) {
        const int64_t nb = n / 256;
        const size_t rb = row_bytes(type, n);
        const size_t arb = activation_row_bytes(type, n);
        CHECK(rb == static_cast<size_t>(nb) * bs && arb == static_cast<size_t>(nb) * 292, "%s n=%" PRId64 " sizes", type_name(type), n);
        for (const Shape &shape : shapes) {
            const int32_t batch = shape.batch, op_cols = shape.op_cols;
            const bool tiled = op_cols >= kGgmlTiledMinCols;
            const int64_t rows = 1 + static_cast<int64_t>(rng() % (n >= 4864 ? 12 : 23));
            const auto pad = static_cast<uint32_t>(rng() % 3);
            const size_t w_stride = rb + (pad == 0 ? 0 : pad == 1 ? 2 : 64);  // strided weights, 2-byte aligned rows too
            Buffer w(w_stride * static_cast<size_t>(rows));
            std::vector<RefK> dec(static_cast<size_t>(rows * nb));
            for (int64_t r = 0; r < rows; ++r) {
                unsigned char *row = w.data + static_cast<size_t>(r) * w_stride;
                random_k_row(type, row, n, rng);
                if (r == 0 && nb >= 3) saturate_k_block(type, row + 2 * bs);
                for (int64_t ib = 0; ib < nb; ++ib) decode_k(type, row + static_cast<size_t>(ib) * bs, dec[static_cast<size_t>(r * nb + ib)]);
            }
            // Activations: gaussian with outliers; an all-zero super-block; a negative outlier.
            std::vector<float> xf(static_cast<size_t>(batch * n));
            for (size_t i = 0; i < xf.size(); ++i) xf[i] = gauss(rng) * (i % 61 == 0 ? 20.0f : 1.0f);
            if (nb >= 2) std::fill(xf.begin() + 256, xf.begin() + 512, 0.0f);
            if (nb >= 3) xf[xf.size() - 300] = -80.0f;
            // Super-block 2 constant, so quantized to -128 throughout: against row 0's largest
            // values, the most negative int16 partial sums any order can form.
            for (int32_t b = 0; b < batch && nb >= 3; ++b) {
                std::fill(xf.begin() + b * n + 512, xf.begin() + b * n + 768, 0.75f);
            }
            const size_t x_stride = rng() % 2 ? arb : (arb + 63) / 64 * 64;
            const int64_t ldy = rows + 3;

            std::vector<std::vector<RefQ8K>> ref_act;
            for (int32_t b = 0; b < batch; ++b) ref_act.push_back(reference_q8_K(xf.data() + static_cast<size_t>(b * n), n));
            std::vector<RefKDot> ref(static_cast<size_t>(rows * batch));
            for (int64_t r = 0; r < rows; ++r) {
                for (int32_t b = 0; b < batch; ++b) {
                    RefKDot &rd = ref[static_cast<size_t>(b * rows + r)];
                    rd = reference_k_dot(type, &dec[static_cast<size_t>(r * nb)], ref_act[static_cast<size_t>(b)],
                                         xf.data() + static_cast<size_t>(b * n));
                    if (n == 8960) {
                        ++compared;
                        differ += fp32_bits(rd.vec_dot) != fp32_bits(rd.tiled) ? 1 : 0;
                    }
                }
            }

            std::vector<float> y_portable;
            for (const Impl &impl : impls) {
                Buffer x(x_stride * static_cast<size_t>(batch));
                for (int32_t b = 0; b < batch; ++b) {
                    impl.k->prepare(type, xf.data() + static_cast<size_t>(b * n), n, x.data + static_cast<size_t>(b) * x_stride);
                    std::string why;
                    CHECK(q8_K_matches(ref_act[static_cast<size_t>(b)], x.data + static_cast<size_t>(b) * x_stride, why),
                          "%s %s n=%" PRId64 ": prepared activation differs from quantize_row_q8_K_ref: %s", impl.name, type_name(type),
                          n, why.c_str());
                }
                // The whole matrix, in random pieces [r0, r1) as threads would split it.
                const float sentinel = -12345.0f;
                std::vector<float> y(static_cast<size_t>(ldy * batch), sentinel);
                for (int64_t r0 = 0; r0 < rows;) {
                    const int64_t r1 = std::min<int64_t>(rows, r0 + 1 + static_cast<int64_t>(rng() % 7));
                    impl.k->matmul(type, w.data, w_stride, n, x.data, x_stride, batch, y.data(), ldy, r0, r1, op_cols);
                    r0 = r1;
                }
                // A partial range writes only its rows.
                std::vector<float> y2(static_cast<size_t>(ldy * batch), sentinel);
                const int64_t p0 = static_cast<int64_t>(rng() % static_cast<uint32_t>(rows));
                const int64_t p1 = p0 + static_cast<int64_t>(rng() % static_cast<uint32_t>(rows - p0 + 1));
                impl.k->matmul(type, w.data, w_stride, n, x.data, x_stride, batch, y2.data(), ldy, p0, p1, op_cols);
                for (int32_t b = 0; b < batch; ++b) {
                    for (int64_t r = 0; r < ldy; ++r) {
                        const size_t i = static_cast<size_t>(b * ldy + r);
                        if (r >= rows) {
                            CHECK(y[i] == sentinel && y2[i] == sentinel, "%s %s: padding y[%d][%" PRId64 "] written", impl.name,
                                  type_name(type), b, r);
                            continue;
                        }
                        if (r >= p0 && r < p1) {
                            CHECK(fp32_bits(y2[i]) == fp32_bits(y[i]),
                                  "%s %s: range [%" PRId64 ",%" PRId64 ") row %" PRId64 " differs from the full run", impl.name,
                                  type_name(type), p0, p1, r);
                        } else {
                            CHECK(y2[i] == sentinel, "%s %s: row %" PRId64 " outside [%" PRId64 ",%" PRId64 ") written", impl.name,
                                  type_name(type), r, p0, p1);
                        }
                        const RefKDot &rd = ref[static_cast<size_t>(b * rows + r)];
                        const double tol = kRel * rd.magnitude + 1e-30;
                        const double err = std::fabs(y[i] - rd.value);
                        worst_ref = std::max(worst_ref, err / (rd.magnitude + 1e-30));
                        CHECK(err <= tol, "%s %s n=%" PRId64 " batch=%d op_cols=%d row %" PRId64 " b %d: %.9g vs exact %.9g (|terms| %.3g)",
                              impl.name, type_name(type), n, batch, op_cols, r, b, static_cast<double>(y[i]), rd.value, rd.magnitude);
                        const double conv_err = std::fabs(y[i] - rd.float_dot);
                        const double conv_tol = rd.conversion_bound + tol;
                        worst_conv = std::max(worst_conv, conv_err / (conv_tol + 1e-30));
                        CHECK(conv_err <= conv_tol, "%s %s n=%" PRId64 ": %.9g vs float dot %.9g beyond the conversion bound %.3g",
                              impl.name, type_name(type), n, static_cast<double>(y[i]), rd.float_dot, rd.conversion_bound);
                        // ggml's order for op_cols: bit for bit.
                        const float want = tiled ? rd.tiled : rd.vec_dot;
                        CHECK(fp32_bits(y[i]) == fp32_bits(want),
                              "%s %s n=%" PRId64 " batch=%d op_cols=%d row %" PRId64 " b %d: %.9g, ggml's %s order gives %.9g", impl.name,
                              type_name(type), n, batch, op_cols, r, b, static_cast<double>(y[i]), tiled ? "tiled" : "vec_dot",
                              static_cast<double>(want));
                        if (!y_portable.empty()) {
                            worst_impl = std::max(worst_impl, std::fabs(static_cast<double>(y[i]) - y_portable[i]) / (rd.magnitude + 1e-30));
                            CHECK(fp32_bits(y[i]) == fp32_bits(y_portable[i]),
                                  "%s vs portable %s n=%" PRId64 " batch=%d op_cols=%d row %" PRId64 " b %d: %.9g vs %.9g", impl.name,
                                  type_name(type), n, batch, op_cols, r, b, static_cast<double>(y[i]), static_cast<double>(y_portable[i]));
                        }
                    }
                }
                if (y_portable.empty()) {
                    y_portable = y;
                }
                // get_row: bit-identical to the reference dequantization (rows contiguous here).
                Buffer wc(rb * static_cast<size_t>(rows));
                for (int64_t r = 0; r < rows; ++r) {
                    std::memcpy(wc.data + static_cast<size_t>(r) * rb, w.data + static_cast<size_t>(r) * w_stride, rb);
                }
                std::vector<float> got(static_cast<size_t>(n)), want(static_cast<size_t>(n));
                for (int64_t r = 0; r < rows; ++r) {
                    impl.k->get_row(type, wc.data, n, r, got.data());
                    dequantize_k(type, wc.data + static_cast<size_t>(r) * rb, n, want.data());
                    CHECK(std::memcmp(got.data(), want.data(), static_cast<size_t>(n) * 4) == 0,
                          "%s %s get_row(%" PRId64 ") n=%" PRId64 " differs from dequantization", impl.name, type_name(type), r, n);
                }
            }
        }
    }
    // Otherwise the op_cols threshold would go untested.
    CHECK(differ > 0, "%s: vec_dot and tiled orders never differ at n=8960 (%" PRId64 " outputs)", type_name(type), compared);
    std::printf("  %-5s max |y - exact| / sum|terms| = %.2e, implementations vs portable %.2e, "
                "float-dot error / bound %.2f, vec_dot/tiled orders differ in %" PRId64 "/%" PRId64 " outputs at n=8960\n",
                type_name(type), worst_ref, worst_impl, worst_conv, differ, compared);
}

// Q8_K activation edge cases, then a matmul on them in both orders.
void test_q8_K_edges(const std::vector<Impl> &impls, std::mt19937 &rng) {
    const int64_t n = 256 * 10;
    std::vector<float> x(static_cast<size_t>(n));
    auto at = [&](int blk, int j) -> float & { return x[static_cast<size_t>(256 * blk + j)]; };
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    for (int j = 0; j < 256; ++j) {
        at(0, j) = j % 3 ? 0.0f : -0.0f;                                             // all zero
        at(1, j) = j == 0 ? 127.0f : static_cast<float>(j % 254 - 127) + 0.5f;       // max 127: iscale -1, ties
        at(2, j) = j == 7 ? -127.0f : static_cast<float>(j % 254 - 127) + 0.5f;      // negative max: iscale 1, ties
        at(3, j) = std::max(-2.0f, std::min(2.0f, gauss(rng)));                      // +2.5 before -2.5
        at(4, j) = std::max(-2.0f, std::min(2.0f, gauss(rng)));                      // -2.5 before +2.5
        at(5, j) = 1e-30f * gauss(rng);                                              // tiny scale
        at(6, j) = 1e30f * gauss(rng);                                               // huge scale
        at(7, j) = -3.0f;                                                            // all equal, negative
        at(8, j) = j == 255 ? 0.75f : 0.0f;                                          // one element, last
        at(9, j) = j == 0 ? 63.5f : (static_cast<float>(j % 252 - 126) + 0.5f) / 2;  // iscale -2, ties
    }
    at(3, 10) = 2.5f;
    at(3, 200) = -2.5f;
    at(4, 10) = -2.5f;
    at(4, 200) = 2.5f;
    const std::vector<RefQ8K> ref = reference_q8_K(x.data(), n);
    // The mirror itself, on values worked out by hand.
    CHECK(fp32_bits(ref[0].d) == 0 && ref[0].qs[0] == 0 && ref[0].qs[255] == 0 && ref[0].bsums[0] == 0, "q8_K: zero block");
    CHECK(ref[1].d == -1.0f && ref[1].qs[0] == -127 && ref[1].qs[127] == 0 && ref[1].qs[128] == -2 && ref[1].qs[129] == -2 &&
              ref[1].qs[126] == 0 && ref[1].qs[125] == 2,
          "q8_K: ties to even (x = 0.5, 1.5, 2.5, -0.5, -1.5 -> %d %d %d %d %d)", ref[1].qs[127], ref[1].qs[128], ref[1].qs[129],
          ref[1].qs[126], ref[1].qs[125]);
    CHECK(ref[2].d == 1.0f && ref[2].qs[7] == -127 && ref[2].qs[128] == 2, "q8_K: negative max");
    CHECK(ref[3].d < 0.0f && ref[3].qs[10] == -127 && ref[3].qs[200] == 127, "q8_K: +a first");
    CHECK(ref[4].d > 0.0f && ref[4].qs[10] == -127 && ref[4].qs[200] == 127, "q8_K: -a first");
    CHECK(ref[8].qs[255] == -127 && ref[8].bsums[15] == -127 && ref[8].bsums[0] == 0, "q8_K: one element");
    CHECK(ref[9].d == -0.5f && ref[9].qs[126] == 0 && ref[9].qs[127] == -2 && ref[9].qs[128] == -2, "q8_K: ties at iscale -2");
    for (const Impl &impl : impls) {
        for (int32_t type : {GGML_Q4_K, GGML_Q5_K, GGML_Q6_K}) {
            Buffer buf(activation_row_bytes(type, n));
            impl.k->prepare(type, x.data(), n, buf.data);
            std::string why;
            CHECK(q8_K_matches(ref, buf.data, why), "%s %s edge activations: %s", impl.name, type_name(type), why.c_str());
        }
    }
    // Random weights on these activations: every implementation in both orders.
    for (int32_t type : {GGML_Q4_K, GGML_Q5_K, GGML_Q6_K}) {
        const int64_t rows = 7, nb = n / 256;
        const size_t rb = row_bytes(type, n);
        Buffer w(rb * static_cast<size_t>(rows));
        std::vector<RefK> dec(static_cast<size_t>(rows * nb));
        for (int64_t r = 0; r < rows; ++r) {
            random_k_row(type, w.data + static_cast<size_t>(r) * rb, n, rng);
            for (int64_t ib = 0; ib < nb; ++ib) {
                decode_k(type, w.data + static_cast<size_t>(r) * rb + static_cast<size_t>(ib) * k_block_bytes(type),
                         dec[static_cast<size_t>(r * nb + ib)]);
            }
        }
        for (const Impl &impl : impls) {
            Buffer xa(activation_row_bytes(type, n));
            impl.k->prepare(type, x.data(), n, xa.data);
            for (int32_t op_cols : {1, 8}) {
                std::vector<float> y(static_cast<size_t>(rows));
                impl.k->matmul(type, w.data, rb, n, xa.data, 0, 1, y.data(), rows, 0, rows, op_cols);
                for (int64_t r = 0; r < rows; ++r) {
                    const RefKDot rd = reference_k_dot(type, &dec[static_cast<size_t>(r * nb)], ref, x.data());
                    const float want = op_cols == 1 ? rd.vec_dot : rd.tiled;
                    CHECK(fp32_bits(y[static_cast<size_t>(r)]) == fp32_bits(want) &&
                              std::fabs(y[static_cast<size_t>(r)] - rd.value) <= kRel * rd.magnitude + 1e-30,
                          "%s %s edge activations op_cols=%d row %" PRId64 ": %.9g vs %.9g (exact %.9g)", impl.name, type_name(type),
                          op_cols, r, static_cast<double>(y[static_cast<size_t>(r)]), static_cast<double>(want), rd.value);
                }
            }
        }
    }
    std::printf("  Q8_K  activation edge cases (zero block, ties, sign of the first largest element, tiny/huge scales)\n");
}

// expf_ggml: within 2 ulp of e^x over the range softmax and SiLU use, 0 and infinity outside.
void test_exp() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-87.0f, 88.0f);
    double worst = 0;
    for (int i = 0; i < 200000; ++i) {
        const float x = i < 1000 ? -static_cast<float>(i) * 0.01f : u(rng);
        const double want = std::exp(static_cast<double>(x));
        const double ulp = std::ldexp(1.0, std::ilogb(static_cast<float>(want)) - 23);
        worst = std::max(worst, std::fabs(expf_ggml(x) - want) / ulp);
    }
    CHECK(worst <= 2.0, "expf_ggml: %.2f ulp from exp", worst);
    CHECK(expf_ggml(-200.0f) == 0.0f && expf_ggml(-__builtin_inff()) == 0.0f && std::isinf(expf_ggml(100.0f)),
          "expf_ggml outside the float range");
    std::printf("  exp   expf_ggml within %.2f ulp of exp on [-87, 88]\n", worst);
}

// softmax and SwiGLU: every implementation bit-identical to the portable one, close to exact.
void test_softmax_swiglu(const std::vector<Impl> &impls, std::mt19937 &rng) {
    std::normal_distribution<float> gauss(0.0f, 4.0f);
    for (int64_t n_valid : {1, 5, 8, 31, 32, 33, 100, 257}) {
        const int64_t n_pad = (n_valid + 31) / 32 * 32;
        std::vector<float> s0(static_cast<size_t>(n_pad));
        for (float &v : s0) v = gauss(rng);
        std::vector<float> first;
        for (const Impl &impl : impls) {
            std::vector<float> s = s0;
            impl.k->softmax(s.data(), n_valid, n_pad, 0.125f);
            double sum = 0, max_err = 0, denom = 0, mx = -1e30;
            for (int64_t j = 0; j < n_valid; ++j) mx = std::max(mx, 0.125 * s0[static_cast<size_t>(j)]);
            for (int64_t j = 0; j < n_valid; ++j) denom += std::exp(0.125 * s0[static_cast<size_t>(j)] - mx);
            for (int64_t j = 0; j < n_pad; ++j) {
                const double p = s[static_cast<size_t>(j)];
                if (j >= n_valid) {
                    CHECK(p == 0.0, "%s softmax: masked position %" PRId64 " is %g", impl.name, j, p);
                    continue;
                }
                sum += p;
                max_err = std::max(max_err, std::fabs(p - std::exp(0.125 * s0[static_cast<size_t>(j)] - mx) / denom));
            }
            CHECK(std::fabs(sum - 1.0) < 1e-5 && max_err < 1e-6, "%s softmax n=%" PRId64 ": sum %.9g, max error %.3g", impl.name,
                  n_valid, sum, max_err);
            if (first.empty()) {
                first = s;
            } else {
                CHECK(std::memcmp(first.data(), s.data(), s.size() * 4) == 0, "%s softmax n=%" PRId64 " differs from portable",
                      impl.name, n_valid);
            }
        }
    }
    for (int64_t n : {1, 7, 8, 9, 64, 1536}) {
        std::vector<float> g(static_cast<size_t>(n)), u(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
            g[static_cast<size_t>(i)] = i == 0 ? -95.0f : gauss(rng);
            u[static_cast<size_t>(i)] = gauss(rng);
        }
        std::vector<float> first;
        for (const Impl &impl : impls) {
            std::vector<float> out(static_cast<size_t>(n));
            impl.k->swiglu(g.data(), u.data(), n, out.data());
            for (int64_t i = 0; i < n; ++i) {
                const double gd = g[static_cast<size_t>(i)];
                const double want = gd / (1.0 + std::exp(-gd)) * u[static_cast<size_t>(i)];
                CHECK(std::fabs(out[static_cast<size_t>(i)] - want) <= 1e-6 * (1.0 + std::fabs(want)), "%s swiglu(%g, %g) = %.9g, want %.9g",
                      impl.name, gd, static_cast<double>(u[static_cast<size_t>(i)]), static_cast<double>(out[static_cast<size_t>(i)]), want);
            }
            if (first.empty()) {
                first = out;
            } else {
                CHECK(std::memcmp(first.data(), out.data(), out.size() * 4) == 0, "%s swiglu n=%" PRId64 " differs from portable", impl.name, n);
            }
        }
    }
    std::printf("  softmax, swiglu: implementations bit-identical\n");
}

// Activation rounding edge cases: exact ties, huge/tiny values, all-equal blocks.
void test_activation_edges(const std::vector<Impl> &impls) {
    const int64_t n = 128;
    std::vector<float> x(static_cast<size_t>(n));
    // Block 0: amax 127 so id = 1 and x = k + 0.5 are exact ties.
    for (int j = 0; j < 32; ++j) {
        x[static_cast<size_t>(j)] = j == 0 ? 127.0f : static_cast<float>(j - 16) + 0.5f;
    }
    for (int j = 32; j < 64; ++j) {
        x[static_cast<size_t>(j)] = 1e-30f * static_cast<float>(j - 40);  // denormal scale
    }
    for (int j = 64; j < 96; ++j) {
        x[static_cast<size_t>(j)] = -3.0f;  // all equal, negative
    }
    for (int j = 96; j < 128; ++j) {
        x[static_cast<size_t>(j)] = j % 2 ? 6.0e4f : -7.0e4f;  // d beyond fp16 max? 7e4/127 is fine
    }
    for (int32_t type : {GGML_Q4_0, GGML_Q4_1, GGML_Q5_0, GGML_Q8_0, GGML_F16, GGML_BF16}) {
        const RefAct ref = reference_activation(type, x.data(), n);
        for (const Impl &impl : impls) {
            Buffer buf(activation_row_bytes(type, n));
            impl.k->prepare(type, x.data(), n, buf.data);
            std::string why;
            CHECK(activation_matches(type, ref, buf.data, n, why), "%s %s edge activations: %s", impl.name,
                  type_name(type), why.c_str());
        }
    }
}

void test_tables() {
    CHECK(row_bytes(GGML_Q4_1, 576) == 360, "Q4_1 row bytes");
    CHECK(row_bytes(GGML_Q4_0, 576) == 324, "Q4_0 row bytes");
    CHECK(row_bytes(GGML_Q8_0, 576) == 612, "Q8_0 row bytes");
    CHECK(row_bytes(GGML_Q5_0, 576) == 18 * 22, "Q5_0 row bytes");
    // ggml's super-blocks: Q4_K 2+2+12+128, Q5_K 2+2+12+32+128, Q6_K 128+64+16+2 bytes.
    CHECK(row_bytes(GGML_Q4_K, 256) == 144 && row_bytes(GGML_Q4_K, 4864) == 19 * 144, "Q4_K row bytes");
    CHECK(row_bytes(GGML_Q5_K, 256) == 176 && row_bytes(GGML_Q5_K, 8960) == 35 * 176, "Q5_K row bytes");
    CHECK(row_bytes(GGML_Q6_K, 256) == 210 && row_bytes(GGML_Q6_K, 1536) == 6 * 210, "Q6_K row bytes");
    CHECK(row_bytes(GGML_F16, 3) == 6 && row_bytes(GGML_BF16, 3) == 6 && row_bytes(GGML_F32, 3) == 12, "float row bytes");
    CHECK(block_size(GGML_Q4_1) == 32 && block_size(GGML_Q5_0) == 32 && block_size(GGML_F16) == 1, "block sizes");
    CHECK(block_size(GGML_Q4_K) == 256 && block_size(GGML_Q5_K) == 256 && block_size(GGML_Q6_K) == 256, "K-quant block sizes");
    CHECK(!is_supported(10) && !is_supported(7) && !is_supported(-1) && is_supported(GGML_BF16), "is_supported");
    CHECK(is_supported(GGML_Q5_0) && is_supported(GGML_Q4_K) && is_supported(GGML_Q5_K) && is_supported(GGML_Q6_K),
          "is_supported: new types");
    CHECK(row_bytes(10, 256) == 0 && activation_row_bytes(10, 256) == 0, "unsupported sizes");
    CHECK(activation_row_bytes(GGML_Q4_1, 576) == 576 + 12 * 18, "activation bytes");
    CHECK(activation_row_bytes(GGML_Q4_0, 576) == 576 + 12 * 18 + 32 * 18, "activation bytes");
    CHECK(activation_row_bytes(GGML_Q5_0, 576) == 576 + 12 * 18 + 32 * 18, "activation bytes");
    CHECK(activation_row_bytes(GGML_Q8_0, 576) == 576 + 12 * 18 + 32 * 18, "activation bytes");
    // block_q8_K: float d, 256 int8 q, 16 int16 bsums.
    CHECK(activation_row_bytes(GGML_Q4_K, 256) == 292 && activation_row_bytes(GGML_Q5_K, 4864) == 19 * 292 &&
              activation_row_bytes(GGML_Q6_K, 512) == 2 * 292,
          "K-quant activation bytes");
    CHECK(kTiledMinCols == kGgmlTiledMinCols, "ggml's tiled K-quant kernel starts at 8 columns");
    CHECK(kernels_named("portable") == &portable_kernels() && kernels_named("nope") == nullptr, "kernels_named");
    CHECK(&kernels() == &kernels(), "kernels() stable");
}

// ---- micro benchmark ------------------------------------------------------------------------

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Runs matmul over `copies` distinct copies of the weights in turn (so that copies * size can
// exceed the caches), for at least min_time seconds; returns seconds per call.
double bench_matmul(const Kernels &k, int32_t type, int64_t n, int64_t rows, int32_t batch, int copies, double min_time) {
    std::mt19937 rng(1);
    std::uniform_int_distribution<int> byte(0, 255);
    const size_t rb = row_bytes(type, n);
    Buffer w(rb * static_cast<size_t>(rows) * static_cast<size_t>(copies));
    for (size_t i = 0; i < w.size; ++i) {
        w.data[i] = static_cast<unsigned char>(byte(rng));
    }
    // Sane fp16 scales (random bytes could be NaN/inf, which is fine for timing but noisy).
    if (is_quantized(type)) {
        const size_t bs = row_bytes(type, 32);
        for (size_t off = 0; off + bs <= w.size; off += bs) {
            const uint16_t h = fp32_to_fp16(0.01f);
            std::memcpy(w.data + off, &h, 2);
            if (type == GGML_Q4_1) {
                std::memcpy(w.data + off + 2, &h, 2);
            }
        }
    } else if (is_k_quant(type)) {
        const size_t bs = row_bytes(type, 256);
        for (size_t off = 0; off + bs <= w.size; off += bs) {
            const uint16_t h = fp32_to_fp16(0.01f);
            if (type == GGML_Q6_K) {
                std::memcpy(w.data + off + 208, &h, 2);
            } else {
                std::memcpy(w.data + off, &h, 2);
                std::memcpy(w.data + off + 2, &h, 2);
            }
        }
    } else if (type == GGML_F16 || type == GGML_BF16) {
        for (size_t off = 0; off + 2 <= w.size; off += 2) {
            const uint16_t h = type == GGML_F16 ? fp32_to_fp16(0.01f) : fp32_to_bf16(0.01f);
            std::memcpy(w.data + off, &h, 2);
        }
    }
    std::vector<float> xf(static_cast<size_t>(n * batch));
    for (float &v : xf) {
        v = static_cast<float>(byte(rng) - 128) / 64.0f;
    }
    const size_t x_stride = (activation_row_bytes(type, n) + 63) / 64 * 64;
    Buffer x(x_stride * static_cast<size_t>(batch));
    for (int32_t b = 0; b < batch; ++b) {
        k.prepare(type, xf.data() + static_cast<size_t>(b * n), n, x.data + static_cast<size_t>(b) * x_stride);
    }
    std::vector<float> y(static_cast<size_t>(rows * batch));
    const size_t mat = rb * static_cast<size_t>(rows);
    // Warm up, then time.
    for (int c = 0; c < copies; ++c) {
        k.matmul(type, w.data + mat * static_cast<size_t>(c), rb, n, x.data, x_stride, batch, y.data(), rows, 0, rows, batch);
    }
    // Best of several short trials: the machine may be shared, and the minimum is the kernel's.
    double best = 1e30;
    const double start = now_s();
    do {
        int64_t calls = 0;
        const double t0 = now_s();
        double t1 = t0;
        do {
            for (int c = 0; c < copies; ++c) {
                k.matmul(type, w.data + mat * static_cast<size_t>(c), rb, n, x.data, x_stride, batch, y.data(), rows, 0, rows, batch);
            }
            calls += copies;
            t1 = now_s();
        } while (t1 - t0 < 2e-4);
        best = std::min(best, (t1 - t0) / static_cast<double>(calls));
    } while (now_s() - start < min_time);
    return best;
}

int bench(const char *only) {
    std::printf("kernels micro benchmark, single thread (weights GB/s = weight bytes streamed / time)\n");
    struct Case {
        int32_t type;
        int64_t n, rows;
        int32_t batch;
        int copies;
        const char *what;
    };
    const Case cases[] = {
        {GGML_Q4_1, 576, 1536, 1, 1, "ffn_up/gate, cache-resident"},
        {GGML_Q4_1, 1536, 576, 1, 1, "ffn_down, cache-resident"},
        {GGML_Q4_1, 576, 576, 1, 1, "attn_q/o, cache-resident"},
        {GGML_Q4_1, 576, 1536, 1, 64, "ffn_up, 64 copies (42 MB, streamed)"},
        {GGML_Q8_0, 576, 49152, 1, 1, "output (tied embd, 30 MB)"},
        {GGML_Q4_1, 576, 1536, 4, 1, "ffn_up, batch 4"},
        {GGML_Q4_1, 576, 1536, 64, 1, "ffn_up, batch 64 (prefill)"},
        {GGML_Q4_0, 576, 1536, 1, 1, "Q4_0 576x1536"},
        {GGML_Q8_0, 576, 1536, 1, 1, "Q8_0 576x1536"},
        {GGML_Q5_0, 576, 1536, 1, 1, "Q5_0 576x1536"},
        {GGML_Q4_K, 1536, 1536, 1, 1, "Q4_K 1536x1536"},
        {GGML_Q4_K, 1536, 1536, 8, 1, "Q4_K 1536x1536, batch 8 (tiled order)"},
        {GGML_Q4_K, 1536, 1536, 64, 1, "Q4_K 1536x1536, batch 64 (prefill, tiled order)"},
        {GGML_Q5_K, 1536, 1536, 1, 1, "Q5_K 1536x1536"},
        {GGML_Q6_K, 1536, 1536, 1, 1, "Q6_K 1536x1536"},
        {GGML_Q6_K, 1536, 1536, 64, 1, "Q6_K 1536x1536, batch 64 (prefill, tiled order)"},
        {GGML_Q4_K, 1536, 8960, 1, 8, "Q4_K ffn_up 1.5B, 8 copies (62 MB, streamed)"},
        {GGML_Q6_K, 8960, 1536, 1, 6, "Q6_K ffn_down 1.5B, 6 copies (68 MB, streamed)"},
        {GGML_F16, 576, 1536, 1, 1, "F16 576x1536"},
        {GGML_BF16, 576, 1536, 1, 1, "BF16 576x1536"},
        {GGML_F32, 576, 1536, 1, 1, "F32 576x1536"},
    };
    for (const Impl &impl : implementations()) {
        if (only != nullptr && std::strcmp(only, impl.name) != 0) {
            continue;
        }
        std::printf("[%s]\n", impl.name);
        for (const Case &c : cases) {
            const double t = bench_matmul(*impl.k, c.type, c.n, c.rows, c.batch, c.copies, 0.3);
            const double bytes = static_cast<double>(row_bytes(c.type, c.n)) * static_cast<double>(c.rows);
            const double flops = 2.0 * static_cast<double>(c.n) * static_cast<double>(c.rows) * c.batch;
            std::printf("  %-5s n=%-5" PRId64 " rows=%-6" PRId64 " batch=%-3d %8.2f us  %7.2f GB/s  %7.2f GFLOP/s  %s\n",
                        type_name(c.type), c.n, c.rows, c.batch, t * 1e6, bytes / t / 1e9, flops / t / 1e9, c.what);
        }
        // One decode token's matmuls for SmolLM2-135M (30 layers of q,k,v,o,gate,up,down in Q4_1,
        // then the Q8_0 output), each matrix distinct, single thread.
        {
            const double tq = bench_matmul(*impl.k, GGML_Q4_1, 576, 576, 1, 60, 0.3);
            const double tkv = bench_matmul(*impl.k, GGML_Q4_1, 576, 192, 1, 60, 0.3);
            const double tup = bench_matmul(*impl.k, GGML_Q4_1, 576, 1536, 1, 60, 0.3);
            const double tdown = bench_matmul(*impl.k, GGML_Q4_1, 1536, 576, 1, 30, 0.3);
            const double tout = bench_matmul(*impl.k, GGML_Q8_0, 576, 49152, 1, 1, 0.3);
            const double token = 30 * (2 * tq + 2 * tkv + 2 * tup + tdown) + tout;
            std::printf("  SmolLM2-135M decode matmuls, 1 thread: %.2f ms/token (%.0f tokens/s if nothing else ran)\n",
                        token * 1e3, 1.0 / token);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "--bench") == 0) {
        return bench(argc > 2 ? argv[2] : nullptr);
    }
    const std::vector<Impl> impls = implementations();
    std::printf("kernels(): %s; testing:", kernels().name);
    for (const Impl &i : impls) {
        std::printf(" %s", i.name);
    }
    std::printf("\n");
    test_tables();
    test_fp16_conversions();
    test_activation_edges(impls);
    test_exp();
    std::mt19937 rng(12345);
    test_softmax_swiglu(impls, rng);
    for (int32_t type : {GGML_F32, GGML_F16, GGML_BF16, GGML_Q4_0, GGML_Q4_1, GGML_Q5_0, GGML_Q8_0}) {
        test_type(type, impls, rng);
    }
    test_q8_K_edges(impls, rng);
    for (int32_t type : {GGML_Q4_K, GGML_Q5_K, GGML_Q6_K}) {
        test_k_type(type, impls, rng);
    }
    std::printf("%s: %" PRId64 " checks, %d failures\n", g_failures ? "FAILED" : "OK", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
