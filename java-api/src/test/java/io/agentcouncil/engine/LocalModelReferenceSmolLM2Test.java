package io.agentcouncil.engine;

import io.agentcouncil.TestModels;

/** {@link LocalModelReferenceTest} on SmolLM2-135M (Q4_1): llama.cpp's logits to the 5 stored decimals. */
class LocalModelReferenceSmolLM2Test extends LocalModelReferenceTest {
    LocalModelReferenceSmolLM2Test() {
        super(TestModels.SMOLLM2, SAME_LOGIT);
    }
}
