package io.agentcouncil.cloud;

import java.nio.file.Path;

/**
 * The spend ledger could not be read or written. A ledger that cannot be read is never taken as
 * "nothing spent today": that would let a damaged file, or a restart after one, lift the budget.
 * So the cloud tier refuses to call out ({@link CloudFallback#complete} answers
 * {@link CloudResult.Status#FAILED} with this message) until someone fixes or deletes the file,
 * which is left exactly as it was found.
 */
public final class SpendLedgerException extends RuntimeException {
    private final transient Path ledger;

    SpendLedgerException(Path ledger, String message, Throwable cause) {
        super(message, cause);
        this.ledger = ledger;
    }

    /** The ledger file concerned. */
    public Path ledger() {
        return ledger;
    }
}
