package io.agentcouncil.examples.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentcouncil.models.ModelSpec;
import io.javalin.http.Context;

import java.util.ArrayList;
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

    /** The council itself, the model chat completions are asked of. */
    static final ModelObject COUNCIL = new ModelObject(OpenAiEndpoints.MODEL, "model", "agentcouncil", "council", "council", 0, true);

    private final ModelCatalog catalog;
    private final boolean withCouncil;

    ModelEndpoints(ModelCatalog catalog) {
        this(catalog, false);
    }

    /** @param withCouncil whether {@link #COUNCIL} heads the list */
    ModelEndpoints(ModelCatalog catalog, boolean withCouncil) {
        this.catalog = catalog;
        this.withCouncil = withCouncil;
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
        List<ModelObject> data = new ArrayList<>();
        if (withCouncil) {
            data.add(COUNCIL);
        }
        catalog.models().forEach(s -> data.add(new ModelObject(s.name(), "model", "agentcouncil", s.architecture(), s.role(),
                s.size(), catalog.isFetched(s))));
        ctx.json(new ModelList("list", data));
    }
}
