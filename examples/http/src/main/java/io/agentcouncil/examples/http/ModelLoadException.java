package io.agentcouncil.examples.http;

import java.nio.file.Path;

/**
 * A fetched roster model whose file could not be turned into a tokenizer (unreadable, malformed,
 * or of an unsupported kind): the server's problem, not the client's. The full story, path
 * included, is for the log; the client is told only which model failed.
 */
final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String model;

    ModelLoadException(String model, Path path, Exception cause) {
        super("cannot load the tokenizer of model " + model + " from " + path + ": " + cause.getMessage(), cause);
        this.model = model;
    }

    String clientMessage() {
        return "the tokenizer of model " + model + " could not be loaded; the server log says why";
    }
}
