package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.models.ModelRoster;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/**
 * The HTTP API over the public AgentCouncil API, as an unstarted Javalin app: the caller chooses
 * host and port ({@link HttpServerMain}, or a test on port 0) and stops it.
 *
 * <ul>
 *   <li>{@code GET /health}: UP or DEGRADED, and each roster model fetched or missing</li>
 *   <li>{@code GET /v1/models}: the roster as an OpenAI model list</li>
 *   <li>{@code POST /v1/tokenize}: token ids of a text under a roster model's tokenizer</li>
 * </ul>
 */
public final class AgentCouncilHttp {

    /** Largest request body accepted; a tokenize request is a prompt, and a prompt is far smaller. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    static final String ENDPOINTS = "GET /health, GET /v1/models, POST /v1/tokenize";

    private AgentCouncilHttp() {}

    public static Javalin create(ModelRoster roster) {
        return create(ModelCatalog.of(roster));
    }

    static Javalin create(ModelCatalog catalog) {
        // Trailing tokens after the JSON value ({"a":1} junk) are malformed input, not ignorable.
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ModelEndpoints models = new ModelEndpoints(catalog);
        TokenizeEndpoint tokenize = new TokenizeEndpoint(catalog, new TokenizerCache(catalog), json, MAX_BODY_BYTES);

        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true; // GET /v1/tokenize is a wrong method, not a missing route
            config.jsonMapper(new JavalinJackson(json, false));
        });
        app.get("/health", models::health);
        app.get("/v1/models", models::list);
        app.post("/v1/tokenize", tokenize::handle);
        ErrorResponses.install(app);
        return app;
    }
}
