// index.cpp - the ac_faiss_* functions of agentcouncil_faiss.h over faiss::IndexHNSW.
//
// FAISS's HNSW graph knows nodes 0, 1, ... in the order they were added; this file keeps the
// caller's 64-bit id of each node, which nodes are searchable, and the lock the graph needs.
// Nothing thrown inside FAISS crosses the C boundary: every entry point checks its arguments,
// catches, records a thread-local message for ac_faiss_last_error() and returns a status.
#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <queue>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "agentcouncil_faiss.h"
#include "dot.h"

namespace {

using idx_t = faiss::Index::idx_t;

// 8-bit codes of the stored vectors, one per node in the graph's order: a float scale (the
// vector's largest magnitude over 127), then the vector divided by it, rounded to int8. The
// graph is linked and walked over these, 4 + d bytes a node instead of 4 * d, because a walk's
// cost is the memory latency of the nodes it visits; the float of a score is off by at most
// |q| * scale * sqrt(d) / 2, which moves a walk's path a little and its rescored answer not at all.
class Codes {
public:
    explicit Codes(std::size_t dimension) : dimension_(dimension), code_size_(sizeof(float) + dimension) {}

    std::size_t code_size() const { return code_size_; }
    const uint8_t *data() const { return bytes_.data(); }
    const uint8_t *code(idx_t node) const { return bytes_.data() + static_cast<std::size_t>(node) * code_size_; }

    void append(idx_t n, const float *vectors) {
        const std::size_t first = bytes_.size();
        bytes_.resize(first + static_cast<std::size_t>(n) * code_size_);
        for (idx_t i = 0; i < n; i++) {
            encode(vectors + static_cast<std::size_t>(i) * dimension_, bytes_.data() + first + static_cast<std::size_t>(i) * code_size_);
        }
    }

    static float scale(const uint8_t *code) {
        float scale;
        std::memcpy(&scale, code, sizeof scale);
        return scale;
    }

    static const int8_t *values(const uint8_t *code) { return reinterpret_cast<const int8_t *>(code + sizeof(float)); }

private:
    void encode(const float *x, uint8_t *code) const {
        float largest = 0.0f;
        for (std::size_t i = 0; i < dimension_; i++) largest = std::max(largest, std::fabs(x[i]));
        const float scale = largest / 127.0f;
        const float inverse = scale > 0.0f ? 1.0f / scale : 0.0f;
        std::memcpy(code, &scale, sizeof scale);
        int8_t *q = reinterpret_cast<int8_t *>(code + sizeof(float));
        for (std::size_t i = 0; i < dimension_; i++) {
            q[i] = static_cast<int8_t>(std::clamp(std::lrint(x[i] * inverse), -127L, 127L));
        }
    }

    std::size_t dimension_;
    std::size_t code_size_;
    std::vector<uint8_t> bytes_;
};

// Inner products of a float query (or of two stored vectors) with the stored vectors' codes, by
// dot.h's kernels. sign -1 turns them into the distances HNSW minimises: FAISS's IndexHNSW negates
// its storage's similarities the same way when it links nodes, and this file does when it searches.
class CodedInnerProducts final : public faiss::FlatCodesDistanceComputer {
public:
    CodedInnerProducts(const Codes &stored, std::size_t dimension, float sign)
        : faiss::FlatCodesDistanceComputer(stored.data(), stored.code_size()),
          stored_(stored),
          dimension_(dimension),
          sign_(sign),
          kernel_(ac_faiss::dot_kernel()) {}

    void set_query(const float *x) override { query_ = x; }

    float distance_to_code(const uint8_t *code) override {
        return sign_ * Codes::scale(code) * kernel_.dot_q8(query_, Codes::values(code), dimension_);
    }

    float symmetric_dis(idx_t i, idx_t j) override {
        const uint8_t *a = stored_.code(i);
        const uint8_t *b = stored_.code(j);
        const auto q8q8 = static_cast<float>(kernel_.dot_q8q8(Codes::values(a), Codes::values(b), dimension_));
        return sign_ * Codes::scale(a) * Codes::scale(b) * q8q8;
    }

private:
    const Codes &stored_;
    std::size_t dimension_;
    float sign_;
    const ac_faiss::DotKernel &kernel_;
    const float *query_ = nullptr;
};

// Flat inner-product storage that also keeps the codes, and whose distance computer reads them:
// IndexHNSW::add stores the new vectors here, then asks for one distance computer per thread to
// link them.
struct CodedFlatIP final : faiss::IndexFlatIP {
    explicit CodedFlatIP(idx_t dimension) : faiss::IndexFlatIP(dimension), codes8(static_cast<std::size_t>(dimension)) {}

    void add(idx_t n, const float *x) override {
        codes8.append(n, x);
        faiss::IndexFlatIP::add(n, x);
    }

    faiss::FlatCodesDistanceComputer *get_FlatCodesDistanceComputer() const override {
        return new CodedInnerProducts(codes8, static_cast<std::size_t>(d), 1.0f);
    }

    Codes codes8;
};

// HNSW's nodes are int ("storage_idx_t"), so a graph holds at most this many.
constexpr int64_t kMaxNodes = INT_MAX;

thread_local std::string t_last_error;

// Each searching thread keeps one table of visited nodes (a byte per node) and reuses it: a
// fresh one per search would allocate and clear a byte per node of the graph, 1 MB at a
// million, for a walk that visits a few thousand. walk() advances it after each search.
thread_local std::unique_ptr<faiss::VisitedTable> t_visited;

int fail(int status, const std::string &message) {
    t_last_error = message;
    return status;
}

int ok() {
    t_last_error.clear();
    return AC_FAISS_OK;
}

template <class Body>
int guarded(const char *function, Body &&body) noexcept {
    try {
        return body();
    } catch (const faiss::FaissException &e) {
        return fail(AC_FAISS_ERR_FAISS, std::string(function) + ": " + e.what());
    } catch (const std::bad_alloc &) {
        return fail(AC_FAISS_ERR_OUT_OF_MEMORY, std::string(function) + ": out of memory");
    } catch (const std::exception &e) {
        return fail(AC_FAISS_ERR_INTERNAL, std::string(function) + ": " + e.what());
    } catch (...) {
        return fail(AC_FAISS_ERR_INTERNAL, std::string(function) + ": unknown exception");
    }
}

int invalid(const char *function, const char *what) {
    return fail(AC_FAISS_ERR_INVALID_ARGUMENT, std::string(function) + ": " + what);
}

// Cache lines of a stored node (code or vector), requested before its distance is computed: a
// walk's cost is the memory latency of the nodes it visits, and asking for a node's unvisited
// neighbours all at once overlaps those latencies instead of paying them one after the other
// (hnswlib does the same; FAISS 1.7.3's own HNSW::search does not).
void prefetch(const uint8_t *base, std::size_t size, idx_t node) {
    const uint8_t *p = base + static_cast<std::size_t>(node) * size;
    for (std::size_t off = 0; off < size; off += 64) __builtin_prefetch(p + off);
}

// HNSW's search over FAISS's graph and the codes: a greedy descent through the upper levels,
// then a beam of ef candidates on level 0 (hnswlib's searchBaseLayerST, with its filter rule:
// every node is walked through, only searchable ones are kept). The ef kept nodes are then
// rescored with their float vectors, and the k best go to out as (inner product, node), best first.
void walk(const faiss::HNSW &hnsw, const CodedFlatIP &storage, const float *query, const std::vector<uint8_t> &searchable,
          int32_t k, int32_t ef, faiss::VisitedTable &visited, std::vector<std::pair<float, idx_t>> &out) {
    using Node = std::pair<float, idx_t>;
    CodedInnerProducts dis(storage.codes8, static_cast<std::size_t>(storage.d), -1.0f);
    dis.set_query(query);
    const uint8_t *codes = storage.codes8.data();
    const std::size_t code_size = storage.codes8.code_size();
    idx_t nearest = hnsw.entry_point;
    float d_nearest = dis(nearest);
    for (int level = hnsw.max_level; level > 0; --level) {
        for (bool moved = true; moved;) {
            moved = false;
            std::size_t begin, end;
            hnsw.neighbor_range(nearest, level, &begin, &end);
            for (std::size_t j = begin; j < end && hnsw.neighbors[j] >= 0; ++j) prefetch(codes, code_size, hnsw.neighbors[j]);
            for (std::size_t j = begin; j < end && hnsw.neighbors[j] >= 0; ++j) {
                const idx_t v = hnsw.neighbors[j];
                const float d = dis(v);
                if (d < d_nearest) {
                    nearest = v;
                    d_nearest = d;
                    moved = true;
                }
            }
        }
    }
    ef = std::max(ef, k);
    std::priority_queue<Node, std::vector<Node>, std::greater<Node>> candidates;  // nearest on top
    std::priority_queue<Node> kept;                                                // farthest on top
    const float inf = std::numeric_limits<float>::infinity();
    float bound = inf;  // the farthest kept, once ef are kept
    candidates.emplace(d_nearest, nearest);
    visited.set(static_cast<int>(nearest));
    if (searchable[static_cast<std::size_t>(nearest)]) {
        kept.emplace(d_nearest, nearest);
        bound = static_cast<int32_t>(kept.size()) >= ef ? kept.top().first : inf;
    }
    idx_t batch[512];
    while (!candidates.empty()) {
        const Node c = candidates.top();
        if (c.first > bound) break;
        candidates.pop();
        std::size_t begin, end;
        hnsw.neighbor_range(c.second, 0, &begin, &end);
        int n = 0;
        for (std::size_t j = begin; j < end && hnsw.neighbors[j] >= 0 && n < 512; ++j) {
            const idx_t v = hnsw.neighbors[j];
            if (visited.get(static_cast<int>(v))) continue;
            visited.set(static_cast<int>(v));
            prefetch(codes, code_size, v);
            batch[n++] = v;
        }
        for (int j = 0; j < n; ++j) {
            const idx_t v = batch[j];
            const float d = dis(v);
            if (static_cast<int32_t>(kept.size()) < ef || d < bound) {
                candidates.emplace(d, v);
                if (searchable[static_cast<std::size_t>(v)]) {
                    kept.emplace(d, v);
                    if (static_cast<int32_t>(kept.size()) > ef) kept.pop();
                    if (static_cast<int32_t>(kept.size()) >= ef) bound = kept.top().first;
                }
            }
        }
    }
    visited.advance();

    const float *vectors = storage.get_xb();
    const std::size_t dimension = static_cast<std::size_t>(storage.d);
    const std::size_t vector_size = dimension * sizeof(float);
    out.clear();
    for (; !kept.empty(); kept.pop()) {
        out.emplace_back(0.0f, kept.top().second);
        prefetch(reinterpret_cast<const uint8_t *>(vectors), vector_size, kept.top().second);
    }
    const ac_faiss::DotFunction dot = ac_faiss::dot_kernel().dot;
    for (auto &[score, node] : out) score = dot(query, vectors + static_cast<std::size_t>(node) * dimension, dimension);
    const auto best = out.begin() + std::min<std::size_t>(out.size(), static_cast<std::size_t>(k));
    std::partial_sort(out.begin(), best, out.end(), [](const Node &a, const Node &b) { return a.first > b.first; });
    out.erase(best, out.end());
}

}  // namespace

struct ac_faiss_index {
    ac_faiss_index(int32_t dimension, int32_t m, int32_t ef_construction, int32_t ef_search)
        : storage(new CodedFlatIP(dimension)), hnsw(storage, m) {
        hnsw.own_fields = true;
        hnsw.hnsw.efConstruction = ef_construction;
        hnsw.hnsw.efSearch = ef_search;  // read by walk()
    }

    std::size_t dimension() const { return static_cast<std::size_t>(hnsw.d); }

    CodedFlatIP *storage;  // owned by hnsw
    faiss::IndexHNSW hnsw;
    std::vector<int64_t> ids;         // by node
    std::vector<uint8_t> searchable;  // by node: 1 while published and neither removed nor replaced
    std::unordered_map<int64_t, idx_t> nodes;  // searchable id -> its node
    idx_t published = 0;              // nodes below this were published
    int64_t tombstones = 0;
    // A failed add may leave the graph half linked: searching or linking into it is refused,
    // exporting what was published before still works, for a rebuild.
    bool broken = false;
    mutable std::shared_mutex lock;
};

namespace {

// Every searchable vector, best first, for a k that covers them all: a graph walk can miss
// nodes that no link leads to, and scoring them all costs no more than returning them.
int32_t score_all(const ac_faiss_index &index, const float *query, float *scores, int64_t *ids) {
    const std::size_t dimension = index.dimension();
    const float *stored = index.storage->get_xb();
    const ac_faiss::DotFunction dot = ac_faiss::dot_kernel().dot;
    std::vector<std::pair<float, idx_t>> all;
    all.reserve(index.nodes.size());
    for (idx_t node = 0; node < index.published; node++) {
        const auto i = static_cast<std::size_t>(node);
        if (index.searchable[i]) {
            all.emplace_back(dot(query, stored + i * dimension, dimension), node);
        }
    }
    std::sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    for (std::size_t n = 0; n < all.size(); n++) {
        scores[n] = all[n].first;
        ids[n] = index.ids[static_cast<std::size_t>(all[n].second)];
    }
    return static_cast<int32_t>(all.size());
}

}  // namespace

extern "C" {

const char *ac_faiss_last_error(void) { return t_last_error.c_str(); }

const char *ac_faiss_status_name(int status) {
    switch (status) {
        case AC_FAISS_OK: return "AC_FAISS_OK";
        case AC_FAISS_ERR_INVALID_ARGUMENT: return "AC_FAISS_ERR_INVALID_ARGUMENT";
        case AC_FAISS_ERR_OUT_OF_MEMORY: return "AC_FAISS_ERR_OUT_OF_MEMORY";
        case AC_FAISS_ERR_FAISS: return "AC_FAISS_ERR_FAISS";
        case AC_FAISS_ERR_INTERNAL: return "AC_FAISS_ERR_INTERNAL";
        default: return "AC_FAISS_ERR_UNKNOWN";
    }
}

const char *ac_faiss_version(void) {
    try {
        static const std::string version = "faiss " + std::to_string(FAISS_VERSION_MAJOR) + "." +
                                           std::to_string(FAISS_VERSION_MINOR) + "." +
                                           std::to_string(FAISS_VERSION_PATCH) + ", " +
                                           ac_faiss::dot_kernel().name + " inner product";
        return version.c_str();
    } catch (...) {
        return "faiss (version unavailable)";
    }
}

int ac_faiss_create(int32_t dimension, int32_t m, int32_t ef_construction, int32_t ef_search, ac_faiss_index **out) {
    return guarded("ac_faiss_create", [&] {
        if (out == nullptr) return invalid("ac_faiss_create", "out is NULL");
        *out = nullptr;
        if (dimension < 1 || dimension > AC_FAISS_MAX_DIMENSION) return invalid("ac_faiss_create", "dimension outside 1..65536");
        if (m < 2 || m > AC_FAISS_MAX_M) return invalid("ac_faiss_create", "m outside 2..256");
        if (ef_construction < 1 || ef_search < 1) return invalid("ac_faiss_create", "ef_construction and ef_search must be at least 1");
        *out = new ac_faiss_index(dimension, m, ef_construction, ef_search);
        return ok();
    });
}

void ac_faiss_free(ac_faiss_index *index) { delete index; }

int ac_faiss_add(ac_faiss_index *index, int64_t n, const float *vectors, const int64_t *ids) {
    return guarded("ac_faiss_add", [&] {
        if (index == nullptr) return invalid("ac_faiss_add", "index is NULL");
        if (n < 0) return invalid("ac_faiss_add", "n is negative");
        if (n > 0 && (vectors == nullptr || ids == nullptr)) return invalid("ac_faiss_add", "vectors or ids is NULL");
        std::unique_lock<std::shared_mutex> guard(index->lock);
        if (index->broken) return fail(AC_FAISS_ERR_INTERNAL, "ac_faiss_add: an earlier add failed; rebuild the index");
        const idx_t total = index->hnsw.ntotal;
        if (n > kMaxNodes - total) return invalid("ac_faiss_add", "the graph would pass 2^31 - 1 nodes");
        if (n == 0) return ok();
        const std::size_t size = static_cast<std::size_t>(total + n);
        // Allocated before FAISS changes anything, so that the appends below cannot fail.
        index->ids.reserve(size);
        index->searchable.reserve(size);
        try {
            index->hnsw.add(n, vectors);
        } catch (...) {
            index->broken = true;
            throw;
        }
        index->ids.insert(index->ids.end(), ids, ids + n);
        index->searchable.resize(size, 0);
        return ok();
    });
}

int ac_faiss_publish(ac_faiss_index *index) {
    return guarded("ac_faiss_publish", [&] {
        if (index == nullptr) return invalid("ac_faiss_publish", "index is NULL");
        std::unique_lock<std::shared_mutex> guard(index->lock);
        if (index->broken) return fail(AC_FAISS_ERR_INTERNAL, "ac_faiss_publish: an earlier add failed; rebuild the index");
        const idx_t total = index->hnsw.ntotal;
        index->nodes.reserve(index->nodes.size() + static_cast<std::size_t>(total - index->published));
        for (idx_t node = index->published; node < total; node++) {
            auto [entry, added] = index->nodes.try_emplace(index->ids[static_cast<std::size_t>(node)], node);
            if (!added) {  // the id's older vector is replaced
                index->searchable[static_cast<std::size_t>(entry->second)] = 0;
                index->tombstones++;
                entry->second = node;
            }
            index->searchable[static_cast<std::size_t>(node)] = 1;
        }
        index->published = total;
        return ok();
    });
}

int ac_faiss_remove(ac_faiss_index *index, int64_t id, int32_t *removed) {
    return guarded("ac_faiss_remove", [&] {
        if (index == nullptr || removed == nullptr) return invalid("ac_faiss_remove", "index or removed is NULL");
        std::unique_lock<std::shared_mutex> guard(index->lock);
        auto entry = index->nodes.find(id);
        *removed = entry != index->nodes.end() ? 1 : 0;
        if (*removed) {
            index->searchable[static_cast<std::size_t>(entry->second)] = 0;
            index->tombstones++;
            index->nodes.erase(entry);
        }
        return ok();
    });
}

int ac_faiss_search(const ac_faiss_index *index, const float *query, int32_t k, float *scores, int64_t *ids,
                    int32_t *found) {
    return guarded("ac_faiss_search", [&] {
        if (index == nullptr || query == nullptr || scores == nullptr || ids == nullptr || found == nullptr) {
            return invalid("ac_faiss_search", "index, query, scores, ids or found is NULL");
        }
        *found = 0;
        if (k < 1 || k > AC_FAISS_MAX_K) return invalid("ac_faiss_search", "k outside 1..65536");
        std::shared_lock<std::shared_mutex> guard(index->lock);
        if (index->broken) return fail(AC_FAISS_ERR_INTERNAL, "ac_faiss_search: an earlier add failed; rebuild the index");
        if (index->nodes.empty()) return ok();
        if (static_cast<std::size_t>(k) >= index->nodes.size()) {
            *found = score_all(*index, query, scores, ids);
            return ok();
        }
        const auto total = static_cast<std::size_t>(index->hnsw.ntotal);
        if (!t_visited || t_visited->visited.size() < total) {
            t_visited = std::make_unique<faiss::VisitedTable>(static_cast<int>(total));
        }
        // Not IndexHNSW::search: it would walk inside an OpenMP region (a team of threads for one
        // query), with a fresh visited table each time and no prefetching.
        thread_local std::vector<std::pair<float, idx_t>> t_nearest;
        walk(index->hnsw.hnsw, *index->storage, query, index->searchable, k, index->hnsw.hnsw.efSearch, *t_visited,
             t_nearest);
        int32_t n = 0;
        for (const auto &[score, node] : t_nearest) {
            ids[n] = index->ids[static_cast<std::size_t>(node)];
            scores[n] = score;
            n++;
        }
        *found = n;
        return ok();
    });
}

int ac_faiss_size(const ac_faiss_index *index, int64_t *live, int64_t *tombstones, int64_t *pending) {
    return guarded("ac_faiss_size", [&] {
        if (index == nullptr || live == nullptr || tombstones == nullptr || pending == nullptr) {
            return invalid("ac_faiss_size", "index, live, tombstones or pending is NULL");
        }
        std::shared_lock<std::shared_mutex> guard(index->lock);
        *live = static_cast<int64_t>(index->nodes.size());
        *tombstones = index->tombstones;
        *pending = static_cast<int64_t>(index->ids.size()) - index->published;
        return ok();
    });
}

int ac_faiss_export(const ac_faiss_index *index, int64_t start, int32_t capacity, int64_t *ids, float *vectors,
                    int32_t *count, int64_t *next) {
    return guarded("ac_faiss_export", [&] {
        if (index == nullptr || ids == nullptr || vectors == nullptr || count == nullptr || next == nullptr) {
            return invalid("ac_faiss_export", "index, ids, vectors, count or next is NULL");
        }
        *count = 0;
        *next = -1;
        if (start < 0 || capacity < 1) return invalid("ac_faiss_export", "start is negative or capacity below 1");
        std::shared_lock<std::shared_mutex> guard(index->lock);
        const std::size_t dimension = index->dimension();
        const float *stored = index->storage->get_xb();
        int32_t n = 0;
        idx_t node = start;
        for (; node < index->published && n < capacity; node++) {
            const auto i = static_cast<std::size_t>(node);
            if (index->searchable[i]) {
                ids[n] = index->ids[i];
                std::memcpy(vectors + static_cast<std::size_t>(n) * dimension, stored + i * dimension,
                            dimension * sizeof(float));
                n++;
            }
        }
        *count = n;
        *next = node < index->published ? node : -1;
        return ok();
    });
}

}  // extern "C"
