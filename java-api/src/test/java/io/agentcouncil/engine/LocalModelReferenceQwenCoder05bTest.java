package io.agentcouncil.engine;

import io.agentcouncil.TestModels;

/**
 * {@link LocalModelReferenceTest} on Qwen2.5-Coder-0.5B-Instruct (qwen2; Q4_K, Q5_0, Q6_K, Q8_0):
 * llama.cpp's logits to the 5 stored decimals.
 */
class LocalModelReferenceQwenCoder05bTest extends LocalModelReferenceTest {
    LocalModelReferenceQwenCoder05bTest() {
        super(TestModels.QWEN_CODER_05B, SAME_LOGIT);
    }
}
