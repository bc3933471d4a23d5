// c_api.cpp - the ac_* functions of agentcouncil.h over the engine's C++ objects.
//
// Nothing thrown inside the engine crosses the C boundary: every entry point catches, records a
// thread-local message for ac_last_error() and returns a status. Arguments are checked here,
// before any engine code runs, so the engine itself only sees valid input.
#include <cmath>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "agentcouncil.h"
#include "engine.h"
#include "kernels.h"
#include "scan.h"

struct ac_model {
    ac::Model *impl;  // one of the model's references
};

struct ac_context {
    std::unique_ptr<ac::Context> impl;
};

namespace {

thread_local std::string t_last_error;

int fail(int status, const std::string &message) {
    t_last_error = message;
    return status;
}

int ok() {
    t_last_error.clear();
    return AC_OK;
}

// Runs body, turning any exception into a status and a message.
template <class Body>
int guarded(const char *function, Body &&body) noexcept {
    try {
        return body();
    } catch (const ac::Error &e) {
        return fail(e.status(), std::string(function) + ": " + e.what());
    } catch (const std::bad_alloc &) {
        return fail(AC_ERR_OUT_OF_MEMORY, std::string(function) + ": out of memory");
    } catch (const std::exception &e) {
        return fail(AC_ERR_INTERNAL, std::string(function) + ": " + e.what());
    } catch (...) {
        return fail(AC_ERR_INTERNAL, std::string(function) + ": unknown exception");
    }
}

constexpr int32_t kMaxContext = 1 << 20;
constexpr int32_t kMaxThreads = 256;

bool scan_dimension_ok(int32_t dimension) {
    return dimension >= 32 && dimension <= AC_SCAN_MAX_DIMENSION && dimension % 32 == 0;
}

// The index of the first non-finite element of v[0..n), or -1.
int64_t first_non_finite(const float *v, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(v[i])) return i;
    }
    return -1;
}

}  // namespace

extern "C" {

const char *ac_last_error(void) { return t_last_error.c_str(); }

int ac_tensor_type_supported(int32_t ggml_type) { return ac::is_supported(ggml_type) ? 1 : 0; }

const char *ac_kernels_name(void) {
    try {
        return ac::kernels().name;
    } catch (...) {
        return "unavailable";
    }
}

int ac_model_load(const ac_model_params *params, ac_model **out) {
    return guarded("ac_model_load", [&] {
        if (params == nullptr || out == nullptr) return fail(AC_ERR_INVALID_ARGUMENT, "ac_model_load: params or out is NULL");
        std::unique_ptr<ac::Model> model = ac::load_model(*params);
        auto *handle = new ac_model{model.get()};
        model.release();
        *out = handle;
        return ok();
    });
}

void ac_model_free(ac_model *model) {
    if (model == nullptr) return;
    ac::model_release(model->impl);
    delete model;
}

int ac_context_create(ac_model *model, int32_t n_ctx, int32_t n_threads, ac_context **out) {
    return guarded("ac_context_create", [&] {
        if (model == nullptr || out == nullptr) return fail(AC_ERR_INVALID_ARGUMENT, "ac_context_create: model or out is NULL");
        if (n_ctx < 1 || n_ctx > kMaxContext) {
            return fail(AC_ERR_INVALID_ARGUMENT,
                        "ac_context_create: n_ctx " + std::to_string(n_ctx) + " outside 1.." + std::to_string(kMaxContext));
        }
        if (n_threads < 0 || n_threads > kMaxThreads) {
            return fail(AC_ERR_INVALID_ARGUMENT,
                        "ac_context_create: n_threads " + std::to_string(n_threads) + " outside 0.." + std::to_string(kMaxThreads));
        }
        auto handle = std::make_unique<ac_context>();
        handle->impl = ac::create_context(model->impl, n_ctx, n_threads);
        *out = handle.release();
        return ok();
    });
}

void ac_context_free(ac_context *ctx) { delete ctx; }

int32_t ac_context_length(const ac_context *ctx) {
    if (ctx == nullptr) {
        fail(AC_ERR_INVALID_ARGUMENT, "ac_context_length: ctx is NULL");
        return -1;
    }
    return ctx->impl->n_past;
}

int ac_eval(ac_context *ctx, const int32_t *tokens, int32_t n_tokens, int32_t all_logits, float *logits) {
    return guarded("ac_eval", [&] {
        if (ctx == nullptr || tokens == nullptr || logits == nullptr) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_eval: ctx, tokens or logits is NULL");
        }
        if (n_tokens < 1) return fail(AC_ERR_INVALID_ARGUMENT, "ac_eval: n_tokens " + std::to_string(n_tokens) + " < 1");
        ac::Context &c = *ctx->impl;
        const int32_t n_vocab = c.model->hp.n_vocab;
        for (int32_t i = 0; i < n_tokens; ++i) {
            if (tokens[i] < 0 || tokens[i] >= n_vocab) {
                return fail(AC_ERR_INVALID_ARGUMENT, "ac_eval: token id " + std::to_string(tokens[i]) + " at index " + std::to_string(i) +
                                                         " is outside the vocabulary 0.." + std::to_string(n_vocab - 1));
            }
        }
        if (n_tokens > c.n_ctx - c.n_past) {
            return fail(AC_ERR_CONTEXT_FULL, "ac_eval: " + std::to_string(c.n_past) + " positions held + " + std::to_string(n_tokens) +
                                                 " new > n_ctx " + std::to_string(c.n_ctx));
        }
        ac::forward(c, tokens, n_tokens, all_logits != 0, logits);
        return ok();
    });
}

int ac_kv_truncate(ac_context *ctx, int32_t n_keep) {
    if (ctx == nullptr) return fail(AC_ERR_INVALID_ARGUMENT, "ac_kv_truncate: ctx is NULL");
    ac::Context &c = *ctx->impl;
    if (n_keep < 0 || n_keep > c.n_past) {
        return fail(AC_ERR_INVALID_ARGUMENT,
                    "ac_kv_truncate: n_keep " + std::to_string(n_keep) + " outside 0.." + std::to_string(c.n_past) + " (the length)");
    }
    c.n_past = n_keep;
    return ok();
}

int ac_kv_copy(const ac_context *src, ac_context *dst, int32_t n) {
    return guarded("ac_kv_copy", [&] {
        if (src == nullptr || dst == nullptr) return fail(AC_ERR_INVALID_ARGUMENT, "ac_kv_copy: src or dst is NULL");
        const ac::Context &s = *src->impl;
        ac::Context &d = *dst->impl;
        if (s.model != d.model) return fail(AC_ERR_INVALID_ARGUMENT, "ac_kv_copy: src and dst belong to different models");
        if (n < 0 || n > s.n_past || n > d.n_ctx) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_kv_copy: n " + std::to_string(n) + " outside 0.." + std::to_string(s.n_past) +
                                                     " (src length) or above dst n_ctx " + std::to_string(d.n_ctx));
        }
        if (&s == &d) {
            d.n_past = n;
        } else {
            ac::copy_kv(s, d, n);
        }
        return ok();
    });
}

int64_t ac_scan_code_bytes(int32_t dimension) {
    return scan_dimension_ok(dimension) ? static_cast<int64_t>(ac::scan_code_bytes(dimension)) : 0;
}

int ac_scan_encode(const float *vector, int32_t dimension, uint8_t *codes, float *norms, int64_t capacity, int64_t slot) {
    return guarded("ac_scan_encode", [&] {
        if (vector == nullptr || codes == nullptr || norms == nullptr) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_encode: vector, codes or norms is NULL");
        }
        if (!scan_dimension_ok(dimension)) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_encode: dimension " + std::to_string(dimension) +
                                                     " is not a multiple of 32 in 32.." + std::to_string(AC_SCAN_MAX_DIMENSION));
        }
        if (slot < 0 || slot >= capacity) {
            return fail(AC_ERR_INVALID_ARGUMENT,
                        "ac_scan_encode: slot " + std::to_string(slot) + " outside 0.." + std::to_string(capacity - 1));
        }
        const int64_t bad = first_non_finite(vector, dimension);
        if (bad >= 0) return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_encode: element " + std::to_string(bad) + " is not finite");
        ac::scan_encode(vector, dimension, codes + slot * ac::scan_code_bytes(dimension), norms + 2 * slot);
        return ok();
    });
}

int ac_scan_candidates(const uint8_t *codes, const float *norms, int64_t n, int32_t dimension, const float *query,
                       int32_t k, float min_score, int32_t threads, int32_t *slots, int32_t capacity, int64_t *count) {
    return guarded("ac_scan_candidates", [&] {
        if (codes == nullptr || norms == nullptr || query == nullptr || slots == nullptr || count == nullptr) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_candidates: codes, norms, query, slots or count is NULL");
        }
        if (!scan_dimension_ok(dimension)) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_candidates: dimension " + std::to_string(dimension) +
                                                     " is not a multiple of 32 in 32.." + std::to_string(AC_SCAN_MAX_DIMENSION));
        }
        if (n < 0 || n > INT32_MAX || k < 1 || capacity < 0 || std::isnan(min_score) || threads < 1 ||
            threads > AC_SCAN_MAX_THREADS) {
            return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_candidates: n " + std::to_string(n) + ", k " + std::to_string(k) +
                                                     ", threads " + std::to_string(threads) + ", capacity " +
                                                     std::to_string(capacity) + " or min_score NaN: need 0 <= n < 2^31, k >= 1, " +
                                                     "1 <= threads <= " + std::to_string(AC_SCAN_MAX_THREADS) + ", capacity >= 0");
        }
        const int64_t bad = first_non_finite(query, dimension);
        if (bad >= 0) return fail(AC_ERR_INVALID_ARGUMENT, "ac_scan_candidates: query element " + std::to_string(bad) + " is not finite");
        if (!ac::scan_candidates(codes, norms, n, dimension, query, k, min_score, threads, slots, capacity, count)) {
            return fail(AC_ERR_UNSUPPORTED, "ac_scan_candidates: the query is too large for 8-bit codes");
        }
        return ok();
    });
}

}  // extern "C"
