package io.agentcouncil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code agentcouncil}: chat with the council or ask it one question, serve it over HTTP, look at
 * the model roster, generate text with a local model, measure its speed, inspect GGUF files and
 * tokenize text, using only the public AgentCouncil API. Exit status: 0 success, 1 a runtime
 * failure (a bad, unreadable or unsupported model file, a failed fetch), 2 a usage error such as
 * an unknown model name or an out-of-range option, 3 a roster model that is not fetched yet.
 */
@Command(name = "agentcouncil",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Chat with a council of small local GGUF models running in the JVM; run, measure, inspect and "
                + "tokenize the models themselves.",
        subcommands = {ChatCommand.class, AskCommand.class, ServeCommand.class, ModelsCommand.class, GenerateCommand.class,
                BenchCommand.class, InspectCommand.class, TokenizeCommand.class, DoctorCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = CliException.EXIT_HEADING,
        exitCodeList = {CliException.EXIT_OK, CliException.EXIT_FAILURE, CliException.EXIT_USAGE,
                CliException.EXIT_MODEL_MISSING})
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process with their own out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setParameterExceptionHandler(Main::usageError);
        cmd.setExecutionExceptionHandler(Main::failure);
        return cmd;
    }

    /** A bare {@code agentcouncil} shows what it can do, as a usage error so scripts notice. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** One line instead of picocli's message plus the whole usage text: the hint says where help is. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("error: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * Expected failures (bad model files, missing models, I/O) become one {@code error:} line;
     * anything else is a bug and keeps picocli's stack trace.
     */
    private static int failure(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        if (e instanceof CliException c) {
            cmd.getErr().println("error: " + c.getMessage());
            return c.exitCode();
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            cmd.getErr().println("error: " + e.getMessage());
            return CliException.BAD_FILE;
        }
        throw e;
    }

    /** The version Maven wrote into the jar; absent when running from a classes folder. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (var in = Main.class.getResourceAsStream("/META-INF/maven/io.agentcouncil/agentcouncil-cli/pom.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"agentcouncil " + props.getProperty("version", "(development build)")};
        }
    }
}
