package io.agentcouncil.vector;

import io.agentcouncil.natives.AgentCouncilFaiss;
import io.agentcouncil.natives.AgentCouncilFaiss.FaissIndex;

import java.util.Arrays;
import java.util.Set;

import static io.agentcouncil.vector.FaissLibrary.check;

/**
 * One session's FAISS HNSW graph, scored by inner product, in native memory behind
 * libagentcouncil_faiss (agentcouncil_faiss.h): linked and walked over 8-bit codes of the
 * vectors, its candidates rescored with the floats. The library keeps each node's key, and its
 * walk steps through tombstones and nodes not yet published without keeping them, so a search
 * returns up to k live nodes.
 *
 * <p>FAISS's graph cannot be read while nodes are linked into it, so each add takes it
 * exclusively: {@link #insert} adds in chunks of {@value #INSERT_CHUNK}, and a search waits for
 * one chunk's linking at most, not for the whole batch's. Every argument reaching the library
 * was checked here or by the index (lengths of arrays included), and every status is checked.
 */
final class FaissGraph implements SessionGraph {

    // Vectors per add while searches run. Small enough that a search waits a few milliseconds
    // at most, large enough for FAISS to link them on every core (it parallelises one add's nodes).
    static final int INSERT_CHUNK = 256;
    // Vectors per add while building (no search sees the graph yet) and per export: bounds the
    // staging arrays (6 MB at 384 dimensions).
    private static final int BUILD_CHUNK = 4_096;

    private final int dimension;
    private final FaissIndex handle;
    private volatile boolean closed;

    private FaissGraph(int dimension, FaissIndex handle) {
        this.dimension = dimension;
        this.handle = handle;
    }

    /** An empty graph; FaissGraphs checked the parameters and that the library loads. */
    static FaissGraph create(int dimension, int m, int efConstruction, int efSearch) {
        FaissIndex handle = new FaissIndex();
        check(AgentCouncilFaiss.ac_faiss_create(dimension, m, efConstruction, efSearch, handle));
        return new FaissGraph(dimension, handle);
    }

    /** Adds and publishes the first {@code count} of {@code keys} and {@code vectors}. */
    void addAll(long[] keys, float[][] vectors, int count) {
        float[] staged = new float[Math.min(count, BUILD_CHUNK) * dimension];
        for (int from = 0; from < count; from += BUILD_CHUNK) {
            int n = Math.min(BUILD_CHUNK, count - from);
            for (int i = 0; i < n; i++) {
                System.arraycopy(vectors[from + i], 0, staged, i * dimension, dimension);
            }
            add(n, staged, Arrays.copyOfRange(keys, from, from + n));
        }
        check(AgentCouncilFaiss.ac_faiss_publish(open()));
    }

    @Override
    public int nodes() {
        long[] live = new long[1];
        long[] tombstones = new long[1];
        size(live, tombstones);
        return Math.toIntExact(live[0] + tombstones[0]);
    }

    @Override
    public int removedCount() {
        long[] live = new long[1];
        long[] tombstones = new long[1];
        size(live, tombstones);
        return Math.toIntExact(tombstones[0]);
    }

    @Override
    public void insert(FlatVectors batch) {
        float[] staged = new float[Math.min(batch.size(), INSERT_CHUNK) * dimension];
        for (int from = 0; from < batch.size(); from += INSERT_CHUNK) {
            int n = Math.min(INSERT_CHUNK, batch.size() - from);
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = batch.key(from + i);
                batch.copyVector(from + i, staged, i * dimension);
            }
            add(n, staged, keys);
        }
    }

    @Override
    public void publish(FlatVectors batch, Set<Long> removedSince) {
        check(AgentCouncilFaiss.ac_faiss_publish(open()));
        for (int slot = 0; slot < batch.size(); slot++) {
            if (removedSince.contains(batch.key(slot))) {
                remove(batch.key(slot));
            }
        }
    }

    @Override
    public boolean remove(long key) {
        int[] removed = new int[1];
        check(AgentCouncilFaiss.ac_faiss_remove(open(), key, removed));
        return removed[0] == 1;
    }

    @Override
    public void forEachLive(KeyVectorSink sink) {
        long[] keys = new long[BUILD_CHUNK];
        float[] vectors = new float[BUILD_CHUNK * dimension];
        int[] count = new int[1];
        long[] next = {0};
        while (next[0] >= 0) {
            check(AgentCouncilFaiss.ac_faiss_export(open(), next[0], BUILD_CHUNK, keys, vectors, count, next));
            for (int i = 0; i < count[0]; i++) {
                sink.accept(keys[i], Arrays.copyOfRange(vectors, i * dimension, (i + 1) * dimension));
            }
        }
    }

    @Override
    public void search(float[] query, int k, TopK top) {
        int n = Math.min(k, AgentCouncilFaiss.AC_FAISS_MAX_K);
        float[] scores = new float[n];
        long[] keys = new long[n];
        int[] found = new int[1];
        check(AgentCouncilFaiss.ac_faiss_search(open(), query, n, scores, keys, found));
        for (int i = 0; i < found[0]; i++) {
            top.offer(keys[i], scores[i]);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            AgentCouncilFaiss.ac_faiss_free(handle);
        }
    }

    // The dimension of vectors was checked when they were added to the index; n * dimension
    // floats and n keys are what the library reads.
    private void add(int n, float[] vectors, long[] keys) {
        check(AgentCouncilFaiss.ac_faiss_add(open(), n, vectors, keys));
    }

    private void size(long[] live, long[] tombstones) {
        check(AgentCouncilFaiss.ac_faiss_size(open(), live, tombstones, new long[1]));
    }

    // A closed graph is never used (its session dropped it under its lock); this turns a bug
    // into an exception instead of a use of freed native memory.
    private FaissIndex open() {
        if (closed) {
            throw new IllegalStateException("the FAISS graph is closed");
        }
        return handle;
    }
}
