// kernels.h - the contract between the forward pass and the per-ISA kernels.
//
// The forward pass only ever multiplies a weight matrix (one of the ggml types in the file) by a
// batch of activation rows, and looks up embedding rows. Activations are converted once per row
// into whatever the weight type's dot product wants (8-bit blocks for the quantized types,
// floats otherwise), then every weight row is dotted with every activation row. Every
// implementation rounds exactly as ggml's AVX2 kernels do (kernels_impl.h, "ggml's order"), so
// they agree with each other and with llama.cpp bit for bit. Which
// implementation runs (AVX-512 VNNI, AVX-VNNI, AVX2/FMA/F16C, portable) is chosen once, at
// first use, from the CPU features; the portable one is always available for tests.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ac {

// ggml type ids the engine runs.
enum GgmlType : int32_t {
    GGML_F32 = 0,
    GGML_F16 = 1,
    GGML_Q4_0 = 2,
    GGML_Q4_1 = 3,
    GGML_Q5_0 = 6,
    GGML_Q8_0 = 8,
    GGML_Q4_K = 12,
    GGML_Q5_K = 13,
    GGML_Q6_K = 14,
    GGML_BF16 = 30,
};

bool is_supported(int32_t type);

// Elements per block: 256 for the K-quants (Q4_K, Q5_K, Q6_K), 32 for the other quantized types,
// 1 for F32, F16, BF16. n must be a multiple.
int64_t block_size(int32_t type);

// Bytes of one row of n elements of a weight type (n a multiple of the block size).
size_t row_bytes(int32_t type, int64_t n);

// Bytes of one activation row of n elements prepared for weights of this type.
size_t activation_row_bytes(int32_t type, int64_t n);

struct Kernels {
    const char *name;  // "avx512", "avxvnni", "avx2", "portable"

    // Converts one float row x[n] into the activation format for weights of `type`.
    void (*prepare)(int32_t type, const float *x, int64_t n, void *out);

    // Y[b * ldy + r] = dot(row r of W, activation row b) for r in [r0, r1), b in [0, batch).
    // W rows are w_stride bytes apart; activation rows x_stride bytes apart. op_cols is the
    // number of columns ggml would see in this product (its ne11, which may exceed batch when the
    // caller splits the work): ggml sums in another order for one column (float types) and for
    // fewer than 8 (K-quants) than for more (kernels_impl.h, "ggml's order").
    void (*matmul)(int32_t type, const void *w, size_t w_stride, int64_t n, const void *x, size_t x_stride,
                   int32_t batch, float *y, int64_t ldy, int64_t r0, int64_t r1, int32_t op_cols);

    // Dequantizes row `row` of W (n elements) into out[n]: embedding lookup.
    void (*get_row)(int32_t type, const void *w, int64_t n, int64_t row, float *out);

    // Attention probabilities in place: p = softmax(s * scale) over s[0..n_valid), and
    // s[n_valid..n_pad) = 0 (the causal mask). n_pad is a multiple of 8.
    void (*softmax)(float *s, int64_t n_valid, int64_t n_pad, float scale);

    // out = silu(gate) * up, elementwise.
    void (*swiglu)(const float *gate, const float *up, int64_t n, float *out);
};

// The best implementation for this CPU.
const Kernels &kernels();

// Reference implementation in plain C++; the yardstick for the vectorised ones in tests.
const Kernels &portable_kernels();

// The implementation called `name` ("portable", "avx2", "avxvnni", "avx512"), or nullptr when
// this CPU cannot run it. kernels() honours AGENTCOUNCIL_KERNELS=<name>.
const Kernels *kernels_named(const char *name);

}  // namespace ac
