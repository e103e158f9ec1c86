// Where one f32 top-k call spends its time: the whole call (wall clock and process CPU time) beside
// one thread's share of it replayed phase by phase on the thread's CPU clock — packing the tiles,
// packing + scoring (the micro-kernel), packing + scoring + offering every score row to the
// collectors, and the final sort of each collector's list — each as a fraction of the probed FMA
// roof (2 FMA pipes × 16 lanes × 2 flops per cycle, the clock estimated as in fma_issue_rate.cc).
//
//   g++ -O3 -pthread -Inative/include native/tools/topk_breakdown.cc native/src/topk/*.cc
//       native/src/common/*.cc -o /tmp/topk_breakdown && /tmp/topk_breakdown [docs dim queries k threads [whole]]
//
// The replay follows topk.cc's split (its rule copied here: with ≥ 32 query blocks per thread each
// thread scores every document against m / threads queries, else n / threads documents against
// every query), so "call CPU − replay" is what the call adds around the kernels: thread start,
// the merge, output writing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <random>
#include <vector>

#include "../src/topk/score_kernels.h"
#include "../src/topk/topk_collect.h"
#include "xmr/aligned.h"
#include "xmr/topk.h"
#include "core_clock.h"

namespace {

using xmr_tools::clock_seconds;
using xmr_tools::core_ghz;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

enum Phase { kPack, kScore, kOffer };

// One thread's share [0, docs) replayed up to `upto`; returns thread CPU seconds.
double replay(Phase upto, const float* q, size_t m, const float* d, size_t docs, size_t dim, size_t k, xmr::Isa isa,
              std::vector<xmr::detail::TopKCollector>* out) {
  const auto& kern = xmr::detail::f32_kernel_avx512();
  const size_t nr = kern.nr, mr = kern.mr;
  const size_t tile_docs = std::max(nr, 384 * 1024 / (dim * sizeof(float)) / nr * nr);
  xmr::AlignedArray<float> packed(tile_docs * dim);
  std::vector<float> S(mr * tile_docs), gate(mr, std::numeric_limits<float>::quiet_NaN());
  std::vector<uint32_t> masks(mr * (tile_docs / nr));
  std::vector<xmr::detail::TopKCollector> coll(
      m, isa >= xmr::Isa::Avx512 ? xmr::detail::TopKCollector(k, xmr::detail::filter_keys_avx512, xmr::detail::select_keys_avx512)
                               : xmr::detail::TopKCollector(k, xmr::detail::filter_keys_sse2));
  const int qblocks = static_cast<int>((m + mr - 1) / mr);
  const double t0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
  std::vector<float> qp(m * dim);  // each query block packed for the kernel, as topk.cc packs it
  for (int b = 0; b < qblocks; ++b) {
    const size_t b0 = m * b / qblocks, b1 = m * (b + 1) / qblocks;
    xmr::detail::pack_queries(q + b0 * dim, b1 - b0, dim, qp.data() + b0 * dim);
  }
  for (size_t j0 = 0; j0 < docs; j0 += tile_docs) {
    const size_t count = std::min(tile_docs, docs - j0), strips = (count + nr - 1) / nr;
    kern.pack(d + j0 * dim, dim, count, strips, packed.data());
    if (upto == kPack) continue;
    for (int b = 0; b < qblocks; ++b) {
      const size_t b0 = m * b / qblocks, b1 = m * (b + 1) / qblocks;
      if (upto == kOffer)
        for (size_t r = b0; r < b1; ++r) gate[r - b0] = coll[r].gate();
      kern.score(qp.data() + b0 * dim, b1 - b0, dim, packed.data(), strips, S.data(), tile_docs, gate.data(), masks.data(), {});
      if (upto == kScore) continue;
      // topk.cc offers runs of strips where every score may pass as one block; here every
      // strip's masked scores one at a time, which is close enough
      for (size_t r = b0; r < b1; ++r)
        for (size_t st = 0; st < strips; ++st)
          for (uint32_t h = masks[(r - b0) * strips + st]; h != 0; h &= h - 1) {
            const size_t c = st * nr + static_cast<size_t>(__builtin_ctz(h));
            if (c < count) coll[r].offer_one(S[(r - b0) * tile_docs + c], static_cast<int32_t>(j0 + c));
          }
    }
  }
  const double s = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - t0;
  if (out) *out = std::move(coll);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const size_t dim = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 384;
  const size_t m = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1000;
  const size_t k = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 100;
  const int threads = argc > 5 ? std::atoi(argv[5]) : 2;
  const int reps = 5;
  const xmr::Isa isa = xmr::detect_isa();
  if (isa < xmr::Isa::Avx512) { std::printf("needs AVX-512\n"); return 1; }

  std::mt19937 rng(1);
  std::normal_distribution<float> g;
  std::vector<float> q(m * dim), d(n * dim);
  for (auto& x : q) x = g(rng);
  for (auto& x : d) x = g(rng);
  const double ghz = core_ghz();
  const double roof = 2 * 16 * 2 * ghz * 1e9;  // flops per second per thread
  std::printf("n=%zu dim=%zu m=%zu k=%zu threads=%d; core ≈ %.2f GHz, roof %.0f GFLOP/s per thread\n", n, dim, m, k,
              threads, ghz, roof / 1e9);

  std::vector<int32_t> ids(m * k);
  std::vector<float> scores(m * k);
  xmr::TopKParams p;
  p.k = k;
  p.threads = threads;
  p.isa = isa;
  double wall = 1e30, cpu = 1e30;
  for (int r = 0; r < reps; ++r) {
    const double w0 = wall_seconds(), c0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    xmr::topk_f32(q.data(), m, d.data(), n, dim, p, ids.data(), scores.data());
    wall = std::min(wall, wall_seconds() - w0);
    cpu = std::min(cpu, clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0);
  }
  const double flop = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(dim);
  std::printf("whole call: wall %.4f s = %.1f%% of %d-thread roof; CPU %.4f s = %.1f%% of roof per CPU-second\n", wall,
              100 * flop / wall / (roof * threads), threads, cpu, 100 * flop / cpu / roof);

  if (argc > 6) return 0;  // any 6th argument: the whole call only (for a sampling profiler)
  const auto& kern = xmr::detail::f32_kernel_avx512();
  const bool by_queries = (m + kern.mr - 1) / kern.mr >= 32 * static_cast<size_t>(threads);
  const size_t share = by_queries ? n : n / static_cast<size_t>(threads);
  const size_t qshare = by_queries ? m / static_cast<size_t>(threads) : m;
  double pack = 1e30, score = 1e30, offer = 1e30, sort = 1e30;
  std::vector<xmr::detail::TopKCollector> coll;
  for (int r = 0; r < reps; ++r) {
    pack = std::min(pack, replay(kPack, q.data(), qshare, d.data(), share, dim, k, isa, nullptr));
    score = std::min(score, replay(kScore, q.data(), qshare, d.data(), share, dim, k, isa, nullptr));
    offer = std::min(offer, replay(kOffer, q.data(), qshare, d.data(), share, dim, k, isa, &coll));
    const double t0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    size_t sink = 0;
    for (auto& c : coll) sink += c.sorted().size();
    sort = std::min(sort, clock_seconds(CLOCK_THREAD_CPUTIME_ID) - t0);
    if (sink == 0) std::printf("?");
  }
  const double call_per_thread = cpu / threads;
  std::printf("one thread's share (%zu docs × %zu queries), thread CPU seconds and %% of the call's CPU per thread (%.4f s):\n", share, qshare,
              call_per_thread);
  std::printf("  pack           %.4f s  %5.1f%%\n", pack, 100 * pack / call_per_thread);
  const double share_flop = 2.0 * static_cast<double>(qshare) * static_cast<double>(share) * static_cast<double>(dim);
  std::printf("  score (kernel) %.4f s  %5.1f%%   kernel alone at %.1f%% of roof\n", score - pack,
              100 * (score - pack) / call_per_thread, 100 * share_flop / (score - pack) / roof);
  std::printf("  offer          %.4f s  %5.1f%%\n", offer - score, 100 * (offer - score) / call_per_thread);
  std::printf("  sort lists     %.4f s  %5.1f%%\n", sort, 100 * sort / call_per_thread);
  std::printf("  rest of call   %.4f s  %5.1f%%   (threads, merge, output)\n", call_per_thread - offer - sort,
              100 * (call_per_thread - offer - sort) / call_per_thread);
  std::printf("  wall − CPU/threads %.4f s (time a thread was not running)\n", wall - call_per_thread);
}
