package io.agentcouncil.natives;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.ByPtrPtr;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Direct JavaCPP binding of {@code agentcouncil_faiss.h}; names and types mirror the header one to
 * one. Arrays are passed as Java arrays (copied in and out by JNI): their lengths are the
 * caller's to check, as the header says. Only in builds made where FAISS is installed (the
 * {@code faiss} Maven profile); elsewhere the first use throws {@link UnsatisfiedLinkError}.
 * Prefer {@code io.agentcouncil.vector.VectorIndex.faiss}, which checks everything.
 */
@Platform(include = "agentcouncil_faiss.h", link = "agentcouncil_faiss")
public final class AgentCouncilFaiss {
    static {
        Loader.load();
    }

    public static final int AC_FAISS_OK = 0;
    public static final int AC_FAISS_ERR_INVALID_ARGUMENT = 1;
    public static final int AC_FAISS_ERR_OUT_OF_MEMORY = 2;
    public static final int AC_FAISS_ERR_FAISS = 3;
    public static final int AC_FAISS_ERR_INTERNAL = 4;

    public static final int AC_FAISS_MAX_K = 65536;
    public static final int AC_FAISS_MAX_DIMENSION = 65536;
    public static final int AC_FAISS_MAX_M = 256;

    private AgentCouncilFaiss() {}

    /** The message of this thread's last failed call, or "". */
    public static native String ac_faiss_last_error();

    public static native String ac_faiss_status_name(int status);

    public static native String ac_faiss_version();

    public static native int ac_faiss_create(int dimension, int m, int efConstruction, int efSearch,
            @ByPtrPtr FaissIndex out);

    public static native void ac_faiss_free(FaissIndex index);

    public static native int ac_faiss_add(FaissIndex index, @Cast("int64_t") long n, @Const float[] vectors,
            @Cast("const int64_t*") long[] ids);

    public static native int ac_faiss_publish(FaissIndex index);

    public static native int ac_faiss_remove(FaissIndex index, @Cast("int64_t") long id, int[] removed);

    public static native int ac_faiss_search(@Const FaissIndex index, @Const float[] query, int k, float[] scores,
            @Cast("int64_t*") long[] ids, int[] found);

    public static native int ac_faiss_size(@Const FaissIndex index, @Cast("int64_t*") long[] live,
            @Cast("int64_t*") long[] tombstones, @Cast("int64_t*") long[] pending);

    public static native int ac_faiss_export(@Const FaissIndex index, @Cast("int64_t") long start, int capacity,
            @Cast("int64_t*") long[] ids, float[] vectors, int[] count, @Cast("int64_t*") long[] next);

    /** {@code ac_faiss_index*}: an opaque handle; the address is set by {@link #ac_faiss_create}. */
    @Opaque
    @Name("ac_faiss_index")
    public static final class FaissIndex extends Pointer {
        static {
            Loader.load();
        }

        public FaissIndex() {
            super((Pointer) null);
        }
    }
}
