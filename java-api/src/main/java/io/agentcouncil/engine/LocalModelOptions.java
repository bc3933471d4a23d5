package io.agentcouncil.engine;

/**
 * How {@link LocalModel#load} runs a model.
 *
 * @param threads threads per session (the caller's thread plus {@code threads - 1} workers);
 *     0 means one per CPU this process may run on
 * @param name the model's name for logs and metrics; null means the file name without
 *     {@code .gguf}
 */
public record LocalModelOptions(int threads, String name) {

    public LocalModelOptions {
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException("threads " + threads + " outside 0..256 (0: all cores)");
        }
    }

    /** All cores, named after the file. */
    public static LocalModelOptions defaults() {
        return new LocalModelOptions(0, null);
    }

    public LocalModelOptions withThreads(int n) {
        return new LocalModelOptions(n, name);
    }

    public LocalModelOptions withName(String n) {
        return new LocalModelOptions(threads, n);
    }
}
