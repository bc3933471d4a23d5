package io.agentcouncil.vector;

import io.agentcouncil.embedding.Embedder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session A can never recall session B's memories: 1,000 sessions each hold a conflicting fact
 * ("My bike is red." here, "My bike is teal." there) among a few other memories, embedded with
 * the real MiniLM model. Asking every session "What colour is my bike?" must return only that
 * session's entries, though 999 other sessions hold a better match than most of its own, and
 * its own bike sentence first.
 */
class SessionIsolationTest {

    private static final int SESSIONS = 1_000;
    private static final int PER_SESSION = 4;
    private static final String[] COLOURS = {"red", "blue", "green", "yellow", "black", "white", "turquoise", "orange",
        "purple", "pink", "silver", "grey", "brown", "teal", "navy blue", "lime green", "crimson", "gold", "beige", "maroon"};
    private static final String[] CITIES = {"Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Quebec", "Perth", "Seville"};
    private static final String[] FOODS = {"pizza", "sushi", "lentil soup", "tacos", "dumplings", "paella", "curry"};
    private static final String[] JOBS = {"a nurse", "a teacher", "an engineer", "a baker", "a pilot", "a lawyer"};

    // Key of session s's j-th entry: s * PER_SESSION + j, so a hit's key names its session.
    private static float[][] vectors;
    private static float[] question;

    @BeforeAll
    static void embed() {
        Embedder embedder = Embedder.miniLm();
        List<String> texts = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            texts.add("My bike is " + COLOURS[s % COLOURS.length] + ".");
            texts.add("I live in " + CITIES[s % CITIES.length] + ".");
            texts.add("My favourite food is " + FOODS[s % FOODS.length] + ".");
            texts.add("I work as " + JOBS[s % JOBS.length] + ".");
        }
        question = embedder.embed("What colour is my bike?"); // loads the model: not timed
        long start = System.nanoTime();
        vectors = embedder.embedAll(texts).toArray(new float[0][]);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("embedded %d sentences with MiniLM in %.1f s (%.2f ms each)%n",
                texts.size(), seconds, seconds * 1000 / texts.size());
    }

    @Test
    void exactIndexNeverReturnsAnotherSessionsMemory() {
        assertIsolated(() -> VectorIndex.exact(384));
    }

    @Test
    void approximateIndexNeverReturnsAnotherSessionsMemory() {
        // The default keeps sessions this small exact; exactBelow 1 gives every session a graph.
        assertIsolated(() -> VectorIndex.approximate(384));
        assertIsolated(() -> new ApproximateVectorIndex(384, 1, new JVectorGraphs(JVectorGraphs.DEFAULT_BEAM)));
    }

    @Test
    void faissIndexNeverReturnsAnotherSessionsMemory() {
        FaissTesting.requireFaiss();
        assertIsolated(() -> VectorIndex.faiss(384));
        // A FAISS graph per session, searched natively.
        assertIsolated(() -> new ApproximateVectorIndex(384, 1, new FaissGraphs(384, FaissGraphs.DEFAULT_M,
                FaissGraphs.DEFAULT_EF_CONSTRUCTION, FaissGraphs.DEFAULT_EF_SEARCH)));
    }

    private static void assertIsolated(Supplier<VectorIndex> indexes) {
        try (VectorIndex index = indexes.get()) {
            for (int s = 0; s < SESSIONS; s++) {
                for (int j = 0; j < PER_SESSION; j++) {
                    index.add(session(s), s * PER_SESSION + j, vectors[s * PER_SESSION + j]);
                }
            }
            index.compact();
            assertEquals(SESSIONS * PER_SESSION, index.size());
            for (int s = 0; s < SESSIONS; s++) {
                List<VectorHit> hits = index.search(session(s), question, 10, -1);
                assertEquals(PER_SESSION, hits.size(), "session " + s + " holds exactly its own entries");
                for (VectorHit hit : hits) {
                    assertEquals(s, hit.key() / PER_SESSION, "session " + s + " got key " + hit.key());
                }
                assertEquals(s * PER_SESSION, hits.get(0).key(), "session " + s + ": its bike sentence first");
                assertTrue(hits.get(0).score() > hits.get(1).score());
            }
        }
    }

    private static String session(int s) {
        return "session-" + s;
    }
}
