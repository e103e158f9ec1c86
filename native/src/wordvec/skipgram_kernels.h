// Internal: the per-ISA skip-gram step behind skipgram.cc (same scheme as topk/score_kernels.h and
// perturb/perturb_kernels.h: each ISA file compiles its loop with a target attribute, skipgram.cc picks
// one per call through detect_isa's names).
#pragma once
#include <cmath>
#include <cstddef>

namespace xmr::detail {

struct SkipgramKernel {
  // One step on context row v and k target rows (targets[0] the positive): for each t in order,
  // f = v·u_t, g = α·(label − σ(f)), work += g·u_t, u_t += g·v; then v += work. `work` holds dim
  // floats of scratch. When `loss` is not null, adds −log σ(±f) (in double) for each target.
  void (*step)(float* v, float* const* targets, size_t k, size_t dim, float alpha, float* work, double* loss);
};

const SkipgramKernel& skipgram_kernel_scalar();
const SkipgramKernel& skipgram_kernel_avx2();
const SkipgramKernel& skipgram_kernel_avx512();

// σ(f) in float (exact, not word2vec.c's table; see xmr/skipgram.h). `static`: file-local in every
// ISA file, so no copy compiled for a wider target is shared (xmr/target.h).
static inline float skipgram_sigmoid(float f) { return 1.0f / (1.0f + std::exp(-f)); }

// −log σ(label ? f : −f), in double: log1p(e^−x) for x ≥ 0, −x + log1p(e^x) below (no overflow).
static inline double skipgram_target_loss(float f, bool positive) {
  const double x = positive ? static_cast<double>(f) : -static_cast<double>(f);
  return x >= 0 ? std::log1p(std::exp(-x)) : -x + std::log1p(std::exp(x));
}

}  // namespace xmr::detail
