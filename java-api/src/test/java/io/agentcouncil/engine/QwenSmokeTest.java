package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.TestModels;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.template.ChatMessage;
import io.agentcouncil.template.ChatTemplate;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Qwen2.5-Coder roster models (qwen2: QKV bias, NeoX RoPE; Q4_K, Q5_0, Q6_K, Q8_0 weights)
 * answer a coding request with code, greedily, through {@link LocalModel}: a short run that also
 * goes through the sanitizer profile, where the full reference tests of these files would take
 * too long.
 */
class QwenSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {TestModels.QWEN_CODER_05B, TestModels.QWEN_CODER_15B})
    void writesAPythonFunctionWhenAskedFor(String rosterName) throws IOException {
        try (LocalModel model = LocalModel.load(TestModels.require(rosterName), 2)) {
            ChatTemplate template;
            try (GgufFile file = GgufFile.open(model.path())) {
                template = ChatTemplate.fromGguf(file.metadata());
            }
            String prompt = template.render(List.of(ChatMessage.user("Write a Python function square(x) that returns x squared.")), true);
            Tokenizer tok = model.tokenizer();
            int[] ids = tok.encode(prompt, true, true);
            int imEnd = tok.vocabulary().id("<|im_end|>");
            List<Integer> out = new ArrayList<>();
            try (ModelSession s = model.newSession(256)) {
                float[] logits = s.eval(ids);
                for (int i = 0; i < 40; i++) {
                    int next = LocalModelSanityTest.argmax(logits);
                    if (next == imEnd || next == tok.vocabulary().eos()) {
                        break;
                    }
                    out.add(next);
                    logits = s.eval(new int[] {next});
                }
            }
            String answer = tok.decode(out.stream().mapToInt(Integer::intValue).toArray());
            System.out.println(rosterName + ": " + answer.replace("\n", "\\n"));
            assertTrue(answer.contains("def square(x)") && answer.contains("return"), answer);
        }
    }
}
