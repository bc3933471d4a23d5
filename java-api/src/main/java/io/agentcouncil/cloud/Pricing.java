package io.agentcouncil.cloud;

import io.agentcouncil.template.ChatMessage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a call costs: the priced usage after it, and a bound on it before it, which is what the
 * budget reserves. Prices are exact decimals of the configured doubles, so that costs add up
 * exactly (see {@link SpendLedger}).
 *
 * <p>The bound counts one prompt token per UTF-8 byte of every role and content: byte-level BPE
 * and SentencePiece with byte fallback never make a token of less than one byte, so no tokenizer
 * an OpenAI-compatible server uses can exceed it. The chat template adds markers around each
 * message and may add a default system prompt (SmolLM2's adds about 20 tokens), hence the
 * allowances per message and per request. The output bound is {@code max_tokens} itself.
 */
final class Pricing {
    static final int REQUEST_ALLOWANCE_TOKENS = 64;
    static final int MESSAGE_ALLOWANCE_TOKENS = 8;

    private final BigDecimal perInputToken;
    private final BigDecimal perOutputToken;

    Pricing(double perInputTokenUsd, double perOutputTokenUsd) {
        this.perInputToken = BigDecimal.valueOf(perInputTokenUsd);
        this.perOutputToken = BigDecimal.valueOf(perOutputTokenUsd);
    }

    BigDecimal cost(long tokensIn, long tokensOut) {
        return perInputToken.multiply(BigDecimal.valueOf(tokensIn))
                .add(perOutputToken.multiply(BigDecimal.valueOf(tokensOut)));
    }

    BigDecimal worstCase(List<ChatMessage> messages, int maxTokens) {
        return cost(worstCaseInputTokens(messages), maxTokens);
    }

    static long worstCaseInputTokens(List<ChatMessage> messages) {
        long tokens = REQUEST_ALLOWANCE_TOKENS;
        for (ChatMessage m : messages) {
            tokens += MESSAGE_ALLOWANCE_TOKENS
                    + m.role().getBytes(StandardCharsets.UTF_8).length
                    + m.content().getBytes(StandardCharsets.UTF_8).length;
        }
        return tokens;
    }
}
