// Scalar probe loops: the baseline path, compiled for the build's default target (no FMA
// instruction is assumed, so a chain step is a multiply and an add).
#include "profile_kernels.h"

namespace xmr::detail {
namespace {

// acc ← acc·m + c converges to c / (1 − m) = 1: no overflow, no subnormals, however long it runs.
float fma_f32(uint64_t iterations) {
  float acc[12];
  for (int k = 0; k < 12; ++k) acc[k] = static_cast<float>(k) * 0.01f;
  const float m = 0.999999f, c = 1e-6f;
  for (uint64_t i = 0; i < iterations; ++i) {
    for (int k = 0; k < 12; ++k) acc[k] = acc[k] * m + c;
  }
  float s = 0;
  for (int k = 0; k < 12; ++k) s += acc[k];
  return s;
}

void copy(const float* a, float* c, size_t n) {
  for (size_t i = 0; i < n; ++i) c[i] = a[i];
}

void triad(float* a, const float* b, const float* c, float q, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] + q * c[i];
}

}  // namespace

const ProfileKernel& profile_kernel_scalar() {
  static const ProfileKernel k{fma_f32, 12.0 * 2, copy, triad};
  return k;
}

}  // namespace xmr::detail
