package io.agentcouncil.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FactExtractorTest {

    private final FactExtractor extractor = new FactExtractor();

    static Stream<Arguments> statements() {
        return Stream.of(
                // "My X is ..." by what the value is
                facts("My bike is turquoise.", "bike", "colour", "turquoise"),
                facts("my bike is dark green now", "bike", "colour", "dark green"),
                facts("My new car is black and white!", "new car", "colour", "black and white"),
                facts("My bike's turquoise.", "bike", "colour", "turquoise"),
                facts("My office is in Berlin.", "office", "location", "Berlin"),
                facts("My bike is 5 years old.", "bike", "age", "5"),
                facts("My dog is called Rex.", "dog", "name", "Rex"),
                facts("My dog is named \"Rex\".", "dog", "name", "Rex"),
                facts("My sister’s called Mia.", "sister", "name", "Mia"),
                facts("My sister's name is Mia.", "sister", "name", "Mia"),
                facts("My best friend's name is Tom.", "best friend", "name", "Tom"),
                facts("My sister's car is red.", "sister's car", "colour", "red"),
                facts("My name is Ada.", "user", "name", "Ada"),
                facts("My name is Ada Lovelace.", "user", "name", "Ada Lovelace"),
                facts("My favourite food is sushi.", "user", "favourite food", "sushi"),
                facts("My favorite color is teal.", "user", "favourite colour", "teal"),
                // a colour word is the value itself where X names a favourite or a colour
                facts("My favourite gemstone is jade.", "user", "favourite gemstone", "jade"),
                facts("My wall colour is teal.", "user", "wall colour", "teal"),
                facts("My lucky number is 7.", "user", "lucky number", "7"),
                facts("My car is a Toyota.", "user", "car", "Toyota"),
                // "I ..." and "My X <verb> ..."
                facts("I live in Lisbon.", "user", "home", "Lisbon"),
                facts("I moved to Porto.", "user", "home", "Porto"),
                facts("My aunt lives in Oslo.", "aunt", "home", "Oslo"),
                facts("I was born in Quito.", "user", "birthplace", "Quito"),
                facts("I'm from Riga.", "user", "hometown", "Riga"),
                facts("My grandmother is from Tallinn.", "grandmother", "hometown", "Tallinn"),
                facts("I work as a carpenter.", "user", "job", "carpenter"),
                facts("My mother works as an electrician.", "mother", "job", "electrician"),
                facts("I work at the museum.", "user", "employer", "museum"),
                facts("I work for Acme.", "user", "employer", "Acme"),
                facts("I am 34 years old.", "user", "age", "34"),
                facts("I'm 34.", "user", "age", "34"),
                facts("I am called Ada.", "user", "name", "Ada"),
                facts("Call me Ada.", "user", "name", "Ada"),
                facts("I have 2 cats.", "user", "number of cats", "2"),
                facts("I've got three guinea pigs.", "user", "number of guinea pigs", "3"),
                // lead-ins, clauses and several facts in one message
                facts("By the way, my bike is turquoise.", "bike", "colour", "turquoise"),
                facts("Oh and I live in Lisbon!", "user", "home", "Lisbon"),
                facts("Just so you know, my dog is called Rex.", "dog", "name", "Rex"),
                facts("My bike is turquoise, what helmet would match?", "bike", "colour", "turquoise"),
                Arguments.of("My name is Ada. I live in Lisbon; my dog is called Rex.", List.of(
                        new Fact("user", "name", "Ada"), new Fact("user", "home", "Lisbon"), new Fact("dog", "name", "Rex"))));
    }

    private static Arguments facts(String message, String subject, String attribute, String value) {
        return Arguments.of(message, List.of(new Fact(subject, attribute, value)));
    }

    @ParameterizedTest
    @MethodSource("statements")
    void readsThePatterns(String message, List<Fact> expected) {
        assertEquals(expected, extractor.extract(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // questions
        "What colour is my bike?", "Is my bike turquoise?", "So my bike is turquoise?", "My bike is turquoise?!", "Where do I live?",
        // negations: no fact, the sentence stays in the summary instead
        "My bike is not red.", "My bike isn't red.", "I don't live in Oslo.", "I never worked as a pilot.",
        // states and clauses, not identities
        "My day is going well.", "My bike is very old.", "My plan is to learn to cook this winter.",
        "My favourite thing about spring is the long evenings after work.", "My friend said it is red.",
        // outside the patterns on purpose
        "I am a teacher.", "I am a bit tired.", "My bike, which I love, is red.", "The bike is red.",
        "Thanks!", ""})
    void readsNothingFromTheRest(String message) {
        assertEquals(List.of(), extractor.extract(message));
    }

    @Test
    void assistantMessagesGiveNoFacts() {
        Instant t = Instant.parse("2026-11-01T10:00:00Z");
        MemoryEntry said = new MemoryEntry("s", 1, "user", "My bike is turquoise.", t, null);
        MemoryEntry echoed = new MemoryEntry("s", 2, "assistant", "My bike is turquoise.", t, null);
        assertEquals(List.of(new Fact("bike", "colour", "turquoise")), extractor.extract(said));
        assertEquals(List.of(), extractor.extract(echoed));
    }

    @Test
    void everyPlantedStatementGivesItsFactAndItsQuestionNone() {
        for (long seed = 0; seed < 20; seed++) {
            for (PlantedFacts.PlantedFact f : PlantedFacts.facts(seed, PlantedFacts.topicCount())) {
                assertEquals(List.of(f.fact()), extractor.extract(f.statement()), f.statement());
                assertEquals(List.of(), extractor.extract(f.question()), f.question());
            }
        }
    }

    @Test
    void fillerStatesNoFacts() {
        for (long seed = 0; seed < 10; seed++) {
            for (PlantedFacts.Turn t : PlantedFacts.fillerTurns(seed, 200)) {
                assertEquals(List.of(), extractor.extract(t.user()), t.user());
            }
        }
    }
}
