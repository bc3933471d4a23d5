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
        case GGML_Q8_0: return "Q8_0";
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
    const int32_t factor = type == GGML_Q8_0 ? 128 : 8;
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
        const bool gemv = case_index % 2 == 1;                             // both float orders
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
                impl.k->matmul(type, w.data, w_stride, n, x.data, x_stride, batch, y.data(), ldy, r0, r1, gemv);
                r0 = r1;
            }
            // A partial range writes only its rows.
            std::vector<float> y2(static_cast<size_t>(ldy * batch), sentinel);
            const int64_t p0 = static_cast<int64_t>(rng() % static_cast<uint32_t>(rows));
            const int64_t p1 = p0 + static_cast<int64_t>(rng() % static_cast<uint32_t>(rows - p0 + 1));
            impl.k->matmul(type, w.data, w_stride, n, x.data, x_stride, batch, y2.data(), ldy, p0, p1, gemv);
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
                              "%s vs portable %s n=%" PRId64 " batch=%d gemv=%d row %" PRId64 " b %d: %.9g vs %.9g", impl.name,
                              type_name(type), n, batch, gemv ? 1 : 0, r, b, static_cast<double>(y[i]),
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
    for (int32_t type : {GGML_Q4_0, GGML_Q4_1, GGML_Q8_0, GGML_F16, GGML_BF16}) {
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
    CHECK(row_bytes(GGML_F16, 3) == 6 && row_bytes(GGML_BF16, 3) == 6 && row_bytes(GGML_F32, 3) == 12, "float row bytes");
    CHECK(block_size(GGML_Q4_1) == 32 && block_size(GGML_F16) == 1, "block sizes");
    CHECK(!is_supported(10) && !is_supported(-1) && is_supported(GGML_BF16), "is_supported");
    CHECK(row_bytes(12, 256) == 0 && activation_row_bytes(12, 256) == 0, "unsupported sizes");
    CHECK(activation_row_bytes(GGML_Q4_1, 576) == 576 + 12 * 18, "activation bytes");
    CHECK(activation_row_bytes(GGML_Q4_0, 576) == 576 + 12 * 18 + 32 * 18, "activation bytes");
    CHECK(activation_row_bytes(GGML_Q8_0, 576) == 576 + 12 * 18 + 32 * 18, "activation bytes");
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
        k.matmul(type, w.data + mat * static_cast<size_t>(c), rb, n, x.data, x_stride, batch, y.data(), rows, 0, rows, batch == 1);
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
                k.matmul(type, w.data + mat * static_cast<size_t>(c), rb, n, x.data, x_stride, batch, y.data(), rows, 0, rows, batch == 1);
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
    for (int32_t type : {GGML_F32, GGML_F16, GGML_BF16, GGML_Q4_0, GGML_Q4_1, GGML_Q8_0}) {
        test_type(type, impls, rng);
    }
    std::printf("%s: %" PRId64 " checks, %d failures\n", g_failures ? "FAILED" : "OK", g_checks, g_failures);
    return g_failures ? 1 : 0;
}
