package io.agentcouncil.examples.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentcouncil.models.ModelSpec;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /health} and {@code GET /v1/models}: what the roster holds and what is on disk. */
final class ModelEndpoints {

    record Health(String status, Map<String, String> models) {}

    record ModelList(String object, List<ModelObject> data) {}

    /** OpenAI's model object, plus what an operator of this server needs to know about it. */
    record ModelObject(String id, String object, @JsonProperty("owned_by") String ownedBy,
                       String architecture, String role, long size, boolean fetched) {}

    private final ModelCatalog catalog;

    ModelEndpoints(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * UP when the Agent-0 model is on disk, since every chat turn starts there; DEGRADED otherwise.
     * Both answer 200: the process is alive and serves the models it has, and the body says what
     * is missing.
     */
    void health(Context ctx) {
        Map<String, String> states = new LinkedHashMap<>();
        boolean agent0Fetched = false;
        for (ModelSpec spec : catalog.models()) {
            boolean fetched = catalog.isFetched(spec);
            states.put(spec.name(), fetched ? "fetched" : "missing");
            agent0Fetched |= fetched && "agent0".equals(spec.role());
        }
        ctx.json(new Health(agent0Fetched ? "UP" : "DEGRADED", states));
    }

    void list(Context ctx) {
        List<ModelObject> data = catalog.models().stream()
                .map(s -> new ModelObject(s.name(), "model", "agentcouncil", s.architecture(), s.role(), s.size(),
                        catalog.isFetched(s)))
                .toList();
        ctx.json(new ModelList("list", data));
    }
}
