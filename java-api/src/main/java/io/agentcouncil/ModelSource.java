package io.agentcouncil;

import io.agentcouncil.engine.LanguageModel;
import io.agentcouncil.engine.LocalModel;
import io.agentcouncil.engine.LocalModelOptions;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a council member's weights come from. Agent-0 is loaded when the council is built;
 * specialists on their first escalation. Models a source loads belong to the council, which
 * closes them; a model given as an {@link #instance} stays the caller's.
 */
public interface ModelSource {

    /** Loads the model to run with {@code threads} threads per evaluation. */
    LanguageModel load(int threads) throws IOException;

    /** Whether the council closes what {@link #load} returned. */
    default boolean owned() {
        return true;
    }

    /**
     * How to calibrate the default confidence estimator for this model, where that was fitted:
     * roster models carry it in {@code models.json}; other sources have none.
     */
    default Optional<ModelSpec.Calibration> calibration() {
        return Optional.empty();
    }

    /** A GGUF file; the model is named after the file. */
    static ModelSource path(Path gguf) {
        Objects.requireNonNull(gguf, "gguf");
        return new ModelSource() {
            @Override
            public LanguageModel load(int threads) throws IOException {
                return LocalModel.load(gguf, LocalModelOptions.defaults().withThreads(threads));
            }

            @Override
            public String toString() {
                return gguf.toString();
            }
        };
    }

    /**
     * A model of the roster ({@code models.json}) by name, e.g. {@code "smollm2-135m-instruct"},
     * from the model cache; {@code scripts/fetch-models NAME} puts it there.
     */
    static ModelSource roster(String name) {
        Objects.requireNonNull(name, "name");
        return new ModelSource() {
            @Override
            public LanguageModel load(int threads) throws IOException {
                Path file = ModelRoster.get().resolve(name);
                return LocalModel.load(file, LocalModelOptions.defaults().withThreads(threads).withName(name));
            }

            @Override
            public Optional<ModelSpec.Calibration> calibration() {
                return ModelRoster.get().find(name).map(ModelSpec::confidenceCalibration);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** A model the caller has loaded and will close after the council. */
    static ModelSource instance(LanguageModel model) {
        Objects.requireNonNull(model, "model");
        return new ModelSource() {
            @Override
            public LanguageModel load(int threads) {
                return model;
            }

            @Override
            public boolean owned() {
                return false;
            }

            @Override
            public String toString() {
                return model.name();
            }
        };
    }
}
