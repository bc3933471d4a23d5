package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.TestModels;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.template.ChatTemplate;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SmolLM2-135M-Instruct says sensible things: facts in the top logits, arithmetic in a chat. */
class LocalModelSanityTest {
    private static LocalModel model;

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TestModels.require(TestModels.SMOLLM2), 2);
        System.out.println(model + " on kernels " + LocalModel.kernels());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void parisIsAmongTheTopFiveAfterTheCapitalOfFranceIs() {
        Tokenizer tok = model.tokenizer();
        int[] prompt = tok.encode("The capital of France is");
        int paris = single(tok.encode(" Paris"));
        try (ModelSession s = model.newSession(64)) {
            float[] logits = s.eval(prompt);
            assertEquals(model.vocabularySize(), logits.length);
            int[] top = topK(logits, 5);
            List<String> shown = new ArrayList<>();
            for (int id : top) {
                shown.add("'" + tok.decode(new int[] {id}) + "' " + logits[id]);
            }
            System.out.println("The capital of France is -> " + shown);
            assertTrue(Arrays.stream(top).anyMatch(id -> id == paris), () -> "top 5: " + shown);
        }
    }

    @Test
    void greedyChatAnswerToTwoPlusTwoContainsFour() throws IOException {
        String answer = greedyChatReply(model, "What is 2+2?", 48);
        System.out.println("What is 2+2? -> " + answer);
        assertTrue(answer.contains("4"), answer);
    }

    /** The model's greedy reply to one user message through its chat template, up to its end of turn. */
    static String greedyChatReply(LocalModel model, String message, int maxTokens) throws IOException {
        ChatTemplate template;
        try (GgufFile file = GgufFile.open(model.path())) {
            template = ChatTemplate.fromGguf(file.metadata());
        }
        Tokenizer tok = model.tokenizer();
        int[] ids = tok.encode(template.render(List.of(ChatMessage.user(message)), true), true, true);
        int eos = tok.vocabulary().eos();
        int imEnd = tok.vocabulary().id("<|im_end|>");
        List<Integer> out = new ArrayList<>();
        try (ModelSession s = model.newSession(ids.length + maxTokens)) {
            float[] logits = s.eval(ids);
            for (int i = 0; i < maxTokens; i++) {
                int next = argmax(logits);
                if (next == eos || next == imEnd) {
                    break;
                }
                out.add(next);
                logits = s.eval(new int[] {next});
            }
        }
        return tok.decode(out.stream().mapToInt(Integer::intValue).toArray());
    }

    static int single(int[] ids) {
        assertEquals(1, ids.length, () -> Arrays.toString(ids));
        return ids[0];
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static int[] topK(float[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Float.compare(v[b], v[a]));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = idx[i];
        }
        return top;
    }
}
