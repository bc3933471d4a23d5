package io.agentcouncil.benchmarks.eval;

import io.agentcouncil.AgentCouncil;
import io.agentcouncil.AgentCouncilBuilder;
import io.agentcouncil.ModelSource;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.memory.Memory;
import io.agentcouncil.memory.MemoryStores;
import io.agentcouncil.memory.PlantedFacts;
import io.agentcouncil.template.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end answer accuracy on planted facts: each fact lives in a long conversation (the
 * facts of the conversation spread among filler exchanges, remembered into a SQLite file as if
 * they had been said), then its question goes through {@link AgentCouncil#chat} in a session of
 * its own holding that conversation. A reply is right when it contains the expected word.
 * Also prints the memory layer's recall@1 for the same questions.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.agentcouncil.benchmarks.eval.PlantedFactEval \
 *     [--conversations 5] [--facts 20] [--filler 80] [--threads 2] [--specialist NAME]
 * </pre>
 * Without {@code --specialist} Agent-0 answers alone; with one, below the gate the specialist
 * answers (the council route).
 */
public final class PlantedFactEval {

    private PlantedFactEval() {
    }

    public static void main(String[] args) throws IOException {
        int conversations = 5;
        int factsEach = 20;
        int filler = 80;
        int threads = 2;
        String specialist = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--conversations" -> conversations = Integer.parseInt(args[++i]);
                case "--facts" -> factsEach = Integer.parseInt(args[++i]);
                case "--filler" -> filler = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--specialist" -> specialist = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--conversations N, --facts N, --filler N, --threads T, --specialist NAME)");
            }
        }
        Path dir = Files.createTempDirectory("planted-facts");
        Memory memory = Memory.builder().store(MemoryStores.sqlite(dir.resolve("memory.db"))).embedder(Embedder.miniLm()).build();
        AgentCouncilBuilder b = AgentCouncil.builder().threads(threads).maxNewTokens(48).memory(memory);
        if (specialist != null) {
            b.specialist("general", "general knowledge and the user's own facts", ModelSource.roster(specialist));
        }
        int asked = 0;
        int right = 0;
        int recalledFirst = 0;
        int council = 0;
        List<Long> millis = new ArrayList<>();
        try (AgentCouncil c = b.build()) {
            for (int k = 0; k < conversations; k++) {
                List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(100 + k, factsEach);
                List<PlantedFacts.Turn> turns = PlantedFacts.conversation(100 + k, facts, filler);
                for (int f = 0; f < facts.size(); f++) {
                    String session = "c" + k + "-f" + f;
                    for (PlantedFacts.Turn t : turns) {
                        memory.remember(session, List.of(ChatMessage.user(t.user()), ChatMessage.assistant(t.assistant())));
                    }
                }
                memory.flush();
                for (int f = 0; f < facts.size(); f++) {
                    PlantedFacts.PlantedFact fact = facts.get(f);
                    String session = "c" + k + "-f" + f;
                    String answer = fact.answer().toLowerCase(Locale.ROOT);
                    Memory.Context ctx = memory.context(session, fact.question(), 6);
                    if (!ctx.recalled().isEmpty() && ctx.recalled().get(0).entry().text().toLowerCase(Locale.ROOT).contains(answer)) {
                        recalledFirst++;
                    }
                    Reply r = c.chat(session, fact.question());
                    asked++;
                    millis.add(r.latency().toMillis());
                    if (r.route() == Route.COUNCIL) {
                        council++;
                    }
                    boolean ok = r.text().toLowerCase(Locale.ROOT).contains(answer);
                    if (ok) {
                        right++;
                    }
                    System.err.printf(Locale.ROOT, "%-4s %-8s %s -> %s%n", ok ? "ok" : "MISS", r.route().tag(), fact.question(),
                            r.text().replace('\n', ' '));
                }
            }
        }
        millis.sort(null);
        System.out.printf(Locale.ROOT, "planted facts: %d questions; memory recall@1 %.3f; answer accuracy %.3f (%d/%d); "
                        + "council route %d; latency p50 %d ms, p95 %d ms%n",
                asked, (double) recalledFirst / asked, (double) right / asked, right, asked, council,
                millis.get(millis.size() / 2), millis.get((int) Math.min(millis.size() - 1, Math.ceil(0.95 * millis.size()) - 1)));
    }
}
