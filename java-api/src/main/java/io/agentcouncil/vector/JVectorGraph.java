package io.agentcouncil.vector;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.pq.KMeansPlusPlusClusterer;
import io.github.jbellis.jvector.pq.MutablePQVectors;
import io.github.jbellis.jvector.pq.ProductQuantization;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.types.VectorFloat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * One session's JVector graph (a Vamana/DiskANN-style proximity graph, on the heap) with the
 * keys of its nodes. Nodes are ordinals 0, 1, ...; those below {@code published} are searchable.
 *
 * <p>The graph is built with exact scores. Searches walk it with product-quantised ones (PQ:
 * each 4 dimensions coded in a byte, 96 bytes for 384-d): most of a search's time goes to
 * scoring the nodes it visits, and a PQ score reads 16 times fewer bytes than an exact one.
 * The beam's candidates are then rescored exactly, so what is returned is ranked exactly; PQ
 * only steers which nodes are visited (at 20,000 vectors: the same recall, half the time).
 *
 * <p>JVector's graph takes concurrent inserts and searches, so {@link #insert} links new nodes
 * while searches walk the graph; they become results at {@link #publish}.
 */
final class JVectorGraph implements SessionGraph {

    // Graph degree, construction beam, and JVector's defaults for the rest. Degree 32, not 16:
    // on 20,000 low-rank 384-d vectors, searched with a beam of 100, recall@10 was 0.94 at
    // degree 32 and 0.77 at 16 (which needs a beam of 200, as slow, to reach 0.90).
    private static final int MAX_DEGREE = 32;
    private static final int BEAM_WIDTH = 100;
    private static final float NEIGHBOR_OVERFLOW = 1.2f;
    private static final float ALPHA = 1.2f;
    // PQ: 4 dimensions per subspace, 256 centroids each, trained on a sample of 16 vectors a
    // centroid: JVector's k-means++ costs seconds per few thousand vectors, and PQ only steers
    // the walk (recall@10 at 20,000 vectors was the same trained on 2,048 or 16,384).
    private static final int DIMENSIONS_PER_SUBSPACE = 4;
    private static final int PQ_CLUSTERS = 256;
    private static final int PQ_TRAINING_SAMPLE = 4_096;

    private final OrdinalVectors vectors;
    private final MutablePQVectors codes; // by ordinal, as vectors
    private final GraphIndexBuilder builder;
    private final OnHeapGraphIndex graph;
    private volatile long[] keys; // by ordinal; grown by insert, read by searches
    private final LongIntMap ordinals = new LongIntMap(); // live key -> ordinal
    private final BitSet removed = new BitSet();
    private int removedCount;
    private int published;
    private int pendingBase; // the first node insert added, until publish
    private final Bits searchable = this::isSearchable;
    private final int beam;

    private JVectorGraph(OrdinalVectors vectors, MutablePQVectors codes, long[] keys, int beam, ForkJoinPool pool) {
        this.vectors = vectors;
        this.codes = codes;
        this.keys = keys;
        this.beam = beam;
        this.builder = new GraphIndexBuilder(new DotProductScores(vectors), vectors.dimension(),
                MAX_DEGREE, BEAM_WIDTH, NEIGHBOR_OVERFLOW, ALPHA, pool, pool);
        this.graph = builder.getGraph();
    }

    /**
     * A graph of the first {@code count} (at least 1) vectors, built on {@code pool}'s threads,
     * searched with {@code beam} candidates (see {@link #search}).
     */
    static JVectorGraph build(int dimension, long[] keys, float[][] vectors, int count, int beam, ForkJoinPool pool) {
        OrdinalVectors ordinalVectors = new OrdinalVectors(dimension, vectors, count);
        MutablePQVectors codes = encode(ordinalVectors, pool);
        JVectorGraph g = new JVectorGraph(ordinalVectors, codes, Arrays.copyOf(keys, Math.max(count, 16)), beam, pool);
        g.builder.build(ordinalVectors);
        for (int ordinal = 0; ordinal < count; ordinal++) {
            g.ordinals.put(keys[ordinal], ordinal);
        }
        g.published = count;
        return g;
    }

    @Override
    public int nodes() {
        return published;
    }

    @Override
    public int removedCount() {
        return removedCount;
    }

    @Override
    public void insert(FlatVectors batch) {
        int base = vectors.size();
        pendingBase = base;
        long[] k = keys;
        if (base + batch.size() > k.length) {
            k = Arrays.copyOf(k, Math.max(2 * k.length, base + batch.size()));
        }
        for (int slot = 0; slot < batch.size(); slot++) {
            k[base + slot] = batch.key(slot);
        }
        keys = k;
        for (int slot = 0; slot < batch.size(); slot++) {
            int ordinal = vectors.append(batch.vector(slot));
            // Coded before it is linked: a search can reach (and score) a node as soon as it is
            // linked, published or not. The graph's links are published atomically, so what was
            // written before linking is visible to a search that follows them.
            VectorFloat<?> vector = vectors.getVector(ordinal);
            codes.encodeAndSet(ordinal, vector);
            builder.addGraphNode(ordinal, vector);
        }
    }

    @Override
    public void publish(FlatVectors batch, Set<Long> removedSince) {
        int base = pendingBase;
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

    @Override
    public boolean remove(long key) {
        int ordinal = ordinals.remove(key);
        if (ordinal < 0) {
            return false;
        }
        markRemoved(ordinal);
        return true;
    }

    @Override
    public void forEachLive(KeyVectorSink sink) {
        for (int ordinal = 0; ordinal < published; ordinal++) {
            if (!removed.get(ordinal)) {
                sink.accept(keys[ordinal], vectors.raw(ordinal));
            }
        }
    }

    /**
     * Walks the graph keeping {@code beam} candidates (at least k: wider is slower and finds
     * more), then rescores them exactly.
     */
    @Override
    public void search(float[] query, int k, TopK top) {
        SearchResult result;
        try (GraphSearcher searcher = new GraphSearcher(graph)) {
            VectorFloat<?> q = OrdinalVectors.wrap(query);
            SearchScoreProvider scores = new SearchScoreProvider(
                    codes.precomputedScoreFunctionFor(q, VectorSimilarityFunction.DOT_PRODUCT),
                    DotProductScores.exact(query, vectors));
            result = searcher.search(scores, k, Math.max(k, beam), 0f, 0f, searchable);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing an on-heap view does no I/O
        }
        long[] ordinalKeys = keys;
        for (SearchResult.NodeScore node : result.getNodes()) {
            // Rescored with the exact kernel so scores match the exact index bit for bit.
            top.offer(ordinalKeys[node.node], VectorMath.dot(vectors.raw(node.node), 0, query));
        }
    }

    @Override
    public void close() {
        try {
            builder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Trains the quantiser on a sample and codes every vector, in parallel on pool.
    private static MutablePQVectors encode(OrdinalVectors vectors, ForkJoinPool pool) {
        int n = vectors.size();
        List<VectorFloat<?>> sample = new ArrayList<>();
        Random random = new Random(n); // deterministic: the same vectors give the same codes
        double keep = Math.min(1.0, (double) PQ_TRAINING_SAMPLE / n);
        for (int ordinal = 0; ordinal < n; ordinal++) {
            if (random.nextDouble() < keep) {
                sample.add(vectors.getVector(ordinal));
            }
        }
        if (sample.isEmpty()) {
            sample.add(vectors.getVector(0));
        }
        int subspaces = Math.max(1, vectors.dimension() / DIMENSIONS_PER_SUBSPACE);
        ProductQuantization pq = ProductQuantization.compute(new ListRandomAccessVectorValues(sample, vectors.dimension()),
                subspaces, Math.min(PQ_CLUSTERS, sample.size()), false, KMeansPlusPlusClusterer.UNWEIGHTED, pool, pool);
        MutablePQVectors codes = new MutablePQVectors(pq);
        codes.setZero(n - 1); // allocates every chunk: the parallel writes below touch disjoint slices
        pool.submit(() -> IntStream.range(0, n).parallel()
                .forEach(ordinal -> pq.encodeTo(vectors.getVector(ordinal), codes.get(ordinal)))).join();
        return codes;
    }

    private boolean isSearchable(int ordinal) {
        return ordinal < published && !removed.get(ordinal);
    }

    private void markRemoved(int ordinal) {
        removed.set(ordinal);
        removedCount++;
    }
}
