// Internal: the per-ISA loops behind profile.cc (same scheme as score_kernels.h: each ISA file
// compiles its loops with a target attribute, and profile.cc picks one per call).
#pragma once
#include <cstddef>
#include <cstdint>

namespace xmr::detail {

struct ProfileKernel {
  // 12 independent multiply-add chains for `iterations` steps; returns a value depending on all
  // of them, so the loop cannot be removed.
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

}  // namespace xmr::detail
