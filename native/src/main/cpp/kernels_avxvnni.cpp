// kernels_avxvnni.cpp - the x86 kernels with AVX-VNNI (vpdpbusd on 256-bit vectors, VEX encoded:
// Alder Lake and later client CPUs, which have no AVX-512). This file alone is compiled with
// -mavxvnni (plus AVX2/FMA/F16C); kernels.cpp calls it only on CPUs that have them.
#define AC_X86_VNNI 2
#define AC_X86_NAME "avxvnni"
#include "kernels_x86.h"

namespace ac {

const Kernels &avxvnni_kernels() { return kX86; }

}  // namespace ac
