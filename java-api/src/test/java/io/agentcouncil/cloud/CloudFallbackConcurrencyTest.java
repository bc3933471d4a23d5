package io.agentcouncil.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.template.ChatMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sixteen threads calling at once, through two instances on one ledger file, must never spend more
 * than the budget: a check of the spend before each call would let them all through together;
 * reserving the worst case does not.
 */
class CloudFallbackConcurrencyTest {
    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 4;
    private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.user("How much?"));
    private static final int MAX_TOKENS = 50;
    private static final double PRICE_IN = 1e-6;
    private static final double PRICE_OUT = 2e-6;
    private static final int WORST_IN = (int) Pricing.worstCaseInputTokens(MESSAGES);

    @TempDir
    Path dir;

    /** Counts of what the calls came to. */
    private record Tally(int ok, int overBudget, int failed) {}

    private CloudFallback fallback(StubServer server, double budget) {
        return CloudFallback.builder()
                .baseUrl(server.baseUrl())
                .model("stub")
                .pricePerInputToken(PRICE_IN)
                .pricePerOutputToken(PRICE_OUT)
                .dailyBudgetUsd(budget)
                .ledger(dir.resolve("spend.json"))
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    /** THREADS threads, half on each of two instances sharing one ledger, CALLS_PER_THREAD calls each. */
    private Tally hammer(StubServer server, double budget) throws Exception {
        try (CloudFallback one = fallback(server, budget); CloudFallback other = fallback(server, budget)) {
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger over = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    CloudFallback cloud = t % 2 == 0 ? one : other;
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            CloudResult r = cloud.complete(MESSAGES, MAX_TOKENS);
                            switch (r.status()) {
                                case OK -> ok.incrementAndGet();
                                case OVER_BUDGET -> over.incrementAndGet();
                                case FAILED -> failed.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(one.spentTodayUsd() <= budget, "spent " + one.spentTodayUsd() + " of a budget of " + budget);
            assertEquals(one.spentTodayUsd(), other.spentTodayUsd());
            return new Tally(ok.get(), over.get(), failed.get());
        }
    }

    private JsonNode ledger() throws Exception {
        return new ObjectMapper().readTree(dir.resolve("spend.json").toFile());
    }

    @Test
    void aBudgetForExactlyNWorstCasesAllowsExactlyNCalls() throws Exception {
        int n = 10;
        BigDecimal worstCase = new Pricing(PRICE_IN, PRICE_OUT).worstCase(MESSAGES, MAX_TOKENS);
        double budget = worstCase.multiply(BigDecimal.valueOf(n)).doubleValue();
        assertEquals(0, BigDecimal.valueOf(budget).compareTo(worstCase.multiply(BigDecimal.valueOf(n))),
                "pick prices whose budget is an exact double");
        // Every call really costs its worst case, so exactly n fit.
        String body = StubServer.completion("Ten cents.", WORST_IN, MAX_TOKENS);
        try (StubServer server = StubServer.start((k, req) -> new StubServer.Response(200, body, 30))) {
            Tally t = hammer(server, budget);
            assertEquals(new Tally(n, THREADS * CALLS_PER_THREAD - n, 0), t);
            assertEquals(n, server.requests(), "requests that reached the server");
            JsonNode l = ledger();
            assertEquals(0, l.get("spentUsd").decimalValue().compareTo(BigDecimal.valueOf(budget)), l.toString());
            assertEquals(0, l.get("reservedUsd").decimalValue().signum(), l.toString());
        }
    }

    @Test
    void callsCheaperThanTheirWorstCaseSettleAndLetMoreThrough() throws Exception {
        BigDecimal worstCase = new Pricing(PRICE_IN, PRICE_OUT).worstCase(MESSAGES, MAX_TOKENS);
        BigDecimal actual = new Pricing(PRICE_IN, PRICE_OUT).cost(10, 5);
        double budget = worstCase.multiply(BigDecimal.valueOf(6)).doubleValue();
        String body = StubServer.completion("Cheap.", 10, 5);
        try (StubServer server = StubServer.start((k, req) -> new StubServer.Response(200, body, 20))) {
            Tally t = hammer(server, budget);
            assertEquals(0, t.failed());
            assertEquals(t.ok(), server.requests());
            assertTrue(t.ok() > 6, "settling to the real cost frees budget: " + t);
            JsonNode l = ledger();
            BigDecimal spent = l.get("spentUsd").decimalValue();
            assertEquals(0, spent.compareTo(actual.multiply(BigDecimal.valueOf(t.ok()))), l.toString());
            assertEquals(0, l.get("reservedUsd").decimalValue().signum(), l.toString());
        }
    }
}
