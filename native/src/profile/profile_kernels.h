// Internal: the per-ISA loops behind profile.cc (same scheme as score_kernels.h: each ISA file
// compiles its loops with a target attribute, and profile.cc picks one per call).
#pragma once
#include <cstddef>
#include <cstdint>

namespace xmr::detail {

struct ProfileKernel {
  // 12 independent multiply-add chains for `iterations` steps; returns a value depending on all
  // of them, so the loop cannot be removed. 12 covers latency × pipes with room: on this machine's
  // AMD EPYC (Zen 5) one chain issues 0.25 FMA/cycle (latency 4), 8 chains 1.83, 12, 16 and 24
  // chains 1.98–2.01 (2 FMA pipes), zmm and ymm alike; the loop keeps every chain in a register
  // (objdump: 12 vfmadd132ps per iteration, no load or store). native/tools/fma_issue_rate.cc
  // measures this. FMA mixed with independent ADDs issues 4 instructions/cycle (≈ 325 GFLOP/s
  // per thread counted as flops), but a dot product needs a multiply per term, so its roof is
  // the FMA rate this probe measures.
  float (*fma_f32)(uint64_t iterations);
  // flops of one step of fma_f32: 12 chains × lanes × 2
  double fma_f32_flops;
  // c[i] = a[i]
  void (*copy)(const float* a, float* c, size_t n);
  // a[i] = b[i] + q·c[i]
  void (*triad)(float* a, const float* b, const float* c, float q, size_t n);
};

const ProfileKernel& profile_kernel_scalar();
const ProfileKernel& profile_kernel_avx2();
const ProfileKernel& profile_kernel_avx512();

// 12 chains of VDPBF16PS for `iterations` steps (64 flops each); needs AVX512-BF16.
float fma_bf16_avx512(uint64_t iterations);
constexpr double kFmaBf16Flops = 12.0 * 16 * 2 * 2;
// 4 chains of TDPBF16PS for `iterations` steps (16 × 16 × 32 products, 16,384 flops each); needs
// amx_bf16_usable().
float fma_bf16_amx(uint64_t iterations);
constexpr double kFmaAmxFlops = 4.0 * 16 * 16 * 32 * 2;

}  // namespace xmr::detail
