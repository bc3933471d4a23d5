package io.agentcouncil.examples.http;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.ModelSource;
import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.monitoring.Alerting;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.Map;

/**
 * The chat server in-process on a free loopback port, over the real Agent-0 (SmolLM2) and one
 * real specialist (the 0.5B Qwen), as {@link ChatServerTest} sets it up: "What is the capital of
 * France?" escalates from SmolLM2 to the Qwen, which says Paris. For the tests that point real
 * clients (curl, the OpenAI Python client, Chromium) at it.
 */
final class CouncilServer implements AutoCloseable {
    static final String FRANCE = "What is the capital of France?";
    static final String QWEN = "qwen2.5-coder-0.5b-instruct";

    private final LanguageModel smollm;
    private final LanguageModel qwen;
    private final CouncilService service;
    private final Api api;
    private final String baseUrl;

    private CouncilServer(LanguageModel smollm, LanguageModel qwen, CouncilService service, Javalin app) {
        this.smollm = smollm;
        this.qwen = qwen;
        this.service = service;
        this.api = Api.start(app);
        this.baseUrl = "http://127.0.0.1:" + app.port();
    }

    /** Started with the default limits and a prompt limit of 256 tokens; {@code bearerToken} may be null. */
    static CouncilServer start(String bearerToken) throws IOException {
        ModelRoster roster = ModelRoster.get();
        RosterModels.require(RosterModels.SMOLLM2);
        RosterModels.require(QWEN);
        LanguageModel smollm = LocalModel.load(roster.pathOf(roster.find(RosterModels.SMOLLM2).orElseThrow()), 2);
        LanguageModel qwen = null;
        try {
            qwen = LocalModel.load(roster.pathOf(roster.find(QWEN).orElseThrow()), 2);
            ServerLimits limits = ServerLimits.fromEnvironment(Map.of()).withMaxPromptTokens(256).withBearerToken(bearerToken);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AgentCouncil council = AgentCouncil.builder().agent0(ModelSource.instance(smollm)).threads(2).maxNewTokens(24)
                    .specialist("general", "general questions, facts", ModelSource.instance(qwen))
                    .meterRegistry(registry).alerting(Alerting.builder().sinks().build()).build();
            CouncilService service = new CouncilService(council, registry, limits);
            Javalin app = AgentCouncilHttp.create(roster, service);
            return new CouncilServer(smollm, qwen, service, app);
        } catch (IOException | RuntimeException | Error e) {
            smollm.close();
            if (qwen != null) {
                qwen.close();
            }
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    String baseUrl() {
        return baseUrl;
    }

    Api api() {
        return api;
    }

    String agent0Name() {
        return smollm.name();
    }

    String specialistName() {
        return qwen.name();
    }

    @Override
    public void close() {
        try {
            service.close();
            api.stop();
        } finally {
            smollm.close();
            qwen.close();
        }
    }
}
