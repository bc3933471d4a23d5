#include "agentcouncil.h"

#include <cpuid.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace {

struct Registers {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};

// A leaf above the CPU's maximum reads as all zeros, i.e. "no such feature".
Registers cpuid(unsigned leaf, unsigned subleaf = 0) {
    Registers r;
    if (__get_cpuid_count(leaf, subleaf, &r.eax, &r.ebx, &r.ecx, &r.edx) == 0) {
        return Registers{};
    }
    return r;
}

bool bit(unsigned reg, unsigned n) { return ((reg >> n) & 1u) != 0; }

// XCR0 lists the register state the OS saves on a context switch. A CPU may have
// AVX or AVX-512 while the OS leaves that state disabled, and the instructions then
// fault, so every ISA flag below also needs its XCR0 bits.
std::uint64_t xcr0() {
    unsigned lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

constexpr std::uint64_t kXcr0Ymm = 0x06;  // SSE and AVX state
constexpr std::uint64_t kXcr0Zmm = 0xE6;  // plus opmask, ZMM_Hi256 and Hi16_ZMM

// Grows the mask when the kernel's is wider than CPU_SETSIZE (EINVAL), so machines
// with more than 1024 CPUs are counted right.
int affinity_cpu_count() {
    for (int ncpus = CPU_SETSIZE; ncpus <= (1 << 20); ncpus *= 2) {
        cpu_set_t *set = CPU_ALLOC(ncpus);
        if (set == nullptr) {
            break;
        }
        const std::size_t size = CPU_ALLOC_SIZE(ncpus);
        const int rc = sched_getaffinity(0, size, set);
        const int error = errno;
        const int count = rc == 0 ? CPU_COUNT_S(size, set) : 0;
        CPU_FREE(set);
        if (rc == 0) {
            return count;
        }
        if (error != EINVAL) {
            break;
        }
    }
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? static_cast<int>(online) : 1;
}

void read_brand(char (&brand)[64]) {
    char text[49] = {};
    if (cpuid(0x80000000u).eax >= 0x80000004u) {
        for (unsigned i = 0; i < 3; ++i) {
            const Registers r = cpuid(0x80000002u + i);
            std::memcpy(text + 16 * i, &r, 16);
        }
    } else {
        const Registers r = cpuid(0);
        std::memcpy(text, &r.ebx, 4);
        std::memcpy(text + 4, &r.edx, 4);
        std::memcpy(text + 8, &r.ecx, 4);
    }
    // Intel pads brand strings on the left.
    const char *start = text;
    while (*start == ' ') {
        ++start;
    }
    std::strncpy(brand, start, sizeof brand - 1);
    brand[sizeof brand - 1] = '\0';
}

}  // namespace

extern "C" int ac_cpu_features(ac_cpu_features_t *out) {
    if (out == nullptr) {
        return AC_ERR_INVALID_ARGUMENT;
    }
    *out = ac_cpu_features_t{};

    const Registers leaf1 = cpuid(1);
    const Registers leaf7 = cpuid(7, 0);
    const Registers leaf7_1 = leaf7.eax >= 1 ? cpuid(7, 1) : Registers{};

    // xgetbv itself faults unless the OS has set CR4.OSXSAVE.
    const std::uint64_t xcr = bit(leaf1.ecx, 27) ? xcr0() : 0;
    const bool os_ymm = (xcr & kXcr0Ymm) == kXcr0Ymm;
    const bool os_zmm = (xcr & kXcr0Zmm) == kXcr0Zmm;

    // Each extension is reported only together with the base it builds on, as the
    // kernel does in /proc/cpuinfo, so kernels can test a single flag.
    const bool avx = os_ymm && bit(leaf1.ecx, 28);
    const bool avx2 = avx && bit(leaf7.ebx, 5);
    const bool avx512f = avx && os_zmm && bit(leaf7.ebx, 16);
    out->avx = avx;
    out->avx2 = avx2;
    out->fma = avx && bit(leaf1.ecx, 12);
    out->f16c = avx && bit(leaf1.ecx, 29);
    out->avx_vnni = avx2 && bit(leaf7_1.eax, 4);
    out->avx512f = avx512f;
    out->avx512bw = avx512f && bit(leaf7.ebx, 30);
    out->avx512vl = avx512f && bit(leaf7.ebx, 31);
    out->avx512_vnni = avx512f && bit(leaf7.ecx, 11);

    out->logical_cores = affinity_cpu_count();
    read_brand(out->brand);
    return AC_OK;
}
