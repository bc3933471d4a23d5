// scan.cpp - see scan.h.
#include "scan.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <thread>
#include <vector>

#include "fp16.h"
#include "kernels.h"
#include "kernels_impl.h"

namespace ac {

namespace {

// fp16's largest finite value: a block whose amax / 127 exceeds it has no Q8_0 scale.
constexpr float kMaxHalf = 65504.0f;

// Room for the rounding the bounds do not model, as a fraction of |q| |x|: the kernel's float
// sums of the block products (about 14 units of 2^-24 for 384 dimensions) and the caller's
// float dot product it rescores with (one rounding per element at worst).
float rounding_slack(int32_t dimension) { return 1e-4f + static_cast<float>(dimension) * 0x1p-23f; }

// Below this many codes per thread, starting a helper thread costs more than it saves.
constexpr int64_t kMinRowsPerThread = 32768;

thread_local std::vector<unsigned char> t_query;
thread_local std::vector<float> t_scores;
thread_local std::vector<float> t_lows;

}  // namespace

size_t scan_code_bytes(int32_t dimension) { return row_bytes(GGML_Q8_0, dimension); }

void scan_encode(const float *x, int32_t dimension, uint8_t *code, float *norms) {
    auto *blocks = reinterpret_cast<BlockQ8_0 *>(code);
    double code2 = 0, residual2 = 0;
    for (int64_t ib = 0; ib < dimension / kQK; ++ib) {
        const float *xb = x + ib * kQK;
        float amax = 0;
        for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(xb[j]));
        const float d = amax / 127.0f;
        BlockQ8_0 &b = blocks[ib];
        b.d = d <= kMaxHalf ? fp32_to_fp16(d) : 0;
        const float dh = fp16_to_fp32(b.d);
        const float id = dh > 0 ? 1.0f / dh : 0.0f;
        for (int j = 0; j < kQK; ++j) {
            const float v = std::min(127.0f, std::max(-127.0f, std::nearbyint(xb[j] * id)));
            b.qs[j] = static_cast<int8_t>(v);
            // The bounds use what the kernel multiplies, the fp16 scale times the integer.
            const double xhat = static_cast<double>(dh) * b.qs[j];
            code2 += xhat * xhat;
            residual2 += (xb[j] - xhat) * (xb[j] - xhat);
        }
    }
    norms[0] = static_cast<float>(std::sqrt(code2));
    norms[1] = static_cast<float>(std::sqrt(residual2));
}

namespace {

// The query's code and what it loses, for the bounds.
struct CodedQuery {
    const unsigned char *row;  // the kernel's activation row
    float code_norm;           // |q^|
    float residual_norm;       // |q - q^|
};

// Scores codes [r0, r1) into scores[r0, r1) as upper bounds of the true scores, and keeps the k
// highest lower bounds of the range in lows (a min-heap).
//
// q.x = q^.x^ + q^.(x - x^) + (q - q^).x, so |q.x - q^.x^| <= |q^| |x - x^| + |q - q^| |x|,
// and |x| <= |x^| + |x - x^|.
void bound_range(const uint8_t *codes, const float *norms, int32_t dimension, const CodedQuery &q, int32_t k,
                 int64_t r0, int64_t r1, float *scores, std::vector<float> &lows) {
    kernels().matmul(GGML_Q8_0, codes, scan_code_bytes(dimension), dimension, q.row, 0, 1, scores, r1, r0, r1, 1);
    const float qc = q.code_norm, qr = q.residual_norm, slack = rounding_slack(dimension);
    const float inf = std::numeric_limits<float>::infinity();
    lows.clear();
    for (int64_t i = r0; i < r1; ++i) {
        const float xc = norms[2 * i], xr = norms[2 * i + 1], xn = xc + xr;
        const float bound = qc * xr + qr * xn + slack * (qc + qr) * xn;
        float low = scores[i] - bound, high = scores[i] + bound;
        if (!(bound < inf)) {  // overflow (or NaN): no bound, always a candidate
            low = -inf;
            high = inf;
        }
        scores[i] = high;
        if (static_cast<int32_t>(lows.size()) < k) {
            lows.push_back(low);
            std::push_heap(lows.begin(), lows.end(), std::greater<float>());
        } else if (low > lows.front()) {
            std::pop_heap(lows.begin(), lows.end(), std::greater<float>());
            lows.back() = low;
            std::push_heap(lows.begin(), lows.end(), std::greater<float>());
        }
    }
}

}  // namespace

bool scan_candidates(const uint8_t *codes, const float *norms, int64_t n, int32_t dimension, const float *query,
                     int32_t k, float min_score, int32_t threads, int32_t *slots, int32_t capacity, int64_t *count) {
    t_query.resize(activation_row_bytes(GGML_Q8_0, dimension));
    kernels().prepare(GGML_Q8_0, query, dimension, t_query.data());
    const ActQ8ConstView qv = act_q8_view(GGML_Q8_0, static_cast<const void *>(t_query.data()), dimension);
    double code2 = 0, residual2 = 0;
    for (int64_t ib = 0; ib < dimension / kQK; ++ib) {
        if (!std::isfinite(qv.d[ib])) return false;
        for (int j = 0; j < kQK; ++j) {
            const double qhat = static_cast<double>(qv.d[ib]) * qv.qs[ib * kQK + j];
            code2 += qhat * qhat;
            residual2 += (query[ib * kQK + j] - qhat) * (query[ib * kQK + j] - qhat);
        }
    }
    const CodedQuery q{t_query.data(), static_cast<float>(std::sqrt(code2)), static_cast<float>(std::sqrt(residual2))};

    t_scores.resize(static_cast<size_t>(n));
    float *scores = t_scores.data();
    const int32_t keep = static_cast<int32_t>(std::min<int64_t>(k, n));
    // A scan reads memory faster on several cores; a helper thread pays off on long ranges only.
    const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(threads, n / kMinRowsPerThread));
    // Everything that allocates happens before a helper starts: once one runs, nothing here may
    // throw past it.
    std::vector<std::vector<float>> part_lows(static_cast<size_t>(parts));
    for (std::vector<float> &pl : part_lows) pl.reserve(static_cast<size_t>(keep));
    std::vector<std::thread> helpers;
    helpers.reserve(static_cast<size_t>(parts - 1));
    try {
        for (int64_t p = 1; p < parts; ++p) {
            helpers.emplace_back([&, p] {
                bound_range(codes, norms, dimension, q, keep, n * p / parts, n * (p + 1) / parts, scores, part_lows[p]);
            });
        }
    } catch (const std::exception &) {
        // No thread to be had: this thread scores the ranges that have none.
        for (size_t p = helpers.size() + 1; p < static_cast<size_t>(parts); ++p) {
            bound_range(codes, norms, dimension, q, keep, n * p / parts, n * (p + 1) / parts, scores, part_lows[p]);
        }
    }
    bound_range(codes, norms, dimension, q, keep, 0, n / parts, scores, part_lows[0]);
    for (std::thread &h : helpers) h.join();

    // The k highest lower bounds of all are among the parts' k highest.
    std::vector<float> &lows = t_lows;
    lows.clear();
    for (const std::vector<float> &pl : part_lows) lows.insert(lows.end(), pl.begin(), pl.end());
    float threshold = min_score;
    if (k < n) {
        std::nth_element(lows.begin(), lows.begin() + (k - 1), lows.end(), std::greater<float>());
        threshold = std::max(lows[k - 1], min_score);
    }
    int64_t found = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (scores[i] >= threshold) {
            if (found < capacity) slots[found] = static_cast<int32_t>(i);
            ++found;
        }
    }
    *count = found;
    return true;
}

}  // namespace ac
