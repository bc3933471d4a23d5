package io.agentcouncil.benchmarks;

import java.util.Random;

/** Seeded synthetic unit vectors for the vector-index benchmarks. */
final class SyntheticVectors {

    private SyntheticVectors() {
    }

    /**
     * {@code count} unit vectors of {@code kind}: "random", uniform on the sphere (the worst case
     * for a graph index: no structure to exploit), or "lowrank", on a random 64-dimensional
     * subspace plus a little noise (closer to sentence embeddings, which vary along far fewer
     * directions than they have coordinates).
     */
    static float[][] generate(String kind, int count, int dimension, long seed) {
        Random random = new Random(seed);
        return switch (kind) {
            case "random" -> random(random, count, dimension);
            case "lowrank" -> lowRank(random, count, 64, dimension);
            default -> throw new IllegalArgumentException("data must be random or lowrank, was " + kind);
        };
    }

    private static float[][] random(Random random, int count, int dimension) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) random.nextGaussian();
            }
            out[i] = normalise(v);
        }
        return out;
    }

    private static float[][] lowRank(Random random, int count, int rank, int dimension) {
        float[][] basis = random(random, rank, dimension);
        float noise = (float) (0.1 * Math.sqrt((double) rank / dimension));
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimension];
            for (int j = 0; j < rank; j++) {
                float z = (float) random.nextGaussian();
                for (int d = 0; d < dimension; d++) {
                    v[d] += z * basis[j][d];
                }
            }
            for (int d = 0; d < dimension; d++) {
                v[d] += noise * (float) random.nextGaussian();
            }
            out[i] = normalise(v);
        }
        return out;
    }

    private static float[] normalise(float[] v) {
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
}
