/*
 * agentcouncil.h - the one contract between the Java SDK and the native engine.
 *
 * Plain C types only, so that JavaCPP (and any other FFI) can bind it without
 * knowing about C++. Every fallible function returns an ac_status value as an
 * int; output goes through caller-owned pointers.
 */
#ifndef AGENTCOUNCIL_H
#define AGENTCOUNCIL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; only what is marked here is exported. */
#define AC_API __attribute__((visibility("default")))

typedef enum ac_status {
    AC_OK = 0,
    AC_ERR_INVALID_ARGUMENT = 1,
    AC_ERR_IO = 2,              /* the model file cannot be opened or mapped */
    AC_ERR_UNSUPPORTED = 3,     /* architecture or tensor type this engine does not run */
    AC_ERR_BAD_MODEL = 4,       /* a tensor missing, of the wrong shape, or outside the file */
    AC_ERR_CONTEXT_FULL = 5,    /* positions past the context's KV cache */
    AC_ERR_OUT_OF_MEMORY = 6,
    AC_ERR_INTERNAL = 7         /* a bug in the engine; the message says where */
} ac_status;

/*
 * The message of the last failed call on this thread ("tensor blk.3.attn_q.weight: ..."), or ""
 * when there was none. Valid until the next call on the same thread.
 */
AC_API const char *ac_last_error(void);

/* Short, stable name of a status ("AC_ERR_INVALID_ARGUMENT"); never NULL. */
AC_API const char *ac_status_name(int status);

/* Version of the native library, e.g. "0.1.0-SNAPSHOT"; static storage, never NULL. */
AC_API const char *ac_version(void);

/*
 * What this process can actually use: an ISA flag is 1 only when the CPU has the
 * instructions AND the operating system saves the register state they need.
 */
typedef struct ac_cpu_features_t {
    int avx;
    int avx2;
    int fma;
    int f16c;
    int avx512f;
    int avx512bw;
    int avx512vl;
    int avx512_vnni;
    int avx_vnni;
    /* CPUs in this thread's affinity mask, i.e. how many threads can run at once. */
    int logical_cores;
    /* CPU brand string, or the vendor id when the CPU has none; NUL-terminated. */
    char brand[64];
} ac_cpu_features_t;

/* Fills *out; returns AC_ERR_INVALID_ARGUMENT when out is NULL. */
AC_API int ac_cpu_features(ac_cpu_features_t *out);

/* ---- Models and contexts ------------------------------------------------------------------ */

/*
 * Opaque handles. A model is immutable once loaded and may be shared by many contexts and
 * threads; a context (KV cache + scratch + thread pool) belongs to one conversation and one
 * thread at a time.
 *
 * Bad input is reported, never fatal: NULL handles and pointers, out-of-range numbers, token ids
 * outside the vocabulary and a full context all return a status and set ac_last_error(). What
 * the C API cannot detect is a handle that is not live: freeing the same handle twice, or using
 * it after it was freed, is the caller's bug (the Java binding makes both impossible).
 */
typedef struct ac_model ac_model;
typedef struct ac_context ac_context;

/* One entry of the tensor table, as validated in Java from the GGUF header. type is the ggml
 * type id; ne[0] is the contiguous dimension; offset is absolute in the file. */
typedef struct ac_tensor_desc {
    const char *name;
    int32_t type;
    int32_t n_dims;
    int64_t ne[4];
    uint64_t offset;
    uint64_t size;
} ac_tensor_desc;

/* Everything the engine needs, parsed and validated in Java: the native side maps the file and
 * re-checks that every tensor it uses lies inside it and has the shape these numbers imply. */
typedef struct ac_model_params {
    const char *path;            /* GGUF file, mapped read-only */
    uint64_t file_size;          /* as seen by Java; a different size on disk is AC_ERR_BAD_MODEL */
    const char *architecture;    /* "llama", "qwen2", "qwen3" or "gemma3" */
    const ac_tensor_desc *tensors;
    int32_t n_tensors;
    int32_t n_vocab;
    int32_t n_embd;
    int32_t n_layer;
    int32_t n_head;
    int32_t n_head_kv;
    int32_t n_ff;
    int32_t head_dim;            /* per attention head; llama, qwen2: n_embd / n_head */
    int32_t n_rot;               /* rotary dimensions per head */
    float rope_freq_base;
    float rms_norm_eps;
    /* gemma3: layers attend to the last n_swa positions only (0: every layer sees all), except
     * every swa_pattern-th, which is global; the local layers' RoPE base. */
    int32_t n_swa;
    int32_t swa_pattern;
    float rope_freq_base_swa;
} ac_model_params;

/*
 * Maps params->path read-only and checks every tensor the architecture needs against the table
 * (present, a type the kernels run, the shape the hyper-parameters imply, inside the file).
 * Architectures "llama", "qwen2", "qwen3" and "gemma3" run (AC_ERR_UNSUPPORTED otherwise). The kernels read
 * the file's ggml blocks as they are: nothing is repacked, so there is no weight cache to keep and
 * a second start maps the same file again. On success *out is the model; on failure *out is left alone.
 */
AC_API int ac_model_load(const ac_model_params *params, ac_model **out);

/*
 * Releases the caller's reference to the model. Contexts still alive keep the weights mapped
 * until they are freed, so the order of frees cannot crash. NULL is ignored.
 */
AC_API void ac_model_free(ac_model *model);

/* 1 when the kernels run tensors of this ggml type (F32, F16, Q4_0, Q4_1, Q8_0, ...), else 0. */
AC_API int ac_tensor_type_supported(int32_t ggml_type);

/* Name of the kernel implementation chosen for this CPU ("avx2", "portable", ...); never NULL. */
AC_API const char *ac_kernels_name(void);

/*
 * A context with room for n_ctx positions (1..1048576), evaluating with n_threads threads
 * (0: one per CPU this process may run on; at most 256). The KV cache, scratch buffers and the
 * thread pool's n_threads-1 workers are all set up here; evaluation allocates nothing.
 */
AC_API int ac_context_create(ac_model *model, int32_t n_ctx, int32_t n_threads, ac_context **out);

/* Frees the context and joins its threads. NULL is ignored. */
AC_API void ac_context_free(ac_context *ctx);

/* Positions held in the KV cache (the next token goes at this position); -1 for NULL. */
AC_API int32_t ac_context_length(const ac_context *ctx);

/*
 * Evaluates n_tokens (>= 1) tokens at positions length..length+n_tokens-1, appending them to the
 * KV cache. logits receives n_vocab floats for the last token, or n_tokens * n_vocab when
 * all_logits is nonzero (row i for token i). A token id outside the vocabulary is
 * AC_ERR_INVALID_ARGUMENT; more positions than n_ctx is AC_ERR_CONTEXT_FULL; both are checked
 * before anything is computed, so on failure the cache is left as it was. Every matmul of a pass
 * covers the whole batch; batches over 512 tokens run as consecutive passes of at most 512.
 */
AC_API int ac_eval(ac_context *ctx, const int32_t *tokens, int32_t n_tokens, int32_t all_logits, float *logits);

/*
 * Forgets positions from n_keep on (0 <= n_keep <= length), so a prompt sharing a prefix
 * evaluates only its suffix.
 */
AC_API int ac_kv_truncate(ac_context *ctx, int32_t n_keep);

/*
 * Copies the first n positions of src's cache into dst (same model; n <= src's length and
 * <= dst's n_ctx), replacing dst's: dst's length becomes n.
 */
AC_API int ac_kv_copy(const ac_context *src, ac_context *dst, int32_t n);

/*
 * Vector scan: the exact index of io.agentcouncil.vector keeps, beside each large session's
 * float vectors, an 8-bit code of each (ggml's Q8_0, scored by the engine's own kernel), so that
 * a search reads a quarter of the bytes. The codes only pre-select: ac_scan_candidates returns
 * every vector whose score can be among the k highest, from bounds on what the codes lose, and
 * the caller rescores those candidates with the floats, so results stay exact.
 *
 * dimension: a multiple of 32 from 32 to AC_SCAN_MAX_DIMENSION. codes holds capacity codes of
 * ac_scan_code_bytes(dimension) bytes back to back, norms two floats per code; the caller owns
 * both (these functions keep nothing). Vectors and queries must be finite.
 */
#define AC_SCAN_MAX_DIMENSION 65536

/* Bytes of one code, or 0 when dimension is not one the scan takes. */
AC_API int64_t ac_scan_code_bytes(int32_t dimension);

/* Writes the code of vector (dimension floats) into slot `slot` (0 <= slot < capacity) of codes
 * and norms. A vector too large for fp16 scales (an element beyond 8 million) gets a zero code,
 * which stays correct (its bound is its whole norm), only slower to search. */
AC_API int ac_scan_encode(const float *vector, int32_t dimension, uint8_t *codes, float *norms, int64_t capacity,
                          int64_t slot);

/*
 * The candidates among the first n (<= 2^31 - 1) codes for the k (>= 1) highest inner products
 * with query of at least min_score: their slots, ascending, in slots[0..min(*count, capacity)),
 * and their number in *count. *count > capacity means not all fitted: call again with more
 * room, or score every vector. AC_ERR_UNSUPPORTED for a query too large for fp16 scales (the
 * caller then scores every vector). Scores on the calling thread, which keeps n floats of
 * scratch, and on up to threads - 1 (1 <= threads <= AC_SCAN_MAX_THREADS) helper threads it
 * starts and joins, one per 32,768 codes at most.
 */
#define AC_SCAN_MAX_THREADS 64
AC_API int ac_scan_candidates(const uint8_t *codes, const float *norms, int64_t n, int32_t dimension,
                              const float *query, int32_t k, float min_score, int32_t threads, int32_t *slots,
                              int32_t capacity, int64_t *count);

#ifdef __cplusplus
}
#endif

#endif /* AGENTCOUNCIL_H */
