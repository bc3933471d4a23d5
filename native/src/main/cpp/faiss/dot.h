// dot.h - the inner-product kernel libagentcouncil_faiss scores with, chosen once for this CPU.
//
// Debian's libfaiss.a is built for baseline x86-64 and its fvec_inner_product is FAISS's scalar
// reference loop (one multiply and one dependent add per element), so the index hands FAISS a
// distance computer of its own that calls this kernel, for linking as for searching.
#ifndef AGENTCOUNCIL_FAISS_DOT_H
#define AGENTCOUNCIL_FAISS_DOT_H

#include <cstddef>

namespace ac_faiss {

using DotFunction = float (*)(const float *a, const float *b, std::size_t n);

struct DotKernel {
    const char *name;  // "avx2" or "portable"
    DotFunction dot;
};

// The best kernel this CPU (and its operating system) can run.
const DotKernel &dot_kernel();

// AVX2 + FMA, in dot_avx2.cpp, the only file built with those instructions.
float dot_avx2(const float *a, const float *b, std::size_t n);

}  // namespace ac_faiss

#endif
