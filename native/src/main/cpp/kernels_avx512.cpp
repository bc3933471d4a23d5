// kernels_avx512.cpp - the x86 kernels with AVX-512 VNNI on 256-bit vectors (vpdpbusd: one
// instruction for the u8 x s8 dot that AVX2 does in two). This file alone is compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512vnni (plus AVX2/FMA/F16C); kernels.cpp calls it only
// on CPUs that have them. 256-bit vectors on purpose: at batch 1 the kernels are bound by
// instruction throughput, and 256-bit integer ops issue on two ports where 512-bit ones share
// one, without the frequency penalty some CPUs apply to 512-bit code.
#define AC_X86_VNNI 1
#define AC_X86_NAME "avx512"
#include "kernels_x86.h"

namespace ac {

const Kernels &avx512_kernels() { return kX86; }

}  // namespace ac
