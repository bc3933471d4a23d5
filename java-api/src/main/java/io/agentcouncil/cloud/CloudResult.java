package io.agentcouncil.cloud;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link CloudFallback#complete} call came to. The cloud tier is a last resort whose
 * problems must never break a chat turn, so every outcome the network, the server or the budget
 * can produce is a value here rather than an exception.
 *
 * @param status    {@link Status#OK} with the model's text, {@link Status#OVER_BUDGET} when the
 *                  call would not fit in the day's budget (no request was sent for it), or
 *                  {@link Status#FAILED}
 * @param text      the model's reply; empty unless {@code OK}
 * @param tokensIn  prompt tokens as the server's {@code usage} reported them; 0 unless {@code OK}
 * @param tokensOut completion tokens as the server's {@code usage} reported them; 0 unless {@code OK}
 * @param costUsd   what this call added to the day's spend: the priced usage when {@code OK}; for an
 *                  attempt whose outcome is unknown (a timeout after the request was sent, a
 *                  response that could not be read) its worst case, because it may have been billed
 * @param latency   wall time of the whole call, retries and back-off included
 * @param detail    why it failed or was refused, or what happened on the way to {@code OK} (earlier
 *                  failed attempts, a ledger that could not be updated); empty when there is nothing
 *                  to say. Never contains the API key.
 */
public record CloudResult(Status status, String text, int tokensIn, int tokensOut, double costUsd,
                          Duration latency, String detail) {

    /** The three outcomes a caller must tell apart. */
    public enum Status { OK, OVER_BUDGET, FAILED }

    public CloudResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(detail, "detail");
        if (tokensIn < 0 || tokensOut < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, got " + tokensIn + " and " + tokensOut);
        }
    }
}
