// model.cpp - maps a GGUF file read-only and checks every tensor the architecture needs against
// the tensor table that Java parsed and validated: present, of a type the kernels run, of the
// shape the hyper-parameters imply, and inside the mapped file.
//
// No repacked-weight cache: the kernels read ggml blocks exactly as the file stores them, so a
// model load is an mmap plus these checks, and a second start costs the same (page cache aside).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>

#include "engine.h"
#include "kernels.h"

namespace ac {
namespace {

const char *type_name(int32_t type) {
    switch (type) {
        case GGML_F32: return "F32";
        case GGML_F16: return "F16";
        case GGML_Q4_0: return "Q4_0";
        case GGML_Q4_1: return "Q4_1";
        case GGML_Q5_0: return "Q5_0";
        case GGML_Q8_0: return "Q8_0";
        case GGML_Q4_K: return "Q4_K";
        case GGML_Q5_K: return "Q5_K";
        case GGML_Q6_K: return "Q6_K";
        case GGML_BF16: return "BF16";
        default: return "?";
    }
}

std::string type_label(int32_t type) { return std::string(type_name(type)) + " (ggml type " + std::to_string(type) + ")"; }

// Every tensor lookup goes through here, so no tensor is used without these checks.
class TensorTable {
   public:
    TensorTable(const ac_model_params &p, const uint8_t *base, uint64_t file_size) : base_(base), file_size_(file_size) {
        if (p.n_tensors < 0 || (p.n_tensors > 0 && p.tensors == nullptr)) {
            throw Error(AC_ERR_INVALID_ARGUMENT, "tensor table: n_tensors " + std::to_string(p.n_tensors) + " with tensors " +
                                                     (p.tensors == nullptr ? "NULL" : "set"));
        }
        for (int32_t i = 0; i < p.n_tensors; ++i) {
            const ac_tensor_desc &d = p.tensors[i];
            if (d.name == nullptr) {
                throw Error(AC_ERR_INVALID_ARGUMENT, "tensor table entry " + std::to_string(i) + " has no name");
            }
            if (!by_name_.emplace(d.name, &d).second) {
                throw Error(AC_ERR_BAD_MODEL, std::string("tensor ") + d.name + ": listed twice");
            }
        }
    }

    bool has(const std::string &name) const { return by_name_.count(name) != 0; }

    // A matrix of `rows` rows of `cols` elements (ggml ne = [cols, rows]), or a vector when rows == 0.
    Tensor get(const std::string &name, int64_t cols, int64_t rows, bool f32_only) const {
        auto it = by_name_.find(name);
        if (it == by_name_.end()) {
            throw Error(AC_ERR_BAD_MODEL, "tensor " + name + ": missing");
        }
        const ac_tensor_desc &d = *it->second;
        const std::string what = "tensor " + name + ": ";

        if (d.n_dims < 1 || d.n_dims > 4) {
            throw Error(AC_ERR_BAD_MODEL, what + "n_dims " + std::to_string(d.n_dims) + " outside 1..4");
        }
        // Trailing dimensions of 1 are allowed, as ggml does.
        const int64_t want[4] = {cols, rows == 0 ? 1 : rows, 1, 1};
        for (int i = 0; i < 4; ++i) {
            const int64_t have = i < d.n_dims ? d.ne[i] : 1;
            if (have != want[i]) {
                throw Error(AC_ERR_BAD_MODEL, what + "shape " + shape_string(d) + ", expected " +
                                                  (rows == 0 ? "[" + std::to_string(cols) + "]"
                                                             : "[" + std::to_string(cols) + ", " + std::to_string(rows) + "]"));
            }
        }

        if (f32_only ? d.type != GGML_F32 : !is_supported(d.type)) {
            throw Error(AC_ERR_UNSUPPORTED, what + "type " + type_label(d.type) + " is not supported" +
                                                (f32_only ? " (norm weights and biases must be F32)" : " by the kernels"));
        }
        const int64_t block = block_size(d.type);
        if (block <= 0 || cols % block != 0) {
            throw Error(AC_ERR_BAD_MODEL, what + "rows of " + std::to_string(cols) + " elements are not whole " +
                                              type_name(d.type) + " blocks");
        }

        const int64_t n_rows = rows == 0 ? 1 : rows;
        const size_t row = row_bytes(d.type, cols);
        if (row == 0 || static_cast<uint64_t>(n_rows) > UINT64_MAX / row) {
            throw Error(AC_ERR_BAD_MODEL, what + "byte size overflows");
        }
        const uint64_t bytes = static_cast<uint64_t>(row) * static_cast<uint64_t>(n_rows);
        if (d.size != bytes) {
            throw Error(AC_ERR_BAD_MODEL, what + "size " + std::to_string(d.size) + " bytes, but " + shape_string(d) + " " +
                                              type_name(d.type) + " takes " + std::to_string(bytes));
        }
        if (d.offset > file_size_ || bytes > file_size_ - d.offset) {
            throw Error(AC_ERR_BAD_MODEL, what + "data [" + std::to_string(d.offset) + ", +" + std::to_string(bytes) +
                                              ") lies outside the file of " + std::to_string(file_size_) + " bytes");
        }
        const uint64_t align = d.type == GGML_F32 ? 4 : 2;
        if (d.offset % align != 0) {
            throw Error(AC_ERR_BAD_MODEL, what + "offset " + std::to_string(d.offset) + " is not " + std::to_string(align) +
                                              "-byte aligned");
        }

        Tensor t;
        t.data = base_ + d.offset;
        t.type = d.type;
        t.ne0 = cols;
        t.rows = n_rows;
        t.row_stride = row;
        return t;
    }

   private:
    static std::string shape_string(const ac_tensor_desc &d) {
        std::string s = "[";
        for (int i = 0; i < d.n_dims && i < 4; ++i) {
            s += (i ? ", " : "") + std::to_string(d.ne[i]);
        }
        return s + "]";
    }

    const uint8_t *base_;
    uint64_t file_size_;
    std::unordered_map<std::string, const ac_tensor_desc *> by_name_;
};

Arch parse_arch(const char *name) {
    if (std::strcmp(name, "llama") == 0) return Arch::llama;
    if (std::strcmp(name, "qwen2") == 0) return Arch::qwen2;
    if (std::strcmp(name, "qwen3") == 0) return Arch::qwen3;
    if (std::strcmp(name, "gemma3") == 0) return Arch::gemma3;
    throw Error(AC_ERR_UNSUPPORTED, std::string("architecture ") + name + " is not supported (supported: llama, qwen2, qwen3, gemma3)");
}

void check_hparams(const ac_model_params &p, Arch arch) {
    auto in_range = [](const char *name, int64_t v, int64_t lo, int64_t hi) {
        if (v < lo || v > hi) {
            throw Error(AC_ERR_INVALID_ARGUMENT,
                        std::string(name) + " = " + std::to_string(v) + " outside " + std::to_string(lo) + ".." + std::to_string(hi));
        }
    };
    in_range("n_vocab", p.n_vocab, 1, 1 << 24);
    in_range("n_embd", p.n_embd, 1, 1 << 16);
    in_range("n_layer", p.n_layer, 1, 1 << 10);
    in_range("n_head", p.n_head, 1, 1 << 10);
    in_range("n_head_kv", p.n_head_kv, 1, p.n_head);
    in_range("n_ff", p.n_ff, 1, 1 << 20);
    if (p.n_head % p.n_head_kv != 0) {
        throw Error(AC_ERR_INVALID_ARGUMENT,
                    "n_head " + std::to_string(p.n_head) + " is not a multiple of n_head_kv " + std::to_string(p.n_head_kv));
    }
    in_range("head_dim", p.head_dim, 2, 1 << 12);
    if (arch != Arch::qwen3 && arch != Arch::gemma3 && static_cast<int64_t>(p.head_dim) * p.n_head != p.n_embd) {
        throw Error(AC_ERR_INVALID_ARGUMENT, "head_dim " + std::to_string(p.head_dim) + " x n_head " + std::to_string(p.n_head) +
                                                 " differs from n_embd " + std::to_string(p.n_embd));
    }
    in_range("n_rot", p.n_rot, 2, p.head_dim);
    if (p.n_rot % 2 != 0) {
        throw Error(AC_ERR_INVALID_ARGUMENT, "n_rot " + std::to_string(p.n_rot) + " is odd");
    }
    if (!(std::isfinite(p.rope_freq_base) && p.rope_freq_base > 0.0f)) {
        throw Error(AC_ERR_INVALID_ARGUMENT, "rope_freq_base " + std::to_string(p.rope_freq_base) + " is not a positive number");
    }
    if (!(std::isfinite(p.rms_norm_eps) && p.rms_norm_eps > 0.0f)) {
        throw Error(AC_ERR_INVALID_ARGUMENT, "rms_norm_eps " + std::to_string(p.rms_norm_eps) + " is not a positive number");
    }
    if (arch == Arch::gemma3) {
        in_range("n_swa", p.n_swa, 0, 1 << 24);
        in_range("swa_pattern", p.swa_pattern, 1, 1 << 10);
        if (!(std::isfinite(p.rope_freq_base_swa) && p.rope_freq_base_swa > 0.0f)) {
            throw Error(AC_ERR_INVALID_ARGUMENT, "rope_freq_base_swa " + std::to_string(p.rope_freq_base_swa) + " is not a positive number");
        }
    } else if (p.n_swa != 0) {
        throw Error(AC_ERR_INVALID_ARGUMENT, "n_swa " + std::to_string(p.n_swa) + ": only gemma3 has sliding-window layers");
    }
}

// The file, mapped read-only; unmapped by the destructor unless released into a Model.
struct Mapping {
    void *addr = nullptr;
    size_t size = 0;
    ~Mapping() {
        if (addr != nullptr) munmap(addr, size);
    }
};

void map_file(const char *path, uint64_t expected_size, Mapping &m) {
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw Error(AC_ERR_IO, std::string(path) + ": cannot open: " + std::strerror(errno));
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        const int e = errno;
        close(fd);
        throw Error(AC_ERR_IO, std::string(path) + ": cannot stat: " + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != expected_size) {
        close(fd);
        throw Error(AC_ERR_BAD_MODEL, std::string(path) + ": " + std::to_string(st.st_size) + " bytes on disk, but the tensor table was read from a file of " +
                                          std::to_string(expected_size) + " bytes (changed since?)");
    }
    if (expected_size == 0) {
        close(fd);
        throw Error(AC_ERR_BAD_MODEL, std::string(path) + ": empty file");
    }
    void *addr = mmap(nullptr, static_cast<size_t>(expected_size), PROT_READ, MAP_SHARED, fd, 0);
    const int e = errno;
    close(fd);  // the mapping keeps the file
    if (addr == MAP_FAILED) {
        throw Error(e == ENOMEM ? AC_ERR_OUT_OF_MEMORY : AC_ERR_IO, std::string(path) + ": cannot map: " + std::strerror(e));
    }
    m.addr = addr;
    m.size = static_cast<size_t>(expected_size);
}

}  // namespace

Model::~Model() {
    if (map_addr != nullptr) munmap(map_addr, map_size);
}

std::unique_ptr<Model> load_model(const ac_model_params &p) {
    if (p.path == nullptr) throw Error(AC_ERR_INVALID_ARGUMENT, "path is NULL");
    if (p.architecture == nullptr) throw Error(AC_ERR_INVALID_ARGUMENT, "architecture is NULL");
    const Arch arch = parse_arch(p.architecture);
    check_hparams(p, arch);

    Mapping mapping;
    map_file(p.path, p.file_size, mapping);
    const TensorTable table(p, static_cast<const uint8_t *>(mapping.addr), p.file_size);

    auto model = std::make_unique<Model>();
    HParams &hp = model->hp;
    hp.arch = arch;
    hp.n_vocab = p.n_vocab;
    hp.n_embd = p.n_embd;
    hp.n_layer = p.n_layer;
    hp.n_head = p.n_head;
    hp.n_head_kv = p.n_head_kv;
    hp.n_ff = p.n_ff;
    hp.n_rot = p.n_rot;
    hp.head_dim = p.head_dim;
    hp.rope_freq_base = p.rope_freq_base;
    hp.rms_norm_eps = p.rms_norm_eps;
    if (arch == Arch::gemma3) {
        hp.n_swa = p.n_swa;
        hp.swa_pattern = p.swa_pattern;
        hp.rope_freq_base_swa = p.rope_freq_base_swa;
    }
    model->path = p.path;

    const int64_t n_embd = hp.n_embd, n_ff = hp.n_ff, q_dim = hp.q_dim(), kv_dim = hp.kv_dim(), n_vocab = hp.n_vocab;
    model->token_embd = table.get("token_embd.weight", n_embd, n_vocab, false);
    model->output_norm = table.get("output_norm.weight", n_embd, 0, true);
    // Tied embeddings: without output.weight the embedding matrix is also the output projection.
    model->output = table.has("output.weight") ? table.get("output.weight", n_embd, n_vocab, false) : model->token_embd;

    model->layers.resize(static_cast<size_t>(hp.n_layer));
    for (int32_t il = 0; il < hp.n_layer; ++il) {
        const std::string b = "blk." + std::to_string(il) + ".";
        Layer &L = model->layers[static_cast<size_t>(il)];
        L.attn_norm = table.get(b + "attn_norm.weight", n_embd, 0, true);
        L.wq = table.get(b + "attn_q.weight", n_embd, q_dim, false);
        L.wk = table.get(b + "attn_k.weight", n_embd, kv_dim, false);
        L.wv = table.get(b + "attn_v.weight", n_embd, kv_dim, false);
        L.wo = table.get(b + "attn_output.weight", q_dim, n_embd, false);
        if (arch == Arch::qwen2) {
            L.bq = table.get(b + "attn_q.bias", q_dim, 0, true);
            L.bk = table.get(b + "attn_k.bias", kv_dim, 0, true);
            L.bv = table.get(b + "attn_v.bias", kv_dim, 0, true);
        }
        if (arch == Arch::qwen3 || arch == Arch::gemma3) {
            L.attn_q_norm = table.get(b + "attn_q_norm.weight", hp.head_dim, 0, true);
            L.attn_k_norm = table.get(b + "attn_k_norm.weight", hp.head_dim, 0, true);
        }
        if (arch == Arch::gemma3) {
            L.attn_post_norm = table.get(b + "post_attention_norm.weight", n_embd, 0, true);
            L.ffn_post_norm = table.get(b + "post_ffw_norm.weight", n_embd, 0, true);
        }
        L.ffn_norm = table.get(b + "ffn_norm.weight", n_embd, 0, true);
        L.ffn_gate = table.get(b + "ffn_gate.weight", n_embd, n_ff, false);
        L.ffn_up = table.get(b + "ffn_up.weight", n_embd, n_ff, false);
        L.ffn_down = table.get(b + "ffn_down.weight", n_ff, n_embd, false);
    }

    model->map_addr = mapping.addr;
    model->map_size = mapping.size;
    mapping.addr = nullptr;
    return model;
}

void model_release(Model *model) {
    if (model != nullptr && model->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        delete model;
    }
}

}  // namespace ac
