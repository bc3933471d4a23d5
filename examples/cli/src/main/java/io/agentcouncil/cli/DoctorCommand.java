package io.agentcouncil.cli;

import io.agentcouncil.models.ModelRoster;
import io.agentcouncil.natives.CpuFeatures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code agentcouncil doctor}: the facts to paste into a bug report. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the Java runtime, the CPU features the native engine sees, and the model cache.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-8s%s %s (%s), %s/%s%n", "java", System.getProperty("java.vm.name"), Runtime.version(),
                System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"));
        out.printf("%-8s%s%n", "cpu", cpu());
        ModelRoster roster = ModelRoster.get();
        long fetched = roster.models().stream().filter(roster::isFetched).count();
        out.printf("%-8s%s (%d of %d roster models fetched)%n", "models", roster.cacheDir(), fetched, roster.models().size());
        out.flush();
        return 0;
    }

    /** The native library may not load on this platform; that is a finding to report, not a crash. */
    private static String cpu() {
        try {
            return CpuFeatures.detect().toString();
        } catch (RuntimeException | LinkageError e) {
            return "native engine unavailable: " + e;
        }
    }
}
