package io.agentcouncil.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The default models, as listed in the repository's {@code models.json} (shared with
 * {@code scripts/fetch-models}), and where they live on this machine: {@code $AGENTCOUNCIL_MODELS},
 * or {@code ~/.cache/agentcouncil/models}.
 */
public final class ModelRoster {
    public static final String MODELS_ENV = "AGENTCOUNCIL_MODELS";

    private record Manifest(int version, List<ModelSpec> models) {}

    private static final ModelRoster DEFAULT = load();

    private final List<ModelSpec> models;
    private final Path cacheDir;

    private ModelRoster(List<ModelSpec> models, Path cacheDir) {
        this.models = List.copyOf(models);
        this.cacheDir = cacheDir;
    }

    public static ModelRoster get() {
        return DEFAULT;
    }

    private static ModelRoster load() {
        try (InputStream in = ModelRoster.class.getResourceAsStream("models.json")) {
            if (in == null) {
                throw new IllegalStateException("models.json is missing from the agentcouncil jar");
            }
            Manifest m = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .readValue(in, Manifest.class);
            return new ModelRoster(m.models(), defaultCacheDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model roster", e);
        }
    }

    static Path defaultCacheDir() {
        String env = System.getenv(MODELS_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "agentcouncil", "models");
    }

    public List<ModelSpec> models() {
        return models;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public Optional<ModelSpec> find(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Where {@code spec}'s file is or will be once fetched. */
    public Path pathOf(ModelSpec spec) {
        return cacheDir.resolve(spec.file());
    }

    public boolean isFetched(ModelSpec spec) {
        Path p = pathOf(spec);
        try {
            return Files.isRegularFile(p) && Files.size(p) == spec.size();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A model file from a roster name or a path. A roster model that is not on disk yet is an
     * error that says how to fetch it.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public Path resolve(String nameOrPath) {
        Optional<ModelSpec> spec = find(nameOrPath);
        if (spec.isPresent()) {
            if (!isFetched(spec.get())) {
                throw new IllegalArgumentException("model " + nameOrPath + " is not fetched into " + cacheDir
                        + ": run scripts/fetch-models " + nameOrPath);
            }
            return pathOf(spec.get());
        }
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        throw new IllegalArgumentException("\"" + nameOrPath + "\" is neither a file nor a roster model ("
                + models.stream().map(ModelSpec::name).collect(Collectors.joining(", ")) + ")");
    }
}
