// dot.cpp - the portable inner products and the choice of kernels.
#include "dot.h"

namespace ac_faiss {

namespace {

// Eight independent sums, so even without SIMD the adds do not wait on one another.
float dot_portable(const float *a, const float *b, std::size_t n) {
    float s[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (std::size_t j = 0; j < 8; j++) {
            s[j] += a[i + j] * b[i + j];
        }
    }
    for (; i < n; i++) {
        s[0] += a[i] * b[i];
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

float dot_q8_portable(const float *a, const int8_t *b, std::size_t n) {
    float s[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (std::size_t j = 0; j < 8; j++) {
            s[j] += a[i + j] * static_cast<float>(b[i + j]);
        }
    }
    for (; i < n; i++) {
        s[0] += a[i] * static_cast<float>(b[i]);
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

int32_t dot_q8q8_portable(const int8_t *a, const int8_t *b, std::size_t n) {
    int32_t s = 0;
    for (std::size_t i = 0; i < n; i++) {
        s += static_cast<int32_t>(a[i]) * static_cast<int32_t>(b[i]);
    }
    return s;
}

DotKernel choose() {
    // libgcc's CPU model also checks that the operating system saves the YMM registers.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        return {"avx2", dot_avx2, dot_q8_avx2, dot_q8q8_avx2};
    }
    return {"portable", dot_portable, dot_q8_portable, dot_q8q8_portable};
}

}  // namespace

const DotKernel &dot_kernel() {
    static const DotKernel kernel = choose();
    return kernel;
}

}  // namespace ac_faiss
