package io.agentcouncil.cli;

import io.agentcouncil.examples.http.HttpServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code agentcouncil serve}: the HTTP example's server, started through its own entry point so
 * that the CLI and {@code java -jar agentcouncil-http.jar} serve the same thing.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the AgentCouncil HTTP server (examples/http; its README lists the endpoints) and serve "
                + "until stopped with Ctrl-C or SIGTERM. Its council is the roster's: Agent-0 and the specialists that "
                + "are fetched."},
        exitCodeListHeading = CliException.EXIT_HEADING,
        exitCodeList = {"1:the server could not start (the port is taken, a model cannot load)", CliException.EXIT_USAGE,
                "3:Agent-0 is not fetched; the message gives the scripts/fetch-models command",
                "130:stopped with Ctrl-C", "143:stopped with SIGTERM"})
final class ServeCommand implements Callable<Integer> {
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on; 0.0.0.0 for every interface "
            + "(default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port = 8000;

    @Option(names = "--memory", paramLabel = "PATH", description = "Keep sessions' memory in this SQLite file; default: "
            + "in memory, gone when the server stops.")
    Path memory;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535: " + port);
        }
        if (host.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--host needs an address");
        }
        // The server logs as it does on its own (the CLI's simplelogger.properties quiets the other commands);
        // a level set with -D, e.g. through JAVA_TOOL_OPTIONS, stands.
        if (System.getProperty(LOG_LEVEL) == null) {
            System.setProperty(LOG_LEVEL, "info");
        }
        // The server reports its own start-up failures and exits with its own status.
        List<String> args = new ArrayList<>(List.of("--host", host, "--port", Integer.toString(port)));
        if (memory != null) {
            args.addAll(List.of("--memory", memory.toString()));
        }
        HttpServerMain.main(args.toArray(String[]::new));
        // Its threads serve from here on; returning would let Main exit the JVM under them. A signal
        // ends the JVM, and the server's shutdown hook stops it in order.
        new CountDownLatch(1).await();
        return 0;
    }
}
