package io.agentcouncil.examples.http;

import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.models.ModelSpec;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One tokenizer per roster model, built from its GGUF file on the first request that needs it and
 * shared by every request after ({@link Tokenizer} is immutable and thread-safe). Building one reads
 * the whole vocabulary, so concurrent first requests wait for a single load rather than each doing
 * their own. A failed load is not remembered: the next request tries again, so re-fetching a broken
 * file needs no restart.
 */
final class TokenizerCache {

    private final Map<String, Slot> slots;
    private final Function<ModelSpec, Tokenizer> loader;

    TokenizerCache(ModelCatalog catalog) {
        this(catalog, spec -> load(spec.name(), catalog.pathOf(spec)));
    }

    TokenizerCache(ModelCatalog catalog, Function<ModelSpec, Tokenizer> loader) {
        // The roster is fixed for the server's life, so the slots are too and need no concurrent map.
        this.slots = catalog.models().stream().collect(Collectors.toUnmodifiableMap(ModelSpec::name, s -> new Slot()));
        this.loader = loader;
    }

    /**
     * @throws IllegalArgumentException if {@code spec} is not a model of this cache's catalog
     * @throws ModelLoadException if its file cannot be made into a tokenizer
     */
    Tokenizer get(ModelSpec spec) {
        Slot slot = slots.get(spec.name());
        if (slot == null) {
            throw new IllegalArgumentException("not a catalog model: " + spec.name());
        }
        Tokenizer t = slot.tokenizer;
        if (t != null) {
            return t;
        }
        synchronized (slot) {
            if (slot.tokenizer == null) {
                slot.tokenizer = loader.apply(spec);
            }
            return slot.tokenizer;
        }
    }

    private static Tokenizer load(String model, Path path) {
        // The tokenizer keeps its own copy of the vocabulary, so the file is closed once it is built.
        try (GgufFile gguf = GgufFile.open(path)) {
            return Tokenizer.fromGguf(gguf.metadata());
        } catch (IOException | GgufFormatException | UnsupportedModelException e) {
            throw new ModelLoadException(model, path, e);
        }
    }

    private static final class Slot {
        volatile Tokenizer tokenizer;
    }
}
