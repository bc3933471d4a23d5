package io.agentcouncil.examples.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A started server and a real HTTP client talking to it over 127.0.0.1. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A response whose body was JSON, as every response of this server must be. */
    record Response(int status, String contentType, JsonNode body, String text) {
        String errorMessage() {
            return body.path("error").path("message").asText();
        }
    }

    private final Javalin app;
    private final URI base;
    // HTTP/1.1 explicitly: the default would try an h2c upgrade that this server does not speak.
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Api(Javalin app) {
        this.app = app;
        this.base = URI.create("http://127.0.0.1:" + app.port());
    }

    static Api start(Javalin app) {
        return new Api(app.start("127.0.0.1", 0));
    }

    java.net.http.HttpClient client() {
        return client;
    }

    /** The response's headers arrive, its lines as they come. */
    HttpResponse<java.util.stream.Stream<String>> lines(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void stop() {
        app.stop();
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response post(String path, HttpRequest.BodyPublisher body) {
        return send(request(path).header("Content-Type", "application/json").POST(body));
    }

    /** A {@code /v1/tokenize} body for {@code model} and {@code text}, JSON-escaped. */
    static String tokenizeBody(String model, String text) {
        try {
            return JSON.writeValueAsString(JSON.createObjectNode().put("model", model).put("text", text));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    static int[] ids(JsonNode tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.get(i).intValue();
        }
        return ids;
    }

    /** A request to {@code path} of this server, for what the helpers above do not cover. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    Response send(HttpRequest.Builder request) {
        HttpResponse<String> r;
        try {
            r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        String contentType = r.headers().firstValue("Content-Type").orElse("");
        try {
            return new Response(r.statusCode(), contentType, JSON.readTree(r.body()), r.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("status " + r.statusCode() + " with a body that is not JSON: " + r.body(), e);
        }
    }
}
