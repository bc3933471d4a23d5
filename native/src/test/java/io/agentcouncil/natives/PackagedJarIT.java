package io.agentcouncil.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs against the packaged jar (failsafe puts it on the class path instead of target/classes)
 * and asks the kernel, through /proc/self/maps, which library files the JVM really mapped.
 */
class PackagedJarIT {

    @Test
    void bothLibrariesAreLoadedFromTheJarsExtractedCopies() throws IOException, URISyntaxException {
        Path codeSource = Path.of(CpuFeatures.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(codeSource.toString().endsWith(".jar"), "classes come from " + codeSource);

        CpuFeatures cpu = CpuFeatures.detect();
        System.out.println("Detected from " + codeSource.getFileName() + ": " + cpu);

        Path cache = Path.of(System.getProperty("org.bytedeco.javacpp.cachedir")).toRealPath();
        Map<String, Path> mapped = mappedAgentCouncilLibraries();
        assertEquals(Set.of("libagentcouncil.so", "libjniAgentCouncilNative.so"), mapped.keySet(), mapped::toString);
        mapped.values().forEach(path -> assertTrue(path.startsWith(cache), path + " is not under " + cache));
    }

    /** File name to path; a library mapped from two places makes toMap throw. */
    private static Map<String, Path> mappedAgentCouncilLibraries() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.split("\\s+", 6))
                .filter(fields -> fields.length == 6 && fields[5].startsWith("/"))
                .map(fields -> Path.of(fields[5]))
                .distinct()
                .filter(path -> path.getFileName().toString().matches("lib(jni)?AgentCouncil.*\\.so|libagentcouncil\\.so"))
                .collect(Collectors.toMap(path -> path.getFileName().toString(), path -> path));
    }
}
