// kernels_avx2.cpp - the x86 kernels for AVX2 + FMA + F16C (this file alone is compiled with
// -mavx2 -mfma -mf16c; kernels.cpp calls it only on CPUs that have them).
#define AC_X86_VNNI 0
#define AC_X86_NAME "avx2"
#include "kernels_x86.h"

namespace ac {

const Kernels &avx2_kernels() { return kX86; }

}  // namespace ac
