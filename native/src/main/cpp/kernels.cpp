// kernels.cpp - type table and the choice of implementation.
#include <cstdlib>
#include <cstring>

#include "agentcouncil.h"
#include "kernels.h"
#include "kernels_impl.h"

namespace ac {

bool is_supported(int32_t type) {
    switch (type) {
        case GGML_F32:
        case GGML_F16:
        case GGML_BF16:
        case GGML_Q4_0:
        case GGML_Q4_1:
        case GGML_Q5_0:
        case GGML_Q8_0:
        case GGML_Q4_K:
        case GGML_Q5_K:
        case GGML_Q6_K:
            return true;
        default:
            return false;
    }
}

int64_t block_size(int32_t type) { return is_k_quant(type) ? kQKK : is_quantized(type) ? kQK : 1; }

size_t row_bytes(int32_t type, int64_t n) {
    const auto un = static_cast<size_t>(n);
    switch (type) {
        case GGML_F32:
            return 4 * un;
        case GGML_F16:
        case GGML_BF16:
            return 2 * un;
        case GGML_Q4_0:
            return un / 32 * sizeof(BlockQ4_0);
        case GGML_Q4_1:
            return un / 32 * sizeof(BlockQ4_1);
        case GGML_Q5_0:
            return un / 32 * sizeof(BlockQ5_0);
        case GGML_Q8_0:
            return un / 32 * sizeof(BlockQ8_0);
        case GGML_Q4_K:
            return un / 256 * sizeof(BlockQ4_K);
        case GGML_Q5_K:
            return un / 256 * sizeof(BlockQ5_K);
        case GGML_Q6_K:
            return un / 256 * sizeof(BlockQ6_K);
        default:
            return 0;
    }
}

size_t activation_row_bytes(int32_t type, int64_t n) {
    switch (type) {
        case GGML_F32:
            return 4 * static_cast<size_t>(n);
        case GGML_F16:
        case GGML_BF16:
            return 2 * static_cast<size_t>(n);
        case GGML_Q4_0:
        case GGML_Q4_1:
        case GGML_Q5_0:
        case GGML_Q8_0:
            return act_q8_bytes(type, n);
        case GGML_Q4_K:
        case GGML_Q5_K:
        case GGML_Q6_K:
            return static_cast<size_t>(n) / 256 * sizeof(BlockQ8_K);
        default:
            return 0;
    }
}

namespace {

struct Cpu {
    bool avx2 = false;     // AVX2 + FMA + F16C
    bool avxvnni = false;  // AVX-VNNI, on top of avx2
    bool avx512 = false;   // AVX-512 F/BW/VL/VNNI, on top of avx2
};

Cpu detect() {
    ac_cpu_features_t f;
    Cpu cpu;
    if (ac_cpu_features(&f) != AC_OK) {
        return cpu;
    }
    cpu.avx2 = f.avx2 && f.fma && f.f16c;
    cpu.avxvnni = cpu.avx2 && f.avx_vnni;
    cpu.avx512 = cpu.avx2 && f.avx512f && f.avx512bw && f.avx512vl && f.avx512_vnni;
    return cpu;
}

const Kernels *choose() {
    // AGENTCOUNCIL_KERNELS=portable|avx2|avxvnni|avx512 picks one (for comparisons and
    // diagnosis); one this CPU cannot run is ignored.
    const char *forced = std::getenv("AGENTCOUNCIL_KERNELS");
    if (forced != nullptr && *forced != '\0') {
        if (const Kernels *k = kernels_named(forced)) {
            return k;
        }
    }
    // The two VNNI builds run the same 256-bit code (EVEX or VEX encoded); the EVEX one measured
    // a little faster where both exist (Sapphire Rapids).
    const Cpu cpu = detect();
    if (cpu.avx512) {
        return &avx512_kernels();
    }
    if (cpu.avxvnni) {
        return &avxvnni_kernels();
    }
    if (cpu.avx2) {
        return &avx2_kernels();
    }
    return &portable_kernels();
}

}  // namespace

const Kernels *kernels_named(const char *name) {
    if (name == nullptr) {
        return nullptr;
    }
    if (std::strcmp(name, "portable") == 0) {
        return &portable_kernels();
    }
    const Cpu cpu = detect();
    if (std::strcmp(name, "avx2") == 0 && cpu.avx2) {
        return &avx2_kernels();
    }
    if (std::strcmp(name, "avxvnni") == 0 && cpu.avxvnni) {
        return &avxvnni_kernels();
    }
    if (std::strcmp(name, "avx512") == 0 && cpu.avx512) {
        return &avx512_kernels();
    }
    return nullptr;
}

const Kernels &kernels() {
    static const Kernels *const chosen = choose();  // thread-safe, once
    return *chosen;
}

}  // namespace ac
