// Portable vector loops of the dual encoder and trainer (see dual_encoder.h, detail::VecOps).
// Four partial sums in dot: the compiler may not reassociate a float reduction by itself.
#include <cmath>

#include "xmr/dual_encoder.h"

namespace xmr::detail {
namespace {

float dot(const float* a, const float* b, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

void axpy(float a, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamCoeffs& c) {
  for (size_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = c.beta1 * m[i] + (1.0f - c.beta1) * gi;
    const float vi = c.beta2 * v[i] + (1.0f - c.beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = c.decay * p[i] - c.lr * (mi * c.inv_bc1) / (std::sqrt(vi * c.inv_bc2) + c.eps);
  }
}

}  // namespace

const VecOps& vec_ops_scalar() {
  static const VecOps ops{dot, axpy, adam};
  return ops;
}

}  // namespace xmr::detail
