package io.agentcouncil.examples.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentcouncil.models.ModelSpec;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/tokenize}: the token ids of a text under a roster model's tokenizer, as plain text
 * (no BOS, special-token texts not parsed), which is what counting a prompt's tokens needs.
 */
final class TokenizeEndpoint {

    record Tokens(String model, int[] tokens, int count) {}

    private final ModelCatalog catalog;
    private final TokenizerCache tokenizers;
    private final ObjectMapper json;
    private final int maxBodyBytes;

    TokenizeEndpoint(ModelCatalog catalog, TokenizerCache tokenizers, ObjectMapper json, int maxBodyBytes) {
        this.catalog = catalog;
        this.tokenizers = tokenizers;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    void handle(Context ctx) throws IOException {
        TokenizeRequest request = TokenizeRequest.parse(RequestBody.read(ctx, maxBodyBytes), json);
        // Roster names only: a path from the network must never choose which server file is opened.
        ModelSpec spec = catalog.find(request.model()).orElseThrow(() -> new ApiError(404,
                "unknown model " + ApiError.quote(request.model()) + "; this server has "
                        + catalog.models().stream().map(ModelSpec::name).collect(Collectors.joining(", "))));
        if (!catalog.isFetched(spec)) {
            throw new ApiError(409, "model " + spec.name() + " is not fetched on this server: run scripts/fetch-models "
                    + spec.name());
        }
        int[] ids = tokenizers.get(spec).encode(request.text());
        ctx.json(new Tokens(spec.name(), ids, ids.length));
    }
}
