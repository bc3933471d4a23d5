package io.agentcouncil.benchmarks.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Grade-school maths word problems from a GSM8K JSON-lines file ({@code {"question": ...,
 * "answer": "...reasoning...\n#### 72"}}). The data is read where it lies (by default the shared
 * checkout's {@code ../shared/data/gsm8k/train.jsonl}), never copied into this repository.
 */
public final class Gsm8kQuestions {

    /** Where the training split lies relative to the repository root (the usual working directory). */
    public static final Path DEFAULT_PATH = Path.of("..", "shared", "data", "gsm8k", "train.jsonl");

    static final String INSTRUCTION = "Answer with just the number.";

    private Gsm8kQuestions() {}

    /**
     * {@code n} problems drawn without replacement by {@code seed} (the same seed and file give
     * the same problems in the same order), each id {@code gsm8k-LINE} with its 1-based line.
     *
     * @throws IllegalArgumentException if the file has fewer than {@code n} problems
     */
    public static List<LabelledQuestion> sample(Path file, int n, long seed) throws IOException {
        List<LabelledQuestion> all = readAll(file);
        if (all.size() < n) {
            throw new IllegalArgumentException(file + " has " + all.size() + " problems, fewer than " + n);
        }
        List<LabelledQuestion> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(seed));
        return List.copyOf(shuffled.subList(0, n));
    }

    /** Every problem of the file, in file order. */
    public static List<LabelledQuestion> readAll(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<LabelledQuestion> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String text; (text = in.readLine()) != null; ) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode row = json.readTree(text);
                String question = row.path("question").asText(null);
                String answer = row.path("answer").asText(null);
                if (question == null || answer == null) {
                    throw new IOException(file + ":" + line + ": no \"question\" or \"answer\"");
                }
                out.add(new LabelledQuestion("gsm8k-" + line, LabelledQuestion.GSM8K,
                        question.strip() + "\n" + INSTRUCTION, finalAnswer(answer, file + ":" + line)));
            }
        }
        return out;
    }

    /** The text after the last {@code ####}, without thousands commas: "1,200" becomes "1200". */
    static String finalAnswer(String answer, String where) throws IOException {
        int at = answer.lastIndexOf("####");
        if (at < 0) {
            throw new IOException(where + ": the answer has no \"####\"");
        }
        return answer.substring(at + 4).strip().replace(",", "");
    }
}
