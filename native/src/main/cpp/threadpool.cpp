#include "threadpool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AC_CPU_RELAX() _mm_pause()
#else
#define AC_CPU_RELAX() std::this_thread::yield()
#endif

namespace ac {
namespace {

// How long an idle worker spins before it sleeps: long enough to cover the gap between two
// decode steps of a generation loop, short enough not to burn a core for an idle session.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(500);

// Spins (pause) on `done` for a while, then yields the CPU between checks: on a machine with
// fewer cores than threads a waiting thread must let the one it waits for run.
template <class Done>
void spin_wait(Done done) {
    for (int i = 0; i < 4096; ++i) {
        if (done()) return;
        AC_CPU_RELAX();
    }
    while (!done()) {
        std::this_thread::yield();
    }
}

}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(n_threads < 1 ? 1 : n_threads) {
    workers_.reserve(static_cast<size_t>(n_threads_ - 1));
    try {
        for (int i = 1; i < n_threads_; ++i) {
            workers_.emplace_back([this, i] { worker_main(i); });
        }
    } catch (...) {
        stop_.store(true);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            generation_.fetch_add(1);
        }
        wake_.notify_all();
        for (std::thread &t : workers_) t.join();
        throw;
    }
}

ThreadPool::~ThreadPool() {
    stop_.store(true);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        generation_.fetch_add(1);
    }
    wake_.notify_all();
    for (std::thread &t : workers_) t.join();
}

void ThreadPool::run_impl(Job job, void *arg) {
    if (n_threads_ == 1) {
        job(arg, 0, 1);
        return;
    }
    job_ = job;
    job_arg_ = arg;
    pending_.store(n_threads_ - 1, std::memory_order_relaxed);
    // seq_cst with the sleepers_ read below, and with the worker's increment of sleepers_ before
    // it re-reads generation_ under the mutex: either we see the sleeper and notify it, or it
    // sees the new generation and does not sleep.
    generation_.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
        { std::lock_guard<std::mutex> lock(mutex_); }
        wake_.notify_all();
    }
    job(arg, 0, n_threads_);
    spin_wait([this] { return pending_.load(std::memory_order_acquire) == 0; });
}

void ThreadPool::worker_main(int ith) {
    uint32_t seen = 0;
    for (;;) {
        const auto spin_until = std::chrono::steady_clock::now() + kSpinBeforeSleep;
        uint32_t gen;
        int spins = 0;
        while ((gen = generation_.load(std::memory_order_acquire)) == seen) {
            AC_CPU_RELAX();
            if ((++spins & 255) == 0 && std::chrono::steady_clock::now() > spin_until) {
                std::unique_lock<std::mutex> lock(mutex_);
                sleepers_.fetch_add(1, std::memory_order_seq_cst);
                wake_.wait(lock, [&] { return generation_.load(std::memory_order_seq_cst) != seen; });
                sleepers_.fetch_sub(1, std::memory_order_relaxed);
            } else if ((spins & 1023) == 0) {
                // Fewer cores than threads (the JVM's own threads, other sessions): let them run.
                std::this_thread::yield();
            }
        }
        seen = gen;
        if (stop_.load(std::memory_order_acquire)) return;
        job_(job_arg_, ith, n_threads_);
        pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

void ThreadPool::barrier() {
    if (n_threads_ == 1) return;
    const uint32_t phase = barrier_phase_.load(std::memory_order_acquire);
    if (barrier_arrived_.fetch_add(1, std::memory_order_acq_rel) == n_threads_ - 1) {
        barrier_arrived_.store(0, std::memory_order_relaxed);
        barrier_phase_.fetch_add(1, std::memory_order_acq_rel);
        return;
    }
    spin_wait([&] { return barrier_phase_.load(std::memory_order_acquire) != phase; });
}

}  // namespace ac
