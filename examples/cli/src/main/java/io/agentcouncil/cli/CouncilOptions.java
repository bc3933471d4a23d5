package io.agentcouncil.cli;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.AgentCouncilBuilder;
import io.agentcouncil.ModelSource;
import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.memory.MemoryStore;
import io.agentcouncil.memory.MemoryStoreException;
import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.monitoring.Alerting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The council {@code chat} and {@code ask} run, as options: who sits on it, the gate, the token
 * cap, where memory lives. Checked before anything loads, so a typo is a usage error rather than
 * a stack trace after a model load.
 */
final class CouncilOptions {
    static final String DEFAULT_AGENT0 = InspectCommand.DEFAULT_MODEL;
    /** The roster's specialists, by the names the default router expects: the first one answers what matches none. */
    static final List<String> DEFAULT_SPECIALISTS = List.of("general=qwen2.5-coder-0.5b-instruct", "code=qwen2.5-coder-1.5b-instruct");
    /** What the router reads for the specialists it knows; any other is described by its own name. */
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "general", "general knowledge, facts and everyday questions",
            "code", "programming and code");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--agent0", paramLabel = "MODEL", description = "Agent-0, the model that answers first: a roster name or "
            + "a GGUF path (default: ${DEFAULT-VALUE}).")
    String agent0 = DEFAULT_AGENT0;

    @Option(names = "--specialist", paramLabel = "NAME=MODEL", description = {"A council member, loaded on its first "
            + "escalation; repeatable, and any given replace the defaults: "
            + "general=qwen2.5-coder-0.5b-instruct, code=qwen2.5-coder-1.5b-instruct.",
            "The router sends a message to the member whose description shares its words (general: facts and everyday "
                    + "questions; code: programming, and anything that looks like code; another NAME is its own "
                    + "description), and to the first member when none matches."})
    List<String> specialists = new ArrayList<>();

    @Option(names = "--gate", paramLabel = "G", description = "Confidence gate in [0, 1]: below it Agent-0's answer "
            + "escalates to the council (default: ${DEFAULT-VALUE}).")
    double gate = AgentCouncilBuilder.DEFAULT_GATE;

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "Hard cap on the tokens of any model's answer "
            + "(default: ${DEFAULT-VALUE}).")
    int maxNewTokens = AgentCouncilBuilder.DEFAULT_MAX_NEW_TOKENS;

    @Option(names = "--memory", paramLabel = "PATH", description = "Keep sessions' memory in this SQLite file (created if "
            + "absent), so a session can be taken up again later; default: in memory, gone at exit.")
    Path memory;

    @Option(names = "--threads", paramLabel = "N", description = "Threads per model evaluation; 0 is one per core "
            + "(default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--fetch", description = "Fetch missing roster models first (scripts/fetch-models), without asking.")
    boolean fetch;

    /** A specialist's seat: its name and the model given for it. */
    record Member(String name, String model) {}

    /** The specialists, validated; {@code NAME=MODEL} as given, or the defaults. */
    List<Member> specialistMembers() {
        List<Member> members = new ArrayList<>();
        for (String s : specialists.isEmpty() ? DEFAULT_SPECIALISTS : specialists) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw usage("--specialist takes NAME=MODEL, e.g. general=qwen2.5-coder-0.5b-instruct: " + s);
            }
            Member m = new Member(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
            if (members.stream().anyMatch(o -> o.name().equals(m.name()))) {
                throw usage("--specialist " + m.name() + " is given twice");
            }
            members.add(m);
        }
        return members;
    }

    /** Checks what can be checked without loading anything; usage errors name the option. */
    void validate() {
        if (!(gate >= 0 && gate <= 1)) {
            throw usage("--gate must be between 0 and 1: " + gate);
        }
        if (maxNewTokens < 1 || maxNewTokens > 4096) {
            throw usage("--max-new-tokens must be between 1 and 4096: " + maxNewTokens);
        }
        if (threads < 0 || threads > 256) {
            throw usage("--threads must be between 0 (one per core) and 256: " + threads);
        }
        if (memory != null) {
            Path parent = memory.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw usage("--memory " + memory + ": the folder " + parent + " does not exist");
            }
        }
        source(agent0);
        specialistMembers().forEach(m -> source(m.model()));
    }

    /**
     * Validates, makes sure every roster model is in the cache (fetching it with --fetch or when
     * the user agrees), then builds the council, showing progress on {@code err} while Agent-0 loads.
     */
    RunningCouncil open(PrintWriter err) throws InterruptedException {
        validate();
        List<Member> members = specialistMembers();
        List<String> models = new ArrayList<>(List.of(agent0));
        members.forEach(m -> models.add(m.model()));
        MissingModels.ensure(models, fetch, err);

        AlertLines alerts = new AlertLines();
        AgentCouncilBuilder b = AgentCouncil.builder()
                .agent0(source(agent0))
                .confidenceGate(gate)
                .maxNewTokens(maxNewTokens)
                .threads(threads)
                // Alerts as lines between turns: the default log sink would print into a streaming answer.
                .alerting(Alerting.builder().sinks(alerts).build());
        Map<String, String> seats = new LinkedHashMap<>();
        for (Member m : members) {
            b.specialist(m.name(), DESCRIPTIONS.getOrDefault(m.name(), m.name()), source(m.model()));
            seats.put(m.name(), m.model());
        }
        MemoryStore store = memory == null ? null : openStore();
        if (store != null) {
            b.memory(store);
        }
        Progress.Task task = Progress.on(err).start("loading Agent-0 " + agent0);
        AgentCouncil council;
        try {
            council = b.build();
        } catch (RuntimeException e) {
            task.close();
            throw buildFailure(e, store);
        }
        task.done(String.format(Locale.ROOT, "Agent-0 %s loaded in %.1f s%s", agent0, task.seconds(),
                seats.isEmpty() ? "; no council" : "; the council (" + String.join(", ", seats.keySet())
                        + ") loads on its first escalation"));
        return new RunningCouncil(council, seats, alerts);
    }

    private MemoryStore openStore() {
        try {
            return MemoryStores.sqlite(memory);
        } catch (MemoryStoreException e) {
            throw new CliException(CliException.BAD_FILE, "--memory " + memory + ": " + e.getMessage());
        }
    }

    /** What went wrong while building, as the CLI reports it. Closing the store twice is harmless, leaking it is not. */
    private static RuntimeException buildFailure(RuntimeException e, MemoryStore store) {
        if (store != null) {
            store.close();
        }
        if (e instanceof IllegalArgumentException) {
            return new CliException(CliException.USAGE, e.getMessage());
        }
        if (e instanceof GgufFormatException || e instanceof UnsupportedModelException || e instanceof MemoryStoreException) {
            return new CliException(CliException.BAD_FILE, e.getMessage());
        }
        return e;
    }

    /** A roster model by name, else a GGUF file by path; anything else is a usage error. */
    private ModelSource source(String model) {
        ModelRoster roster = ModelRoster.get();
        if (roster.find(model).isPresent()) {
            return ModelSource.roster(model);
        }
        return ModelSource.path(ModelFiles.resolve(model));
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
