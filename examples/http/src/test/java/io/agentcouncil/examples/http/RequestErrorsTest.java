package io.agentcouncil.examples.http;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests are 4xx answers with a JSON error body that names the problem, never a 500, never a
 * stack trace, and never more than the first 100 characters of the client's input quoted back.
 * None of these requests needs a model on disk: input is checked before any file is opened.
 */
class RequestErrorsTest {
    private static Api api;

    @BeforeAll
    static void start() {
        api = Api.start(AgentCouncilHttp.create(ModelRoster.get()));
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"model\": \"smollm2-135m-instruct\", \"text\": `   | request body is not valid JSON (line 1, column 44)",
        "`{\"model\": \"a\", \"text\": \"b\"} trailing`          | request body is not valid JSON",
        "`{model: 1}`                                        | request body is not valid JSON (line 1, column 2)",
        "``                                                  | request body is empty",
        "`   `                                               | request body is empty",
        "`[\"smollm2-135m-instruct\", \"hi\"]`                | request body must be a JSON object, not array",
        "`\"just a string\"`                                 | request body must be a JSON object, not string",
        "`{\"text\": \"hi\"}`                                | \"model\" is required",
        "`{\"model\": \"smollm2-135m-instruct\"}`            | \"text\" is required",
        "`{\"model\": 7, \"text\": \"hi\"}`                  | \"model\" must be a string, not number",
        "`{\"model\": \"smollm2-135m-instruct\", \"text\": null}` | \"text\" must be a string, not null",
        "`{\"model\": \"smollm2-135m-instruct\", \"text\": [\"a\"]}` | \"text\" must be a string, not array",
    })
    void badBodiesAre400sNamingTheProblem(String body, String message) {
        Api.Response r = api.post("/v1/tokenize", body);
        assertInvalidRequest(r, 400);
        assertTrue(r.errorMessage().startsWith(message), r.errorMessage());
    }

    @Test
    void unknownModelIs404ListingTheRoster() {
        Api.Response r = api.post("/v1/tokenize", Api.tokenizeBody("gpt-4o", "hi"));
        assertInvalidRequest(r, 404);
        assertTrue(r.errorMessage().startsWith("unknown model \"gpt-4o\""), r.errorMessage());
        for (ModelSpec spec : ModelRoster.get().models()) {
            assertTrue(r.errorMessage().contains(spec.name()), r.errorMessage());
        }
    }

    @Test
    void aPathIsNotAModel() {
        String path = ModelRoster.get().pathOf(ModelRoster.get().models().get(0)).toString();
        Api.Response r = api.post("/v1/tokenize", Api.tokenizeBody(path, "hi"));
        assertInvalidRequest(r, 404);
    }

    @Test
    void longInputIsQuotedOnlyInPart() {
        String name = "x".repeat(ApiError.MAX_QUOTED_CHARS) + "y".repeat(10_000);
        Api.Response r = api.post("/v1/tokenize", Api.tokenizeBody(name, "hi"));
        assertInvalidRequest(r, 404);
        assertTrue(r.errorMessage().contains("x".repeat(ApiError.MAX_QUOTED_CHARS)), r.errorMessage());
        assertFalse(r.errorMessage().contains("y"), r.errorMessage());

        // A parser message could repeat a long bad token; the server's never quotes the body.
        Api.Response bad = api.post("/v1/tokenize", "{\"model\": " + "z".repeat(10_000) + "}");
        assertInvalidRequest(bad, 400);
        assertFalse(bad.errorMessage().contains("zz"), bad.errorMessage());
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        Api.Response r = api.post("/v1/tokenize", oversizedBody());
        assertInvalidRequest(r, 413);
        assertTrue(r.errorMessage().contains(String.valueOf(AgentCouncilHttp.MAX_BODY_BYTES)), r.errorMessage());
    }

    @Test
    void chunkedBodyOverOneMebibyteIs413() {
        // No Content-Length: the server has to count what it reads.
        byte[] body = oversizedBody().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Api.Response r = api.post("/v1/tokenize", HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertInvalidRequest(r, 413);
    }

    @Test
    void bodyOfExactlyTheLimitIsRead() {
        String head = "{\"model\": \"no-such-model\", \"text\": \"";
        char[] filler = new char[AgentCouncilHttp.MAX_BODY_BYTES - head.length() - 2];
        Arrays.fill(filler, 'a');
        Api.Response r = api.post("/v1/tokenize", head + new String(filler) + "\"}");
        assertInvalidRequest(r, 404); // got past the size check and the parser to the model lookup
    }

    @Test
    void unknownRouteIs404Json() {
        Api.Response r = api.get("/v1/chat/completions");
        assertInvalidRequest(r, 404);
        assertTrue(r.errorMessage().contains("/v1/chat/completions"), r.errorMessage());
        assertTrue(r.errorMessage().contains("POST /v1/tokenize"), r.errorMessage());
    }

    @Test
    void wrongMethodIs405Json() {
        Api.Response r = api.get("/v1/tokenize");
        assertInvalidRequest(r, 405);
        assertTrue(r.errorMessage().contains("GET \"/v1/tokenize\""), r.errorMessage());
    }

    private static String oversizedBody() {
        return Api.tokenizeBody(RosterModels.SMOLLM2, "a".repeat(AgentCouncilHttp.MAX_BODY_BYTES));
    }

    static void assertInvalidRequest(Api.Response r, int status) {
        assertEquals(status, r.status(), r.text());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        assertEquals("invalid_request_error", r.body().path("error").path("type").asText(), r.text());
        assertFalse(r.errorMessage().isBlank(), r.text());
        assertFalse(r.text().contains("Exception") || r.text().contains("\tat "), r.text());
    }
}
