// kernels_impl.h - what the kernel implementations (and their tests) share: the ggml block
// layouts of the weights and the layout of a prepared activation row.
//
// Internal to the kernels: the forward pass only sees kernels.h. Everything here has internal
// linkage or is a plain declaration, because this header is included by translation units
// compiled for different ISAs (see fp16.h).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels.h"

namespace ac {

constexpr int64_t kQK = 32;  // elements per block of every quantized type

// ggml's blocks, byte for byte (fp16 fields as raw bits).
struct BlockQ4_0 {
    uint16_t d;
    uint8_t qs[16];  // element j in the low nibble of qs[j], element j+16 in the high nibble
};
struct BlockQ4_1 {
    uint16_t d;
    uint16_t m;
    uint8_t qs[16];
};
struct BlockQ8_0 {
    uint16_t d;
    int8_t qs[32];
};
static_assert(sizeof(BlockQ4_0) == 18, "ggml block_q4_0");
static_assert(sizeof(BlockQ4_1) == 20, "ggml block_q4_1");
static_assert(sizeof(BlockQ8_0) == 34, "ggml block_q8_0");

// A prepared activation row for the quantized weight types (Q4_0, Q4_1, Q8_0): ggml's
// quantize_row_q8_1 (the AVX2 one: d = amax/127, id = 127/amax, round half to even), stored
// planar so that the vector kernels load 8 blocks' scales at once (nb = n / 32):
//
//   int8_t  qs[n]        the quantized values; order below
//   float   d[nb]        block scale amax/127 rounded to fp16, as a float
//   float   s[nb]        ggml's q8_1 "s": fp16(d_unrounded * sum(q of the block)), as a float
//   int32_t isum[nb]     sum(q of the block)
//   int32_t corr[8 * chunks]   only for Q4_0 and Q8_0, see below
//
// Order of qs. Q8_0: natural (block ib at qs + 32 ib). Q4_0 and Q4_1: blocks in pairs, so that
// one 256-bit load of two weight blocks' 16 nibble bytes, masked (low nibbles) or shifted
// (high nibbles), lines up with 32 activation bytes: the pair (2p, 2p+1) takes 64 bytes at
// qs + 64 p as [x_2p[0..15], x_2p+1[0..15], x_2p[16..31], x_2p+1[16..31]]; an odd last block
// stays in natural order. Either way block ib starts at qs + 32 ib.
//
// A chunk is what one 256-bit integer dot covers: a pair (or the odd last block) for Q4_0, a
// block for Q8_0. corr[8 c + k] = F * sum of the q at bytes 4k..4k+3 of each 32-byte half of
// chunk c, F = 8 for Q4_0 (so that sum(nibble * q) - corr = sum((nibble - 8) * q) per int32
// lane) and 128 for Q8_0 (sum((w + 128) * q) - corr = sum(w * q): unsigned x signed VNNI).
//
// With a 4-byte aligned row start every float/int field is aligned (n is a multiple of 32).
struct ActQ8View {
    int8_t *qs;
    float *d;
    float *s;
    int32_t *isum;
    int32_t *corr;  // nullptr for Q4_1
};

struct ActQ8ConstView {
    const int8_t *qs;
    const float *d;
    const float *s;
    const int32_t *isum;
    const int32_t *corr;
};

static inline bool act_q8_paired(int32_t type) { return type == GGML_Q4_0 || type == GGML_Q4_1; }

static inline int64_t act_q8_chunks(int32_t type, int64_t nb) {
    return type == GGML_Q4_0 ? (nb + 1) / 2 : type == GGML_Q8_0 ? nb : 0;
}

static inline int32_t act_q8_corr_factor(int32_t type) { return type == GGML_Q4_0 ? 8 : 128; }

// Byte offset in qs of element i of the row.
static inline int64_t act_q8_offset(int32_t type, int64_t nb, int64_t i) {
    const int64_t ib = i / kQK, e = i % kQK;
    if (!act_q8_paired(type) || (ib % 2 == 0 && ib + 1 == nb)) {
        return i;
    }
    return (ib / 2) * 64 + (e >= 16 ? 32 : 0) + (ib % 2) * 16 + e % 16;
}

static inline size_t act_q8_bytes(int32_t type, int64_t n) {
    const int64_t nb = n / kQK;
    return static_cast<size_t>(n + 12 * nb + 32 * act_q8_chunks(type, nb));
}

static inline ActQ8View act_q8_view(int32_t type, void *row, int64_t n) {
    const int64_t nb = n / kQK;
    auto *base = static_cast<unsigned char *>(row);
    return ActQ8View{reinterpret_cast<int8_t *>(base), reinterpret_cast<float *>(base + n),
                     reinterpret_cast<float *>(base + n + 4 * nb), reinterpret_cast<int32_t *>(base + n + 8 * nb),
                     act_q8_chunks(type, nb) ? reinterpret_cast<int32_t *>(base + n + 12 * nb) : nullptr};
}

static inline ActQ8ConstView act_q8_view(int32_t type, const void *row, int64_t n) {
    const int64_t nb = n / kQK;
    const auto *base = static_cast<const unsigned char *>(row);
    return ActQ8ConstView{reinterpret_cast<const int8_t *>(base), reinterpret_cast<const float *>(base + n),
                          reinterpret_cast<const float *>(base + n + 4 * nb),
                          reinterpret_cast<const int32_t *>(base + n + 8 * nb),
                          act_q8_chunks(type, nb) ? reinterpret_cast<const int32_t *>(base + n + 12 * nb) : nullptr};
}

// Fills corr from qs (already in its final order).
static inline void act_q8_fill_corr(int32_t type, const ActQ8View &a, int64_t nb) {
    const int64_t chunks = act_q8_chunks(type, nb);
    const int32_t f = act_q8_corr_factor(type);
    for (int64_t c = 0; c < chunks; ++c) {
        const int64_t start = type == GGML_Q4_0 ? 64 * c : 32 * c;
        const int halves = type == GGML_Q4_0 && 2 * c + 1 < nb ? 2 : 1;
        for (int k = 0; k < 8; ++k) {
            int32_t sum = 0;
            for (int h = 0; h < halves; ++h) {
                for (int t = 0; t < 4; ++t) {
                    sum += a.qs[start + 32 * h + 4 * k + t];
                }
            }
            a.corr[8 * c + k] = f * sum;
        }
    }
}

static inline bool is_quantized(int32_t type) { return type == GGML_Q4_0 || type == GGML_Q4_1 || type == GGML_Q8_0; }

// The implementations (each defined in its own translation unit). The vectorised ones may only
// be called when the CPU has their instructions.
const Kernels &avx2_kernels();
const Kernels &avxvnni_kernels();
const Kernels &avx512_kernels();

}  // namespace ac
