package io.agentcouncil.benchmarks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gsm8kQuestionsTest {

    @Test
    void readsTheFinalAnswerAfterTheMarker(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("train.jsonl");
        Files.writeString(file, """
                {"question": "Natalia sold 48 clips. How many?", "answer": "48/2 = <<48/2=24>>24\\n#### 72"}

                {"question": "  How much?  ", "answer": "It costs $1,200.\\n#### 1,200"}
                """);
        List<LabelledQuestion> all = Gsm8kQuestions.readAll(file);
        assertEquals(2, all.size());
        assertEquals(new LabelledQuestion("gsm8k-1", "gsm8k", "Natalia sold 48 clips. How many?\nAnswer with just the number.",
                "72"), all.get(0));
        assertEquals("gsm8k-3", all.get(1).id()); // ids are line numbers; the blank line counts
        assertEquals("1200", all.get(1).expected());
        assertEquals("How much?\nAnswer with just the number.", all.get(1).prompt());
    }

    @Test
    void samplesDeterministically(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("train.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            lines.append("{\"question\": \"Q").append(i).append("\", \"answer\": \"#### ").append(i).append("\"}\n");
        }
        Files.writeString(file, lines);
        assertEquals(Gsm8kQuestions.sample(file, 10, 1), Gsm8kQuestions.sample(file, 10, 1));
        assertNotEquals(Gsm8kQuestions.sample(file, 10, 1), Gsm8kQuestions.sample(file, 10, 2));
        assertEquals(10, Gsm8kQuestions.sample(file, 10, 1).stream().distinct().count());
        assertThrows(IllegalArgumentException.class, () -> Gsm8kQuestions.sample(file, 51, 1));
    }

    @Test
    void anAnswerWithoutTheMarkerIsAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "{\"question\": \"Q\", \"answer\": \"72\"}\n");
        assertThrows(IOException.class, () -> Gsm8kQuestions.readAll(file));
    }
}
