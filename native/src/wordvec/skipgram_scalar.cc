// Scalar skip-gram step: plain loops in element order (the reference the vector paths are tested against).
#include "skipgram_kernels.h"

namespace xmr::detail {
namespace {

void step(float* v, float* const* targets, size_t k, size_t dim, float alpha, float* work, double* loss) {
  for (size_t j = 0; j < dim; ++j) work[j] = 0.0f;
  for (size_t t = 0; t < k; ++t) {
    float* u = targets[t];
    float f = 0.0f;
    for (size_t j = 0; j < dim; ++j) f += v[j] * u[j];
    if (loss != nullptr) *loss += skipgram_target_loss(f, t == 0);
    const float g = alpha * ((t == 0 ? 1.0f : 0.0f) - skipgram_sigmoid(f));
    for (size_t j = 0; j < dim; ++j) {
      work[j] += g * u[j];
      u[j] += g * v[j];
    }
  }
  for (size_t j = 0; j < dim; ++j) v[j] += work[j];
}

const SkipgramKernel kKernel{step};

}  // namespace

const SkipgramKernel& skipgram_kernel_scalar() { return kKernel; }

}  // namespace xmr::detail
