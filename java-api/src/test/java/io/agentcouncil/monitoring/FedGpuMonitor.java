package io.agentcouncil.monitoring;

import java.util.OptionalDouble;

/**
 * A GPU monitor whose utilization the test sets: the one simulated source, since this machine
 * has no GPU. Everything downstream of it (gauge, alert, health) is the real code.
 */
public final class FedGpuMonitor implements GpuMonitor {
    private volatile double percent;

    public FedGpuMonitor(double percent) {
        this.percent = percent;
    }

    public void set(double percent) {
        this.percent = percent;
    }

    @Override
    public OptionalDouble utilization() {
        return OptionalDouble.of(percent);
    }
}
