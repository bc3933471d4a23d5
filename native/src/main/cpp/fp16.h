// fp16.h - scalar IEEE half and bfloat16 conversions, bit-exact with F16C and ggml.
//
// Everything here has internal linkage (static inline): the header is included by translation
// units compiled with different ISA flags, and an inline function with external linkage would
// let the linker keep the AVX2-compiled copy for the portable code too.
#pragma once

#include <cstdint>
#include <cstring>

namespace ac {

static inline uint32_t fp32_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

static inline float fp32_from_bits(uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

// IEEE binary16 -> binary32, exact for every input (subnormals, infinities, NaN payloads).
static inline float fp16_to_fp32(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    if (exp == 0x1Fu) {  // inf / NaN
        return fp32_from_bits(sign | 0x7F800000u | (mant << 13));
    }
    if (exp != 0) {  // normal
        return fp32_from_bits(sign | ((exp + 112u) << 23) | (mant << 13));
    }
    if (mant == 0) {
        return fp32_from_bits(sign);
    }
    // Subnormal: renormalise.
    uint32_t e = 113;
    while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --e;
    }
    return fp32_from_bits(sign | (e << 23) | ((mant & 0x3FFu) << 13));
}

// binary32 -> binary16 rounding to nearest, ties to even (what F16C's vcvtps2ph with
// imm 0 and ggml's GGML_FP32_TO_FP16 do); overflow gives infinity, NaN stays NaN (quiet).
static inline uint16_t fp32_to_fp16(float f) {
    const uint32_t x = fp32_bits(f);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t abs = x & 0x7FFFFFFFu;
    if (abs >= 0x7F800000u) {  // inf or NaN
        const uint32_t nan = abs > 0x7F800000u ? (0x200u | ((abs >> 13) & 0x3FFu)) : 0u;
        return static_cast<uint16_t>(sign | 0x7C00u | nan);
    }
    if (abs >= 0x477FF000u) {  // rounds to >= 65520: infinity
        return static_cast<uint16_t>(sign | 0x7C00u);
    }
    if (abs < 0x38800000u) {  // below 2^-14: subnormal half (or zero)
        if (abs < 0x33000000u) {  // below 2^-25: rounds to zero (2^-25 itself ties to even 0)
            return static_cast<uint16_t>(sign);
        }
        const uint32_t e = abs >> 23;               // 102..112
        const uint32_t m = (abs & 0x7FFFFFu) | 0x800000u;
        const uint32_t shift = 126u - e;            // 14..24
        uint32_t r = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1u);
        const uint32_t half = 1u << (shift - 1u);
        if (rem > half || (rem == half && (r & 1u) != 0)) {
            ++r;
        }
        return static_cast<uint16_t>(sign | r);
    }
    // Normal: rebias the exponent, round the 13 dropped mantissa bits (a carry into the exponent
    // is the correct result, up to infinity which the range check above already excluded).
    uint32_t r = (abs - 0x38000000u) >> 13;
    const uint32_t rem = abs & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (r & 1u) != 0)) {
        ++r;
    }
    return static_cast<uint16_t>(sign | r);
}

static inline float bf16_to_fp32(uint16_t h) { return fp32_from_bits(static_cast<uint32_t>(h) << 16); }

// As ggml_compute_fp32_to_bf16: round to nearest even, NaN forced quiet.
static inline uint16_t fp32_to_bf16(float f) {
    const uint32_t u = fp32_bits(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) {
        return static_cast<uint16_t>((u >> 16) | 64u);
    }
    return static_cast<uint16_t>((u + (0x7FFFu + ((u >> 16) & 1u))) >> 16);
}

}  // namespace ac
