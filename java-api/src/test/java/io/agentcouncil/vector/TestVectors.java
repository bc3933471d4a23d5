package io.agentcouncil.vector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Vectors for the index tests, and the brute-force answer they are checked against. */
final class TestVectors {

    private TestVectors() {
    }

    /** A uniformly random unit vector. */
    static float[] randomUnit(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return normalise(v);
    }

    /**
     * {@code count} unit vectors around {@code clusters} random centres (noise of about the same
     * norm as the centre), the shape sentence embeddings have: topics, and spread within them.
     */
    static float[][] clustered(Random random, int count, int clusters, int dimension) {
        float[][] centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centres[c] = randomUnit(random, dimension);
        }
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = near(random, centres[random.nextInt(clusters)]);
        }
        return out;
    }

    /**
     * {@code count} unit vectors on a random {@code rank}-dimensional subspace plus a little
     * noise: like sentence embeddings, whose 384 coordinates vary along far fewer directions
     * (uniformly random 384-d vectors are the far harder, unrealistic, worst case).
     */
    static float[][] lowRank(Random random, int count, int rank, int dimension) {
        float[][] basis = new float[rank][];
        for (int j = 0; j < rank; j++) {
            basis[j] = randomUnit(random, dimension);
        }
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimension];
            for (int j = 0; j < rank; j++) {
                float z = (float) random.nextGaussian();
                for (int d = 0; d < dimension; d++) {
                    v[d] += z * basis[j][d];
                }
            }
            float noise = (float) (0.1 * Math.sqrt((double) rank / dimension));
            for (int d = 0; d < dimension; d++) {
                v[d] += noise * (float) random.nextGaussian();
            }
            out[i] = normalise(v);
        }
        return out;
    }

    /** A unit vector about 45 degrees from {@code centre} in a random direction. */
    static float[] near(Random random, float[] centre) {
        float[] noise = randomUnit(random, centre.length);
        float[] v = new float[centre.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = centre[i] + noise[i];
        }
        return normalise(v);
    }

    static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float scale = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** The exact answer by the definition: every dot product in double, sorted. */
    static List<VectorHit> bruteForce(Map<Long, float[]> vectors, float[] query, int k, float minScore) {
        List<VectorHit> all = new ArrayList<>();
        vectors.forEach((key, v) -> {
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += (double) v[i] * query[i];
            }
            if (dot >= minScore) {
                all.add(new VectorHit(key, (float) dot));
            }
        });
        all.sort(Comparator.comparingDouble((VectorHit h) -> -h.score()).thenComparingLong(VectorHit::key));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** The fraction of {@code truth}'s keys that {@code found} has. */
    static double recall(List<VectorHit> truth, List<VectorHit> found) {
        if (truth.isEmpty()) {
            return 1;
        }
        long hits = found.stream().filter(f -> truth.stream().anyMatch(t -> t.key() == f.key())).count();
        return (double) hits / truth.size();
    }
}
