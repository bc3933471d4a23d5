package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.TestModels;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The roster models beyond Agent-0 say sensible things through {@link LocalModel}: the
 * Qwen2.5-Coder specialists (qwen2; Q4_K, Q5_0, Q6_K, Q8_0) answer a coding request with code,
 * Gemma 3 270M (gemma3) completes a fact. Short runs that also go through the sanitizer profile,
 * where the full reference tests of these files would take too long.
 */
class RosterModelsSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {TestModels.QWEN_CODER_05B, TestModels.QWEN_CODER_15B})
    void writesAPythonFunctionWhenAskedFor(String rosterName) throws IOException {
        try (LocalModel model = LocalModel.load(TestModels.require(rosterName), 2)) {
            String answer = LocalModelSanityTest.greedyChatReply(model, "Write a Python function square(x) that returns x squared.", 40);
            System.out.println(rosterName + ": " + answer.replace("\n", "\\n"));
            assertTrue(answer.contains("def square(x)") && answer.contains("return"), answer);
        }
    }

    @Test
    void gemmaCompletesTheEiffelTowerWithParis() throws IOException {
        try (LocalModel model = LocalModel.load(TestModels.require(TestModels.GEMMA3_270M), 2); ModelSession s = model.newSession(64)) {
            Tokenizer tok = model.tokenizer();
            float[] logits = s.eval(tok.encode("The Eiffel Tower is located in the city of", true, false));
            int paris = LocalModelSanityTest.single(tok.encode(" Paris"));
            int[] top = LocalModelSanityTest.topK(logits, 3);
            System.out.println("gemma-3-270m: The Eiffel Tower is located in the city of -> " + tok.decode(new int[] {top[0]}));
            assertTrue(Arrays.stream(top).anyMatch(id -> id == paris), () -> "top 3: " + Arrays.toString(top));
        }
    }
}
