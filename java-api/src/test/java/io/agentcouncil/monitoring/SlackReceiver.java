package io.agentcouncil.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Slack incoming webhook on a free loopback port (the JDK's HTTP server): it records the
 * {@code text} of every POST to its secret path, and can be made slow or failing.
 */
public final class SlackReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String path = "/services/T000/B000/" + UUID.randomUUID().toString().replace("-", "");
    private final List<String> texts = new ArrayList<>();
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;

    public SlackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slack-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (!exchange.getRequestURI().getPath().equals(path) || !"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                sleep(delay);
                synchronized (texts) {
                    texts.add(JSON.readTree(body).path("text").asText());
                    texts.notifyAll();
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The webhook URL, secret path included. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The answer to every later POST (200 by default). */
    public void respondWith(int status) {
        this.status = status;
    }

    /** How long each later POST waits before it is answered. */
    public void delay(Duration delay) {
        this.delay = delay;
    }

    /** The texts received so far, in order. */
    public List<String> texts() {
        synchronized (texts) {
            return List.copyOf(texts);
        }
    }

    /** Waits until at least {@code n} messages arrived; the texts received by then. */
    public List<String> await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (texts) {
            while (texts.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(texts, left);
            }
            return List.copyOf(texts);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
