package io.agentcouncil.vector;

import io.agentcouncil.natives.AgentCouncilFaiss;

/**
 * FAISS graphs ({@link FaissGraph}): HNSW with {@code m} links per node (2m on the bottom
 * layer), {@code efConstruction} candidates while linking and {@code efSearch} while searching.
 * FAISS builds on every core itself (OpenMP), so there is nothing to share between builds.
 */
final class FaissGraphs implements SessionGraphs {

    // 32 links per node (64 on the bottom layer) and a construction beam of 100, as the JVector
    // graphs have: on 20,000 low-rank 384-d vectors recall@10 at efSearch 100 was 0.98
    // (GraphIndexContractTest), 0.93 with 16 links.
    static final int DEFAULT_M = 32;
    static final int DEFAULT_EF_CONSTRUCTION = 100;
    static final int DEFAULT_EF_SEARCH = 100;

    private final int m;
    private final int efConstruction;
    private final int efSearch;

    /** @throws FaissUnavailableException if libagentcouncil_faiss is not in this build or does not load */
    FaissGraphs(int dimension, int m, int efConstruction, int efSearch) {
        if (dimension > AgentCouncilFaiss.AC_FAISS_MAX_DIMENSION) {
            throw new IllegalArgumentException("FAISS takes at most " + AgentCouncilFaiss.AC_FAISS_MAX_DIMENSION
                    + " dimensions, was " + dimension);
        }
        if (m < 2 || m > AgentCouncilFaiss.AC_FAISS_MAX_M) {
            throw new IllegalArgumentException("m must be in 2.." + AgentCouncilFaiss.AC_FAISS_MAX_M + ", was " + m);
        }
        if (efConstruction < 1 || efSearch < 1) {
            throw new IllegalArgumentException("efConstruction and efSearch must be at least 1, were "
                    + efConstruction + " and " + efSearch);
        }
        FaissLibrary.version();
        this.m = m;
        this.efConstruction = efConstruction;
        this.efSearch = efSearch;
    }

    @Override
    public SessionGraph build(int dimension, long[] keys, float[][] vectors, int count) {
        FaissGraph graph = FaissGraph.create(dimension, m, efConstruction, efSearch);
        try {
            graph.addAll(keys, vectors, count);
            return graph;
        } catch (RuntimeException | Error e) {
            graph.close();
            throw e;
        }
    }

    @Override
    public void close() {
    }
}
