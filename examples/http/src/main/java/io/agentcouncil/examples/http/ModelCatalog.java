package io.agentcouncil.examples.http;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The models this server offers and whether each is on disk. In production it is the
 * {@link ModelRoster}; the seam exists so tests can present a roster model as not fetched, which the
 * real cache of a developer's machine cannot be made to do.
 */
interface ModelCatalog {

    List<ModelSpec> models();

    boolean isFetched(ModelSpec spec);

    Path pathOf(ModelSpec spec);

    default Optional<ModelSpec> find(String name) {
        return models().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    static ModelCatalog of(ModelRoster roster) {
        return new ModelCatalog() {
            @Override
            public List<ModelSpec> models() {
                return roster.models();
            }

            @Override
            public boolean isFetched(ModelSpec spec) {
                return roster.isFetched(spec);
            }

            @Override
            public Path pathOf(ModelSpec spec) {
                return roster.pathOf(spec);
            }
        };
    }
}
