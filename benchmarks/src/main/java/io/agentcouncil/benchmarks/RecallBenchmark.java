package io.agentcouncil.benchmarks;

import io.agentcouncil.vector.VectorHit;
import io.agentcouncil.vector.VectorIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recall latency: one top-10 search of 384-d unit vectors, the operation behind every turn's
 * memory recall. SampleTime, so the JSON has the percentiles (the target is p95 <= 2 ms).
 *
 * <ul>
 *   <li>{@code exact}: the default index at {@code exactEntries} (100,000) vectors, in one
 *       session (the worst case: one scan over the session's 41 MB of 8-bit codes, then the
 *       candidates' floats) or spread over {@code exactSessions} sessions (1,000: the realistic
 *       layout, each search reading one session's 100).</li>
 *   <li>{@code approximate}: the JVector index at {@code approxEntries} (1,000,000) in one
 *       session, searched with a beam of {@code beam} (100). Setup adds them and compacts
 *       (builds the graph): many minutes on 2 cores, so {@code -p approxEntries=200000} for a
 *       shorter run. Setup prints the build time and recall@10 against the exact answer over
 *       100 queries.</li>
 *   <li>{@code faiss}: the same with the FAISS index ({@code VectorIndex.faiss}, our native
 *       binding) at {@code faissEntries} (1,000,000), searched with {@code efSearch} (100).</li>
 * </ul>
 *
 * {@code -p data=lowrank} swaps the uniformly random vectors (the graph's worst case) for
 * low-rank ones (see {@link SyntheticVectors}). Queries are fresh vectors of the same kind.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g"})
public class RecallBenchmark {

    private static final int DIMENSION = 384;
    private static final int K = 10;
    private static final int QUERIES = 1_000;

    @State(Scope.Benchmark)
    public static class Exact {
        @Param({"100000"})
        public int exactEntries;

        @Param({"1", "1000"})
        public int exactSessions;

        @Param({"random"})
        public String data;

        Layout layout;

        @Setup(Level.Trial)
        public void fill() {
            layout = new Layout(VectorIndex.exact(DIMENSION), data, exactEntries, exactSessions);
        }

        @TearDown(Level.Trial)
        public void close() {
            layout.index.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Approximate {
        @Param({"1000000"})
        public int approxEntries;

        @Param({"100"})
        public int beam;

        @Param({"random"})
        public String data;

        Layout layout;

        @Setup(Level.Trial)
        public void build() {
            layout = new Layout(VectorIndex.approximate(DIMENSION, beam), data, approxEntries, 1);
            layout.compactAndPrintRecall();
        }

        @TearDown(Level.Trial)
        public void close() {
            layout.index.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Faiss {
        @Param({"1000000"})
        public int faissEntries;

        @Param({"100"})
        public int efSearch;

        @Param({"random"})
        public String data;

        Layout layout;

        @Setup(Level.Trial)
        public void build() {
            layout = new Layout(VectorIndex.faiss(DIMENSION, efSearch), data, faissEntries, 1);
            layout.compactAndPrintRecall();
        }

        @TearDown(Level.Trial)
        public void close() {
            layout.index.close();
        }
    }

    @Benchmark
    public List<VectorHit> exact(Exact state) {
        return state.layout.next();
    }

    @Benchmark
    public List<VectorHit> approximate(Approximate state) {
        return state.layout.next();
    }

    @Benchmark
    public List<VectorHit> faiss(Faiss state) {
        return state.layout.next();
    }

    /** An index filled with {@code entries} vectors over {@code sessions}, and the queries. */
    static final class Layout {
        final VectorIndex index;
        private final float[][] vectors;
        private final float[][] queries;
        private final int sessions;
        private int next;

        Layout(VectorIndex index, String data, int entries, int sessions) {
            this.index = index;
            this.sessions = sessions;
            // One draw for both, so that low-rank queries lie on the vectors' subspace.
            float[][] all = SyntheticVectors.generate(data, entries + QUERIES, DIMENSION, 1);
            this.vectors = Arrays.copyOf(all, entries);
            this.queries = Arrays.copyOfRange(all, entries, entries + QUERIES);
            for (int i = 0; i < entries; i++) {
                index.add(session(i % sessions), i, vectors[i]);
            }
        }

        // Single-threaded benchmark: a plain counter walks the queries and sessions.
        List<VectorHit> next() {
            int i = next++;
            return index.search(session(i % sessions), queries[i % QUERIES], K, -1f);
        }

        /** Builds the graph (timed) and prints recall@k against the exact answer. */
        void compactAndPrintRecall() {
            long start = System.nanoTime();
            index.compact();
            System.out.printf("%ngraph of %,d built in %.1f s%n", vectors.length, (System.nanoTime() - start) / 1e9);
            try (VectorIndex exact = VectorIndex.exact(DIMENSION)) {
                for (int i = 0; i < vectors.length; i++) {
                    exact.add(session(i % sessions), i, vectors[i]);
                }
                double sum = 0;
                int n = 100;
                for (int q = 0; q < n; q++) {
                    List<Long> truth = exact.search(session(q % sessions), queries[q], K, -1f).stream().map(VectorHit::key).toList();
                    sum += index.search(session(q % sessions), queries[q], K, -1f).stream()
                            .filter(h -> truth.contains(h.key())).count() / (double) K;
                }
                System.out.printf("recall@%d against exact over %d queries: %.3f%n", K, n, sum / n);
            }
        }

        private static String session(int s) {
            return "session-" + s;
        }
    }
}
