/*
 * agentcouncil.h - the one contract between the Java SDK and the native engine.
 *
 * Plain C types only, so that JavaCPP (and any other FFI) can bind it without
 * knowing about C++. Every fallible function returns an ac_status value as an
 * int; output goes through caller-owned pointers.
 */
#ifndef AGENTCOUNCIL_H
#define AGENTCOUNCIL_H

#ifdef __cplusplus
extern "C" {
#endif

/* The library is built with hidden visibility; only what is marked here is exported. */
#define AC_API __attribute__((visibility("default")))

typedef enum ac_status {
    AC_OK = 0,
    AC_ERR_INVALID_ARGUMENT = 1
} ac_status;

/* Short, stable name of a status ("AC_ERR_INVALID_ARGUMENT"); never NULL. */
AC_API const char *ac_status_name(int status);

/* Version of the native library, e.g. "0.1.0-SNAPSHOT"; static storage, never NULL. */
AC_API const char *ac_version(void);

/*
 * What this process can actually use: an ISA flag is 1 only when the CPU has the
 * instructions AND the operating system saves the register state they need.
 */
typedef struct ac_cpu_features_t {
    int avx;
    int avx2;
    int fma;
    int f16c;
    int avx512f;
    int avx512bw;
    int avx512vl;
    int avx512_vnni;
    int avx_vnni;
    /* CPUs in this thread's affinity mask, i.e. how many threads can run at once. */
    int logical_cores;
    /* CPU brand string, or the vendor id when the CPU has none; NUL-terminated. */
    char brand[64];
} ac_cpu_features_t;

/* Fills *out; returns AC_ERR_INVALID_ARGUMENT when out is NULL. */
AC_API int ac_cpu_features(ac_cpu_features_t *out);

#ifdef __cplusplus
}
#endif

#endif /* AGENTCOUNCIL_H */
