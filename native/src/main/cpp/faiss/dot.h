// dot.h - the inner-product kernels libagentcouncil_faiss scores with, chosen once for this CPU.
//
// Debian's libfaiss.a is built for baseline x86-64 and its fvec_inner_product is FAISS's scalar
// reference loop (one multiply and one dependent add per element), so the index hands FAISS a
// distance computer of its own that calls these kernels, for linking as for searching.
//
// The graph is walked over 8-bit codes of the vectors (dot_q8, dot_q8q8), a quarter of the
// floats' bytes, and the nodes a walk keeps are rescored with the floats (dot).
#ifndef AGENTCOUNCIL_FAISS_DOT_H
#define AGENTCOUNCIL_FAISS_DOT_H

#include <cstddef>
#include <cstdint>

namespace ac_faiss {

using DotFunction = float (*)(const float *a, const float *b, std::size_t n);
using DotQ8Function = float (*)(const float *a, const int8_t *b, std::size_t n);
using DotQ8Q8Function = int32_t (*)(const int8_t *a, const int8_t *b, std::size_t n);

struct DotKernel {
    const char *name;  // "avx2" or "portable"
    DotFunction dot;
    DotQ8Function dot_q8;      // floats with int8s
    DotQ8Q8Function dot_q8q8;  // int8s with int8s, exact in int32 for n < 2^17
};

// The best kernels this CPU (and its operating system) can run.
const DotKernel &dot_kernel();

// AVX2 + FMA, in dot_avx2.cpp, the only file built with those instructions.
float dot_avx2(const float *a, const float *b, std::size_t n);
float dot_q8_avx2(const float *a, const int8_t *b, std::size_t n);
int32_t dot_q8q8_avx2(const int8_t *a, const int8_t *b, std::size_t n);

}  // namespace ac_faiss

#endif
