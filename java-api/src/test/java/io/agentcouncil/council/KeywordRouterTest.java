package io.agentcouncil.council;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordRouterTest {

    private final List<SpecialistInfo> council = List.of(
            new SpecialistInfo("general", "general knowledge, facts and everyday questions", List.of()),
            new SpecialistInfo("code", "programming and code: writing, explaining and fixing programs", List.of("python", "java")),
            new SpecialistInfo("math", "arithmetic, algebra and word problems with numbers", List.of("calculate", "sum")));

    @Test
    void picksBySharedWords() {
        KeywordRouter r = KeywordRouter.single();
        assertEquals(List.of("code"), r.route("Write a Python program that prints the primes", council));
        assertEquals(List.of("math"), r.route("Calculate the sum of 17 and 25", council));
        assertEquals(List.of("general"), r.route("Tell me some facts about owls", council));
    }

    @Test
    void codeLooksLikeCode() {
        assertEquals(List.of("code"), KeywordRouter.single().route("why does this fail?\n```\nx = foo(1;\n```", council));
    }

    @Test
    void noMatchGoesToTheFirstSpecialist() {
        assertEquals(List.of("general"), KeywordRouter.single().route("Hmm?", council));
        assertEquals(List.of(), KeywordRouter.single().route("anything", List.of()));
    }

    @Test
    void upToSeveralMembersBestFirst() {
        List<String> picked = KeywordRouter.upTo(2).route("Write Java code to calculate the sum of a list", council);
        assertEquals(List.of("code", "math"), picked);
    }
}
