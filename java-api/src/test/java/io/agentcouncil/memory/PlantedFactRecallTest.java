package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.embedding.Embedder;
import io.agentcouncil.template.ChatMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory layer alone, with the real embedder and a real SQLite file: 100 facts planted in
 * five long conversations (20 facts among 80 filler exchanges each), then each fact's question
 * asked at the end. Recall@1: the first message {@link Memory#context} recalls is the one that
 * stated the fact. Also checks that the compressed history holds every fact and that the
 * prompt is at least 8 times smaller than the history.
 */
class PlantedFactRecallTest {

    static final int CONVERSATIONS = 5;
    static final int FACTS_EACH = 20;
    static final int FILLER_EACH = 80;

    @TempDir
    Path dir;

    @Test
    void recallAtOneIsAtLeast98PercentOver100PlantedFacts() {
        int asked = 0;
        int recalledFirst = 0;
        int inFacts = 0;
        double minRatio = Double.MAX_VALUE;
        List<String> misses = new ArrayList<>();
        try (Memory memory = Memory.builder().store(MemoryStores.sqlite(dir.resolve("memory.db")))
                .embedder(Embedder.miniLm()).build()) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                String session = "conversation-" + c;
                List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(100 + c, FACTS_EACH);
                for (PlantedFacts.Turn t : PlantedFacts.conversation(100 + c, facts, FILLER_EACH)) {
                    memory.remember(session, List.of(ChatMessage.user(t.user()), ChatMessage.assistant(t.assistant())));
                }
                memory.flush();
                for (PlantedFacts.PlantedFact f : facts) {
                    Memory.Context context = memory.context(session, f.question(), 6);
                    asked++;
                    String answer = f.answer().toLowerCase(Locale.ROOT);
                    if (!context.recalled().isEmpty()
                            && context.recalled().get(0).entry().text().toLowerCase(Locale.ROOT).contains(answer)) {
                        recalledFirst++;
                    } else {
                        misses.add(f.question() + " -> " + (context.recalled().isEmpty() ? "nothing"
                                : context.recalled().get(0).entry().text() + " (" + context.recalled().get(0).score() + ")"));
                    }
                    if (context.older().facts().stream().anyMatch(x -> x.value().equalsIgnoreCase(f.answer()))) {
                        inFacts++;
                    }
                    minRatio = Math.min(minRatio, context.compressionRatio());
                }
            }
        }
        double recallAt1 = (double) recalledFirst / asked;
        System.out.printf(Locale.ROOT, "planted facts: %d asked, recall@1 %.3f, in extracted facts %d, min compression ratio %.1f%n",
                asked, recallAt1, inFacts, minRatio);
        misses.forEach(m -> System.out.println("  miss: " + m));
        assertTrue(asked >= 100);
        assertTrue(recallAt1 >= 0.98, "recall@1 " + recallAt1 + "; misses: " + misses);
        assertTrue(minRatio >= 8, "compression ratio " + minRatio);
    }
}
