package io.agentcouncil.engine;

import io.agentcouncil.UnsupportedModelException;
import io.agentcouncil.gguf.GgufFile;
import io.agentcouncil.gguf.GgufFormatException;
import io.agentcouncil.gguf.GgufTensor;
import io.agentcouncil.natives.AgentCouncilNative;
import io.agentcouncil.natives.AgentCouncilNative.ContextHandle;
import io.agentcouncil.natives.AgentCouncilNative.ModelHandle;
import io.agentcouncil.natives.AgentCouncilNative.ModelParams;
import io.agentcouncil.natives.AgentCouncilNative.TensorDesc;
import io.agentcouncil.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.BytePointer;

/**
 * A GGUF model run by the native engine in this process. {@link #load} parses and validates the
 * file in Java (a malformed file is a {@link GgufFormatException}, one this engine cannot run an
 * {@link UnsupportedModelException}, both before any native code sees it), then the engine maps
 * the file read-only and checks the tensor table again.
 *
 * <p>Thread-safe: the weights are shared by every session; each {@link ModelSession} belongs to
 * one thread at a time. {@link #close()} closes the sessions still open, then frees the weights.
 */
public final class LocalModel implements LanguageModel {

    /** Positions one session may hold; the native limit. */
    public static final int MAX_CONTEXT = 1 << 20;

    private final String name;
    private final Path path;
    private final HyperParameters hp;
    private final Tokenizer tokenizer;
    private final String chatTemplate;
    private final int threads;
    private final Set<LocalSession> sessions = ConcurrentHashMap.newKeySet();
    private ModelHandle handle; // null once closed; guarded by this
    private final Object lock = new Object();

    private LocalModel(String name, Path path, HyperParameters hp, Tokenizer tokenizer, String chatTemplate, int threads,
            ModelHandle handle) {
        this.name = name;
        this.path = path;
        this.hp = hp;
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.threads = threads;
        this.handle = handle;
    }

    /** {@link #load(Path, LocalModelOptions)} on all cores. */
    public static LocalModel load(Path gguf) throws IOException {
        return load(gguf, LocalModelOptions.defaults());
    }

    /** {@link #load(Path, LocalModelOptions)} with {@code threads} per session (0: all cores). */
    public static LocalModel load(Path gguf, int threads) throws IOException {
        return load(gguf, LocalModelOptions.defaults().withThreads(threads));
    }

    /**
     * Opens, validates and maps a GGUF model.
     *
     * @throws GgufFormatException if the file is malformed or contradicts its own metadata
     * @throws UnsupportedModelException for an architecture, feature, tensor type or tokenizer this
     *     engine does not implement
     * @throws IOException if the file cannot be read or mapped
     */
    public static LocalModel load(Path gguf, LocalModelOptions options) throws IOException {
        try (GgufFile file = GgufFile.open(gguf)) {
            List<GgufTensor> used = new ArrayList<>();
            HyperParameters hp = HyperParameters.read(file, used);
            Tokenizer tokenizer = Tokenizer.fromGguf(file.metadata());
            if (tokenizer.vocabulary().size() != hp.nVocab()) {
                throw new GgufFormatException("metadata[\"tokenizer.ggml.tokens\"]", -1, tokenizer.vocabulary().size()
                        + " tokens, but token_embd.weight has " + hp.nVocab() + " rows");
            }
            String template = file.metadata().getString("tokenizer.chat_template", null);
            String name = options.name() != null ? options.name() : baseName(gguf);
            ModelHandle handle = loadNative(file, hp, used);
            return new LocalModel(name, gguf, hp, tokenizer, template, options.threads(), handle);
        }
    }

    private static ModelHandle loadNative(GgufFile file, HyperParameters hp, List<GgufTensor> used) throws IOException {
        List<BytePointer> strings = new ArrayList<>(); // alive until ac_model_load returns
        try (ModelParams params = new ModelParams(); TensorDesc table = new TensorDesc(Math.max(1, used.size()))) {
            for (int i = 0; i < used.size(); i++) {
                GgufTensor t = used.get(i);
                BytePointer tensorName = new BytePointer(t.name());
                strings.add(tensorName);
                table.position(i).name(tensorName).type(t.type().id()).n_dims(t.dims()).offset(t.fileOffset()).size(t.byteSize());
                for (int d = 0; d < 4; d++) {
                    table.ne(d, d < t.dims() ? t.dim(d) : 1);
                }
            }
            table.position(0);
            BytePointer pathString = new BytePointer(file.path().toAbsolutePath().toString());
            BytePointer arch = new BytePointer(hp.arch().ggufName);
            strings.add(pathString);
            strings.add(arch);
            params.path(pathString).file_size(file.fileSize()).architecture(arch)
                    .tensors(table).n_tensors(used.size())
                    .n_vocab(hp.nVocab()).n_embd(hp.nEmbd()).n_layer(hp.nLayer()).n_head(hp.nHead()).n_head_kv(hp.nHeadKv())
                    .n_ff(hp.nFf()).head_dim(hp.headDim()).n_rot(hp.nRot()).rope_freq_base(hp.ropeFreqBase()).rms_norm_eps(hp.rmsNormEps())
                    .n_swa(hp.slidingWindow().size()).swa_pattern(hp.slidingWindow().pattern())
                    .rope_freq_base_swa(hp.slidingWindow().ropeFreqBase());
            ModelHandle handle = new ModelHandle();
            int status = AgentCouncilNative.ac_model_load(params, handle);
            if (status != AgentCouncilNative.AC_OK) {
                String message = NativeStatus.message(status);
                switch (status) {
                    case AgentCouncilNative.AC_ERR_UNSUPPORTED -> throw new UnsupportedModelException(message);
                    case AgentCouncilNative.AC_ERR_BAD_MODEL, AgentCouncilNative.AC_ERR_INVALID_ARGUMENT ->
                            throw new GgufFormatException(file.path().toString(), -1, message);
                    case AgentCouncilNative.AC_ERR_IO -> throw new IOException(message);
                    default -> throw new IllegalStateException(message);
                }
            }
            return handle;
        } finally {
            strings.forEach(BytePointer::close);
        }
    }

    private static String baseName(Path gguf) {
        String file = gguf.getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    @Override
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public String chatTemplate() {
        return chatTemplate;
    }

    @Override
    public int trainedContextLength() {
        return hp.contextLength();
    }

    public int vocabularySize() {
        return hp.nVocab();
    }

    /** Threads each session evaluates with; 0 means one per available CPU. */
    public int threads() {
        return threads;
    }

    /** The kernel implementation the engine chose for this CPU, e.g. {@code "avx2"}. */
    public static String kernels() {
        return AgentCouncilNative.ac_kernels_name();
    }

    /**
     * @throws IllegalArgumentException if {@code contextLength} is outside 1..{@link #MAX_CONTEXT}
     * @throws IllegalStateException if the model is closed or the cache cannot be allocated
     */
    @Override
    public LocalSession newSession(int contextLength) {
        if (contextLength < 1 || contextLength > MAX_CONTEXT) {
            throw new IllegalArgumentException("context length " + contextLength + " outside 1.." + MAX_CONTEXT);
        }
        synchronized (lock) {
            if (handle == null) {
                throw new IllegalStateException("model " + name + " is closed");
            }
            ContextHandle ctx = new ContextHandle();
            int status = AgentCouncilNative.ac_context_create(handle, contextLength, threads, ctx);
            if (status != AgentCouncilNative.AC_OK) {
                throw NativeStatus.forSession(status);
            }
            LocalSession session = new LocalSession(this, ctx, contextLength, hp.nVocab());
            sessions.add(session);
            return session;
        }
    }

    void sessionClosed(LocalSession session) {
        sessions.remove(session);
    }

    /** Sessions not yet closed. */
    int openSessions() {
        return sessions.size();
    }

    @Override
    public void close() {
        ModelHandle h;
        synchronized (lock) {
            h = handle;
            handle = null;
        }
        if (h == null) {
            return;
        }
        // Outside the lock: a session closing itself concurrently takes its own lock, then ours.
        for (LocalSession s : List.copyOf(sessions)) {
            s.close();
        }
        // Contexts hold their own reference natively, so even a session that slipped past the
        // loop above would keep the weights mapped until it closes.
        AgentCouncilNative.ac_model_free(h);
        h.setNull();
    }

    @Override
    public String toString() {
        return "LocalModel[" + name + ", " + hp.arch().ggufName + ", " + hp.nLayer() + " layers, n_embd " + hp.nEmbd() + ", vocab " + hp.nVocab() + "]";
    }
}
