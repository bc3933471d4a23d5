package io.agentcouncil.cloud;

import io.agentcouncil.template.ChatMessage;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The last-resort tier of a chat turn: an OpenAI-compatible chat-completions endpoint, called only
 * when the local models are not confident enough, and held under a hard daily budget in USD.
 *
 * <p>Before each attempt the call reserves its worst-case cost in a {@link SpendLedger} file (a
 * generous bound on prompt tokens plus {@code maxTokens} at the output price, see
 * {@link Pricing}); a call that does not fit sends nothing and answers
 * {@link CloudResult.Status#OVER_BUDGET}. After the attempt the reservation is settled to the cost
 * of the server's reported {@code usage}. So no number of concurrent calls, and no restart, can
 * take the day's spend past the budget, as long as the server reports usage within the bound.
 *
 * <p>Connection failures, timeouts, 429 and 5xx are retried with exponential back-off; other
 * 4xx and malformed responses are not. Whatever the network, the server, the budget or the ledger
 * do, {@link #complete} returns a {@link CloudResult}; it throws only for a programming error
 * (null or empty arguments, use after {@link #close}).
 *
 * <p>Thread-safe. {@code close()} stops new calls; calls already running finish.
 */
public final class CloudFallback implements AutoCloseable {
    private final ChatCompletionsClient client;
    private final SpendLedger ledger;
    private final Pricing pricing;
    private final String model;
    private final double dailyBudgetUsd;
    private final ZoneId zone;
    private final int maxRetries;
    private final Duration retryBackoff;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();
    private LocalDate refusedDay;
    private BigDecimal refusedUsd = BigDecimal.ZERO;

    private CloudFallback(Builder b, URI baseUrl, String apiKey) {
        this.model = b.model;
        this.dailyBudgetUsd = b.dailyBudgetUsd;
        this.zone = b.zone;
        this.clock = b.clock;
        this.maxRetries = b.maxRetries;
        this.retryBackoff = b.retryBackoff;
        this.pricing = new Pricing(b.pricePerInputToken, b.pricePerOutputToken);
        this.ledger = new SpendLedger(b.ledger, b.zone, b.clock, BigDecimal.valueOf(b.dailyBudgetUsd));
        this.client = new ChatCompletionsClient(baseUrl, b.model, apiKey, b.connectTimeout, b.timeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks the cloud model to answer {@code messages} with at most {@code maxTokens} new tokens,
     * greedily. Never throws for network, server, budget or ledger problems.
     *
     * @throws NullPointerException     if {@code messages} or one of them is null
     * @throws IllegalArgumentException if {@code messages} is empty or {@code maxTokens < 1}
     * @throws IllegalStateException    after {@link #close}
     */
    public CloudResult complete(List<ChatMessage> messages, int maxTokens) {
        List<ChatMessage> request = List.copyOf(messages);
        if (request.isEmpty()) {
            throw new IllegalArgumentException("no messages to send");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        if (closed.get()) {
            throw new IllegalStateException("cloud fallback is closed");
        }
        long start = System.nanoTime();
        BigDecimal worstCase = pricing.worstCase(request, maxTokens);
        BigDecimal charged = BigDecimal.ZERO;
        List<String> earlier = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            SpendLedger.Booking booking;
            try {
                booking = ledger.reserve(worstCase);
            } catch (SpendLedgerException e) {
                return result(CloudResult.Status.FAILED, "", 0, 0, charged, start, earlier, e.getMessage());
            }
            if (booking instanceof SpendLedger.Refusal refusal) {
                refused(refusal.totals().day(), worstCase);
                return result(CloudResult.Status.OVER_BUDGET, "", 0, 0, charged, start, earlier,
                        overBudget(refusal.totals(), worstCase, request, maxTokens));
            }
            SpendLedger.Reservation reservation = (SpendLedger.Reservation) booking;

            ChatCompletionsClient.Exchange exchange = client.send(request, maxTokens);
            BigDecimal cost;
            if (exchange instanceof ChatCompletionsClient.Completion c) {
                cost = pricing.cost(c.tokensIn(), c.tokensOut());
            } else {
                cost = ((ChatCompletionsClient.Failure) exchange).maybeBilled() ? worstCase : BigDecimal.ZERO;
            }
            charged = charged.add(cost);
            String unsettled = null;
            try {
                ledger.settle(reservation, cost);
            } catch (SpendLedgerException e) {
                unsettled = e.getMessage() + "; the reservation of $" + usd(worstCase) + " stays booked";
            }

            if (exchange instanceof ChatCompletionsClient.Completion c) {
                return result(CloudResult.Status.OK, c.text(), c.tokensIn(), c.tokensOut(), charged, start, earlier,
                        unsettled);
            }
            ChatCompletionsClient.Failure failure = (ChatCompletionsClient.Failure) exchange;
            String what = failure.detail() + (cost.signum() > 0 ? " (its worst case $" + usd(cost)
                    + " is booked: the server may have billed it)" : "") + (unsettled == null ? "" : "; " + unsettled);
            if (!failure.retryable() || attempt > maxRetries) {
                String tries = attempt == 1 ? "" : " after " + attempt + " attempts";
                return result(CloudResult.Status.FAILED, "", 0, 0, charged, start, earlier, "failed" + tries + ": " + what);
            }
            earlier.add("attempt " + attempt + ": " + what);
            try {
                Thread.sleep(retryBackoff.multipliedBy(1L << (attempt - 1)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result(CloudResult.Status.FAILED, "", 0, 0, charged, start, earlier,
                        "interrupted while waiting to retry");
            }
        }
    }

    private String overBudget(SpendLedger.DayTotals t, BigDecimal worstCase, List<ChatMessage> request, int maxTokens) {
        return "this call's worst case $" + usd(worstCase) + " (" + Pricing.worstCaseInputTokens(request)
                + " prompt tokens at most, " + maxTokens + " completion tokens) does not fit in the daily budget of $"
                + usd(BigDecimal.valueOf(dailyBudgetUsd)) + ": spent $" + usd(t.spentUsd()) + " and $"
                + usd(t.reservedUsd()) + " reserved by calls in flight on " + t.day() + " (" + zone + ")";
    }

    private static CloudResult result(CloudResult.Status status, String text, int in, int out, BigDecimal cost,
                                      long startNanos, List<String> earlier, String last) {
        List<String> parts = new ArrayList<>(earlier);
        if (last != null) {
            parts.add(last);
        }
        return new CloudResult(status, text, in, out, cost.doubleValue(),
                Duration.ofNanos(System.nanoTime() - startNanos), String.join("; ", parts));
    }

    private static String usd(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    /**
     * Settled spend of the current day in the configured zone, read from the ledger (so it includes
     * other processes sharing the file, and what was spent before a restart).
     *
     * @throws SpendLedgerException if the ledger cannot be read; it is never taken as 0
     */
    public double spentTodayUsd() {
        return ledger.today().spentUsd().doubleValue();
    }

    private synchronized void refused(LocalDate day, BigDecimal worstCase) {
        if (!day.equals(refusedDay)) {
            refusedDay = day;
            refusedUsd = BigDecimal.ZERO;
        }
        refusedUsd = refusedUsd.add(worstCase);
    }

    /**
     * The worst cases of this process's calls that the budget refused today: with
     * {@link #spentTodayUsd()}, what the day asked of the cloud tier. The spend itself never
     * passes the budget, so it is this demand that tells a budget breach.
     */
    public synchronized double refusedTodayUsd() {
        return LocalDate.now(clock.withZone(zone)).equals(refusedDay) ? refusedUsd.doubleValue() : 0;
    }

    public double dailyBudgetUsd() {
        return dailyBudgetUsd;
    }

    public String model() {
        return model;
    }

    /** Refuses new calls; calls in flight complete and settle. Safe to call more than once. */
    @Override
    public void close() {
        closed.set(true);
    }

    /**
     * Configuration of a {@link CloudFallback}. Required: {@code baseUrl}, {@code model},
     * {@code ledger} and both prices (0 is a valid price for a free endpoint). {@link #problems()}
     * lists everything wrong at once, each as {@code cloud.<field>: <what>}.
     */
    public static final class Builder {
        private static final int MAX_RETRIES = 10;
        private String baseUrl;
        private String model;
        private String apiKeyEnv;
        private Double pricePerInputToken;
        private Double pricePerOutputToken;
        private double dailyBudgetUsd = 0.50;
        private ZoneId zone = ZoneId.systemDefault();
        private Path ledger;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration timeout = Duration.ofSeconds(20);
        private int maxRetries = 2;
        private Duration retryBackoff = Duration.ofMillis(250);
        private Clock clock = Clock.systemUTC();
        private Function<String, String> environment = System::getenv;

        private Builder() {}

        /** The server root, e.g. {@code https://api.openai.com}; {@code /v1/chat/completions} is appended. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = baseUrl == null ? null : baseUrl.toString();
            return this;
        }

        /** The server root as text; see {@link #baseUrl(URI)}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The {@code model} field of each request. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * The NAME of the environment variable holding the API key, sent as
         * {@code Authorization: Bearer <key>}. Unset (the default): no such header.
         */
        public Builder apiKeyEnv(String apiKeyEnv) {
            this.apiKeyEnv = apiKeyEnv;
            return this;
        }

        /** USD per prompt token (for $0.15 per million tokens: {@code 0.15e-6}). */
        public Builder pricePerInputToken(double usd) {
            this.pricePerInputToken = usd;
            return this;
        }

        /** USD per completion token. */
        public Builder pricePerOutputToken(double usd) {
            this.pricePerOutputToken = usd;
            return this;
        }

        /** Hard cap on a day's spend; default 0.50. */
        public Builder dailyBudgetUsd(double usd) {
            this.dailyBudgetUsd = usd;
            return this;
        }

        /** The zone whose calendar day the budget applies to; default the system zone. */
        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        /** The spend ledger file (created on first use; a sibling {@code .lock} file too). */
        public Builder ledger(Path ledger) {
            this.ledger = ledger;
            return this;
        }

        /** Time to establish a connection; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Time for one whole attempt, from sending to the last byte of the response; default 20 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Attempts after the first for retryable failures; default 2. */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** Wait before the first retry, doubled before each next one; default 250 ms. */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** Where "today" comes from; default the system clock. For tests. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Where {@link #apiKeyEnv} is looked up; default {@link System#getenv(String)}. For tests. */
        Builder environment(Function<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Every invalid or missing field, one message each; empty when {@link #build()} will succeed. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            baseUri(problems);
            if (model == null || model.isBlank()) {
                problems.add("cloud.model: missing");
            }
            apiKey(problems);
            price(problems, "cloud.pricePerInputToken", pricePerInputToken);
            price(problems, "cloud.pricePerOutputToken", pricePerOutputToken);
            if (!(dailyBudgetUsd >= 0) || Double.isInfinite(dailyBudgetUsd)) {
                problems.add("cloud.dailyBudgetUsd: must be >= 0 and finite, got " + dailyBudgetUsd);
            }
            if (zone == null) {
                problems.add("cloud.zone: missing");
            }
            if (ledger == null) {
                problems.add("cloud.ledger: missing");
            }
            positive(problems, "cloud.connectTimeout", connectTimeout);
            positive(problems, "cloud.timeout", timeout);
            if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
                problems.add("cloud.maxRetries: must be between 0 and " + MAX_RETRIES + ", got " + maxRetries);
            }
            if (retryBackoff == null || retryBackoff.isNegative()) {
                problems.add("cloud.retryBackoff: must be >= 0, got " + retryBackoff);
            }
            if (clock == null) {
                problems.add("cloud.clock: missing");
            }
            return problems;
        }

        /** @throws IllegalArgumentException listing every problem, if there are any */
        public CloudFallback build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid cloud fallback configuration: " + String.join("; ", problems));
            }
            return new CloudFallback(this, baseUri(problems), apiKey(problems));
        }

        private URI baseUri(List<String> problems) {
            if (baseUrl == null || baseUrl.isBlank()) {
                problems.add("cloud.baseUrl: missing");
                return null;
            }
            URI uri;
            try {
                uri = new URI(baseUrl.strip());
            } catch (URISyntaxException e) {
                problems.add("cloud.baseUrl: not a URI: " + e.getMessage());
                return null;
            }
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                problems.add("cloud.baseUrl: must be an http or https URL, got " + baseUrl);
            } else if (uri.getHost() == null) {
                problems.add("cloud.baseUrl: has no host: " + baseUrl);
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add("cloud.baseUrl: must have no query or fragment, got " + baseUrl);
            } else if (uri.getPath() != null && uri.getPath().matches(".*/v1/?")) {
                problems.add("cloud.baseUrl: give the server root without /v1 (/v1/chat/completions is appended), got "
                        + baseUrl);
            }
            return uri;
        }

        /** The key, or null when none is configured; never part of a message. */
        private String apiKey(List<String> problems) {
            if (apiKeyEnv == null) {
                return null;
            }
            if (apiKeyEnv.isBlank()) {
                problems.add("cloud.apiKeyEnv: blank variable name");
                return null;
            }
            String key = environment.apply(apiKeyEnv);
            if (key == null || key.isBlank()) {
                problems.add("cloud.apiKeyEnv: environment variable " + apiKeyEnv + " is not set");
                return null;
            }
            key = key.strip();
            if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                problems.add("cloud.apiKeyEnv: environment variable " + apiKeyEnv
                        + " holds characters an HTTP header cannot carry");
                return null;
            }
            return key;
        }

        private static void price(List<String> problems, String field, Double usd) {
            if (usd == null) {
                problems.add(field + ": missing");
            } else if (!(usd >= 0) || usd.isInfinite()) {
                problems.add(field + ": must be >= 0 and finite, got " + usd);
            }
        }

        private static void positive(List<String> problems, String field, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                problems.add(field + ": must be > 0, got " + d);
            }
        }
    }
}
