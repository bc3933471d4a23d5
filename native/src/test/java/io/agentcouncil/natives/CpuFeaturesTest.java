package io.agentcouncil.natives;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checks the native detection against the kernel's own view of this machine. */
class CpuFeaturesTest {

    @Test
    void isaFlagsMatchProcCpuinfo() throws IOException {
        CpuFeatures cpu = CpuFeatures.detect();
        Set<String> kernel = kernelCpuFlags();

        assertAll(
                () -> assertEquals(kernel.contains("avx"), cpu.avx(), "avx"),
                () -> assertEquals(kernel.contains("avx2"), cpu.avx2(), "avx2"),
                () -> assertEquals(kernel.contains("fma"), cpu.fma(), "fma"),
                () -> assertEquals(kernel.contains("f16c"), cpu.f16c(), "f16c"),
                () -> assertEquals(kernel.contains("avx512f"), cpu.avx512f(), "avx512f"),
                () -> assertEquals(kernel.contains("avx512bw"), cpu.avx512bw(), "avx512bw"),
                () -> assertEquals(kernel.contains("avx512vl"), cpu.avx512vl(), "avx512vl"),
                () -> assertEquals(kernel.contains("avx512_vnni") || kernel.contains("avx512vnni"),
                        cpu.avx512Vnni(), "avx512_vnni"),
                () -> assertEquals(kernel.contains("avx_vnni"), cpu.avxVnni(), "avx_vnni"));
    }

    @Test
    void logicalCoresAreTheCpusThisThreadMayRunOn() throws IOException {
        assertEquals(allowedCpuCount(), CpuFeatures.detect().logicalCores());
    }

    @Test
    void brandIsReported() {
        CpuFeatures cpu = CpuFeatures.detect();
        assertFalse(cpu.brand().isBlank());
        assertTrue(cpu.toString().startsWith(cpu.brand() + ", "), cpu::toString);
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        assertEquals(System.getProperty("agentcouncil.version"), AgentCouncilNative.ac_version());
    }

    @Test
    void nullOutputIsRejected() {
        assertEquals(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT, AgentCouncilNative.ac_cpu_features(null));
    }

    @Test
    void statusConstantsMatchTheHeader() {
        assertEquals("AC_OK", AgentCouncilNative.ac_status_name(AgentCouncilNative.AC_OK));
        assertEquals("AC_ERR_INVALID_ARGUMENT",
                AgentCouncilNative.ac_status_name(AgentCouncilNative.AC_ERR_INVALID_ARGUMENT));
    }

    private static Set<String> kernelCpuFlags() throws IOException {
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("flags"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no flags line in /proc/cpuinfo"));
        return Arrays.stream(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"))
                .collect(Collectors.toSet());
    }

    /** Counts the kernel's Cpus_allowed_list of the calling thread, e.g. "0-3,8,10-11". */
    private static int allowedCpuCount() throws IOException {
        String list = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Cpus_allowed_list in /proc/thread-self/status"))
                .substring("Cpus_allowed_list:".length())
                .trim();
        int count = 0;
        for (String range : list.split(",")) {
            String[] bounds = range.split("-");
            int first = Integer.parseInt(bounds[0]);
            int last = Integer.parseInt(bounds[bounds.length - 1]);
            count += last - first + 1;
        }
        return count;
    }
}
