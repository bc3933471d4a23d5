package io.agentcouncil.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentcouncil.template.ChatMessage;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@code POST /v1/chat/completions} exchange with an OpenAI-compatible server, non-streaming,
 * greedy ({@code temperature 0}). It never throws for what the network or the server do: each
 * outcome is an {@link Exchange} that says whether trying again can help and whether the server
 * may have billed the attempt, which is what {@link CloudFallback} needs for retries and spend.
 *
 * <p>The response is untrusted input and is validated field by field; a malformed one is a
 * {@link Failure} naming the field.
 */
final class ChatCompletionsClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int SNIPPET_CHARS = 200;

    /** What one exchange came to. */
    sealed interface Exchange permits Completion, Failure {}

    /** The server answered with text and its own token counts. */
    record Completion(String text, int tokensIn, int tokensOut) implements Exchange {}

    /**
     * No usable answer. {@code retryable}: a connection problem, a timeout, 429 or 5xx.
     * {@code maybeBilled}: the request reached the server and the outcome is unknown (a timeout
     * after sending, a broken or unreadable response), so its worst case must count as spent.
     */
    record Failure(String detail, boolean retryable, boolean maybeBilled) implements Exchange {}

    private final HttpClient http;
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;

    /**
     * @param apiKey the bearer token, or null to send no {@code Authorization} header
     * @param timeout for the whole exchange, response body included
     */
    ChatCompletionsClient(URI baseUrl, String model, String apiKey, Duration connectTimeout, Duration timeout) {
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/v1/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Exchange send(List<ChatMessage> messages, int maxTokens) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(messages, maxTokens), StandardCharsets.UTF_8));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            // The request timeout stops at the response headers; this bounds the body as well.
            response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Failure("no complete response from " + endpoint + " within " + timeout.toMillis() + " ms", true, true);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Failure("interrupted while waiting for " + endpoint, false, true);
        } catch (ExecutionException e) {
            return transportFailure(e.getCause());
        }
        return interpret(response.statusCode(), response.body());
    }

    private String requestBody(List<ChatMessage> messages, int maxTokens) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        ArrayNode list = root.putArray("messages");
        for (ChatMessage m : messages) {
            list.addObject().put("role", m.role()).put("content", m.content());
        }
        root.put("max_tokens", maxTokens);
        root.put("temperature", 0);
        root.put("stream", false);
        return root.toString();
    }

    private Failure transportFailure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new Failure("cannot connect to " + endpoint + ": " + cause.getMessage(), true, false);
        }
        if (cause instanceof HttpTimeoutException) {
            return new Failure("no response from " + endpoint + " within " + timeout.toMillis() + " ms", true, true);
        }
        if (cause instanceof ConnectException) {
            return new Failure("cannot connect to " + endpoint + ": " + describe(cause), true, false);
        }
        if (cause instanceof IOException) {
            return new Failure("exchange with " + endpoint + " broke: " + describe(cause), true, true);
        }
        // Anything else is a bug here or in the JDK; still a failed call, not a crashed chat turn.
        return new Failure("exchange with " + endpoint + " failed: " + describe(cause), false, true);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        Throwable root = t;
        while ((message == null || message.isBlank()) && root.getCause() != null) {
            root = root.getCause();
            message = root.getMessage();
        }
        return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    private Exchange interpret(int status, String body) {
        if (status == 429 || status >= 500) {
            return new Failure("HTTP " + status + " from " + endpoint + ": " + snippet(body), true, false);
        }
        if (status < 200 || status > 299) {
            return new Failure("HTTP " + status + " from " + endpoint + ": " + snippet(body), false, false);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return malformed("is not JSON (" + e.getOriginalMessage() + "): " + snippet(body));
        }
        if (root == null || !root.isObject()) {
            return malformed("is not a JSON object: " + snippet(body));
        }
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return malformed("has no \"choices\"");
        }
        JsonNode content = choices.get(0).path("message").get("content");
        if (content == null || !content.isTextual()) {
            return malformed("has no text in \"choices[0].message.content\"");
        }
        JsonNode usage = root.get("usage");
        if (usage == null || !usage.isObject()) {
            return malformed("has no \"usage\", so its cost is unknown");
        }
        int in = tokenCount(usage.get("prompt_tokens"));
        int out = tokenCount(usage.get("completion_tokens"));
        if (in < 0) {
            return malformed("has no non-negative integer \"usage.prompt_tokens\"");
        }
        if (out < 0) {
            return malformed("has no non-negative integer \"usage.completion_tokens\"");
        }
        return new Completion(content.textValue(), in, out);
    }

    private static int tokenCount(JsonNode n) {
        return n != null && n.isInt() && n.intValue() >= 0 ? n.intValue() : -1;
    }

    private Failure malformed(String problem) {
        return new Failure("malformed response from " + endpoint + ": it " + problem, false, true);
    }

    private static String snippet(String body) {
        String flat = body.replaceAll("\\s+", " ").strip();
        if (flat.isEmpty()) {
            return "(empty body)";
        }
        return flat.length() <= SNIPPET_CHARS ? flat : flat.substring(0, SNIPPET_CHARS) + "...";
    }
}
