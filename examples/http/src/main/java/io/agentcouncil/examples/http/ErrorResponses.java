package io.agentcouncil.examples.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure leaves the server as one JSON shape, the one OpenAI clients already parse:
 * {@code {"error":{"message":...,"type":...}}}. Client mistakes are 4xx
 * {@code invalid_request_error}s that name the problem; anything else is a 500
 * {@code server_error} whose details go to the log, never to the client.
 */
final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    record ErrorBody(Detail error) {}

    record Detail(String message, String type) {}

    private ErrorResponses() {}

    static void install(Javalin app) {
        app.exception(ApiError.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            write(ctx, e.status(), e.getMessage());
        });
        // Javalin's own refusals (no such route, wrong method) would otherwise be plain text.
        app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), routingMessage(e, ctx)));
        app.exception(ModelLoadException.class, (e, ctx) -> {
            LOG.error(e.getMessage()); // names model, path and cause; a stack trace would add nothing
            write(ctx, 500, e.clientMessage());
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal server error");
        });
    }

    private static String routingMessage(HttpResponseException e, Context ctx) {
        String route = ctx.method() + " " + ApiError.quote(ctx.path());
        return switch (e.getStatus()) {
            case 404 -> "no endpoint " + route + "; this server has " + AgentCouncilHttp.ENDPOINTS;
            case 405 -> "method not allowed: " + route + "; this server has " + AgentCouncilHttp.ENDPOINTS;
            default -> e.getMessage();
        };
    }

    private static void write(Context ctx, int status, String message) {
        String type = status < 500 ? "invalid_request_error" : "server_error";
        ctx.status(status).json(new ErrorBody(new Detail(message, type)));
    }
}
