package io.agentcouncil.examples.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.Reply;
import io.agentcouncil.StreamListener;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code POST /chat} and {@code GET|POST /chat/stream}: one message of a session, answered whole
 * or as Server-Sent Events ({@code token}, {@code escalation}, then {@code done} or
 * {@code error}).
 */
final class ChatEndpoints {

    /** A reply as JSON. */
    record ReplyBody(@JsonProperty("session_id") String sessionId, String text, String route, Double confidence,
                     @JsonProperty("latency_ms") double latencyMs, Tokens tokens, List<String> models, boolean degraded) {

        static ReplyBody of(String session, Reply r) {
            return new ReplyBody(session, r.text(), r.route().tag(), Double.isNaN(r.confidence()) ? null : r.confidence(),
                    r.latency().toNanos() / 1e6, new Tokens(r.tokensIn(), r.tokensOut()), r.modelsConsulted(), r.degraded());
        }
    }

    record Tokens(@JsonProperty("in") int in, @JsonProperty("out") int out) {}

    record TokenEvent(String text, String route, String model) {}

    record EscalationEvent(String from, String to, double confidence, double gate, List<String> models, boolean early) {}

    record ErrorEvent(String message) {}

    private final CouncilService service;
    private final ObjectMapper json;

    ChatEndpoints(CouncilService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    /** A validated chat request. */
    record Message(String session, String prompt) {}

    void chat(Context ctx) throws IOException {
        Message m = message(RequestJson.object(ctx, json, service.limits().maxBodyBytes()));
        service.admit();
        try {
            ctx.json(ReplyBody.of(m.session(), service.council().chat(m.session(), m.prompt())));
        } finally {
            service.release();
        }
    }

    void stream(Context ctx) throws IOException {
        Message m;
        if (ctx.method().name().equals("GET")) {
            m = message(ctx.queryParam("session_id"), ctx.queryParam("prompt"));
        } else {
            m = message(RequestJson.object(ctx, json, service.limits().maxBodyBytes()));
        }
        service.admit();
        try {
            SseStream sse = new SseStream(ctx, json);
            try {
                service.council().stream(m.session(), m.prompt(), new StreamListener() {
                    @Override
                    public void onToken(StreamToken token) {
                        sse.event("token", new TokenEvent(token.text(), token.route().tag(), token.model()));
                    }

                    @Override
                    public void onEscalation(Escalation e) {
                        sse.event("escalation", new EscalationEvent(e.from().tag(), e.to().tag(), e.confidence(), e.gate(),
                                e.models(), e.early()));
                    }

                    @Override
                    public void onComplete(Reply reply) {
                        sse.event("done", ReplyBody.of(m.session(), reply));
                    }
                });
            } catch (RuntimeException e) {
                // The status line is gone already: the failure is the stream's last event.
                sse.event("error", new ErrorEvent(e instanceof IllegalArgumentException ? e.getMessage() : "internal server error"));
                if (!(e instanceof IllegalArgumentException)) {
                    throw e;
                }
            }
        } finally {
            service.release();
        }
    }

    private Message message(JsonNode body) {
        return message(RequestJson.optionalText(body, "session_id"), RequestJson.text(body, "prompt"));
    }

    /** Session and prompt checked: a prompt is required, fits Agent-0, and a missing session is a new one. */
    Message message(String session, String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw ApiError.badRequest("\"prompt\" is required and must be a non-empty string");
        }
        checkPromptTokens(prompt);
        if (session == null || session.isBlank()) {
            session = UUID.randomUUID().toString();
        } else if (session.length() > 128) {
            throw ApiError.badRequest("\"session_id\" is longer than 128 characters");
        }
        return new Message(session, prompt);
    }

    void checkPromptTokens(String prompt) {
        int tokens = service.council().agent0().tokenizer().encode(prompt).length;
        int limit = service.limits().maxPromptTokens();
        if (tokens > limit) {
            throw new ApiError(413, String.format(Locale.ROOT,
                    "the prompt is %d tokens, more than the limit of %d", tokens, limit));
        }
    }

}
