package io.agentcouncil.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentcouncil.natives.AgentCouncilNative;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Under {@code mvn -Psanitize -pl native,java-api verify} the engine tests must run on the
 * AddressSanitizer build of the native library, not on a copy of the ordinary one left in a
 * cache: the library this JVM mapped must call into the ASan runtime.
 */
@EnabledIfSystemProperty(named = "agentcouncil.sanitized", matches = "true",
        disabledReason = "only in the sanitize profile (mvn -Psanitize -pl native,java-api verify)")
class SanitizedBuildTest {

    @Test
    void theLoadedNativeLibraryIsTheSanitizedBuild() throws IOException {
        AgentCouncilNative.ac_version(); // loads the library
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8);
        assertTrue(maps.stream().anyMatch(l -> l.contains("libasan")), "the ASan runtime is not in this process");
        Path library = maps.stream()
                .filter(l -> l.endsWith("/libagentcouncil.so"))
                .map(l -> Path.of(l.substring(l.indexOf('/'))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("libagentcouncil.so is not mapped"));
        String symbols = new String(Files.readAllBytes(library), StandardCharsets.ISO_8859_1);
        assertTrue(symbols.contains("__asan_init") && symbols.contains("__ubsan_handle"),
                library + " was not built with -fsanitize=address,undefined");
    }
}
