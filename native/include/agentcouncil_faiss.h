/*
 * agentcouncil_faiss.h - the contract of libagentcouncil_faiss: one approximate nearest-neighbour
 * index (FAISS's HNSW graph, scored by inner product) per caller-chosen set of vectors, e.g. one
 * session's memories. The graph is linked and walked over an 8-bit code of each vector (4 +
 * dimension bytes), the candidates a search keeps are rescored with the float vectors, so the
 * scores returned are exact inner products; each vector costs 5 * dimension + 4 bytes.
 *
 * A library of its own, separate from agentcouncil.h's engine, because it exists only where
 * FAISS does: it links Debian's static libfaiss.a (which has no C API of its own) into itself.
 * Plain C types only, so that JavaCPP can bind it. Every fallible function returns an
 * ac_faiss_status as an int and sets a message for ac_faiss_last_error(); no C++ exception (FAISS
 * throws faiss::FaissException) ever leaves the library.
 *
 * Bad input is reported, never fatal: NULL handles and pointers, negative counts, a k outside
 * 1..AC_FAISS_MAX_K return AC_FAISS_ERR_INVALID_ARGUMENT. What C cannot check is the length of
 * an array (vectors must hold n * dimension floats, ids n ids, results k entries) and whether a
 * handle is live: freeing a handle twice, or using it after it was freed, is the caller's bug
 * (the Java binding makes both impossible).
 */
#ifndef AGENTCOUNCIL_FAISS_H
#define AGENTCOUNCIL_FAISS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility (FAISS's own symbols included); only this is exported. */
#define AC_FAISS_API __attribute__((visibility("default")))

typedef enum ac_faiss_status {
    AC_FAISS_OK = 0,
    AC_FAISS_ERR_INVALID_ARGUMENT = 1,
    AC_FAISS_ERR_OUT_OF_MEMORY = 2,
    AC_FAISS_ERR_FAISS = 3,     /* FAISS refused the call (a FaissException); the message is its */
    AC_FAISS_ERR_INTERNAL = 4   /* any other failure; the message says where */
} ac_faiss_status;

/* The largest k a search takes, and the largest dimension and graph degree an index takes. */
#define AC_FAISS_MAX_K 65536
#define AC_FAISS_MAX_DIMENSION 65536
#define AC_FAISS_MAX_M 256

/* The message of the last failed call on this thread, or "" when there was none. Valid until
 * the next call on the same thread. */
AC_FAISS_API const char *ac_faiss_last_error(void);

/* Short, stable name of a status ("AC_FAISS_ERR_INVALID_ARGUMENT"); never NULL. */
AC_FAISS_API const char *ac_faiss_status_name(int status);

/* "faiss 1.7.3, avx2 inner product": FAISS's version and the distance kernel chosen for this CPU
 * (the library scores with its own, FAISS's reference kernel being scalar); static storage. */
AC_FAISS_API const char *ac_faiss_version(void);

/*
 * An HNSW graph of vectors of `dimension` floats, each stored under a 64-bit id. Scores are
 * inner products (cosine similarities for unit vectors). m: links per node (2 * m on the bottom
 * layer); ef_construction: candidates kept while linking a new node; ef_search: candidates a
 * search keeps (more: better recall, slower; at least k is used).
 *
 * Thread-safety: searches, ac_faiss_size and ac_faiss_export run concurrently with each other;
 * ac_faiss_add, ac_faiss_publish and ac_faiss_remove take the index exclusively for their
 * duration (the graph is not safe to read while FAISS links into it), so searches wait for them.
 */
typedef struct ac_faiss_index ac_faiss_index;

/* Creates an empty index; 1 <= dimension <= AC_FAISS_MAX_DIMENSION, 2 <= m <= AC_FAISS_MAX_M,
 * ef_construction >= 1, ef_search >= 1. */
AC_FAISS_API int ac_faiss_create(int32_t dimension, int32_t m, int32_t ef_construction, int32_t ef_search,
                                 ac_faiss_index **out);

/* Frees the index. NULL is ignored. */
AC_FAISS_API void ac_faiss_free(ac_faiss_index *index);

/*
 * Links n vectors (n * dimension floats, row by row) into the graph under ids[0..n), on every
 * core (OpenMP). They are pending: stored and linked, but no search returns them until
 * ac_faiss_publish. Two steps, so that a caller can link vectors in while it still serves them
 * from elsewhere and switch over at one instant. n = 0 does nothing. After a failed add the graph
 * may be half linked: later adds, publishes and searches fail (removals, sizes and exports
 * still work), and the caller rebuilds from what ac_faiss_export returns. One failure cannot be
 * turned into a status: running out of memory inside FAISS's OpenMP threads aborts the process
 * (an exception cannot leave an OpenMP region).
 */
AC_FAISS_API int ac_faiss_add(ac_faiss_index *index, int64_t n, const float *vectors, const int64_t *ids);

/* Makes every pending vector searchable. An id that was already searchable, or pending twice,
 * keeps only its newest vector: adding an id again replaces its vector. */
AC_FAISS_API int ac_faiss_publish(ac_faiss_index *index);

/* Removes the searchable vector of id, if there is one (*removed = 1, else 0): no search returns
 * it from then on. Its node stays in the graph, as a tombstone the searches step through, until
 * the caller rebuilds the index. A pending vector of that id is not affected. */
AC_FAISS_API int ac_faiss_remove(ac_faiss_index *index, int64_t id, int32_t *removed);

/*
 * The searchable vectors with the highest inner product with query (dimension floats), at most
 * k of them, best first, in scores[0..*found) and ids[0..*found) (both arrays of k entries).
 * Fewer than k when fewer are searchable, or when tombstones crowd them out of the candidates.
 * A k of at least the number of searchable vectors scores them all (exact), since a walk can
 * miss nodes no link leads to. On one thread: the caller parallelises across queries.
 */
AC_FAISS_API int ac_faiss_search(const ac_faiss_index *index, const float *query, int32_t k, float *scores,
                                 int64_t *ids, int32_t *found);

/* *live: searchable vectors; *tombstones: nodes of removed or replaced vectors; *pending: added,
 * not yet published. The graph holds live + tombstones + pending nodes. */
AC_FAISS_API int ac_faiss_size(const ac_faiss_index *index, int64_t *live, int64_t *tombstones, int64_t *pending);

/*
 * Copies searchable vectors out, to rebuild an index without its tombstones: those of the nodes
 * from `start` on (0 at first), at most `capacity`, into ids[0..*count) and vectors (capacity *
 * dimension floats). *next is where the next call starts, -1 once every node was visited.
 */
AC_FAISS_API int ac_faiss_export(const ac_faiss_index *index, int64_t start, int32_t capacity, int64_t *ids,
                                 float *vectors, int32_t *count, int64_t *next);

#ifdef __cplusplus
}
#endif

#endif /* AGENTCOUNCIL_FAISS_H */
