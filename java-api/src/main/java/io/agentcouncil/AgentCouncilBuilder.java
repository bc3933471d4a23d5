package io.agentcouncil;

import io.agentcouncil.cloud.CloudFallback;
import io.agentcouncil.confidence.ConfidenceEstimator;
import io.agentcouncil.confidence.TokenProbabilityEstimator;
import io.agentcouncil.council.CouncilPolicy;
import io.agentcouncil.council.KeywordRouter;
import io.agentcouncil.council.Router;
import io.agentcouncil.council.Specialist;
import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.memory.Memory;
import io.agentcouncil.memory.MemoryStore;
import io.agentcouncil.monitoring.Alerting;
import io.agentcouncil.monitoring.GpuMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Configures an {@link AgentCouncil}; {@link #build()} checks every field, reports all that are
 * wrong in one {@link IllegalArgumentException}, then starts the council. A builder is not
 * thread-safe; the council it builds holds its own copy of the values.
 */
public final class AgentCouncilBuilder {

    /** The default confidence gate: below it Agent-0's answer escalates. */
    public static final double DEFAULT_GATE = 0.65;
    /** The default hard cap on generated tokens per answer. */
    public static final int DEFAULT_MAX_NEW_TOKENS = 160;

    ModelSource agent0 = ModelSource.roster("smollm2-135m-instruct");
    final List<Specialist> specialists = new ArrayList<>();
    Router router = KeywordRouter.single();
    double gate = DEFAULT_GATE;
    ConfidenceEstimator estimator = TokenProbabilityEstimator.defaults();
    int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
    CouncilPolicy policy = CouncilPolicy.highestConfidence();
    CloudFallback.Builder cloud;
    MemoryStore memoryStore;
    Memory memory;
    Embedder embedder;
    MeterRegistry registry;
    Alerting alerting = Alerting.defaults();
    GpuMonitor gpuMonitor = GpuMonitor.none();
    int threads = 0;
    int maxConcurrentTurns = 2;
    int maxLiveSessions = 16;
    int agent0ContextLength = 2048;
    int specialistContextLength = 2048;
    int historyTurns = 3;
    String systemPrompt = "You are a helpful assistant. Answer briefly.";
    int decideEarlyTokens = 0;
    Duration closeTimeout = Duration.ofSeconds(60);

    AgentCouncilBuilder() {}

    /** Agent-0, the fast first model (default: the roster's smollm2-135m-instruct). */
    public AgentCouncilBuilder agent0(ModelSource source) {
        this.agent0 = source;
        return this;
    }

    /** A specialist, loaded on its first escalation. Names are unique. */
    public AgentCouncilBuilder specialist(String name, String description, ModelSource source) {
        return specialist(new Specialist(name, description, source));
    }

    public AgentCouncilBuilder specialist(Specialist specialist) {
        specialists.add(specialist);
        return this;
    }

    /** Picks the specialists for an escalated message (default {@link KeywordRouter#single()}). */
    public AgentCouncilBuilder router(Router router) {
        this.router = router;
        return this;
    }

    /** Answers below this confidence escalate (default 0.65). */
    public AgentCouncilBuilder confidenceGate(double gate) {
        this.gate = gate;
        return this;
    }

    /** Scores answers; a specialist's own estimator takes precedence for it. */
    public AgentCouncilBuilder confidenceEstimator(ConfidenceEstimator estimator) {
        this.estimator = estimator;
        return this;
    }

    /** Hard cap on tokens generated per answer by any model (default 160). */
    public AgentCouncilBuilder maxNewTokens(int maxNewTokens) {
        this.maxNewTokens = maxNewTokens;
        return this;
    }

    /** Chooses the council's reply (default {@link CouncilPolicy#highestConfidence()}). */
    public AgentCouncilBuilder councilPolicy(CouncilPolicy policy) {
        this.policy = policy;
        return this;
    }

    /** The budgeted cloud tier, asked when the council stays below the gate (default: none). */
    public AgentCouncilBuilder cloud(CloudFallback.Builder cloud) {
        this.cloud = cloud;
        return this;
    }

    /**
     * Where sessions' turns are kept (default {@link io.agentcouncil.memory.MemoryStores#inMemory()}),
     * under a {@link Memory} with its defaults (write-behind, recall through {@link #embedder},
     * archival after 30 days) that counts tokens with Agent-0's tokenizer. The council closes it.
     */
    public AgentCouncilBuilder memory(MemoryStore store) {
        this.memoryStore = store;
        this.memory = null;
        return this;
    }

    /** A memory configured in full by the caller (durability, queue, recall, archival); the council closes it. */
    public AgentCouncilBuilder memory(Memory memory) {
        this.memory = memory;
        this.memoryStore = null;
        return this;
    }

    /**
     * The sentence embedder for memory recall when the council makes the memory (default
     * {@link Embedder#miniLm()}); the caller keeps ownership.
     */
    public AgentCouncilBuilder embedder(Embedder embedder) {
        this.embedder = embedder;
        return this;
    }

    /** Where metrics go (default: a private {@link SimpleMeterRegistry}). */
    public AgentCouncilBuilder meterRegistry(MeterRegistry registry) {
        this.registry = registry;
        return this;
    }

    /**
     * The alert rules, their schedule and sinks (default {@link Alerting#defaults()}: the
     * checklist's four rules every 30 s, to the log and to Slack when {@code SLACK_WEBHOOK_URL}
     * is set).
     */
    public AgentCouncilBuilder alerting(Alerting alerting) {
        this.alerting = alerting;
        return this;
    }

    /**
     * The GPU's utilization for {@code gpu_utilization}, the GPU alert and health (default
     * {@link GpuMonitor#none()}: a CPU engine, the GPU alert inactive).
     */
    public AgentCouncilBuilder gpuMonitor(GpuMonitor monitor) {
        this.gpuMonitor = monitor;
        return this;
    }

    /** Threads per model evaluation; 0 (default) is one per CPU. */
    public AgentCouncilBuilder threads(int threads) {
        this.threads = threads;
        return this;
    }

    /** Turns evaluated at once, all sessions together (default 2); the others wait their turn. */
    public AgentCouncilBuilder maxConcurrentTurns(int turns) {
        this.maxConcurrentTurns = turns;
        return this;
    }

    /** Sessions whose Agent-0 KV cache is kept between turns (default 16); others re-read their history. */
    public AgentCouncilBuilder maxLiveSessions(int sessions) {
        this.maxLiveSessions = sessions;
        return this;
    }

    /** Positions of each session's Agent-0 cache (default 2048). */
    public AgentCouncilBuilder agent0ContextLength(int positions) {
        this.agent0ContextLength = positions;
        return this;
    }

    /** Positions of a specialist's cache for one escalation (default 2048). */
    public AgentCouncilBuilder specialistContextLength(int positions) {
        this.specialistContextLength = positions;
        return this;
    }

    /** Earlier turns given verbatim to the models (default 3). */
    public AgentCouncilBuilder historyTurns(int turns) {
        this.historyTurns = turns;
        return this;
    }

    /** The system prompt of every model; null or empty for none. */
    public AgentCouncilBuilder systemPrompt(String prompt) {
        this.systemPrompt = prompt;
        return this;
    }

    /**
     * Decide early: after Agent-0's first {@code tokens} tokens, escalate at once if their
     * confidence is already below the gate (0, the default, waits for the whole answer). With
     * the default (minimum-probability) estimator an early escalation is always the full
     * decision too, since a minimum only falls as tokens are added.
     */
    public AgentCouncilBuilder decideEarly(int tokens) {
        this.decideEarlyTokens = tokens;
        return this;
    }

    /** How long {@link AgentCouncil#close()} waits for turns in flight (default 60 s). */
    public AgentCouncilBuilder closeTimeout(Duration timeout) {
        this.closeTimeout = timeout;
        return this;
    }

    /** Every problem with the configuration, one message each; empty when it is valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (agent0 == null) {
            p.add("agent0: missing");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specialists.size(); i++) {
            Specialist s = specialists.get(i);
            String at = "specialists[" + i + "]";
            if (s == null) {
                p.add(at + ": null");
                continue;
            }
            if (s.name() == null || s.name().isBlank()) {
                p.add(at + ".name: missing");
            } else if (!names.add(s.name())) {
                p.add(at + ".name: \"" + s.name() + "\" is used twice");
            }
            if (s.description() == null || s.description().isBlank()) {
                p.add(at + ".description: missing (the router reads it)");
            }
            if (s.source() == null) {
                p.add(at + ".source: missing");
            }
        }
        if (router == null) {
            p.add("router: missing");
        }
        if (!(gate >= 0 && gate <= 1)) {
            p.add("confidenceGate: must be in [0, 1], got " + gate);
        }
        if (estimator == null) {
            p.add("confidenceEstimator: missing");
        }
        if (maxNewTokens < 1 || maxNewTokens > 4096) {
            p.add("maxNewTokens: must be in 1..4096, got " + maxNewTokens);
        }
        if (policy == null) {
            p.add("councilPolicy: missing");
        }
        if (cloud != null) {
            p.addAll(cloud.problems());
        }
        if (alerting == null) {
            p.add("alerting: missing");
        }
        if (gpuMonitor == null) {
            p.add("gpuMonitor: missing (GpuMonitor.none() on a CPU engine)");
        }
        if (threads < 0 || threads > 256) {
            p.add("threads: must be in 0..256 (0: all cores), got " + threads);
        }
        if (maxConcurrentTurns < 1) {
            p.add("maxConcurrentTurns: must be at least 1, got " + maxConcurrentTurns);
        }
        if (maxLiveSessions < maxConcurrentTurns) {
            p.add("maxLiveSessions: must be at least maxConcurrentTurns (" + maxConcurrentTurns + "), got " + maxLiveSessions);
        }
        if (agent0ContextLength < 64) {
            p.add("agent0ContextLength: must be at least 64, got " + agent0ContextLength);
        } else if (agent0ContextLength < maxNewTokens + 16) {
            p.add("agent0ContextLength: " + agent0ContextLength + " leaves no room for a prompt and maxNewTokens " + maxNewTokens);
        }
        if (specialistContextLength < maxNewTokens + 16) {
            p.add("specialistContextLength: " + specialistContextLength + " leaves no room for a prompt and maxNewTokens " + maxNewTokens);
        }
        if (historyTurns < 0) {
            p.add("historyTurns: must be >= 0, got " + historyTurns);
        }
        if (decideEarlyTokens < 0) {
            p.add("decideEarly: must be >= 0 (0: off), got " + decideEarlyTokens);
        }
        if (closeTimeout == null || closeTimeout.isNegative()) {
            p.add("closeTimeout: must be >= 0, got " + closeTimeout);
        }
        return p;
    }

    /**
     * Validates, then starts the council: metrics, memory, then Agent-0 (loaded now).
     *
     * @throws IllegalArgumentException listing every problem
     * @throws java.io.UncheckedIOException when Agent-0 cannot be read
     */
    public AgentCouncil build() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid AgentCouncil configuration: " + String.join("; ", problems));
        }
        return new AgentCouncil(this);
    }
}
