package io.agentcouncil.vector;

import java.util.Set;

/**
 * The approximate search structure of one large session of an {@link ApproximateVectorIndex}:
 * a proximity graph over the session's vectors, each node holding one key. {@link JVectorGraph}
 * keeps it on the Java heap, {@link FaissGraph} in FAISS through our native binding.
 *
 * <p>The {@link GraphSession} that owns a graph serialises what it calls: searches under its read
 * lock, changes under its write lock, except {@link #insert}, which the compaction runs without
 * the lock while searches go on. Removed nodes stay in the graph as tombstones, never returned,
 * until a rebuild (a new graph of the live vectors) drops them.
 */
interface SessionGraph {

    /** Nodes in the graph that searches can reach: live ones and tombstones. */
    int nodes();

    /** Tombstones among {@link #nodes}. */
    int removedCount();

    /**
     * Links every vector of {@code batch} into the graph as new nodes that no search returns
     * until {@link #publish}: the batch is still searched exactly meanwhile. Runs concurrently
     * with searches, never with another change.
     */
    void insert(FlatVectors batch);

    /**
     * Makes the nodes {@link #insert} added for {@code batch} searchable, those whose keys were
     * removed meanwhile ({@code removedSince}) as tombstones.
     */
    void publish(FlatVectors batch, Set<Long> removedSince);

    /** Turns {@code key}'s node into a tombstone; false if the graph holds no live node for it. */
    boolean remove(long key);

    /** Calls {@code sink} with the key and vector of every live node: what a rebuild starts from. */
    void forEachLive(KeyVectorSink sink);

    /**
     * Offers the graph's approximate top {@code k} live nodes to {@code top}, with their exact
     * dot products with {@code query}.
     */
    void search(float[] query, int k, TopK top);

    /** Releases the graph (native memory, for FAISS); it is not used afterwards. */
    void close();

    /** Receives a key and its vector. */
    @FunctionalInterface
    interface KeyVectorSink {
        void accept(long key, float[] vector);
    }
}
