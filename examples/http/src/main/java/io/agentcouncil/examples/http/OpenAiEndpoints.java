package io.agentcouncil.examples.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.Reply;
import io.agentcouncil.Route;
import io.agentcouncil.StreamListener;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * OpenAI's {@code POST /v1/chat/completions}, whole or streamed ({@code stream: true}: {@code data:}
 * chunks, then {@code data: [DONE]}), answered by the council as model {@value #MODEL}.
 *
 * <p>The council keeps each session's history itself, so only the last user message is read; the
 * session is the request's {@code user} field (OpenAI's end-user id), or a new one per request.
 *
 * <p>A stream carries the deltas of one answer, so Agent-0's tokens are held until the gate has
 * decided: kept if Agent-0's answer stands, dropped if the message escalates. The escalation
 * itself is a chunk with an empty delta and an {@code agentcouncil} field; the council's answer
 * then streams as it is generated.
 */
final class OpenAiEndpoints {
    static final String MODEL = "agentcouncil";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                      Extension agentcouncil) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Choice(int index, Delta message, Delta delta, @JsonProperty("finish_reason") String finishReason) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {}

    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("completion_tokens") int completionTokens,
                 @JsonProperty("total_tokens") int totalTokens) {}

    /** What an OpenAI client ignores and a council-aware one reads. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Extension(String route, Double confidence, Boolean degraded, List<String> models, String escalation) {}

    private final CouncilService service;
    private final ChatEndpoints chat;
    private final ObjectMapper json;

    OpenAiEndpoints(CouncilService service, ChatEndpoints chat, ObjectMapper json) {
        this.service = service;
        this.chat = chat;
        this.json = json;
    }

    void completions(Context ctx) throws IOException {
        JsonNode body = RequestJson.object(ctx, json, service.limits().maxBodyBytes());
        String model = RequestJson.optionalText(body, "model");
        if (model != null && !model.equals(MODEL)) {
            throw new ApiError(404, "model " + ApiError.quote(model) + " is not served here; use \"" + MODEL + "\"");
        }
        ChatEndpoints.Message m = chat.message(RequestJson.optionalText(body, "user"), lastUserMessage(body));
        boolean stream = body.path("stream").asBoolean(false);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        service.admit();
        try {
            if (stream) {
                stream(ctx, m, id, created);
            } else {
                Reply r = service.council().chat(m.session(), m.prompt());
                ctx.json(new Completion(id, "chat.completion", created, MODEL,
                        List.of(new Choice(0, new Delta("assistant", r.text()), null, "stop")),
                        new Usage(r.tokensIn(), r.tokensOut(), r.tokensIn() + r.tokensOut()), extension(r)));
            }
        } finally {
            service.release();
        }
    }

    private static Extension extension(Reply r) {
        return new Extension(r.route().tag(), Double.isNaN(r.confidence()) ? null : r.confidence(), r.degraded(),
                r.modelsConsulted(), null);
    }

    private void stream(Context ctx, ChatEndpoints.Message m, String id, long created) throws IOException {
        SseStream sse = new SseStream(ctx, json);
        List<String> held = new ArrayList<>();
        sse.data(sse.toJson(chunk(id, created, new Delta("assistant", ""), null, null)));
        service.council().stream(m.session(), m.prompt(), new StreamListener() {
            @Override
            public void onToken(StreamToken token) {
                if (token.route() == Route.AGENT0) {
                    held.add(token.text());
                } else {
                    sse.data(sse.toJson(chunk(id, created, new Delta(null, token.text()), null, null)));
                }
            }

            @Override
            public void onEscalation(Escalation e) {
                held.clear();
                sse.data(sse.toJson(chunk(id, created, new Delta(null, null), null,
                        new Extension(null, e.confidence(), null, e.models(), e.from().tag() + " -> " + e.to().tag()))));
            }

            @Override
            public void onComplete(Reply reply) {
                if (reply.route() == Route.AGENT0) {
                    held.forEach(t -> sse.data(sse.toJson(chunk(id, created, new Delta(null, t), null, null))));
                }
                sse.data(sse.toJson(chunk(id, created, new Delta(null, null), "stop", extension(reply))));
                sse.data("[DONE]");
            }
        });
    }

    private static Completion chunk(String id, long created, Delta delta, String finish, Extension ext) {
        return new Completion(id, "chat.completion.chunk", created, MODEL, List.of(new Choice(0, null, delta, finish)), null, ext);
    }

    /** The content of the last {@code user} message of {@code messages}. */
    private static String lastUserMessage(JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("\"messages\" is required: a non-empty array of {role, content}");
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode msg = messages.get(i);
            if (!msg.isObject()) {
                throw ApiError.badRequest("\"messages\"[" + i + "] must be an object, not " + RequestJson.kind(msg));
            }
            if ("user".equals(msg.path("role").asText())) {
                return RequestJson.text(msg, "content");
            }
        }
        throw ApiError.badRequest("\"messages\" has no message with role \"user\"");
    }
}
