package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class ContextCompressorTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    /** A word-ish token counter: whitespace-separated pieces. */
    private static final ToIntFunction<String> WORDS = s -> s.isBlank() ? 0 : s.strip().split("\\s+").length;
    /** The prompt keeps the last 3 turns verbatim: 6 entries. */
    private static final int VERBATIM = 6;

    private final ContextCompressor compressor = new ContextCompressor(WORDS, 64);

    /** Alternating user / assistant entries of session "s", numbered from 1. */
    private static List<MemoryEntry> session(String... texts) {
        List<MemoryEntry> out = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            out.add(new MemoryEntry("s", i + 1, i % 2 == 0 ? "user" : "assistant", texts[i], T0.plusSeconds(i), null));
        }
        return out;
    }

    private static List<MemoryEntry> entries(List<PlantedFacts.Turn> turns) {
        List<String> texts = new ArrayList<>();
        for (PlantedFacts.Turn t : turns) {
            texts.add(t.user());
            texts.add(t.assistant());
        }
        return session(texts.toArray(String[]::new));
    }

    @Test
    void rendersFactsThenSummary() {
        CompressedHistory h = compressor.compress(session(
                "My bike is turquoise. Can you suggest a matching helmet?", "A white one would look sharp.",
                "My name is Ada.", "Nice to meet you, Ada.",
                "How do I make a risotto?", "Toast the rice, then add warm stock a ladle at a time."));
        assertEquals("Facts the user told you:\n"
                + "- bike's colour: turquoise\n"
                + "- name: Ada\n"
                + "Earlier in this conversation, the user said:\n"
                + "- Can you suggest a matching helmet?\n"
                + "- How do I make a risotto?", h.render());
    }

    @Test
    void rendersOnlyTheSectionsThatHaveContent() {
        assertEquals("", CompressedHistory.EMPTY.render());
        assertEquals("", compressor.compress(session("Thanks!", "You are welcome.")).render());
        assertEquals("Facts the user told you:\n- dog's name: Rex",
                compressor.compress(session("My dog is called Rex.", "What a good name.")).render());
        assertEquals("Earlier in this conversation, the user said:\n- What causes thunder?",
                compressor.compress(session("What causes thunder?", "Lightning heats the air.")).render());
    }

    @Test
    void laterFactsReplaceEarlierOnesInFirstMentionOrder() {
        CompressedHistory h = compressor.compress(session(
                "My bike is red.", "Noted.",
                "My name is Ada.", "Hello Ada.",
                "I repainted it. My bike is turquoise now.", "Lovely colour."));
        assertEquals(List.of(new Fact("bike", "colour", "turquoise"), new Fact("user", "name", "Ada")), h.facts());
        assertEquals(List.of("I repainted it."), h.summary());
    }

    @Test
    void summarisesUserSentencesThatAreNoFacts() {
        CompressedHistory h = compressor.compress(session(
                "Thanks! Now, how do I roast peppers?", "Roast them whole in a hot oven until blistered.",
                "My bike is not red.", "Understood.",
                "How do I roast peppers?", "As before: a hot oven.",
                "The weather here has been lovely all week.", "Glad to hear it.",
                "Another thing I was curious about. What is a comet? It keeps coming up.", "Ice and dust."));
        // "Thanks!" is too short to say anything; the negation is kept as said; a message's question
        // stands for it before its other sentences; assistant replies are not summarised.
        assertEquals(List.of("Now, how do I roast peppers?", "My bike is not red.", "How do I roast peppers?",
                "The weather here has been lovely all week.", "What is a comet?"), h.summary());
        assertEquals(List.of(), h.facts());

        // a repeated question is kept once, where it was last asked
        CompressedHistory repeated = compressor.compress(session("What causes thunder?", "Lightning.",
                "What is a comet?", "Ice and dust.", "What causes thunder?", "Still lightning."));
        assertEquals(List.of("What is a comet?", "What causes thunder?"), repeated.summary());
    }

    @Test
    void capsLongSentences() {
        String longSentence = "Could you " + "please ".repeat(60) + "help?";
        String line = compressor.compress(session(longSentence, "Of course.")).summary().get(0);
        assertTrue(line.length() <= ContextCompressor.MAX_LINE_CHARS, line);
        assertTrue(line.startsWith("Could you please please") && line.endsWith("please…"), line);
    }

    @Test
    void keepsTheNewestLinesWithinTheBudget() {
        List<String> texts = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            texts.add("Question number " + i + " is about something else entirely?");
            texts.add("An answer.");
        }
        List<MemoryEntry> older = session(texts.toArray(String[]::new));
        for (int budget : new int[] {0, 7, 8, 40, 63, 64, 1000}) {
            CompressedHistory h = new ContextCompressor(WORDS, budget).compress(older);
            int used = h.summary().stream().mapToInt(WORDS).sum();
            assertTrue(used <= budget, budget + ": " + used);
            // every line is 8 words, so the budget holds exactly floor(budget / 8) of the newest
            int expected = Math.min(30, budget / 8);
            assertEquals(expected, h.summary().size(), "budget " + budget);
            if (expected > 0) {
                assertEquals("Question number 30 is about something else entirely?", h.summary().get(expected - 1));
                assertEquals("Question number " + (31 - expected) + " is about something else entirely?",
                        h.summary().get(0));
            }
        }
        CompressedHistory chars = ContextCompressor.withCharacterBudget(120).compress(older);
        assertEquals(2, chars.summary().size(), chars.summary().toString());
        assertTrue(chars.summary().stream().mapToInt(String::length).sum() <= 120);
    }

    @Test
    void incrementalEqualsBatch() {
        List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(11, 12);
        List<MemoryEntry> all = entries(PlantedFacts.conversation(11, facts, 50));
        CompressedHistory batch = compressor.compress(all);
        // the council's use: each turn, the two entries that just left the verbatim window
        CompressedHistory stepwise = CompressedHistory.EMPTY;
        for (int i = 0; i < all.size(); i += 2) {
            stepwise = compressor.add(stepwise, all.subList(i, i + 2));
        }
        assertEquals(batch, stepwise);
        // any chunking, also one with overlaps (already folded entries are skipped)
        Random random = new Random(5);
        CompressedHistory chunked = CompressedHistory.EMPTY;
        int from = 0;
        while (from < all.size()) {
            int to = Math.min(all.size(), from + 1 + random.nextInt(9));
            int overlap = Math.max(0, from - random.nextInt(4));
            chunked = compressor.add(chunked, all.subList(overlap, to));
            from = to;
        }
        assertEquals(batch, chunked);
        assertEquals(all.get(all.size() - 1).seq(), batch.throughSeq());
        assertEquals(12, batch.facts().size());
        assertTrue(batch.summary().size() > 3, batch.summary().toString());
    }

    @Test
    void rejectsEntriesOutOfOrder() {
        List<MemoryEntry> e = session("What is a comet?", "Ice and dust.", "What causes thunder?");
        assertThrows(IllegalArgumentException.class, () -> compressor.compress(List.of(e.get(2), e.get(0))));
        CompressedHistory once = compressor.compress(e);
        assertEquals(once, compressor.add(once, e));
    }

    @Test
    void longConversationKeepsEveryPlantedFactAndCompressesEightfold() {
        List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(7, 10);
        List<MemoryEntry> all = entries(PlantedFacts.conversation(7, facts, 60));
        assertEquals(140, all.size());
        List<MemoryEntry> older = all.subList(0, all.size() - VERBATIM);
        List<MemoryEntry> verbatim = all.subList(all.size() - VERBATIM, all.size());

        CompressedHistory h = compressor.compress(older);
        String block = h.render();
        for (PlantedFacts.PlantedFact f : facts) {
            assertTrue(block.contains("\n- " + f.fact().label() + ": " + f.answer() + "\n"), f.statement() + "\n" + block);
        }
        double ratio = ContextCompressor.compressionRatio(older, verbatim, h, WORDS);
        assertTrue(ratio >= 8, "ratio " + ratio + "\n" + block);
    }

    @Test
    void compressionRatioCountsHistoryOverWhatThePromptCarries() {
        List<MemoryEntry> all = session("My name is Ada.", "Hello Ada, nice to meet you.", "What is a comet?", "Ice.");
        List<MemoryEntry> older = all.subList(0, 2);
        List<MemoryEntry> verbatim = all.subList(2, 4);
        CompressedHistory h = compressor.compress(older);
        // history 4 + 6 + 4 + 1 = 15 words; carried: "Facts the user told you:\n- name: Ada" (8) + 5 verbatim
        assertEquals(15.0 / 13.0, ContextCompressor.compressionRatio(older, verbatim, h, WORDS), 1e-12);
        assertEquals(1.0, ContextCompressor.compressionRatio(List.of(), List.of(), CompressedHistory.EMPTY, WORDS));
    }
}
