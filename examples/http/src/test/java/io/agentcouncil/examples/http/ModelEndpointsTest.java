package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health} and {@code /v1/models} over HTTP against the real roster and model cache. */
class ModelEndpointsTest {
    private static final ModelRoster ROSTER = ModelRoster.get();
    private static Api api;

    @BeforeAll
    static void start() {
        api = Api.start(AgentCouncilHttp.create(ROSTER));
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    @Test
    void healthIsUpWithAgent0FetchedAndReportsEveryModel() {
        RosterModels.require(RosterModels.SMOLLM2);
        Api.Response r = api.get("/health");
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertEquals("UP", r.body().get("status").asText());
        JsonNode models = r.body().get("models");
        assertEquals(ROSTER.models().size(), models.size());
        for (ModelSpec spec : ROSTER.models()) {
            assertEquals(ROSTER.isFetched(spec) ? "fetched" : "missing", models.get(spec.name()).asText(), spec.name());
        }
    }

    @Test
    void modelsIsAnOpenAiListOfTheRoster() {
        Api.Response r = api.get("/v1/models");
        assertEquals(200, r.status());
        assertEquals("list", r.body().get("object").asText());
        JsonNode data = r.body().get("data");
        assertEquals(4, data.size(), r.text());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            JsonNode m = data.get(i);
            ModelSpec spec = ROSTER.models().get(i);
            ids.add(m.get("id").asText());
            assertEquals(spec.name(), m.get("id").asText());
            assertEquals("model", m.get("object").asText());
            assertEquals("agentcouncil", m.get("owned_by").asText());
            assertEquals(spec.architecture(), m.get("architecture").asText());
            assertEquals(spec.role(), m.get("role").asText());
            assertEquals(spec.size(), m.get("size").asLong());
            assertEquals(ROSTER.isFetched(spec), m.get("fetched").asBoolean());
        }
        assertTrue(ids.contains(RosterModels.SMOLLM2), ids.toString());
    }
}
