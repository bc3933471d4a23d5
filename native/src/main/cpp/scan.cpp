// scan.cpp - see scan.h.
#include "scan.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
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

bool scan_candidates(const uint8_t *codes, const float *norms, int64_t n, int32_t dimension, const float *query,
                     int32_t k, float min_score, int32_t *slots, int32_t capacity, int64_t *count) {
    const Kernels &kern = kernels();
    t_query.resize(activation_row_bytes(GGML_Q8_0, dimension));
    kern.prepare(GGML_Q8_0, query, dimension, t_query.data());
    const ActQ8ConstView q = act_q8_view(GGML_Q8_0, static_cast<const void *>(t_query.data()), dimension);
    double code2 = 0, residual2 = 0;
    for (int64_t ib = 0; ib < dimension / kQK; ++ib) {
        if (!std::isfinite(q.d[ib])) return false;
        for (int j = 0; j < kQK; ++j) {
            const double qhat = static_cast<double>(q.d[ib]) * q.qs[ib * kQK + j];
            code2 += qhat * qhat;
            residual2 += (query[ib * kQK + j] - qhat) * (query[ib * kQK + j] - qhat);
        }
    }
    const float qc = static_cast<float>(std::sqrt(code2)), qr = static_cast<float>(std::sqrt(residual2));
    const float slack = rounding_slack(dimension);

    t_scores.resize(static_cast<size_t>(n));
    float *scores = t_scores.data();
    kern.matmul(GGML_Q8_0, codes, scan_code_bytes(dimension), dimension, t_query.data(), 0, 1, scores, n, 0, n, 1);

    // q.x = q^.x^ + q^.(x - x^) + (q - q^).x, so |q.x - q^.x^| <= |q^| |x - x^| + |q - q^| |x|,
    // and |x| <= |x^| + |x - x^|. The lows heap keeps the k highest lower bounds; scores become
    // upper bounds in place.
    const bool bounded = k < n;
    std::vector<float> &lows = t_lows;
    lows.clear();
    const float inf = std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < n; ++i) {
        const float xc = norms[2 * i], xr = norms[2 * i + 1], xn = xc + xr;
        const float bound = qc * xr + qr * xn + slack * (qc + qr) * xn;
        float low = scores[i] - bound, high = scores[i] + bound;
        if (!(bound < inf)) {  // overflow (or NaN): no bound, always a candidate
            low = -inf;
            high = inf;
        }
        scores[i] = high;
        if (!bounded) continue;
        if (static_cast<int32_t>(lows.size()) < k) {
            lows.push_back(low);
            std::push_heap(lows.begin(), lows.end(), std::greater<float>());
        } else if (low > lows.front()) {
            std::pop_heap(lows.begin(), lows.end(), std::greater<float>());
            lows.back() = low;
            std::push_heap(lows.begin(), lows.end(), std::greater<float>());
        }
    }
    const float threshold = bounded ? std::max(lows.front(), min_score) : min_score;
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
