package io.agentcouncil.examples.http;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real roster as a machine may really have it: Agent-0 not fetched, and another model's file
 * present but not a GGUF file (a truncated or overwritten download).
 */
class UnavailableModelsTest {
    private static final ModelRoster ROSTER = ModelRoster.get();
    private static final String BROKEN = "qwen2.5-coder-0.5b-instruct";

    @TempDir
    static Path dir;
    private static Path brokenFile;
    private static Api api;

    @BeforeAll
    static void start() throws IOException {
        brokenFile = Files.writeString(dir.resolve("broken.gguf"), "this is not a GGUF file");
        ModelCatalog catalog = new ModelCatalog() {
            @Override
            public List<ModelSpec> models() {
                return ROSTER.models();
            }

            @Override
            public boolean isFetched(ModelSpec spec) {
                return !spec.name().equals(RosterModels.SMOLLM2)
                        && (spec.name().equals(BROKEN) || ROSTER.isFetched(spec));
            }

            @Override
            public Path pathOf(ModelSpec spec) {
                return spec.name().equals(BROKEN) ? brokenFile : ROSTER.pathOf(spec);
            }
        };
        api = Api.start(AgentCouncilHttp.create(catalog));
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    @Test
    void healthIsDegradedWithoutAgent0() {
        Api.Response r = api.get("/health");
        assertEquals(200, r.status());
        assertEquals("DEGRADED", r.body().get("status").asText());
        assertEquals("missing", r.body().get("models").get(RosterModels.SMOLLM2).asText());
        assertFalse(api.get("/v1/models").body().get("data").get(0).get("fetched").asBoolean());
    }

    @Test
    void tokenizingWithAModelNotFetchedIs409WithTheFetchCommand() {
        Api.Response r = api.post("/v1/tokenize", Api.tokenizeBody(RosterModels.SMOLLM2, "hi"));
        RequestErrorsTest.assertInvalidRequest(r, 409);
        assertTrue(r.errorMessage().contains("run scripts/fetch-models " + RosterModels.SMOLLM2), r.errorMessage());
    }

    @Test
    void aBrokenModelFileIsAServerErrorThatKeepsItsPathToTheLog() {
        Api.Response r = api.post("/v1/tokenize", Api.tokenizeBody(BROKEN, "hi"));
        assertEquals(500, r.status(), r.text());
        assertEquals("server_error", r.body().path("error").path("type").asText(), r.text());
        assertTrue(r.errorMessage().contains(BROKEN), r.errorMessage());
        assertFalse(r.text().contains(dir.toString()), r.text());
        assertFalse(r.text().contains("Exception"), r.text());
    }
}
