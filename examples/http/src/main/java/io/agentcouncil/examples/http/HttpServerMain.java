package io.agentcouncil.examples.http;

import io.agentcouncil.models.ModelRoster;
import java.nio.file.Path;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;

/** Starts the AgentCouncil HTTP server: {@code java -jar agentcouncil-http.jar [--host H] [--port P]}. */
public final class HttpServerMain {

    static final String USAGE = """
            usage: java -jar agentcouncil-http.jar [--host HOST] [--port PORT] [--memory FILE]
              --host HOST    address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --port PORT    TCP port, 0 for any free one (default 8000)
              --memory FILE  keep sessions' memory in this SQLite file (default: in memory only)
            Models are read from $AGENTCOUNCIL_MODELS, or ~/.cache/agentcouncil/models.
            Environment: AGENTCOUNCIL_HTTP_TOKEN (require Authorization: Bearer), SLACK_WEBHOOK_URL
            (alerts to Slack), SWARM_GPU_PROFILE (cpu, rtx_4070, ...).""";

    /** The command line, parsed. */
    record Options(String host, int port, Path memory, boolean help) {

        /** @throws IllegalArgumentException naming the bad argument */
        static Options parse(String... args) {
            String host = "127.0.0.1";
            int port = 8000;
            Path memory = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        return new Options(host, port, memory, true);
                    }
                    case "--host" -> host = value(args, ++i, "--host");
                    case "--port" -> port = port(value(args, ++i, "--port"));
                    case "--memory" -> memory = Path.of(value(args, ++i, "--memory"));
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            return new Options(host, port, memory, false);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].isBlank()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below, like an out-of-range number
            }
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, not " + text);
        }
    }

    private HttpServerMain() {}

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(USAGE);
            return;
        }
        ModelRoster roster = ModelRoster.get();
        ServerLimits limits = ServerLimits.fromEnvironment(System.getenv());
        CouncilService service;
        try {
            service = Councils.start(roster, options.memory(), limits);
        } catch (Councils.MissingModelException e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        Javalin app = AgentCouncilHttp.create(roster, service);
        // SIGTERM or Ctrl-C: refuse new chats, finish those in flight, drain memory, then stop Jetty.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            app.stop();
        }, "http-shutdown"));
        try {
            app.start(options.host(), options.port());
        } catch (JavalinBindException e) {
            System.err.println("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
            System.exit(1);
        }
        System.out.println("AgentCouncil HTTP on http://" + options.host() + ":" + app.port()
                + " (models in " + roster.cacheDir() + ", GPU profile " + limits.gpuProfile() + ")");
    }
}
