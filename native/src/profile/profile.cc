// Dispatch, threads and timing of the machine probes (see xmr/profile.h).
#include "xmr/out_of_memory.h"
#include "xmr/profile.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "profile_kernels.h"
#include "xmr/parallel.h"

namespace xmr {
namespace {

const detail::ProfileKernel& kernel_for(Isa isa) {
  if (isa >= Isa::Avx512) return detail::profile_kernel_avx512();
  if (isa == Isa::Avx2) return detail::profile_kernel_avx2();
  return detail::profile_kernel_scalar();
}

void check(int threads, Isa isa) {
  if (threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(isa);
}

template <class F>
double timed(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Keeps every thread's result observable, so no probe loop is dead code.
std::atomic<float> sink{0};

}  // namespace

ProbeTiming fma_probe(FmaKind kind, uint64_t iterations, int threads, Isa isa) {
  check(threads, isa);
  if (kind == FmaKind::Bf16 && isa < Isa::Avx512Bf16) throw std::invalid_argument("the bf16 FMA probe needs the avx512-bf16 path");
  const auto& k = kernel_for(isa);
  // bf16: the instruction the bf16 top-k kernels run (topk.cc), AMX tiles where usable.
  const bool amx = kind == FmaKind::Bf16 && amx_bf16_usable();
  auto body = amx ? detail::fma_bf16_amx : kind == FmaKind::Bf16 ? detail::fma_bf16_avx512 : k.fma_f32;
  const double per_step = amx ? detail::kFmaAmxFlops : kind == FmaKind::Bf16 ? detail::kFmaBf16Flops : k.fma_f32_flops;
  const double seconds = timed([&] {
    parallel_tasks(threads, [&](int) { sink.store(body(iterations), std::memory_order_relaxed); });
  });
  return {per_step * static_cast<double>(iterations) * threads, seconds};
}

std::vector<ProbeTiming> stream_probe(StreamKind kind, size_t n, int repeats, int threads, Isa isa) {
  check(threads, isa);
  if (n == 0 || repeats < 1) throw std::invalid_argument("n and repeats must be ≥ 1");
  const auto& k = kernel_for(isa);
  // Not xmr::AlignedArray: its memset would touch every page from this thread; each share is
  // first written by the thread that streams it.
  struct Free { void operator()(float* p) const { std::free(p); } };
  const size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
  std::unique_ptr<float, Free> a(static_cast<float*>(std::aligned_alloc(64, bytes)));
  std::unique_ptr<float, Free> b(static_cast<float*>(std::aligned_alloc(64, bytes)));
  std::unique_ptr<float, Free> c(static_cast<float*>(std::aligned_alloc(64, bytes)));
  if (!a || !b || !c) throw OutOfMemory(bytes);
  auto share = [&](int t, const auto& fn) {
    size_t begin, end;
    split_range(n, threads, t, 16, &begin, &end);
    if (end > begin) fn(begin, end - begin);
  };
  parallel_tasks(threads, [&](int t) {
    share(t, [&](size_t s, size_t len) {
      for (size_t i = s; i < s + len; ++i) { a.get()[i] = 1.0f; b.get()[i] = 2.0f; c.get()[i] = 0.5f; }
    });
  });
  const double work = static_cast<double>(n) * sizeof(float) * (kind == StreamKind::Copy ? 2 : 3);
  std::vector<ProbeTiming> out;
  for (int r = 0; r < repeats; ++r) {
    const double seconds = timed([&] {
      parallel_tasks(threads, [&](int t) {
        share(t, [&](size_t s, size_t len) {
          if (kind == StreamKind::Copy) k.copy(a.get() + s, c.get() + s, len);
          else k.triad(a.get() + s, b.get() + s, c.get() + s, 3.0f, len);
        });
      });
    });
    out.push_back({work, seconds});
  }
  sink.store(a.get()[n / 2] + c.get()[n / 3], std::memory_order_relaxed);
  return out;
}

}  // namespace xmr
