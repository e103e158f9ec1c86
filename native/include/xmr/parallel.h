// Fork-join over a fixed number of tasks. Threads are started per call: the kernels that use this
// run for milliseconds or more, where ~20 µs of thread start-up is noise, and a call-local team
// keeps concurrent calls (several async jobs at once) independent of each other. A team that
// runs several phases per call (the trainer's step) separates them with a SpinBarrier.
#pragma once
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define XMR_PAUSE() _mm_pause()
#else
#define XMR_PAUSE() ((void)0)
#endif

namespace xmr {

// Runs fn(t) for t in [0, tasks) on `tasks` threads (the caller runs task 0). The first exception
// thrown by any task is rethrown here after all have finished (the others are dropped).
inline void parallel_tasks(int tasks, const std::function<void(int)>& fn) {
  if (tasks <= 1) { fn(0); return; }
  std::exception_ptr first;
  std::mutex mu;
  auto guarded = [&](int t) {
    try { fn(t); } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!first) first = std::current_exception();
    }
  };
  std::vector<std::thread> team;
  team.reserve(static_cast<size_t>(tasks - 1));
  for (int t = 1; t < tasks; ++t) team.emplace_back(guarded, t);
  guarded(0);
  for (auto& th : team) th.join();
  if (first) std::rethrow_exception(first);
}

// Splits [0, n) into `parts` contiguous ranges of near-equal size, aligned to `align` items.
inline void split_range(size_t n, int parts, int part, size_t align, size_t* begin, size_t* end) {
  const size_t blocks = (n + align - 1) / align;
  const size_t p = static_cast<size_t>(parts), i = static_cast<size_t>(part);
  const size_t b0 = blocks * i / p, b1 = blocks * (i + 1) / p;
  *begin = b0 * align < n ? b0 * align : n;
  *end = b1 * align < n ? b1 * align : n;
}

// A reusable barrier for a fixed team. Phases last microseconds to a millisecond, so waiting
// threads spin briefly (no syscall), then yield.
class SpinBarrier {
 public:
  explicit SpinBarrier(int n) : n_(n) {}
  void wait() {
    if (n_ <= 1) return;
    const unsigned gen = gen_.load(std::memory_order_acquire);
    if (count_.fetch_add(1, std::memory_order_acq_rel) == n_ - 1) {
      count_.store(0, std::memory_order_relaxed);
      gen_.fetch_add(1, std::memory_order_release);
      return;
    }
    for (int spins = 0; gen_.load(std::memory_order_acquire) == gen; ++spins) {
      if (spins < 4096) XMR_PAUSE();
      else std::this_thread::yield();
    }
  }

 private:
  const int n_;
  std::atomic<int> count_{0};
  std::atomic<unsigned> gen_{0};
};

}  // namespace xmr
