package io.agentcouncil.natives;

import io.agentcouncil.natives.AgentCouncilNative.CpuFeaturesStruct;
import java.util.StringJoiner;

/**
 * The instruction sets this process can use (the CPU has them and the OS enables their
 * registers) and how many CPUs it may run on.
 */
public record CpuFeatures(
        String brand,
        int logicalCores,
        boolean avx,
        boolean avx2,
        boolean fma,
        boolean f16c,
        boolean avx512f,
        boolean avx512bw,
        boolean avx512vl,
        boolean avx512Vnni,
        boolean avxVnni) {

    /**
     * Asks the native library.
     *
     * @throws IllegalStateException if the native call reports an error
     */
    public static CpuFeatures detect() {
        try (CpuFeaturesStruct s = new CpuFeaturesStruct()) {
            int status = AgentCouncilNative.ac_cpu_features(s);
            if (status != AgentCouncilNative.AC_OK) {
                throw new IllegalStateException("ac_cpu_features failed: "
                        + AgentCouncilNative.ac_status_name(status) + " (" + status + ")");
            }
            return new CpuFeatures(
                    s.brand().getString(),
                    s.logical_cores(),
                    s.avx() != 0,
                    s.avx2() != 0,
                    s.fma() != 0,
                    s.f16c() != 0,
                    s.avx512f() != 0,
                    s.avx512bw() != 0,
                    s.avx512vl() != 0,
                    s.avx512_vnni() != 0,
                    s.avx_vnni() != 0);
        }
    }

    /** For example {@code "Intel(R) Xeon(R) Processor, 2 logical cores, AVX AVX2 FMA F16C"}. */
    @Override
    public String toString() {
        StringJoiner isa = new StringJoiner(" ");
        if (avx) isa.add("AVX");
        if (avx2) isa.add("AVX2");
        if (fma) isa.add("FMA");
        if (f16c) isa.add("F16C");
        if (avxVnni) isa.add("AVX-VNNI");
        if (avx512f) isa.add("AVX512F");
        if (avx512bw) isa.add("AVX512BW");
        if (avx512vl) isa.add("AVX512VL");
        if (avx512Vnni) isa.add("AVX512-VNNI");
        isa.setEmptyValue("no AVX");
        return brand + ", " + logicalCores + (logicalCores == 1 ? " logical core, " : " logical cores, ") + isa;
    }
}
