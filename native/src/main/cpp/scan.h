// scan.h - exact top-k over 8-bit codes of float vectors (agentcouncil.h, "Vector scan").
//
// A code is ggml's Q8_0 (blocks of 32 int8 values with an fp16 scale), so the scan is one
// matrix-vector product with the engine's own Q8_0 kernel, a quarter of the bytes of the floats.
// Codes are approximate; the candidates are not: each vector's true score is bounded from the
// residuals of both codes (Cauchy-Schwarz), and every vector whose upper bound reaches the k-th
// highest lower bound is a candidate, so the caller's exact rescoring of the candidates finds
// exactly the top k a scan of the floats would.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ac {

// Bytes of one code; dimension a positive multiple of 32.
size_t scan_code_bytes(int32_t dimension);

// Writes x's code to code and norms[0] = |x^|, norms[1] = |x - x^| (x^ the vector the code
// stands for). x is finite. A vector whose scale overflows fp16 gets the zero code (x^ = 0).
void scan_encode(const float *x, int32_t dimension, uint8_t *code, float *norms);

// The candidates among n codes (scan_encode's codes back to back, and their norms pairs) for
// the k highest scores of at least min_score against query: their slots in ascending order in
// slots[0..min(*count, capacity)), their number in *count. Scores on up to `threads` threads
// (the caller's and helpers it starts and joins), where the codes are many enough. False, with
// nothing written, when the query's own scale overflows fp16.
bool scan_candidates(const uint8_t *codes, const float *norms, int64_t n, int32_t dimension, const float *query,
                     int32_t k, float min_score, int32_t threads, int32_t *slots, int32_t capacity, int64_t *count);

}  // namespace ac
