/*
 * STREAM-like memory bandwidth: the roofline for batch-1 decode, which reads every weight once per
 * token. Three arrays of 64 MiB of doubles (a, b, c; 192 MiB in all, well past any last-level
 * cache of the machines this runs on) are split into one contiguous slice per thread; each thread
 * first-touches its own slice. Kernels, as in McCalpin's STREAM, with its byte counting (no
 * write-allocate traffic counted):
 *
 *   copy   c[i] = a[i]             16 bytes per element
 *   triad  a[i] = b[i] + s * c[i]  24 bytes per element   <- the headline figure
 *   read   sum += a[i]              8 bytes per element   (read-only, closest to decode's access)
 *
 * Every kernel runs --trials times (default 20) on all threads at once (a barrier before and
 * after, timed by thread 0 with CLOCK_MONOTONIC); the best time is reported, as STREAM does.
 * Plain pthreads, no OpenMP. GB = 10^9 bytes.
 *
 *   cc -O2 -march=native -pthread -o stream-bandwidth scripts/bench/stream-bandwidth.c
 *   ./stream-bandwidth [threads=2] [trials=20] [mib_per_array=64]
 *
 * Prints one JSON object on stdout.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { COPY, TRIAD, READ, KERNELS };
static const char *const NAMES[KERNELS] = {"copy", "triad", "read"};
static const double BYTES_PER_ELEMENT[KERNELS] = {16, 24, 8};

static double *a, *b, *c;
static size_t n;
static int threads, trials;
static pthread_barrier_t barrier;
static double best[KERNELS];
static double sink[256];

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void kernel(int k, size_t lo, size_t hi, int id) {
    const double s = 3.0;
    switch (k) {
        case COPY:
            for (size_t i = lo; i < hi; i++) c[i] = a[i];
            break;
        case TRIAD:
            for (size_t i = lo; i < hi; i++) a[i] = b[i] + s * c[i];
            break;
        case READ: {
            /* eight partial sums, so the loop is not bound by the latency of one add chain */
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            size_t i = lo;
            for (; i + 8 <= hi; i += 8) {
                s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3];
                s4 += a[i + 4]; s5 += a[i + 5]; s6 += a[i + 6]; s7 += a[i + 7];
            }
            for (; i < hi; i++) s0 += a[i];
            sink[id] += s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
            break;
        }
    }
}

static void *worker(void *arg) {
    int id = (int) (size_t) arg;
    size_t lo = n * id / threads, hi = n * (id + 1) / threads;
    for (size_t i = lo; i < hi; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.0; } /* first touch */
    for (int t = 0; t < trials; t++) {
        for (int k = 0; k < KERNELS; k++) {
            pthread_barrier_wait(&barrier);
            double t0 = id == 0 ? now() : 0;
            kernel(k, lo, hi, id);
            pthread_barrier_wait(&barrier);
            if (id == 0) {
                double dt = now() - t0;
                if (t == 0 || dt < best[k]) best[k] = dt;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    threads = argc > 1 ? atoi(argv[1]) : 2;
    trials = argc > 2 ? atoi(argv[2]) : 20;
    long mib = argc > 3 ? atol(argv[3]) : 64;
    if (threads < 1 || threads > 256 || trials < 1 || mib < 1) {
        fprintf(stderr, "usage: %s [threads 1..256] [trials >= 1] [mib_per_array >= 1]\n", argv[0]);
        return 2;
    }
    n = (size_t) mib * 1024 * 1024 / sizeof(double);
    if (posix_memalign((void **) &a, 4096, n * sizeof(double)) || posix_memalign((void **) &b, 4096, n * sizeof(double))
            || posix_memalign((void **) &c, 4096, n * sizeof(double))) {
        fprintf(stderr, "cannot allocate 3 x %ld MiB\n", mib);
        return 1;
    }
    pthread_barrier_init(&barrier, NULL, (unsigned) threads);
    pthread_t tid[256];
    for (int i = 1; i < threads; i++) pthread_create(&tid[i], NULL, worker, (void *) (size_t) i);
    worker((void *) 0);
    for (int i = 1; i < threads; i++) pthread_join(tid[i], NULL);

    double check = 0;
    for (int i = 0; i < threads; i++) check += sink[i];
    printf("{\"threads\": %d, \"trials\": %d, \"mib_per_array\": %ld, \"elements\": %zu", threads, trials, mib, n);
    for (int k = 0; k < KERNELS; k++) {
        double bytes = BYTES_PER_ELEMENT[k] * (double) n;
        printf(", \"%s\": {\"gb_per_s\": %.3f, \"best_ms\": %.3f}", NAMES[k], bytes / best[k] / 1e9, best[k] * 1e3);
    }
    printf(", \"checksum\": %.1f, \"note\": \"best of trials; GB = 1e9 bytes; STREAM byte counting (no write-allocate)\"}\n",
            check);
    return 0;
}
