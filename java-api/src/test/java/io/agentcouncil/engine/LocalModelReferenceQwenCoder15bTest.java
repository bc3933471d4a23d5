package io.agentcouncil.engine;

import io.agentcouncil.TestModels;

/**
 * {@link LocalModelReferenceTest} on Qwen2.5-Coder-1.5B-Instruct (qwen2; Q4_K, Q6_K): llama.cpp's
 * logits to the 5 stored decimals.
 */
class LocalModelReferenceQwenCoder15bTest extends LocalModelReferenceTest {
    LocalModelReferenceQwenCoder15bTest() {
        super(TestModels.QWEN_CODER_15B, SAME_LOGIT);
    }
}
