package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.models.ModelRoster;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The HTTP API over the public AgentCouncil API, as an unstarted Javalin app: the caller chooses
 * host and port ({@link HttpServerMain}, or a test on port 0) and stops it.
 *
 * <ul>
 *   <li>{@code GET /}: a chat page on {@code /chat/stream}</li>
 *   <li>{@code POST /chat}, {@code GET|POST /chat/stream} (Server-Sent Events)</li>
 *   <li>{@code POST /v1/chat/completions} (OpenAI's, streamed or not), {@code GET /v1/models},
 *       {@code POST /v1/tokenize}</li>
 *   <li>{@code GET /health}, {@code /healthz}, {@code /status/production}, {@code /metrics},
 *       {@code /metrics/production}</li>
 * </ul>
 * With a bearer token configured, every route but {@code /} and {@code /healthz} needs it.
 */
public final class AgentCouncilHttp {

    /** Largest request body accepted by default; a prompt is far smaller. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    static final String ENDPOINTS = "GET /, POST /chat, GET|POST /chat/stream, POST /v1/chat/completions, GET /v1/models,"
            + " POST /v1/tokenize, GET /health, GET /healthz, GET /status/production, GET /metrics, GET /metrics/production";

    private static final Set<String> OPEN_PATHS = Set.of("/", "/healthz");

    private AgentCouncilHttp() {}

    /** The model endpoints only ({@code /v1/models}, {@code /v1/tokenize}, a roster {@code /health}): no council. */
    public static Javalin create(ModelRoster roster) {
        return create(ModelCatalog.of(roster));
    }

    static Javalin create(ModelCatalog catalog) {
        ObjectMapper json = json();
        Javalin app = app(json);
        ModelEndpoints models = new ModelEndpoints(catalog);
        app.get("/health", models::health);
        modelRoutes(app, catalog, json, models);
        return app;
    }

    /** Everything, the council answering. */
    public static Javalin create(ModelRoster roster, CouncilService service) {
        ModelCatalog catalog = ModelCatalog.of(roster);
        ObjectMapper json = json();
        Javalin app = app(json);
        String token = service.limits().bearerToken();
        if (token != null) {
            app.before(ctx -> authorize(ctx, token));
        }
        ChatEndpoints chat = new ChatEndpoints(service, json);
        OpenAiEndpoints openAi = new OpenAiEndpoints(service, chat, json);
        MonitoringEndpoints monitoring = new MonitoringEndpoints(service, catalog);
        app.get("/", ChatPage::serve);
        app.post("/chat", chat::chat);
        app.get("/chat/stream", chat::stream);
        app.post("/chat/stream", chat::stream);
        app.post("/v1/chat/completions", openAi::completions);
        app.get("/health", monitoring::health);
        app.get("/healthz", monitoring::healthz);
        app.get("/status/production", monitoring::statusProduction);
        app.get("/metrics", monitoring::metrics);
        app.get("/metrics/production", monitoring::metricsProduction);
        modelRoutes(app, catalog, json, new ModelEndpoints(catalog, true));
        return app;
    }

    private static ObjectMapper json() {
        // Trailing tokens after the JSON value ({"a":1} junk) are malformed input, not ignorable.
        return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    private static Javalin app(ObjectMapper json) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.prefer405over404 = true; // GET /v1/tokenize is a wrong method, not a missing route
            config.jsonMapper(new JavalinJackson(json, false));
        });
        ErrorResponses.install(app);
        return app;
    }

    private static void modelRoutes(Javalin app, ModelCatalog catalog, ObjectMapper json, ModelEndpoints models) {
        TokenizeEndpoint tokenize = new TokenizeEndpoint(catalog, new TokenizerCache(catalog), json, MAX_BODY_BYTES);
        app.get("/v1/models", models::list);
        app.post("/v1/tokenize", tokenize::handle);
    }

    private static void authorize(Context ctx, String token) {
        if (OPEN_PATHS.contains(ctx.path()) || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).strip() : "";
        // Constant time: the comparison must not tell an attacker how much of the token was right.
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, header == null ? "missing Authorization: Bearer token" : "invalid bearer token");
        }
    }
}
