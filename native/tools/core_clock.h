// What the native/tools programs share: CPU-time clocks and the core clock estimate their "of roof"
// figures divide by. Header-only, so each tool still builds from its one command line.
#pragma once
#include <algorithm>
#include <cstdint>
#include <ctime>

namespace xmr_tools {

inline double clock_seconds(clockid_t id) {
  timespec t;
  clock_gettime(id, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// The fastest of `rounds` calls of f(), in seconds of the calling thread's CPU clock (so preemption
// on a shared machine does not count); f's result goes to a volatile, so the call is not dropped.
template <typename F>
double fastest(int rounds, F f) {
  double best = 1e30;
  for (int r = 0; r < rounds; ++r) {
    const double t0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    volatile auto sink = f();
    (void)sink;
    best = std::min(best, clock_seconds(CLOCK_THREAD_CPUTIME_ID) - t0);
  }
  return best;
}

// One cycle per add: register-to-register adds, since an Intel Golden Cove-class core folds chains
// of add-immediate at rename (with `add $1` this read 16 GHz on a Xeon VM, 2026-12-03).
__attribute__((noinline)) inline uint64_t dependent_adds(uint64_t iterations) {
  uint64_t x = 1;
  for (uint64_t i = 0; i < iterations; ++i) asm volatile("add %0, %0\n\tadd %0, %0\n\tadd %0, %0\n\tadd %0, %0" : "+r"(x));
  return x;
}

// The core clock in GHz: the fastest of `rounds` chains of 4 × iterations dependent adds.
inline double core_ghz(uint64_t iterations = 100'000'000, int rounds = 3) {
  return 4.0 * static_cast<double>(iterations) / fastest(rounds, [&] { return dependent_adds(iterations); }) / 1e9;
}

}  // namespace xmr_tools
