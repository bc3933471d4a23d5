package io.agentcouncil.benchmarks;

import io.agentcouncil.vector.FaissUnavailableException;
import io.agentcouncil.vector.VectorHit;
import io.agentcouncil.vector.VectorIndex;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Our half of scripts/bench/vector-side-by-side: loads the vectors and queries the script wrote
 * (and FAISS's exact answer), builds each index asked for, and prints one JSON object with, per
 * index, build seconds, recall@k against FAISS IndexFlatIP, and single-query latency (one thread,
 * each query timed alone): the median and p95 of each of {@code ROUNDS} passes over the queries
 * after a warm-up pass, as the median over the passes and their range (the machine is shared).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.agentcouncil.benchmarks.VectorSideBySide DIR K ROUNDS
 * INDEX...} where DIR holds {@code base.f32}, {@code queries.f32} (int32 count, int32 dimension,
 * then little-endian float32 rows) and {@code truth.i32} (int32 count, int32 k, then the ids), and
 * an INDEX is {@code exact}, {@code jvector:BEAM} ({@code VectorIndex.approximate}) or
 * {@code faiss:EF_SEARCH} ({@code VectorIndex.faiss}, through our native binding). All vectors go
 * into one session, added one by one, then {@code compact()} builds the graph: build time is both.
 */
public final class VectorSideBySide {

    private VectorSideBySide() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int k = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        float[][] base = readMatrix(dir.resolve("base.f32"));
        float[][] queries = readMatrix(dir.resolve("queries.f32"));
        int[][] truth = readIds(dir.resolve("truth.i32"));
        int dimension = base[0].length;
        StringBuilder json = new StringBuilder("{");
        json.append(String.format(Locale.ROOT, "\"n\": %d, \"dimension\": %d, \"queries\": %d, \"k\": %d, \"rounds\": %d",
                base.length, dimension, queries.length, k, rounds));
        json.append(", \"indexes\": [");
        for (int i = 3; i < args.length; i++) {
            String spec = args[i];
            System.err.printf("%s: building %,d vectors%n", spec, base.length);
            json.append(i > 3 ? ", " : "").append(String.format(Locale.ROOT, "{\"name\": \"%s\", ", spec));
            try {
                json.append(measure(open(spec, dimension), base, queries, truth, k, rounds)).append("}");
            } catch (FaissUnavailableException e) {
                System.err.println(spec + ": " + e.getMessage());
                json.append("\"error\": \"FAISS is not available in this build\"}");
            }
        }
        System.out.println(json.append("]}"));
    }

    private static VectorIndex open(String spec, int dimension) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "exact" -> VectorIndex.exact(dimension);
            case "jvector" -> VectorIndex.approximate(dimension, Integer.parseInt(parts[1]));
            case "faiss" -> VectorIndex.faiss(dimension, Integer.parseInt(parts[1]));
            default -> throw new IllegalArgumentException("index must be exact, jvector:BEAM or faiss:EF_SEARCH, was " + spec);
        };
    }

    private static String measure(VectorIndex index, float[][] base, float[][] queries, int[][] truth, int k, int rounds) {
        try (index) {
            long start = System.nanoTime();
            for (int i = 0; i < base.length; i++) {
                index.add("s", i, base[i]);
            }
            index.compact();
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            double recall = 0;
            for (int q = 0; q < queries.length; q++) { // also the warm-up: JIT-compiles the search path
                recall += recall(truth[q], index.search("s", queries[q], k, -1f), k);
            }
            double[] medians = new double[rounds];
            double[] p95s = new double[rounds];
            long[] nanos = new long[queries.length];
            for (int r = 0; r < rounds; r++) {
                for (int q = 0; q < queries.length; q++) {
                    long t = System.nanoTime();
                    index.search("s", queries[q], k, -1f);
                    nanos[q] = System.nanoTime() - t;
                }
                Arrays.sort(nanos);
                medians[r] = nanos[nanos.length / 2] / 1e6;
                p95s[r] = nanos[(int) Math.ceil(0.95 * nanos.length) - 1] / 1e6;
            }
            Arrays.sort(medians);
            Arrays.sort(p95s);
            return String.format(Locale.ROOT, "\"build_s\": %.2f, \"recall\": %.4f, "
                            + "\"median_ms\": %.4f, \"median_lo\": %.4f, \"median_hi\": %.4f, "
                            + "\"p95_ms\": %.4f, \"p95_lo\": %.4f, \"p95_hi\": %.4f",
                    buildSeconds, recall / queries.length, medians[rounds / 2], medians[0], medians[rounds - 1],
                    p95s[rounds / 2], p95s[0], p95s[rounds - 1]);
        }
    }

    private static double recall(int[] truth, List<VectorHit> hits, int k) {
        int found = 0;
        for (VectorHit hit : hits) {
            for (int i = 0; i < k; i++) {
                if (truth[i] == hit.key()) {
                    found++;
                    break;
                }
            }
        }
        return (double) found / k;
    }

    private static float[][] readMatrix(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] header = new byte[8];
            in.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int rows = h.getInt();
            int columns = h.getInt();
            float[][] out = new float[rows][columns];
            byte[] row = new byte[4 * columns];
            for (float[] r : out) {
                in.readFully(row);
                ByteBuffer.wrap(row).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(r);
            }
            return out;
        }
    }

    private static int[][] readIds(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int rows = all.getInt();
        int columns = all.getInt();
        int[][] out = new int[rows][columns];
        for (int[] r : out) {
            all.asIntBuffer().get(r);
            all.position(all.position() + 4 * columns);
        }
        return out;
    }
}
