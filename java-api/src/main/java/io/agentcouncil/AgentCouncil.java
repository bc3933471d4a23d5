package io.agentcouncil;

import io.agentcouncil.StreamListener.Escalation;
import io.agentcouncil.StreamListener.StreamToken;
import io.agentcouncil.cloud.CloudFallback;
import io.agentcouncil.cloud.CloudResult;
import io.agentcouncil.confidence.ConfidenceEstimator;
import io.agentcouncil.confidence.TokenProbabilityEstimator;
import io.agentcouncil.council.Answer;
import io.agentcouncil.council.CouncilPolicy;
import io.agentcouncil.council.Router;
import io.agentcouncil.council.Specialist;
import io.agentcouncil.council.SpecialistInfo;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.generation.CancellationToken;
import io.agentcouncil.generation.GeneratedToken;
import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.generation.GenerationConfig;
import io.agentcouncil.generation.GenerationResult;
import io.agentcouncil.generation.Generator;
import io.agentcouncil.generation.TokenListener;
import io.agentcouncil.memory.Memory;
import io.agentcouncil.memory.MemoryStoreException;
import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.monitoring.Alert;
import io.agentcouncil.monitoring.AlertEvaluator;
import io.agentcouncil.monitoring.AlertRule;
import io.agentcouncil.monitoring.AlertSink;
import io.agentcouncil.monitoring.AlertStatus;
import io.agentcouncil.monitoring.Alerting;
import io.agentcouncil.monitoring.GpuMonitor;
import io.agentcouncil.monitoring.Health;
import io.agentcouncil.template.ChatMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Answers chat messages with Agent-0, escalating to the council of specialists when Agent-0's
 * confidence is below the gate, and to the budgeted cloud model when the council's is too.
 *
 * <pre>{@code
 * try (AgentCouncil council = AgentCouncil.builder()
 *         .specialist("code", "programming and code", ModelSource.roster("qwen2.5-coder-1.5b-instruct"))
 *         .build()) {
 *     Reply r = council.chat("session-42", "What is the capital of France?");
 * }
 * }</pre>
 *
 * <p>Thread-safe. Sessions run concurrently (up to {@code maxConcurrentTurns} turns at once);
 * the turns of one session are applied in the order they were submitted, each seeing the ones
 * before. Agent-0 keeps each live session's KV cache, so a follow-up evaluates only the new
 * tokens. {@link #close()} lets the turns in flight finish, then frees everything in the reverse
 * order of {@code build()}.
 */
public final class AgentCouncil implements AutoCloseable {

    private final double gate;
    private final int maxNewTokens;
    private final int historyTurns;
    private final int decideEarlyTokens;
    private final int agent0ContextLength;
    private final int specialistContextLength;
    private final int maxLiveSessions;
    private final String systemPrompt;
    private final Duration closeTimeout;
    private final ConfidenceEstimator estimator;
    private final Router router;
    private final CouncilPolicy policy;
    private final GenerationConfig generation;

    private final CouncilMetrics metrics;
    private final GpuMonitor gpu;
    private final List<AlertSink> ownedSinks;
    private final AlertEvaluator alerts;
    private final Memory memory;
    private final LanguageModel agent0;
    private final boolean agent0Owned;
    private final Map<String, SpecialistModel> specialists = new LinkedHashMap<>();
    private final List<SpecialistInfo> specialistInfos;
    private final CloudFallback cloud;

    private final ExecutorService turns;
    private final Object lock = new Object();
    private final Map<String, SessionState> sessions = new LinkedHashMap<>(16, 0.75f, true); // access order: LRU first
    private int liveGenerators;
    private boolean closed;

    AgentCouncil(AgentCouncilBuilder b) {
        gate = b.gate;
        maxNewTokens = b.maxNewTokens;
        historyTurns = b.historyTurns;
        decideEarlyTokens = b.decideEarlyTokens;
        agent0ContextLength = b.agent0ContextLength;
        specialistContextLength = b.specialistContextLength;
        maxLiveSessions = b.maxLiveSessions;
        systemPrompt = b.systemPrompt == null || b.systemPrompt.isEmpty() ? null : b.systemPrompt;
        closeTimeout = b.closeTimeout;
        estimator = b.estimator;
        router = b.router;
        policy = b.policy;
        generation = GenerationConfig.builder().greedy().maxNewTokens(maxNewTokens).topLogprobs(0).build();

        // Monitoring, then memory, then Agent-0; specialists wait for their first escalation.
        // The alert schedule starts last, once everything it watches exists.
        MeterRegistry registry = b.registry != null ? b.registry : new SimpleMeterRegistry();
        metrics = new CouncilMetrics(registry, b.alerting.agent0LatencyWindow(),
                Duration.ofNanos((long) (b.alerting.rule(Alert.AGENT0_SLOW).threshold() * 1e9)));
        gpu = b.gpuMonitor;
        metrics.gpu(gpu);
        memory = b.memory != null ? b.memory : Memory.builder()
                .store(b.memoryStore != null ? b.memoryStore : MemoryStores.inMemory())
                .embedder(b.embedder != null ? b.embedder : Embedder.miniLm())
                .tokenCounter(this::agent0Tokens)
                .meterRegistry(registry)
                .build();
        CloudFallback cloudTier = null;
        try {
            cloudTier = b.cloud != null ? b.cloud.build() : null;
            long t0 = System.nanoTime();
            agent0 = b.agent0.load(b.threads);
            metrics.modelLoaded(agent0.name(), Duration.ofNanos(System.nanoTime() - t0));
        } catch (IOException | RuntimeException e) {
            if (cloudTier != null) {
                cloudTier.close();
            }
            memory.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot load Agent-0 from " + b.agent0 + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        cloud = cloudTier;
        if (cloud != null) {
            metrics.cloud(cloud);
        }
        agent0Owned = b.agent0.owned();
        for (Specialist s : b.specialists) {
            specialists.put(s.name(), new SpecialistModel(s, b.threads, memberEstimator(s, estimator)));
        }
        specialistInfos = b.specialists.stream().map(Specialist::info).toList();
        AtomicInteger n = new AtomicInteger();
        turns = Executors.newFixedThreadPool(b.maxConcurrentTurns, r -> {
            Thread t = new Thread(r, "agentcouncil-turn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<AlertSink> sinks = b.alerting.sinksOrDefaults(registry);
        ownedSinks = b.alerting.defaultSinks() ? sinks : List.of();
        alerts = new AlertEvaluator(alertRules(b.alerting), alertSources(), sinks, b.alerting.clock(),
                b.alerting.evaluationInterval(), registry);
    }

    private List<AlertRule> alertRules(Alerting alerting) {
        AlertRule budget = alerting.rule(Alert.BUDGET_BREACH);
        return List.of(alerting.rule(Alert.GPU_FELL_TO_CPU), alerting.rule(Alert.AGENT0_SLOW),
                cloud != null ? budget.withThreshold(cloud.dailyBudgetUsd()) : budget, alerting.rule(Alert.FLUSH_STUCK));
    }

    private Map<Alert, Supplier<OptionalDouble>> alertSources() {
        return Map.of(
                Alert.GPU_FELL_TO_CPU, gpu::utilization,
                Alert.AGENT0_SLOW, () -> OptionalDouble.of(metrics.agent0P95Seconds()),
                Alert.BUDGET_BREACH, () -> cloud == null ? OptionalDouble.empty()
                        : OptionalDouble.of(cloud.spentTodayUsd() + cloud.refusedTodayUsd()),
                Alert.FLUSH_STUCK, () -> OptionalDouble.of(memory.queueDepth()));
    }

    public static AgentCouncilBuilder builder() {
        return new AgentCouncilBuilder();
    }

    /**
     * Answers {@code text} in {@code session}, after the session's earlier turns.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws IllegalArgumentException for a message that cannot fit Agent-0's context
     */
    public Reply chat(String session, String text) {
        return join(chatAsync(session, text));
    }

    /** As {@link #chat}, without waiting: the reply completes the future. */
    public CompletableFuture<Reply> chatAsync(String session, String text) {
        return submit(session, text, null);
    }

    /** As {@link #chat}, telling {@code listener} the turn as it happens (see {@link StreamListener}). */
    public Reply stream(String session, String text, StreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        return join(submit(session, text, listener));
    }

    /** Each alert as its last evaluation left it. */
    public List<AlertStatus> alerts() {
        return alerts.statuses();
    }

    /**
     * The engine's health (see {@link Health} for status and score): Agent-0, each specialist
     * ({@code loaded}, {@code lazy} or {@code failed}), the memory store, the write-behind
     * queue, the alerts firing, the cloud budget left and the compute backend. Cheap: it reads
     * state the engine keeps, except the cloud ledger's file.
     */
    public Health health() {
        Map<String, Health.Component> c = new LinkedHashMap<>();
        boolean isClosed;
        synchronized (lock) {
            isClosed = closed;
        }
        c.put("agent0", isClosed ? component(Health.Status.DOWN, "closed", "the council is closed")
                : component(Health.Status.UP, "loaded", agent0.name()));
        specialists.forEach((name, m) -> {
            String failure = m.failure();
            c.put("specialist:" + name, m.isLoaded() ? component(Health.Status.UP, "loaded", "")
                    : failure != null ? component(Health.Status.DEGRADED, "failed", failure)
                    : component(Health.Status.UP, "lazy", "loads on its first escalation"));
        });
        c.put("memory", memory.degraded() ? component(Health.Status.DEGRADED, "unreachable", "writes or reads of the store fail")
                : component(Health.Status.UP, "reachable", ""));
        int depth = memory.queueDepth();
        double flushLimit = alerts.status(Alert.FLUSH_STUCK).rule().threshold();
        c.put("writeBehind", component(depth > flushLimit ? Health.Status.DEGRADED : Health.Status.UP,
                depth > flushLimit ? "backlog" : "flushing", depth + " entries waiting to be written"));
        List<Alert> firing = alerts.firing();
        c.put("alerts", firing.isEmpty() ? component(Health.Status.UP, "none firing", "")
                : component(Health.Status.DEGRADED, "firing", firing.stream().map(Alert::ruleName).toList().toString()));
        c.put("cloud", cloudHealth());
        c.put("compute", gpu.utilization().isPresent()
                ? component(Health.Status.UP, "gpu", "utilization " + Math.round(gpu.utilization().getAsDouble()) + " %")
                : component(Health.Status.UP, "cpu", "no GPU backend: the GPU alert is inactive"));
        return Health.of(c);
    }

    private Health.Component cloudHealth() {
        if (cloud == null) {
            return component(Health.Status.UP, "not configured", "");
        }
        double left;
        try {
            left = cloud.dailyBudgetUsd() - cloud.spentTodayUsd();
        } catch (RuntimeException e) {
            return component(Health.Status.DEGRADED, "ledger unreadable", String.valueOf(e.getMessage()));
        }
        String detail = String.format(Locale.ROOT, "$%.4f left of $%.2f today", Math.max(0, left), cloud.dailyBudgetUsd());
        return cloud.refusedTodayUsd() > 0 || left <= 0 ? component(Health.Status.DEGRADED, "budget exhausted", detail)
                : component(Health.Status.UP, "budget left", detail);
    }

    private static Health.Component component(Health.Status status, String state, String detail) {
        return new Health.Component(status, state, detail);
    }

    /** Agent-0, for inspection; owned by the council. */
    public LanguageModel agent0() {
        return agent0;
    }

    private CompletableFuture<Reply> submit(String session, String text, StreamListener listener) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(text, "text");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("AgentCouncil is closed");
            }
            SessionState state = sessions.computeIfAbsent(session, SessionState::new);
            // Chained on the session's previous turn, failed or not: turns apply in submission order.
            CompletableFuture<Reply> next = state.tail.handle((r, e) -> null)
                    .thenApplyAsync(v -> turn(state, text, listener), turns);
            state.tail = next;
            return next;
        }
    }

    private static Reply join(CompletableFuture<Reply> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    // ---- one turn ---------------------------------------------------------------------------

    private Reply turn(SessionState state, String text, StreamListener listener) {
        long start = System.nanoTime();
        StreamListener out = listener != null ? listener : token -> { };
        state.busy.lock();
        try {
            // A failing store costs this turn its memory, never its answer.
            Memory.Context context = null;
            boolean memoryDegraded = false;
            try {
                context = memory.context(state.id, text, 2 * historyTurns);
            } catch (MemoryStoreException e) {
                memoryDegraded = true;
            }
            List<ChatMessage> conversation = new ArrayList<>();
            String block = context != null ? context.render() : "";
            String system = systemPrompt == null ? block : block.isEmpty() ? systemPrompt : systemPrompt + "\n\n" + block;
            if (!system.isEmpty()) {
                conversation.add(ChatMessage.system(system));
            }
            if (context != null) {
                context.verbatim().forEach(e -> conversation.add(new ChatMessage(e.role(), e.text())));
            }
            conversation.add(ChatMessage.user(text));

            List<Stage> stages = new ArrayList<>();
            Agent0Answer a0 = agent0Answer(state, conversation, out);
            stages.add(a0.stage);
            Reply reply;
            if (!a0.early && a0.stage.confidence() >= gate) {
                reply = reply(a0.stage.text(), Route.AGENT0, a0.stage.confidence(), false, stages, "", start);
            } else {
                reply = escalate(conversation, text, a0, stages, out, start);
            }
            try {
                memory.remember(state.id, List.of(ChatMessage.user(text), ChatMessage.assistant(reply.text())));
            } catch (MemoryStoreException e) {
                memoryDegraded = true;
            }
            reply = reply.withMemory(context != null ? memoryLines(context) : List.of(), memoryDegraded || memory.degraded());
            metrics.reply(reply);
            out.onComplete(reply);
            return reply;
        } finally {
            state.busy.unlock();
        }
    }

    /** Memory's token counter: its budget and compression ratio are in Agent-0's tokens. */
    private int agent0Tokens(String text) {
        return agent0.tokenizer().encode(text).length;
    }

    private static List<String> memoryLines(Memory.Context context) {
        List<String> lines = new ArrayList<>();
        context.older().facts().forEach(f -> lines.add(f.label() + ": " + f.value()));
        context.recalled().forEach(r -> lines.add(r.entry().text()));
        return lines;
    }

    private record Agent0Answer(Stage stage, boolean early) {}

    private Agent0Answer agent0Answer(SessionState state, List<ChatMessage> conversation, StreamListener out) {
        Generator g = generatorFor(state);
        int[] prompt = fittedPrompt(g, conversation);
        CancellationToken stop = new CancellationToken();
        List<GeneratedToken> sofar = new ArrayList<>();
        boolean[] early = {false};
        // Stopping early only makes sense where there is a tier to escalate to.
        int decideAt = specialists.isEmpty() && cloud == null ? 0 : decideEarlyTokens;
        long t0 = System.nanoTime();
        GenerationResult r = g.generate(prompt, generation, (token, piece) -> {
            sofar.add(token);
            if (!piece.isEmpty()) {
                out.onToken(new StreamToken(Route.AGENT0, agent0.name(), piece));
            }
            if (sofar.size() == decideAt && estimator.estimate(sofar) < gate) {
                early[0] = true;
                stop.cancel();
            }
        }, stop);
        Duration latency = Duration.ofNanos(System.nanoTime() - t0);
        metrics.agent0(latency);
        metrics.generation(agent0.name(), r.timings());
        double confidence = estimator.estimate(r.tokens());
        Stage stage = new Stage(Route.AGENT0, agent0.name(), r.text(), confidence, r.timings().prefillTokens(),
                r.tokens().size(), latency, Duration.ZERO, early[0] ? "stopped early after " + decideEarlyTokens + " tokens" : "");
        return new Agent0Answer(stage, early[0]);
    }

    /**
     * The prompt of the conversation, without its oldest turns as far as needed to fit Agent-0's
     * context; rendered and tokenized once per try, and the last try is what Agent-0 reads.
     */
    private int[] fittedPrompt(Generator g, List<ChatMessage> conversation) {
        int first = systemPrompt != null ? 1 : 0;
        List<ChatMessage> c = new ArrayList<>(conversation);
        while (true) {
            int[] prompt = g.chatPrompt(c);
            if (prompt.length + maxNewTokens <= agent0ContextLength) {
                return prompt;
            }
            if (c.size() - first <= 1) {
                throw new IllegalArgumentException("message too long: " + prompt.length + " prompt tokens and "
                        + maxNewTokens + " new ones do not fit Agent-0's context of " + agent0ContextLength);
            }
            c.remove(first); // the oldest user or assistant message
        }
    }

    private Reply escalate(List<ChatMessage> conversation, String text, Agent0Answer a0, List<Stage> stages,
            StreamListener out, long start) {
        Answer best = new Answer("agent0", agent0.name(), a0.stage.text(), a0.stage.confidence(), 0, 0);
        Route bestRoute = Route.AGENT0;
        String policyName = "";
        List<String> picked = specialists.isEmpty() ? List.of() : router.route(text, specialistInfos);
        // One member's answer is the council's whatever the policy, so it streams as it is made;
        // several members' answers stream once the policy has chosen.
        StreamListener live = picked.size() == 1 ? out : null;
        if (!picked.isEmpty()) {
            metrics.escalation(Route.COUNCIL);
            out.onEscalation(new Escalation(Route.AGENT0, Route.COUNCIL, a0.stage.confidence(), gate, picked, a0.early));
            List<Answer> answers = new ArrayList<>();
            for (String name : picked) {
                SpecialistModel member = specialists.get(name);
                if (member == null) {
                    throw new IllegalStateException("router " + router + " picked \"" + name + "\", which is not a specialist");
                }
                Answer a = consult(member, conversation, stages, live);
                if (a != null) {
                    answers.add(a);
                }
            }
            if (!answers.isEmpty()) {
                long t0 = System.nanoTime();
                Answer chosen = policy.choose(conversation, answers);
                if (!answers.contains(chosen)) { // a synthesis: the chair is a stage of its own
                    stages.add(new Stage(Route.COUNCIL, chosen.model(), chosen.text(), chosen.confidence(), chosen.tokensIn(),
                            chosen.tokensOut(), Duration.ofNanos(System.nanoTime() - t0), Duration.ZERO, "chair"));
                }
                best = chosen;
                bestRoute = Route.COUNCIL;
                policyName = policy.name();
            }
        }
        if (best.confidence() >= gate || cloud == null) {
            boolean degraded = bestRoute == Route.AGENT0 && !picked.isEmpty(); // every member failed
            if (bestRoute != Route.AGENT0 && live == null) {
                out.onToken(new StreamToken(bestRoute, best.model(), best.text()));
            }
            return reply(best.text(), bestRoute, best.confidence(), degraded, stages, policyName, start);
        }
        metrics.escalation(Route.CLOUD);
        out.onEscalation(new Escalation(bestRoute, Route.CLOUD, best.confidence(), gate, List.of(cloud.model()), false));
        CloudResult c = cloud.complete(conversation, maxNewTokens);
        metrics.cloudSpend(c.costUsd());
        boolean ok = c.status() == CloudResult.Status.OK;
        stages.add(new Stage(Route.CLOUD, cloud.model(), ok ? c.text() : "", Double.NaN, c.tokensIn(), c.tokensOut(),
                c.latency(), Duration.ZERO, ok ? "" : c.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + c.detail()));
        if (ok) {
            out.onToken(new StreamToken(Route.CLOUD, cloud.model(), c.text()));
            return reply(c.text(), Route.CLOUD, Double.NaN, false, stages, policyName, start);
        }
        // The cloud was wanted and is unavailable: the best local answer, marked degraded.
        out.onToken(new StreamToken(bestRoute, best.model(), best.text()));
        return reply(best.text(), bestRoute, best.confidence(), true, stages, policyName, start);
    }

    /**
     * A specialist's answer on a fresh cache, streamed to {@code live} if not null; or null (and a
     * stage saying why) when it cannot load.
     */
    /**
     * A member's own estimator if it has one; else the council's, calibrated for the member's
     * model where the council's is the default (the minimum token probability, uncalibrated) and
     * the model's calibration for it is known (roster models: {@code models.json}). So that the
     * default policy compares calibrated confidences, not one model's raw scores with another's.
     */
    static ConfidenceEstimator memberEstimator(Specialist s, ConfidenceEstimator council) {
        if (s.estimator() != null) {
            return s.estimator();
        }
        if (!council.equals(TokenProbabilityEstimator.defaults())) {
            return council;
        }
        return s.source().calibration().map(c -> (ConfidenceEstimator) TokenProbabilityEstimator.defaults().calibrated(c.a(), c.b()))
                .orElse(council);
    }

    private Answer consult(SpecialistModel member, List<ChatMessage> conversation, List<Stage> stages, StreamListener live) {
        Specialist s = member.specialist;
        SpecialistModel.Loaded loaded;
        try {
            boolean wasLoaded = member.isLoaded();
            loaded = member.get();
            if (!wasLoaded) {
                metrics.modelLoaded(loaded.model().name(), member.loadTime());
            }
        } catch (IOException | RuntimeException e) {
            stages.add(new Stage(Route.COUNCIL, s.name(), "", 0, 0, 0, Duration.ZERO, Duration.ZERO, "load failed: " + e.getMessage()));
            return null;
        }
        LanguageModel model = loaded.model();
        ConfidenceEstimator est = member.estimator();
        long t0 = System.nanoTime();
        try (Generator g = Generator.open(model, Math.min(model.trainedContextLength(), specialistContextLength))) {
            String name = model.name();
            GenerationResult r = g.chat(conversation, generation, live == null ? TokenListener.NONE : (token, piece) -> {
                if (!piece.isEmpty()) {
                    live.onToken(new StreamToken(Route.COUNCIL, name, piece));
                }
            }, CancellationToken.none());
            metrics.generation(name, r.timings());
            double confidence = est.estimate(r.tokens());
            stages.add(new Stage(Route.COUNCIL, model.name(), r.text(), confidence, r.timings().prefillTokens(), r.tokens().size(),
                    Duration.ofNanos(System.nanoTime() - t0), loaded.waited(), ""));
            return new Answer(s.name(), model.name(), r.text(), confidence, r.timings().prefillTokens(), r.tokens().size());
        }
    }

    private static Reply reply(String text, Route route, double confidence, boolean degraded, List<Stage> stages, String policy,
            long start) {
        return new Reply(text, route, confidence, degraded, stages, policy, Duration.ofNanos(System.nanoTime() - start), List.of());
    }

    // ---- sessions ---------------------------------------------------------------------------

    /** A session's turn chain and its Agent-0 cache (null while evicted). */
    private static final class SessionState {
        final String id;
        final ReentrantLock busy = new ReentrantLock();
        CompletableFuture<Reply> tail = CompletableFuture.completedFuture(null);
        Generator generator;

        SessionState(String id) {
            this.id = id;
        }
    }

    /**
     * The session's Agent-0 generator, opened if it was not live; the least recently used idle
     * sessions give theirs up beyond {@code maxLiveSessions} (their next turn re-reads the
     * history from memory).
     */
    private Generator generatorFor(SessionState state) {
        synchronized (lock) {
            sessions.get(state.id); // touch: most recently used
            if (state.generator != null) {
                return state.generator;
            }
            for (var it = sessions.values().iterator(); it.hasNext() && liveGenerators >= maxLiveSessions; ) {
                SessionState lru = it.next();
                if (lru != state && lru.generator != null && lru.busy.tryLock()) {
                    try {
                        lru.generator.close();
                        lru.generator = null;
                        liveGenerators--;
                        if (lru.tail.isDone()) {
                            it.remove();
                        }
                    } finally {
                        lru.busy.unlock();
                    }
                }
            }
            state.generator = Generator.open(agent0, agent0ContextLength);
            liveGenerators++;
            return state.generator;
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------

    /**
     * Stops accepting messages, lets the turns already submitted finish (up to the close
     * timeout, then interrupts them), then frees the models, closes memory and the cloud client.
     * Safe to call twice and from several threads.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        turns.shutdown();
        try {
            if (!turns.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                turns.shutdownNow();
                turns.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            turns.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            for (SessionState s : sessions.values()) {
                if (s.generator != null) {
                    s.generator.close();
                    s.generator = null;
                }
            }
            sessions.clear();
            liveGenerators = 0;
        }
        specialists.values().forEach(SpecialistModel::close);
        if (agent0Owned) {
            agent0.close();
        }
        if (cloud != null) {
            cloud.close();
        }
        memory.close();
        alerts.close();
        for (AlertSink sink : ownedSinks) {
            if (sink instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // a sink that cannot close loses at most its queued notifications
                }
            }
        }
    }
}
