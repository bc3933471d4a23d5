package io.agentcouncil.vector;

import java.util.List;

/**
 * Vectors kept per session, searched by dot product (cosine similarity for the unit vectors an
 * {@link io.agentcouncil.embedding.Embedder} returns). Sessions are isolated by structure: each
 * session's vectors live in a partition of their own and a search only ever reads the partition
 * it names, so no result of one session can come from another whatever the scores.
 *
 * <p>Keys are the caller's (a memory entry's sequence number, say) and unique within a session;
 * adding a key the session already holds replaces its vector. Implementations are thread-safe:
 * searches run concurrently with each other and with adds, removals and compaction.
 */
public interface VectorIndex extends AutoCloseable {

    /**
     * The default: exact results, every vector of the session scored. See
     * {@link ExactVectorIndex}.
     */
    static VectorIndex exact(int dimension) {
        return new ExactVectorIndex(dimension);
    }

    /**
     * For large sessions: a JVector graph per session of at least
     * {@value ApproximateVectorIndex#DEFAULT_EXACT_BELOW} vectors (smaller ones are scanned
     * exactly), recent additions scanned exactly until {@link #compact}. See
     * {@link ApproximateVectorIndex}.
     */
    static VectorIndex approximate(int dimension) {
        return approximate(dimension, JVectorGraphs.DEFAULT_BEAM);
    }

    /**
     * As {@link #approximate(int)}, a graph search keeping {@code beam} candidates (default
     * {@value JVectorGraphs#DEFAULT_BEAM}): wider finds more of the true top k, and takes longer.
     */
    static VectorIndex approximate(int dimension, int beam) {
        return new ApproximateVectorIndex(dimension, ApproximateVectorIndex.DEFAULT_EXACT_BELOW, new JVectorGraphs(beam));
    }

    /**
     * As {@link #approximate(int)} (small sessions scanned exactly, recent additions exactly until
     * {@link #compact}), the graphs of large sessions FAISS's HNSW, built and searched in native
     * code through libagentcouncil_faiss. See {@link FaissGraph}.
     *
     * @throws FaissUnavailableException if this build has no FAISS, or it cannot load here
     */
    static VectorIndex faiss(int dimension) {
        return faiss(dimension, FaissGraphs.DEFAULT_EF_SEARCH);
    }

    /**
     * As {@link #faiss(int)}, a graph search keeping {@code efSearch} candidates (default
     * {@value FaissGraphs#DEFAULT_EF_SEARCH}): more finds more of the true top k, and takes longer.
     *
     * @throws FaissUnavailableException if this build has no FAISS, or it cannot load here
     */
    static VectorIndex faiss(int dimension, int efSearch) {
        return new ApproximateVectorIndex(dimension, ApproximateVectorIndex.DEFAULT_EXACT_BELOW, new FaissGraphs(
                dimension, FaissGraphs.DEFAULT_M, FaissGraphs.DEFAULT_EF_CONSTRUCTION, efSearch));
    }

    /** The length every vector and query must have. */
    int dimension();

    /** Adds (or replaces) {@code session}'s vector for {@code key}; the index keeps a copy. */
    void add(String session, long key, float[] vector);

    /** Removes {@code session}'s vector for {@code key}, if there is one. */
    void remove(String session, long key);

    /**
     * At most {@code k} of {@code session}'s vectors, those with the highest dot product with
     * {@code query} that is at least {@code minScore}, best first (equal scores: smaller key
     * first). Empty for an unknown session.
     *
     * @throws IllegalArgumentException if {@code k < 1} or the query has the wrong length
     */
    List<VectorHit> search(String session, float[] query, int k, float minScore);

    /**
     * Folds what changed since the last compaction into the search structures and gives back
     * memory that removals freed. Meant to be called periodically by the index's owner (every
     * 30 s, say) from one thread; searches, adds and removals go on meanwhile.
     */
    void compact();

    /** How many vectors the index holds, all sessions together. */
    int size();

    /** Releases everything; the index is unusable afterwards. Safe to call twice. */
    @Override
    void close();
}
