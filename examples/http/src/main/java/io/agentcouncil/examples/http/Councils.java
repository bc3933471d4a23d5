package io.agentcouncil.examples.http;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.AgentCouncilBuilder;
import io.agentcouncil.ModelSource;
import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;

/** The server's council: the roster's Agent-0 and the specialists that are on disk. */
final class Councils {
    static final String AGENT0 = "smollm2-135m-instruct";

    /** A roster model the server cannot start without is not on disk. */
    static final class MissingModelException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingModelException(String model, Path dir) {
            super("model " + model + " is not in " + dir + ": run scripts/fetch-models " + model);
        }
    }

    private record Member(String name, String description, String model) {}

    private static final Member[] SPECIALISTS = {
        new Member("general", "general questions, facts, explanations, advice", "qwen2.5-coder-0.5b-instruct"),
        new Member("code", "programming, code, software, debugging, algorithms", "qwen2.5-coder-1.5b-instruct"),
    };

    private Councils() {}

    /** @param memory a SQLite file for sessions' memory, or null to keep it in memory */
    static CouncilService start(ModelRoster roster, Path memory, ServerLimits limits) {
        ModelSpec agent0 = roster.find(AGENT0).orElseThrow();
        if (!roster.isFetched(agent0)) {
            throw new MissingModelException(AGENT0, roster.cacheDir());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentCouncilBuilder b = AgentCouncil.builder().agent0(ModelSource.roster(AGENT0)).meterRegistry(registry);
        for (Member m : SPECIALISTS) {
            roster.find(m.model()).filter(roster::isFetched)
                    .ifPresent(spec -> b.specialist(m.name(), m.description(), ModelSource.roster(m.model())));
        }
        if (memory != null) {
            b.memory(MemoryStores.sqlite(memory));
        }
        if (!limits.gpuProfile().equals("cpu")) {
            System.err.println("GPU profile " + limits.gpuProfile() + " asked for, but this build has the CPU backend only;"
                    + " health reports compute: cpu");
        }
        return new CouncilService(b.build(), registry, limits);
    }
}
