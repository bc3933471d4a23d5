package io.agentcouncil.natives;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.Name;
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

    private AgentCouncilNative() {}

    public static native String ac_status_name(int status);

    public static native String ac_version();

    public static native int ac_cpu_features(CpuFeaturesStruct out);

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
