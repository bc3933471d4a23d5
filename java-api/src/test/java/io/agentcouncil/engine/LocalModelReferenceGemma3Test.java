package io.agentcouncil.engine;

import io.agentcouncil.TestModels;

/**
 * {@link LocalModelReferenceTest} on Gemma 3 270M, the base model (gemma3; Q4_K, Q5_0, Q6_K,
 * Q8_0): llama.cpp's logits to the 5 stored decimals.
 */
class LocalModelReferenceGemma3Test extends LocalModelReferenceTest {
    LocalModelReferenceGemma3Test() {
        super(TestModels.GEMMA3_270M, SAME_LOGIT);
    }
}
