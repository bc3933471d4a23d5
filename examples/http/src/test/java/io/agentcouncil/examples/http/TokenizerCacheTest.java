package io.agentcouncil.examples.http;

import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.models.ModelSpec;
import io.agentcouncil.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerCacheTest {
    private static final ModelCatalog ROSTER = ModelCatalog.of(ModelRoster.get());

    @Test
    void concurrentFirstRequestsShareOneLoad() throws Exception {
        ModelSpec spec = RosterModels.require(RosterModels.SMOLLM2);
        AtomicInteger loads = new AtomicInteger();
        TokenizerCache cache = new TokenizerCache(ROSTER, s -> {
            loads.incrementAndGet();
            return open(ROSTER.pathOf(s));
        });
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Tokenizer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return cache.get(spec);
                }));
            }
            go.countDown();
            Tokenizer first = results.get(0).get();
            for (Future<Tokenizer> r : results) {
                assertSame(first, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get());
    }

    @Test
    void aFailedLoadIsTriedAgainByTheNextRequest() {
        ModelSpec spec = RosterModels.require(RosterModels.SMOLLM2);
        AtomicInteger loads = new AtomicInteger();
        Function<ModelSpec, Tokenizer> failsOnce = s -> {
            if (loads.incrementAndGet() == 1) {
                throw new IllegalStateException("first load fails");
            }
            return open(ROSTER.pathOf(s));
        };
        TokenizerCache cache = new TokenizerCache(ROSTER, failsOnce);
        assertThrows(IllegalStateException.class, () -> cache.get(spec));
        Tokenizer t = cache.get(spec);
        assertSame(t, cache.get(spec));
        assertEquals(2, loads.get());
    }

    @Test
    void aMalformedFileIsAModelLoadExceptionNamingModelAndPath(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.gguf"), new byte[] {'G', 'G', 'U', 'F', 99, 0, 0, 0});
        ModelSpec spec = ModelRoster.get().models().get(0);
        ModelCatalog catalog = new ModelCatalog() {
            @Override
            public List<ModelSpec> models() {
                return List.of(spec);
            }

            @Override
            public boolean isFetched(ModelSpec s) {
                return true;
            }

            @Override
            public Path pathOf(ModelSpec s) {
                return junk;
            }
        };
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new TokenizerCache(catalog).get(spec));
        assertTrue(e.getMessage().contains(spec.name()) && e.getMessage().contains(junk.toString()), e.getMessage());
        assertFalse(e.clientMessage().contains(junk.toString()), e.clientMessage());
    }

    private static Tokenizer open(Path path) {
        try (GgufFile gguf = GgufFile.open(path)) {
            return Tokenizer.fromGguf(gguf.metadata());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
