package io.agentcouncil.benchmarks;

import io.agentcouncil.models.ModelRoster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Inputs shared by the benchmarks: roster model files and the English prose sample. */
final class BenchmarkModels {
    private BenchmarkModels() {}

    static Path path(String rosterName) {
        return ModelRoster.get().resolve(rosterName);
    }

    /** About 100 KB of English prose (GSM8K questions, see prose-en.SOURCE.md). */
    static String prose() {
        try (InputStream in = BenchmarkModels.class.getResourceAsStream("/prose-en.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
