// How many multiply-add chains the FMA probe (native/src/profile/) needs, and what "peak" means on
// this core: independent AVX-512 chains of FMA, MUL and ADD, and FMA mixed with ADD, timed on the
// thread's CPU clock (so a shared machine's preemption does not count), with the core clock
// estimated from a chain of dependent integer adds (1 per cycle).
//
//   g++ -O3 -mavx512f -mfma native/tools/fma_issue_rate.cc -o /tmp/fma && /tmp/fma
//
// Reading it: the chain count where instructions/cycle stops growing is latency × pipes; a dot
// product needs one multiply per term, so its roof is the FMA (= MUL) rate, not FMA + ADD, which
// counts a second pipe group no inner product can feed.
//
// The "fed" rows are the same FMA chains fed from memory as the top-k micro-kernel feeds them
// (native/src/topk/score_avx512.cc: per coordinate step, ROWS query broadcasts and VECS
// document loads for ROWS × VECS FMAs), with every operand in L1: what the kernel's own
// instruction mix allows on this core, before any cache miss, packing or driver work. On a Xeon
// VM (2026-12-03) the 12 × 2 shape ran at 1.58–1.70 FMA a cycle against the plain loop's 1.82–1.88,
// and the same loop without its 2 document loads at 1.72–1.74; other shapes of 24 accumulators
// (8 × 3, 6 × 4, 4 × 6, broadcasts folded into the FMAs) were no better beyond the noise. Zen 5
// runs the kernel at 0.95–0.98 of its roof (README), so this is a property of the core.
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "core_clock.h"

namespace {

enum Op { kFma, kMul, kAdd, kFmaAdd };

template <int N, Op OP>
__attribute__((noinline)) float chains(uint64_t iterations) {
  __m512 acc[N];
  for (int k = 0; k < N; ++k) acc[k] = _mm512_set1_ps(static_cast<float>(k) * 0.01f);
  __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-6f);
  asm volatile("" : "+v"(m), "+v"(c));  // keep the constants opaque to the optimiser
  for (uint64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 32
    for (int k = 0; k < N; ++k) {
      if (OP == kFma || (OP == kFmaAdd && k % 2 == 0)) acc[k] = _mm512_fmadd_ps(m, c, acc[k]);
      else if (OP == kMul) acc[k] = _mm512_mul_ps(m, acc[k]);
      else acc[k] = _mm512_add_ps(c, acc[k]);
    }
  }
  __m512 s = acc[0];
  for (int k = 1; k < N; ++k) s = _mm512_add_ps(s, acc[k]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, s);
  float total = 0;
  for (float x : lanes) total += x;
  return total;
}

// FMA chains as the top-k micro-kernel runs them: ROWS broadcasts and VECS vector loads per step
// into ROWS × VECS accumulators, over `steps` steps of L1-resident operands, `repeats` times.
template <int ROWS, int VECS>
__attribute__((noinline)) float fed(const float* q, const float* d, size_t steps, uint64_t repeats) {
  __m512 acc[ROWS][VECS];
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < VECS; ++v) acc[r][v] = _mm512_setzero_ps();
  for (uint64_t i = 0; i < repeats; ++i) {
#pragma GCC unroll 4
    for (size_t p = 0; p < steps; ++p) {
      __m512 b[VECS];
#pragma GCC unroll 8
      for (int v = 0; v < VECS; ++v) b[v] = _mm512_load_ps(d + (p * VECS + v) * 16);
#pragma GCC unroll 24
      for (int r = 0; r < ROWS; ++r) {
        const __m512 a = _mm512_set1_ps(q[p * ROWS + r]);
#pragma GCC unroll 8
        for (int v = 0; v < VECS; ++v) acc[r][v] = _mm512_fmadd_ps(a, b[v], acc[r][v]);
      }
    }
  }
  __m512 s = _mm512_setzero_ps();
  for (int r = 0; r < ROWS; ++r)
    for (int v = 0; v < VECS; ++v) s = _mm512_add_ps(s, acc[r][v]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, s);
  return lanes[0];  // something the optimiser cannot drop
}

template <int ROWS, int VECS>
void report_fed(double ghz) {
  constexpr size_t kSteps = 128;  // 8 KB of document vectors and 6 KB of query coordinates at most: L1
  alignas(64) static float q[kSteps * ROWS], d[kSteps * VECS * 16];
  for (float& x : q) x = 1e-3f;
  for (float& x : d) x = 1e-3f;
  const uint64_t repeats = 2'000'000'000 / (kSteps * ROWS * VECS * 16);
  const double best = xmr_tools::fastest(5, [&] { return fed<ROWS, VECS>(q, d, kSteps, repeats); });
  const double per_second = static_cast<double>(kSteps * repeats) * ROWS * VECS / best;
  std::printf("fed %2d×%d: %5.2f FMA/cycle, %4.0f GFLOP/s (%d broadcasts + %d loads per %d FMAs)\n", ROWS, VECS,
              per_second / 1e9 / ghz, per_second * 32 / 1e9, ROWS, VECS, ROWS * VECS);
}

template <int N, Op OP>
void report(const char* name, int flops_per_instr, double ghz) {
  const uint64_t iterations = 20'000'000;
  const double best = xmr_tools::fastest(5, [&] { return chains<N, OP>(iterations); });
  const double per_second = N * static_cast<double>(iterations) / best;
  std::printf("%-8s %2d chains: %5.2f instr/cycle, %4.0f GFLOP/s\n", name, N, per_second / 1e9 / ghz,
              per_second * flops_per_instr / 1e9);
}

}  // namespace

int main() {
  const double ghz = xmr_tools::core_ghz(200'000'000, 5);
  std::printf("core clock ≈ %.2f GHz (dependent integer adds)\n", ghz);
  report<1, kFma>("fma", 32, ghz);
  report<4, kFma>("fma", 32, ghz);
  report<8, kFma>("fma", 32, ghz);
  report<12, kFma>("fma", 32, ghz);
  report<16, kFma>("fma", 32, ghz);
  report<24, kFma>("fma", 32, ghz);
  report<12, kMul>("mul", 16, ghz);
  report<12, kAdd>("add", 16, ghz);
  // half FMA (32 flops), half ADD (16 flops): 24 flops per instruction on average
  report<24, kFmaAdd>("fma+add", 24, ghz);
  report_fed<12, 2>(ghz);  // the top-k kernel's shape
  report_fed<6, 4>(ghz);
  report_fed<4, 6>(ghz);
}
