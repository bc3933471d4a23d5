package io.agentcouncil.monitoring;

import java.util.OptionalDouble;

/**
 * The GPU's utilization, where a GPU backend runs. The NVML-backed implementation comes with the
 * CUDA backend; on CPU-only engines {@link #none()} says there is nothing to watch, which makes
 * the GPU alert inactive and health report the compute backend as {@code cpu}.
 */
public interface GpuMonitor {

    /** Utilization in percent (0-100) now, or empty where no GPU backend runs. */
    OptionalDouble utilization();

    /** The monitor of an engine without a GPU backend. */
    static GpuMonitor none() {
        return OptionalDouble::empty;
    }
}
