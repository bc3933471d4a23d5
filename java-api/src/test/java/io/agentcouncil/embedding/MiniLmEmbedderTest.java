package io.agentcouncil.embedding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real all-MiniLM-L6-v2 model: what recall will rank by. */
class MiniLmEmbedderTest {

    private final Embedder embedder = Embedder.miniLm();

    @Test
    void vectorsHave384UnitLengthDimensions() {
        for (String text : List.of("My bike is turquoise.", "a", "The stock market fell today. ".repeat(200))) {
            float[] v = embedder.embed(text);
            assertEquals(384, v.length);
            assertEquals(384, embedder.dimension());
            assertEquals(1.0, norm(v), 1e-5, text);
        }
    }

    @Test
    void relatedSentencesAreCloserThanUnrelatedOnes() {
        assertCloser("My bike is turquoise.", "What colour is my bike?", "The stock market fell today.");
        assertCloser("My bike is turquoise.", "What colour is my bike?", "I had pasta for dinner.");
        assertCloser("I live in Lisbon.", "Where do I live?", "My bike is turquoise.");
        assertCloser("My sister is a nurse.", "What does my sister do for a living?", "It rained all day in Lisbon.");
        assertCloser("The cat sleeps on the sofa.", "A kitten is napping on the couch.", "Interest rates rose again.");
    }

    @Test
    void paraphrasesScoreHighAndUnrelatedTextLow() {
        float paraphrase = dot(embedder.embed("The meeting is moved to Friday."), embedder.embed("We rescheduled the meeting for Friday."));
        float unrelated = dot(embedder.embed("The meeting is moved to Friday."), embedder.embed("Penguins live in Antarctica."));
        assertTrue(paraphrase > 0.6f, "paraphrase " + paraphrase);
        assertTrue(unrelated < 0.2f, "unrelated " + unrelated);
    }

    @Test
    void theSameTextGivesTheSameVector() {
        assertArrayEquals(embedder.embed("Deterministic, please."), embedder.embed("Deterministic, please."));
        assertSame(embedder, Embedder.miniLm(), "one model per JVM");
    }

    @Test
    void embedAllKeepsOrderAndMatchesEmbed() {
        List<String> texts = List.of("first sentence", "second one", "the third");
        List<float[]> all = embedder.embedAll(texts);
        assertEquals(3, all.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(embedder.embed(texts.get(i)), all.get(i));
        }
        assertEquals(List.of(), embedder.embedAll(List.of()));
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOne() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add("Sentence number " + i + " is about " + (i % 2 == 0 ? "bikes" : "the weather") + ".");
        }
        List<float[]> alone = embedder.embedAll(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> embedder.embedAll(texts)));
            }
            for (Future<List<float[]>> result : results) {
                List<float[]> vectors = result.get(120, TimeUnit.SECONDS);
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(alone.get(i), vectors.get(i), texts.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsNullAndBlankText() {
        assertThrows(IllegalArgumentException.class, () -> embedder.embed(null));
        assertThrows(IllegalArgumentException.class, () -> embedder.embed(""));
        assertThrows(IllegalArgumentException.class, () -> embedder.embed(" \n\t"));
        assertThrows(IllegalArgumentException.class, () -> embedder.embedAll(List.of("fine", " ")));
    }

    @Test
    void closeIsHarmless() {
        embedder.close();
        embedder.close();
        assertEquals(384, embedder.embed("still works").length);
    }

    private void assertCloser(String anchor, String near, String far) {
        float[] a = embedder.embed(anchor);
        float nearScore = dot(a, embedder.embed(near));
        float farScore = dot(a, embedder.embed(far));
        assertTrue(nearScore > farScore + 0.1f,
                "'" + anchor + "' should be closer to '" + near + "' (" + nearScore + ") than to '" + far + "' (" + farScore + ")");
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
