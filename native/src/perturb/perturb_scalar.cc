// Portable element loops (the reference path; -O3 auto-vectorises them with baseline SSE2).
#include <cmath>

#include "perturb_kernels.h"

namespace xmr::detail {
namespace {

inline float sign_step(float g, float eps) {
  if (g != g) return g;  // NaN propagates
  return g > 0.0f ? eps : g < 0.0f ? -eps : 0.0f;
}

void sign_add(const float* x, const float* g, size_t n, float eps, float* out, bool) {
  if (x != nullptr)
    for (size_t i = 0; i < n; ++i) out[i] = x[i] + sign_step(g[i], eps);
  else
    for (size_t i = 0; i < n; ++i) out[i] = sign_step(g[i], eps);
}

void scale_add(const float* x, const float* g, size_t n, float s, float* out, bool) {
  if (x != nullptr)
    for (size_t i = 0; i < n; ++i) out[i] = std::fma(s, g[i], x[i]);  // one rounding, as the FMA paths
  else
    for (size_t i = 0; i < n; ++i) out[i] = s * g[i];
}

double sum_squares(const float* g, size_t n) {
  double acc[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (size_t j = 0; j < 4; ++j) acc[j] += static_cast<double>(g[i + j]) * g[i + j];
  for (; i < n; ++i) acc[0] += static_cast<double>(g[i]) * g[i];
  return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

void clamp(const float* d, size_t n, float eps, float* out, bool) {
  // Written so that a NaN compares false both times and passes through.
  for (size_t i = 0; i < n; ++i) {
    const float v = d[i];
    out[i] = v < -eps ? -eps : v > eps ? eps : v;
  }
}

}  // namespace

const PerturbKernel& perturb_kernel_scalar() {
  static const PerturbKernel k{sign_add, scale_add, sum_squares, clamp};
  return k;
}

}  // namespace xmr::detail
