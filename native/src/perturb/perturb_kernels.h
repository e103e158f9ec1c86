// Internal: the per-ISA element loops behind perturb.cc (same scheme as topk/score_kernels.h: each ISA
// file compiles its loops with a target attribute, and perturb.cc picks one per call).
//
// `stream`: write `out` with non-temporal stores (no read-for-ownership of the destination lines,
// and the result does not evict the inputs from cache) — used for arrays much larger than the
// caches, where it is what a large memcpy does too.
#pragma once
#include <cstddef>

namespace xmr::detail {

struct PerturbKernel {
  // out[i] = (x ? x[i] : 0) + ε·sign(g[i]); sign(±0) = 0; a NaN g[i] gives NaN.
  void (*sign_add)(const float* x, const float* g, size_t n, float eps, float* out, bool stream);
  // out[i] = (x ? x[i] : 0) + s·g[i]
  void (*scale_add)(const float* x, const float* g, size_t n, float s, float* out, bool stream);
  // Σ g[i]², accumulated in double.
  double (*sum_squares)(const float* g, size_t n);
  // out[i] = min(ε, max(−ε, d[i])); NaN stays NaN.
  void (*clamp)(const float* d, size_t n, float eps, float* out, bool stream);
};

const PerturbKernel& perturb_kernel_scalar();
const PerturbKernel& perturb_kernel_avx2();
const PerturbKernel& perturb_kernel_avx512();

}  // namespace xmr::detail
