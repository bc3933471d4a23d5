package io.agentcouncil.vector;

import java.util.concurrent.ForkJoinPool;

/**
 * JVector graphs ({@link JVectorGraph}), built on a pool of their own, one thread per core, so
 * that the compaction thread is not the only one building.
 */
final class JVectorGraphs implements SessionGraphs {

    /**
     * Candidates a search keeps by default. Recall@10 against exact was 0.94 on 20,000 low-rank
     * 384-d vectors (ApproximateVectorIndexTest); it falls as sessions grow (0.78 at 100,000,
     * 0.51 at 1,000,000), and on uniformly random vectors it is far lower (RecallBenchmark,
     * scripts/bench/vector-side-by-side).
     */
    static final int DEFAULT_BEAM = 100;

    private final int beam;
    private final ForkJoinPool builders = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    JVectorGraphs(int beam) {
        if (beam < 1) {
            throw new IllegalArgumentException("beam must be at least 1, was " + beam);
        }
        this.beam = beam;
    }

    @Override
    public SessionGraph build(int dimension, long[] keys, float[][] vectors, int count) {
        return JVectorGraph.build(dimension, keys, vectors, count, beam, builders);
    }

    @Override
    public void close() {
        builders.shutdown();
    }
}
