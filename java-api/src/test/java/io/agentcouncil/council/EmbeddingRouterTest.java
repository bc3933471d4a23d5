package io.agentcouncil.council;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.agentcouncil.embedding.Embedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing by intent with the real all-MiniLM-L6-v2 embedder. */
class EmbeddingRouterTest {

    private static final List<SpecialistInfo> COUNCIL = List.of(
            new SpecialistInfo("general", "general knowledge: geography, history, science, everyday questions", List.of()),
            new SpecialistInfo("code", "programming: writing and fixing source code, functions, software bugs", List.of()),
            new SpecialistInfo("cooking", "recipes, cooking and baking, ingredients and kitchen techniques", List.of()));

    private final Router router = EmbeddingRouter.single(Embedder.miniLm());

    @Test
    void eachMessageGoesToTheSpecialistOfItsIntent() {
        assertEquals(List.of("code"), router.route("Write a Python function that reverses a list.", COUNCIL));
        assertEquals(List.of("code"), router.route("Why does my Java program throw a NullPointerException?", COUNCIL));
        assertEquals(List.of("general"), router.route("What is the capital of Australia?", COUNCIL));
        assertEquals(List.of("general"), router.route("When did the Second World War end?", COUNCIL));
        assertEquals(List.of("cooking"), router.route("How long should I boil an egg?", COUNCIL));
        assertEquals(List.of("cooking"), router.route("What can I use instead of butter in a cake?", COUNCIL));
    }

    @Test
    void upToNamesSeveralBestFirst() {
        List<String> two = EmbeddingRouter.upTo(Embedder.miniLm(), 2).route("Write a recipe-scaling function in Python.", COUNCIL);
        assertEquals(java.util.Set.of("code", "cooking"), java.util.Set.copyOf(two), "a message of two intents seats both");
        assertEquals(List.of(), router.route("anything", List.of()));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRouter.upTo(Embedder.miniLm(), 0));
    }
}
