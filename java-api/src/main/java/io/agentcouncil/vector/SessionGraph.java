package io.agentcouncil.vector;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.util.Bits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

/**
 * One session's JVector graph (a Vamana/DiskANN-style proximity graph, on the heap) with the
 * keys of its nodes. Nodes are ordinals 0, 1, ...; those below {@code published} are searchable.
 * The compaction appends new nodes without a lock while searches run (JVector's graph takes
 * concurrent inserts and searches) and publishes them under the session's write lock. Removed
 * nodes stay in the graph as tombstones, filtered out of results, until a rebuild drops them.
 *
 * <p>{@link #insert} is the compaction's alone; everything else runs under the owning session's
 * lock (searches under its read lock, changes under its write lock).
 */
final class SessionGraph {

    // Graph degree, construction beam, and the defaults JVector recommends for the rest. Degree
    // 32 rather than 16: 384-d embeddings need the wider neighbourhoods for recall >= 0.9.
    private static final int MAX_DEGREE = Integer.getInteger("scratch.degree", 32);
    private static final int BEAM_WIDTH = 100;
    private static final float NEIGHBOR_OVERFLOW = 1.2f;
    private static final float ALPHA = 1.2f;

    private final OrdinalVectors vectors;
    private final GraphIndexBuilder builder;
    private final OnHeapGraphIndex graph;
    private volatile long[] keys; // by ordinal; grown by insert, read by searches
    private final LongIntMap ordinals = new LongIntMap(); // live key -> ordinal
    private final BitSet removed = new BitSet();
    private int removedCount;
    private int published;
    private final Bits searchable = this::isSearchable;

    private SessionGraph(OrdinalVectors vectors, long[] keys, ForkJoinPool pool) {
        this.vectors = vectors;
        this.keys = keys;
        this.builder = new GraphIndexBuilder(new DotProductScores(vectors), vectors.dimension(),
                MAX_DEGREE, BEAM_WIDTH, NEIGHBOR_OVERFLOW, ALPHA, pool, pool);
        this.graph = builder.getGraph();
    }

    /** A graph of the first {@code count} vectors, built on {@code pool}'s threads. */
    static SessionGraph build(int dimension, long[] keys, float[][] vectors, int count, ForkJoinPool pool) {
        OrdinalVectors ordinalVectors = new OrdinalVectors(dimension, vectors, count);
        SessionGraph g = new SessionGraph(ordinalVectors, Arrays.copyOf(keys, Math.max(count, 16)), pool);
        g.builder.build(ordinalVectors);
        for (int ordinal = 0; ordinal < count; ordinal++) {
            g.ordinals.put(keys[ordinal], ordinal);
        }
        g.published = count;
        return g;
    }

    /** Nodes in the graph, tombstones included. */
    int nodes() {
        return published;
    }

    int removedCount() {
        return removedCount;
    }

    /**
     * Links every vector of {@code batch} into the graph as new, not yet searchable nodes;
     * returns the first one's ordinal, for {@link #publish}. Runs without the session's lock.
     */
    int insert(FlatVectors batch) {
        int base = vectors.size();
        long[] k = keys;
        if (base + batch.size() > k.length) {
            k = Arrays.copyOf(k, Math.max(2 * k.length, base + batch.size()));
        }
        for (int slot = 0; slot < batch.size(); slot++) {
            k[base + slot] = batch.key(slot);
        }
        keys = k;
        for (int slot = 0; slot < batch.size(); slot++) {
            builder.addGraphNode(vectors.append(batch.vector(slot)), vectors);
        }
        return base;
    }

    /**
     * Makes the nodes {@link #insert} added for {@code batch} searchable, those whose keys were
     * removed meanwhile ({@code removedSince}) as tombstones.
     */
    void publish(FlatVectors batch, int base, Set<Long> removedSince) {
        for (int slot = 0; slot < batch.size(); slot++) {
            long key = batch.key(slot);
            if (removedSince.contains(key)) {
                markRemoved(base + slot);
            } else {
                ordinals.put(key, base + slot);
            }
        }
        published = base + batch.size();
    }

    /** Turns {@code key}'s node into a tombstone; false if the graph holds no live node for it. */
    boolean remove(long key) {
        int ordinal = ordinals.remove(key);
        if (ordinal < 0) {
            return false;
        }
        markRemoved(ordinal);
        return true;
    }

    /** Calls {@code sink} with the key and vector of every live node. */
    void forEachLive(KeyVectorSink sink) {
        for (int ordinal = 0; ordinal < published; ordinal++) {
            if (!removed.get(ordinal)) {
                sink.accept(keys[ordinal], vectors.raw(ordinal));
            }
        }
    }

    /**
     * Offers the graph's approximate top {@code k} to {@code top}, exactly rescored. {@code beam}
     * (at least k) is how many candidates the search keeps: wider is slower and finds more.
     */
    void search(float[] query, int k, int beam, TopK top) {
        SearchResult result;
        try (GraphSearcher searcher = new GraphSearcher(graph)) {
            result = searcher.search(DotProductScores.searchFor(query, vectors), k, Math.max(k, beam), 0f, 0f, searchable);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing an on-heap view does no I/O
        }
        long[] ordinalKeys = keys;
        for (SearchResult.NodeScore node : result.getNodes()) {
            // Rescored with the exact kernel so scores match the exact index bit for bit.
            top.offer(ordinalKeys[node.node], VectorMath.dot(vectors.raw(node.node), 0, query));
        }
    }

    void close() {
        try {
            builder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isSearchable(int ordinal) {
        return ordinal < published && !removed.get(ordinal);
    }

    private void markRemoved(int ordinal) {
        removed.set(ordinal);
        removedCount++;
    }

    /** Receives a key and its vector. */
    @FunctionalInterface
    interface KeyVectorSink {
        void accept(long key, float[] vector);
    }
}
