// threadpool.h - a persistent pool: n_threads-1 workers plus the calling thread.
//
// run(fn) calls fn(ith, nth) on every thread (the caller is ith 0) and returns when all have
// finished; inside fn, barrier() waits for all nth threads. Batch-1 decode issues a few hundred
// parallel regions per token, so a region must cost microseconds: workers spin on an atomic
// generation counter for a while after each job, and only then sleep on a condition variable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace ac {

class ThreadPool {
   public:
    // Starts n_threads - 1 workers (n_threads >= 1). Throws std::system_error when a thread
    // cannot be started.
    explicit ThreadPool(int n_threads);
    ~ThreadPool();

    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return n_threads_; }

    // fn(int ith, int nth) on every thread of the pool; the caller takes part as ith 0.
    // Not reentrant: fn must not call run().
    template <class F>
    void run(F &&fn) {
        run_impl(
            [](void *arg, int ith, int nth) { (*static_cast<std::remove_reference_t<F> *>(arg))(ith, nth); },
            static_cast<void *>(&fn));
    }

    // Called by every thread inside run(): returns once all of them have reached it.
    void barrier();

   private:
    using Job = void (*)(void *, int, int);

    void run_impl(Job job, void *arg);
    void worker_main(int ith);

    const int n_threads_;
    std::vector<std::thread> workers_;

    // The current job; written by the caller before generation_ is bumped (release).
    Job job_ = nullptr;
    void *job_arg_ = nullptr;
    std::atomic<uint32_t> generation_{0};
    std::atomic<int> pending_{0};  // workers still inside the current job
    std::atomic<bool> stop_{false};

    // Sleeping workers; see worker_main for the hand-shake with run_impl.
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<int> sleepers_{0};

    // barrier(): arrivals in the current phase, and the phase number.
    alignas(64) std::atomic<int> barrier_arrived_{0};
    alignas(64) std::atomic<uint32_t> barrier_phase_{0};
};

// [begin, end) of thread ith's share of n items, in chunks that are multiples of `align`.
inline void split_range(int64_t n, int ith, int nth, int64_t align, int64_t *begin, int64_t *end) {
    int64_t per = (n + nth - 1) / nth;
    per = (per + align - 1) / align * align;
    int64_t b = per * ith;
    int64_t e = b + per;
    *begin = b < n ? b : n;
    *end = e < n ? e : n;
}

}  // namespace ac
