package io.agentcouncil.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code redis-server} child process on a free loopback port, for tests: never a mock.
 * It can be stopped and started again on the same port, to test recovery. Without persistence
 * a restart comes back empty, as a crashed cache does; {@link #persistent()} keeps an
 * append-only file (fsync on every write) so a restart comes back with its old data.
 *
 * <p>Fails, never skips, when {@code redis-server} is not installed: the tests need it.
 */
final class RedisServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final Path binary;
    private final Path dir;
    private final boolean persistent;
    private final Thread reaper = new Thread(this::kill, "redis-server-reaper");
    private int port;
    private Process process;

    private RedisServer(boolean persistent) {
        this.binary = findBinary();
        this.persistent = persistent;
        try {
            this.dir = Files.createTempDirectory("redis-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A test JVM that exits without close() must not leave servers behind.
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** A started server whose data lives in memory only. */
    static RedisServer ephemeral() {
        return startNew(false);
    }

    /** A started server that keeps its data across {@link #stop()} and {@link #start()}. */
    static RedisServer persistent() {
        return startNew(true);
    }

    private static RedisServer startNew(boolean persistent) {
        RedisServer server = new RedisServer(persistent);
        try {
            // Another process may take the free port between choosing and binding it: try again.
            for (int attempt = 1; ; attempt++) {
                server.port = freePort();
                try {
                    server.start();
                    return server;
                } catch (IllegalStateException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                }
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Path findBinary() {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, "redis-server"));
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "redis-server not found on PATH or in /usr/bin: the Redis memory store tests need a real server;"
                        + " install Debian's redis-server package (apt-get install redis-server)"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server (again) on its port and waits until it answers PING. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is already running on port " + port);
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port), "--bind", HOST, "--dir", dir.toString(),
                "--save", "", "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(persistent ? List.of("--appendonly", "yes", "--appendfsync", "always") : List.of("--appendonly", "no"));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port + ": " + log());
            }
            try (Jedis jedis = new Jedis(HOST, port, 500)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (JedisException notYet) {
                // Still starting: try again below.
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s: " + log());
            }
            sleep(20);
        }
    }

    /** Stops the server at once, saving nothing beyond what the append-only file already holds. */
    synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try (Jedis jedis = new Jedis(HOST, port, 2000)) {
            jedis.shutdown(redis.clients.jedis.params.ShutdownParams.shutdownParams().nosave());
        } catch (JedisException expected) {
            // SHUTDOWN closes the connection instead of replying.
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    private synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    URI uri() {
        return URI.create("redis://" + HOST + ":" + port);
    }

    String host() {
        return HOST;
    }

    int port() {
        return port;
    }

    /** A plain client, for looking at the keys a store wrote. */
    Jedis client() {
        return new Jedis(HOST, port, 2000);
    }

    private String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve("redis.out"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        stop();
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it does what close() did.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
