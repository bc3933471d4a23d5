package io.agentcouncil.benchmarks;

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
 * (and FAISS's exact answer), builds the exact and the approximate index, and prints one JSON
 * object with, per index, build seconds, recall@k against FAISS IndexFlatIP, and the median and
 * p95 of single-query latency (one thread, each query timed alone after a warm-up pass).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.agentcouncil.benchmarks.VectorSideBySide DIR K}
 * where DIR holds {@code base.f32}, {@code queries.f32} (int32 count, int32 dimension, then
 * little-endian float32 rows) and {@code truth.i32} (int32 count, int32 k, then the ids).
 */
public final class VectorSideBySide {

    private VectorSideBySide() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int k = Integer.parseInt(args[1]);
        float[][] base = readMatrix(dir.resolve("base.f32"));
        float[][] queries = readMatrix(dir.resolve("queries.f32"));
        int[][] truth = readIds(dir.resolve("truth.i32"));
        int dimension = base[0].length;
        StringBuilder json = new StringBuilder("{");
        json.append(String.format(Locale.ROOT, "\"n\": %d, \"dimension\": %d, \"queries\": %d, \"k\": %d",
                base.length, dimension, queries.length, k));
        json.append(", \"exact\": ").append(measure(VectorIndex.exact(dimension), base, queries, truth, k));
        json.append(", \"approximate\": ").append(measure(VectorIndex.approximate(dimension), base, queries, truth, k));
        System.out.println(json.append("}"));
    }

    private static String measure(VectorIndex index, float[][] base, float[][] queries, int[][] truth, int k) {
        try (index) {
            long start = System.nanoTime();
            for (int i = 0; i < base.length; i++) {
                index.add("s", i, base[i]);
            }
            index.compact();
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            for (float[] query : queries) { // warm-up: JIT-compile the search path
                index.search("s", query, k, -1f);
            }
            long[] nanos = new long[queries.length];
            double recall = 0;
            for (int q = 0; q < queries.length; q++) {
                long t = System.nanoTime();
                List<VectorHit> hits = index.search("s", queries[q], k, -1f);
                nanos[q] = System.nanoTime() - t;
                recall += recall(truth[q], hits, k);
            }
            Arrays.sort(nanos);
            return String.format(Locale.ROOT, "{\"build_s\": %.2f, \"recall\": %.4f, \"median_ms\": %.4f, \"p95_ms\": %.4f}",
                    buildSeconds, recall / queries.length, nanos[nanos.length / 2] / 1e6,
                    nanos[(int) Math.ceil(0.95 * nanos.length) - 1] / 1e6);
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
