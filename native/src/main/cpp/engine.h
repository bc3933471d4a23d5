// engine.h - the engine's C++ objects behind the opaque handles of agentcouncil.h.
//
//   Model    the mapped GGUF file and, for every tensor the architecture needs, a validated view
//            into the mapping (model.cpp). Immutable once loaded; shared by contexts and threads.
//   Context  one conversation: KV cache, scratch buffers and thread pool, all allocated once at
//            creation (context.cpp). forward() runs the transformer over a batch (forward.cpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "agentcouncil.h"
#include "threadpool.h"

namespace ac {

// A failure with the status the C API reports (AC_ERR_*) and a message for ac_last_error().
class Error : public std::runtime_error {
   public:
    Error(int status, const std::string &message) : std::runtime_error(message), status_(status) {}
    int status() const { return status_; }

   private:
    int status_;
};

// A weight matrix (or vector: rows == 1) inside the mapped file. ne0 is the contiguous
// dimension (columns), rows the number of ne0-long rows.
struct Tensor {
    const uint8_t *data = nullptr;
    int32_t type = -1;
    int64_t ne0 = 0;
    int64_t rows = 0;
    size_t row_stride = 0;  // bytes from one row to the next

    const uint8_t *row(int64_t r) const { return data + static_cast<size_t>(r) * row_stride; }
    const float *f32() const { return reinterpret_cast<const float *>(data); }
};

// What the architectures add to the llama forward pass:
//   qwen2   bias on q, k and v; NeoX-style RoPE (pairs the two halves of the rotated dimensions)
//   qwen3   RMS norm of each query and key head before RoPE (QK-norm); NeoX-style RoPE
//   gemma3  QK-norm, NeoX RoPE; embeddings scaled by sqrt(n_embd); queries scaled before the
//           scores instead of the scores; RMS norms after attention and FFN too; GELU-gated FFN;
//           local layers that see a sliding window, with their own RoPE base
enum class Arch { llama, qwen2, qwen3, gemma3 };

struct HParams {
    Arch arch = Arch::llama;
    int32_t n_vocab = 0;
    int32_t n_embd = 0;
    int32_t n_layer = 0;
    int32_t n_head = 0;
    int32_t n_head_kv = 0;
    int32_t n_ff = 0;
    int32_t n_rot = 0;
    int32_t head_dim = 0;  // n_embd / n_head, except qwen3
    float rope_freq_base = 10000.0f;
    float rms_norm_eps = 1e-5f;
    int32_t n_swa = 0;  // gemma3
    int32_t swa_pattern = 0;
    float rope_freq_base_swa = 10000.0f;

    bool rope_neox() const { return arch != Arch::llama; }
    // A local (sliding-window) layer: all but every swa_pattern-th.
    bool is_swa(int il) const { return n_swa > 0 && il % swa_pattern < swa_pattern - 1; }
    int32_t q_dim() const { return n_head * head_dim; }
    int32_t kv_dim() const { return n_head_kv * head_dim; }
    int32_t gqa_ratio() const { return n_head / n_head_kv; }
};

// Names follow the paper and ggml: wq, wk, wv, wo for attention; the SwiGLU FFN is
// down(silu(gate(x)) * up(x)). Tensors an architecture does not have stay empty (data null).
struct Layer {
    Tensor attn_norm;
    Tensor wq, wk, wv, wo;
    Tensor bq, bk, bv;              // qwen2
    Tensor attn_q_norm, attn_k_norm;  // qwen3, gemma3: [head_dim], shared by the heads
    Tensor attn_post_norm;            // gemma3: on wo's output
    Tensor ffn_norm;
    Tensor ffn_post_norm;             // gemma3: on ffn_down's output
    Tensor ffn_gate, ffn_up, ffn_down;
};

struct Model {
    HParams hp;
    std::string path;
    void *map_addr = nullptr;  // the whole file, PROT_READ
    size_t map_size = 0;

    Tensor token_embd;   // [n_vocab rows of n_embd]
    Tensor output_norm;  // [n_embd]
    Tensor output;       // [n_vocab rows of n_embd]; token_embd itself when the file ties them
    std::vector<Layer> layers;

    // One reference for the handle plus one per live context: the mapping stays until the
    // last of them is gone, so freeing a model before its contexts cannot leave them dangling.
    std::atomic<int> refs{1};

    ~Model();
};

// Maps and validates (model.cpp). Throws Error.
std::unique_ptr<Model> load_model(const ac_model_params &params);
void model_release(Model *model);  // drops one reference; the last one deletes

// Page-aligned, zero-initialised storage that never reallocates.
class Buffer {
   public:
    Buffer() = default;
    explicit Buffer(size_t bytes);
    ~Buffer();
    Buffer(Buffer &&other) noexcept;
    Buffer &operator=(Buffer &&other) noexcept;
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    template <class T>
    T *as() const {
        return static_cast<T *>(ptr_);
    }
    uint8_t *bytes() const { return static_cast<uint8_t *>(ptr_); }
    size_t size() const { return size_; }

   private:
    void *ptr_ = nullptr;
    size_t size_ = 0;
};

struct Context {
    Model *model = nullptr;  // holds a reference
    int32_t n_ctx = 0;       // positions the cache holds
    int32_t kv_stride = 0;   // n_ctx rounded up: the row length of the transposed V cache
    int32_t max_batch = 0;   // tokens per forward pass; longer evals are split
    int32_t n_past = 0;      // positions filled

    // KV cache in F16 (llama.cpp's default), per layer and KV head:
    //   K  [n_ctx positions][head_dim]     a position's key is one row
    //   Vt [head_dim][kv_stride positions] transposed, so that softmax(QK) . V is a matmul
    //                                      whose rows are the head dimensions
    Buffer k_cache, v_cache;

    // Scratch, [max_batch][width] floats unless noted.
    Buffer x;               // residual stream, n_embd
    Buffer q, k, v;         // q_dim, kv_dim, kv_dim
    Buffer attn;            // attention output before wo, q_dim
    Buffer proj;            // output of wo and of ffn_down, n_embd
    Buffer gate, up;        // n_ff
    Buffer rope_cos_sin;    // [max_batch][n_rot] interleaved cos, sin per rotated pair
    Buffer rope_cos_sin_swa;  // the same for the local layers' RoPE base (gemma3)
    static constexpr int kActSlots = 3;
    Buffer act[kActSlots];  // activation rows prepared for the kernels, one slot per weight type
    size_t act_row_bytes = 0;
    // Per thread: a float row of max(n_embd, q_dim, n_ff) (norm and SwiGLU outputs), then one attention
    // tile: its queries prepared for F16 keys, its scores [kAttnTile][kv_stride], and its
    // probabilities prepared for F16 values.
    Buffer thread_scratch;
    size_t thread_scratch_bytes = 0;
    size_t attn_q_offset = 0, attn_scores_offset = 0, attn_p_offset = 0;

    std::unique_ptr<ThreadPool> pool;

    ~Context();

    size_t k_offset(int layer, int kv_head) const;  // in elements
    size_t v_offset(int layer, int kv_head) const;
    uint8_t *scratch_of(int ith) const { return thread_scratch.bytes() + static_cast<size_t>(ith) * thread_scratch_bytes; }
    float *row_scratch(int ith) const { return reinterpret_cast<float *>(scratch_of(ith)); }
    uint8_t *attn_q_scratch(int ith) const { return scratch_of(ith) + attn_q_offset; }
    float *attn_scores_scratch(int ith) const { return reinterpret_cast<float *>(scratch_of(ith) + attn_scores_offset); }
    uint8_t *attn_p_scratch(int ith) const { return scratch_of(ith) + attn_p_offset; }
};

// Attention works on tiles of this many query tokens per task.
constexpr int kAttnTile = 32;
// Rows of the transposed V cache and the attention probabilities are padded to this.
constexpr int kKvPad = 32;

std::unique_ptr<Context> create_context(Model *model, int32_t n_ctx, int32_t n_threads);

// Runs tokens[0..n) at positions n_past.., appends them to the cache and writes logits
// (all rows, or only the last) with row stride n_vocab. Inputs are validated by the caller.
void forward(Context &ctx, const int32_t *tokens, int32_t n_tokens, bool all_logits, float *logits);

// Copies the first n positions of src's cache into dst (same model).
void copy_kv(const Context &src, Context &dst, int32_t n);

}  // namespace ac
