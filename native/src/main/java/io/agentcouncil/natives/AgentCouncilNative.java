package io.agentcouncil.natives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.ByPtrPtr;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Direct JavaCPP binding of {@code agentcouncil.h}; names and types mirror the header one to
 * one. Prefer the friendly types of this package, which check status codes.
 */
@Platform(include = "agentcouncil.h", link = "agentcouncil")
public final class AgentCouncilNative {
    static {
        Loader.load();
    }

    public static final int AC_OK = 0;
    public static final int AC_ERR_INVALID_ARGUMENT = 1;
    public static final int AC_ERR_IO = 2;
    public static final int AC_ERR_UNSUPPORTED = 3;
    public static final int AC_ERR_BAD_MODEL = 4;
    public static final int AC_ERR_CONTEXT_FULL = 5;
    public static final int AC_ERR_OUT_OF_MEMORY = 6;
    public static final int AC_ERR_INTERNAL = 7;

    private AgentCouncilNative() {}

    public static native String ac_status_name(int status);

    public static native String ac_version();

    public static native int ac_cpu_features(CpuFeaturesStruct out);

    /** The message of this thread's last failed call, or "". */
    public static native String ac_last_error();

    public static native int ac_tensor_type_supported(int ggmlType);

    public static native String ac_kernels_name();

    public static native int ac_model_load(@Const ModelParams params, @ByPtrPtr ModelHandle out);

    public static native void ac_model_free(ModelHandle model);

    public static native int ac_context_create(ModelHandle model, int nCtx, int nThreads, @ByPtrPtr ContextHandle out);

    public static native void ac_context_free(ContextHandle ctx);

    public static native int ac_context_length(@Const ContextHandle ctx);

    public static native int ac_eval(ContextHandle ctx, @Const IntPointer tokens, int nTokens, int allLogits, FloatPointer logits);

    public static native int ac_kv_truncate(ContextHandle ctx, int nKeep);

    public static native int ac_kv_copy(@Const ContextHandle src, ContextHandle dst, int n);

    public static final int AC_SCAN_MAX_DIMENSION = 65536;
    public static final int AC_SCAN_MAX_THREADS = 64;

    public static native @Cast("int64_t") long ac_scan_code_bytes(int dimension);

    public static native int ac_scan_encode(@Const float[] vector, int dimension, @Cast("uint8_t*") BytePointer codes,
            FloatPointer norms, @Cast("int64_t") long capacity, @Cast("int64_t") long slot);

    public static native int ac_scan_candidates(@Cast("const uint8_t*") BytePointer codes, @Const FloatPointer norms,
            @Cast("int64_t") long n, int dimension, @Const float[] query, int k, float minScore, int threads, int[] slots,
            int capacity,
            @Cast("int64_t*") long[] count);

    /** {@code ac_model*}: an opaque handle; the address is set by {@link #ac_model_load}. */
    @Opaque
    @Name("ac_model")
    public static final class ModelHandle extends Pointer {
        static {
            Loader.load();
        }

        public ModelHandle() {
            super((Pointer) null);
        }
    }

    /** {@code ac_context*}: an opaque handle; the address is set by {@link #ac_context_create}. */
    @Opaque
    @Name("ac_context")
    public static final class ContextHandle extends Pointer {
        static {
            Loader.load();
        }

        public ContextHandle() {
            super((Pointer) null);
        }
    }

    /**
     * {@code ac_tensor_desc[]}; native memory, freed by {@link #close()}. The name pointers are
     * stored as given: the caller keeps those {@link BytePointer}s alive while the table is used.
     */
    @Name("ac_tensor_desc")
    public static final class TensorDesc extends Pointer {
        static {
            Loader.load();
        }

        /** An array of {@code n} entries, uninitialised: set every field of every entry. */
        public TensorDesc(long n) {
            allocateArray(n);
        }

        private native void allocateArray(long n);

        @Override
        public TensorDesc position(long position) {
            return (TensorDesc) super.position(position);
        }

        public native @Cast("const char*") BytePointer name();

        public native TensorDesc name(@Cast("const char*") BytePointer name);

        public native @Cast("int32_t") int type();

        public native TensorDesc type(int type);

        public native @Cast("int32_t") int n_dims();

        public native TensorDesc n_dims(int nDims);

        public native @Cast("int64_t") long ne(int i);

        public native TensorDesc ne(int i, long ne);

        public native @Cast("uint64_t") long offset();

        public native TensorDesc offset(long offset);

        public native @Cast("uint64_t") long size();

        public native TensorDesc size(long size);
    }

    /**
     * {@code ac_model_params}; native memory, freed by {@link #close()}. String and table pointers
     * are stored as given and must outlive the {@link #ac_model_load} call.
     */
    @Name("ac_model_params")
    public static final class ModelParams extends Pointer {
        static {
            Loader.load();
        }

        /** Zero-initialised ({@code new ac_model_params()}). */
        public ModelParams() {
            allocate();
        }

        private native void allocate();

        public native @Cast("const char*") BytePointer path();

        public native ModelParams path(@Cast("const char*") BytePointer path);

        public native @Cast("uint64_t") long file_size();

        public native ModelParams file_size(long fileSize);

        public native @Cast("const char*") BytePointer architecture();

        public native ModelParams architecture(@Cast("const char*") BytePointer architecture);

        public native @Const TensorDesc tensors();

        public native ModelParams tensors(@Const TensorDesc tensors);

        public native int n_tensors();

        public native ModelParams n_tensors(int n);

        public native int n_vocab();

        public native ModelParams n_vocab(int n);

        public native int n_embd();

        public native ModelParams n_embd(int n);

        public native int n_layer();

        public native ModelParams n_layer(int n);

        public native int n_head();

        public native ModelParams n_head(int n);

        public native int n_head_kv();

        public native ModelParams n_head_kv(int n);

        public native int n_ff();

        public native ModelParams n_ff(int n);

        public native int head_dim();

        public native ModelParams head_dim(int n);

        public native int n_rot();

        public native ModelParams n_rot(int n);

        public native float rope_freq_base();

        public native ModelParams rope_freq_base(float base);

        public native float rms_norm_eps();

        public native ModelParams rms_norm_eps(float eps);

        public native int n_swa();

        public native ModelParams n_swa(int n);

        public native int swa_pattern();

        public native ModelParams swa_pattern(int n);

        public native float rope_freq_base_swa();

        public native ModelParams rope_freq_base_swa(float base);
    }

    /** {@code ac_cpu_features_t}; native memory, freed by {@link #close()}. */
    @Name("ac_cpu_features_t")
    public static final class CpuFeaturesStruct extends Pointer {
        static {
            Loader.load();
        }

        public CpuFeaturesStruct() {
            allocate();
        }

        private native void allocate();

        @MemberGetter
        public native int avx();

        @MemberGetter
        public native int avx2();

        @MemberGetter
        public native int fma();

        @MemberGetter
        public native int f16c();

        @MemberGetter
        public native int avx512f();

        @MemberGetter
        public native int avx512bw();

        @MemberGetter
        public native int avx512vl();

        @MemberGetter
        public native int avx512_vnni();

        @MemberGetter
        public native int avx_vnni();

        @MemberGetter
        public native int logical_cores();

        @MemberGetter
        public native @Cast("char*") BytePointer brand();
    }
}
