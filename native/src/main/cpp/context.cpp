// context.cpp - one conversation's state: the F16 KV cache, scratch buffers sized for n_ctx
// positions and a batch of at most max_batch tokens, and the thread pool. Everything is
// allocated here, once; evaluation allocates nothing.
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "engine.h"
#include "kernels.h"

namespace ac {

// Anonymous mappings: page-aligned, zero, and only backed by memory once written, so a
// context's KV cache costs what the conversation uses, not what n_ctx allows.
Buffer::Buffer(size_t bytes) {
    if (bytes == 0) return;
    void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ptr_ = p;
    size_ = bytes;
}

Buffer::~Buffer() {
    if (ptr_ != nullptr) munmap(ptr_, size_);
}

Buffer::Buffer(Buffer &&other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)), size_(std::exchange(other.size_, 0)) {}

Buffer &Buffer::operator=(Buffer &&other) noexcept {
    if (this != &other) {
        if (ptr_ != nullptr) munmap(ptr_, size_);
        ptr_ = std::exchange(other.ptr_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

namespace {

constexpr int32_t kMaxBatch = 512;  // llama.cpp's default micro-batch

size_t round64(size_t n) { return (n + 63) / 64 * 64; }

// a * b * ... in size_t, or AC_ERR_OUT_OF_MEMORY when it cannot be represented.
size_t checked_product(std::initializer_list<size_t> factors) {
    size_t r = 1;
    for (size_t f : factors) {
        if (__builtin_mul_overflow(r, f, &r)) throw Error(AC_ERR_OUT_OF_MEMORY, "buffer size overflows");
    }
    return r;
}

size_t max_activation_row_bytes(const Model &m) {
    size_t best = 0;
    auto consider = [&](const Tensor &t) { best = std::max(best, activation_row_bytes(t.type, t.ne0)); };
    consider(m.output);
    for (const Layer &L : m.layers) {
        for (const Tensor *t : {&L.wq, &L.wk, &L.wv, &L.wo, &L.ffn_gate, &L.ffn_up, &L.ffn_down}) consider(*t);
    }
    return best;
}

}  // namespace

Context::~Context() {
    pool.reset();  // join the workers before the buffers go
    model_release(model);
}

size_t Context::k_offset(int layer, int kv_head) const {
    const HParams &hp = model->hp;
    return (static_cast<size_t>(layer) * static_cast<size_t>(hp.n_head_kv) + static_cast<size_t>(kv_head)) *
           static_cast<size_t>(n_ctx) * static_cast<size_t>(hp.head_dim);
}

size_t Context::v_offset(int layer, int kv_head) const {
    const HParams &hp = model->hp;
    return (static_cast<size_t>(layer) * static_cast<size_t>(hp.n_head_kv) + static_cast<size_t>(kv_head)) *
           static_cast<size_t>(hp.head_dim) * static_cast<size_t>(kv_stride);
}

std::unique_ptr<Context> create_context(Model *model, int32_t n_ctx, int32_t n_threads) {
    const HParams &hp = model->hp;
    auto ctx = std::make_unique<Context>();
    ctx->n_ctx = n_ctx;
    ctx->kv_stride = (n_ctx + kKvPad - 1) / kKvPad * kKvPad;
    ctx->max_batch = std::min(n_ctx, kMaxBatch);

    const size_t L = static_cast<size_t>(hp.n_layer), KVH = static_cast<size_t>(hp.n_head_kv),
                 HD = static_cast<size_t>(hp.head_dim), B = static_cast<size_t>(ctx->max_batch);
    ctx->k_cache = Buffer(checked_product({L, KVH, static_cast<size_t>(n_ctx), HD, 2}));
    ctx->v_cache = Buffer(checked_product({L, KVH, HD, static_cast<size_t>(ctx->kv_stride), 2}));

    const size_t E = static_cast<size_t>(hp.n_embd), Q = static_cast<size_t>(hp.q_dim()), KV = static_cast<size_t>(hp.kv_dim()),
                 FF = static_cast<size_t>(hp.n_ff);
    ctx->x = Buffer(B * E * 4);
    ctx->q = Buffer(B * Q * 4);
    ctx->k = Buffer(B * KV * 4);
    ctx->v = Buffer(B * KV * 4);
    ctx->attn = Buffer(B * Q * 4);
    ctx->proj = Buffer(B * E * 4);
    ctx->gate = Buffer(B * FF * 4);
    ctx->up = Buffer(B * FF * 4);
    ctx->rope_cos_sin = Buffer(B * static_cast<size_t>(hp.n_rot) * 4);
    if (hp.n_swa > 0) ctx->rope_cos_sin_swa = Buffer(B * static_cast<size_t>(hp.n_rot) * 4);
    ctx->act_row_bytes = round64(max_activation_row_bytes(*model));
    for (Buffer &a : ctx->act) a = Buffer(B * ctx->act_row_bytes);

    const size_t T = static_cast<size_t>(kAttnTile), S = static_cast<size_t>(ctx->kv_stride);
    ctx->attn_q_offset = round64(std::max({E, Q, FF}) * 4);
    ctx->attn_scores_offset = ctx->attn_q_offset + round64(T * activation_row_bytes(GGML_F16, hp.head_dim));
    ctx->attn_p_offset = ctx->attn_scores_offset + round64(checked_product({T, S, 4}));
    ctx->thread_scratch_bytes = ctx->attn_p_offset + round64(checked_product({T, activation_row_bytes(GGML_F16, ctx->kv_stride)}));

    ac_cpu_features_t cpu{};
    int threads = n_threads;
    if (threads <= 0) threads = ac_cpu_features(&cpu) == AC_OK && cpu.logical_cores > 0 ? cpu.logical_cores : 1;
    threads = std::min(threads, 256);
    ctx->thread_scratch = Buffer(checked_product({static_cast<size_t>(threads), ctx->thread_scratch_bytes}));
    ctx->pool = std::make_unique<ThreadPool>(threads);

    model->refs.fetch_add(1, std::memory_order_relaxed);
    ctx->model = model;
    return ctx;
}

void copy_kv(const Context &src, Context &dst, int32_t n) {
    const HParams &hp = src.model->hp;
    const size_t hd = static_cast<size_t>(hp.head_dim);
    for (int il = 0; il < hp.n_layer; ++il) {
        for (int g = 0; g < hp.n_head_kv; ++g) {
            std::memcpy(dst.k_cache.as<uint16_t>() + dst.k_offset(il, g), src.k_cache.as<uint16_t>() + src.k_offset(il, g),
                        static_cast<size_t>(n) * hd * 2);
            for (size_t d = 0; d < hd; ++d) {
                std::memcpy(dst.v_cache.as<uint16_t>() + dst.v_offset(il, g) + d * static_cast<size_t>(dst.kv_stride),
                            src.v_cache.as<uint16_t>() + src.v_offset(il, g) + d * static_cast<size_t>(src.kv_stride),
                            static_cast<size_t>(n) * 2);
            }
        }
    }
    dst.n_past = n;
}

}  // namespace ac
