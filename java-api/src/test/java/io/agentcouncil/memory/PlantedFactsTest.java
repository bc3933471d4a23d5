package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlantedFactsTest {

    @Test
    void holdsAtLeastAHundredNonConflictingFacts() {
        int n = PlantedFacts.topicCount();
        assertTrue(n >= 100, "topics: " + n);
        for (long seed = 0; seed < 20; seed++) {
            List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(seed, n);
            assertEquals(n, facts.size());
            assertEquals(n, facts.stream().map(f -> List.of(f.fact().subject(), f.fact().attribute())).distinct().count(),
                    "one fact per subject and attribute");
            assertEquals(n, facts.stream().map(f -> f.answer().toLowerCase(Locale.ROOT)).distinct().count(),
                    "one answer per question");
            assertEquals(n, facts.stream().map(PlantedFacts.PlantedFact::question).distinct().count());
            for (PlantedFacts.PlantedFact f : facts) {
                assertTrue(f.answer().matches("[\\p{L}\\p{N}]+"), "one word: " + f.answer());
                assertEquals(f.answer(), f.fact().value());
                assertTrue(f.statement().contains(f.answer()), f.statement());
                assertFalse(f.question().contains(f.answer()), f.question());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PlantedFacts.facts(1, n + 1));
    }

    @Test
    void sameSeedSameOutputOtherSeedOther() {
        assertEquals(PlantedFacts.facts(3, 10), PlantedFacts.facts(3, 10));
        assertEquals(PlantedFacts.fillerTurns(3, 50), PlantedFacts.fillerTurns(3, 50));
        assertNotEquals(PlantedFacts.facts(3, 10), PlantedFacts.facts(4, 10));
        assertNotEquals(PlantedFacts.fillerTurns(3, 50), PlantedFacts.fillerTurns(4, 50));
        List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(3, 10);
        assertEquals(PlantedFacts.conversation(3, facts, 40), PlantedFacts.conversation(3, facts, 40));
    }

    @Test
    void fillerIsVariedAndNeverGivesAnAnswerAway() {
        Set<String> answers = new HashSet<>();
        for (long seed = 0; seed < 40; seed++) {
            PlantedFacts.facts(seed, PlantedFacts.topicCount()).stream()
                    .map(PlantedFacts.PlantedFact::answer)
                    .filter(a -> !a.matches("\\d+")) // arithmetic filler is full of numbers
                    .forEach(a -> answers.add(a.toLowerCase(Locale.ROOT)));
        }
        Pattern word = Pattern.compile("[\\p{L}]+");
        for (long seed = 0; seed < 10; seed++) {
            List<PlantedFacts.Turn> turns = PlantedFacts.fillerTurns(seed, 200);
            assertTrue(turns.stream().map(PlantedFacts.Turn::user).distinct().count() > 100, "varied");
            for (PlantedFacts.Turn t : turns) {
                Set<String> words = word.matcher((t.user() + " " + t.assistant()).toLowerCase(Locale.ROOT)).results()
                        .map(m -> m.group()).collect(Collectors.toSet());
                words.retainAll(answers);
                assertEquals(Set.of(), words, t.user() + " / " + t.assistant());
            }
        }
    }

    @Test
    void conversationSpreadsTheStatementsThroughTheFiller() {
        List<PlantedFacts.PlantedFact> facts = PlantedFacts.facts(9, 10);
        List<PlantedFacts.Turn> turns = PlantedFacts.conversation(9, facts, 60);
        assertEquals(70, turns.size());
        int previous = -1;
        for (PlantedFacts.PlantedFact f : facts) {
            int at = indexOfStatement(turns, f);
            assertTrue(at > previous, "in order: " + f.statement());
            previous = at;
        }
        assertEquals(0, indexOfStatement(turns, facts.get(0)));
        // the last statement is followed by its share of filler, well outside a 3-turn window
        assertEquals(63, indexOfStatement(turns, facts.get(9)));
        assertTrue(turns.stream().noneMatch(t -> facts.stream().anyMatch(f -> t.user().contains(f.question()))));
    }

    private static int indexOfStatement(List<PlantedFacts.Turn> turns, PlantedFacts.PlantedFact f) {
        String tail = f.statement().substring(1); // the first letter may be lower-cased after a lead-in
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).user().endsWith(tail)) {
                return i;
            }
        }
        return -1;
    }
}
