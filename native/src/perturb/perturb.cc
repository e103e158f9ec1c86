// The perturbation driver: checks parameters, cuts the array into per-thread ranges (by elements
// for linf, by groups for l2 — or, when there are fewer groups than threads, by elements within
// each group in two phases: partial sums of squares, then the scaled update) and hands contiguous
// runs of real (unmasked) rows to the per-ISA element loops in perturb_<isa>.cc.
#include "xmr/perturb.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "perturb_kernels.h"
#include "xmr/parallel.h"

namespace xmr {
namespace {

// Outputs at least this large are written with non-temporal stores: far beyond the 2 MiB L2 per
// core, caching them only evicts the inputs (glibc's memcpy switches to such stores for large
// copies too, so the benchmark compares like with like).
constexpr size_t kStreamFloats = (16u << 20) / sizeof(float);
// Fewer floats than this per thread are not worth a thread start (~20 µs against ~5 µs of work).
constexpr size_t kMinFloatsPerTask = 1u << 16;

const detail::PerturbKernel& kernel(Isa isa) {
  switch (isa) {
    case Isa::Avx512Bf16:
    case Isa::Avx512: return detail::perturb_kernel_avx512();
    case Isa::Avx2: return detail::perturb_kernel_avx2();
    case Isa::Scalar: break;
  }
  return detail::perturb_kernel_scalar();
}

// The group size in use (0 means the whole array), after checking every parameter.
size_t check(size_t n, const PerturbParams& p) {
  if (!(p.eps >= 0.0f) || !std::isfinite(p.eps)) throw std::invalid_argument("eps must be a finite number ≥ 0");
  if (p.threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(p.isa);
  const size_t group = p.group_size == 0 ? n : p.group_size;
  if (group != 0 && n % group != 0)
    throw std::invalid_argument("the array length (" + std::to_string(n) + ") is not a multiple of groupSize (" +
                                std::to_string(group) + ")");
  if (p.mask != nullptr) {
    if (p.row_size == 0) throw std::invalid_argument("rowSize must be ≥ 1 when a mask is given");
    if (n % p.row_size != 0)
      throw std::invalid_argument("the array length (" + std::to_string(n) + ") is not a multiple of rowSize (" +
                                  std::to_string(p.row_size) + ")");
    if (group != 0 && group % p.row_size != 0)
      throw std::invalid_argument("groupSize (" + std::to_string(group) + ") is not a multiple of rowSize (" +
                                  std::to_string(p.row_size) + ")");
  }
  return group;
}

int tasks_for(size_t units, size_t floats_per_unit, int threads) {
  const size_t by_size = floats_per_unit == 0 ? 1 : units * floats_per_unit / kMinFloatsPerTask;
  size_t t = static_cast<size_t>(threads);
  if (t > units) t = units;
  if (t > by_size) t = by_size;
  return t < 1 ? 1 : static_cast<int>(t);
}

// Calls f(offset, count, real) over [begin, end) in maximal runs of rows with the same mask value
// (one run, real, without a mask). begin and end are multiples of row_size when there is a mask.
template <typename F>
void each_run(size_t begin, size_t end, const PerturbParams& p, F&& f) {
  if (begin >= end) return;
  if (p.mask == nullptr) { f(begin, end - begin, true); return; }
  const size_t rs = p.row_size;
  size_t r = begin / rs;
  const size_t r_end = end / rs;
  while (r < r_end) {
    const bool real = p.mask[r] != 0;
    size_t s = r + 1;
    while (s < r_end && (p.mask[s] != 0) == real) ++s;
    f(r * rs, (s - r) * rs, real);
    r = s;
  }
}

// A padding run: δ = 0, so out = x (or 0 when only δ is written).
void keep(const float* x, size_t off, size_t count, float* out) {
  if (x == nullptr) std::memset(out + off, 0, count * sizeof(float));
  else if (x != out) std::memmove(out + off, x + off, count * sizeof(float));
}

// The alignment of per-thread element ranges: whole rows with a mask, else a 64-byte line.
size_t unit_of(const PerturbParams& p) { return p.mask != nullptr ? p.row_size : 16; }

// Σ g² over the real rows of [begin, end).
double sum_squares_real(const detail::PerturbKernel& k, const float* g, size_t begin, size_t end, const PerturbParams& p) {
  double ss = 0;
  each_run(begin, end, p, [&](size_t off, size_t count, bool real) {
    if (real) ss += k.sum_squares(g + off, count);
  });
  return ss;
}

// Runs body(begin, end) over the groups: whole groups per thread when there are enough of them,
// else each group split over the threads with a reduction of the sums of squares in between.
// reduce(begin, end) returns a group-part's sum of squares, apply(begin, end, ss_of_group) writes it.
template <typename Reduce, typename Apply>
void by_groups(size_t n, size_t group, const PerturbParams& p, Reduce&& reduce, Apply&& apply) {
  if (n == 0) return;
  const size_t groups = n / group;
  if (groups >= static_cast<size_t>(p.threads) || p.threads == 1) {
    const int tasks = tasks_for(groups, group, p.threads);
    parallel_tasks(tasks, [&](int t) {
      size_t g0, g1;
      split_range(groups, tasks, t, 1, &g0, &g1);
      for (size_t gi = g0; gi < g1; ++gi) apply(gi * group, (gi + 1) * group, reduce(gi * group, (gi + 1) * group));
    });
    return;
  }
  const size_t unit = unit_of(p);
  const int tasks = tasks_for((group + unit - 1) / unit, unit, p.threads);
  std::vector<double> partial(static_cast<size_t>(tasks));
  for (size_t gi = 0; gi < groups; ++gi) {
    const size_t base = gi * group;
    parallel_tasks(tasks, [&](int t) {
      size_t a, b;
      split_range(group, tasks, t, unit, &a, &b);
      partial[static_cast<size_t>(t)] = reduce(base + a, base + b);
    });
    double ss = 0;
    for (double v : partial) ss += v;
    parallel_tasks(tasks, [&](int t) {
      size_t a, b;
      split_range(group, tasks, t, unit, &a, &b);
      apply(base + a, base + b, ss);
    });
  }
}

// Element-wise work (linf, copies) split over threads by element ranges.
template <typename F>
void by_elements(size_t n, const PerturbParams& p, F&& f) {
  if (n == 0) return;
  const size_t unit = unit_of(p);
  const int tasks = tasks_for((n + unit - 1) / unit, unit, p.threads);
  parallel_tasks(tasks, [&](int t) {
    size_t a, b;
    split_range(n, tasks, t, unit, &a, &b);
    f(a, b);
  });
}

// The element-wise ℓ∞ pass: real(off, count) on the runs of rows the mask selects; the other rows
// keep x (zero without x).
template <typename F>
void linf_pass(size_t n, const PerturbParams& p, const float* x, float* out, F&& real) {
  by_elements(n, p, [&](size_t a, size_t b) {
    each_run(a, b, p, [&](size_t off, size_t count, bool selected) {
      if (selected) real(off, count);
      else keep(x, off, count, out);
    });
  });
}

}  // namespace

void perturb(const float* x, const float* grad, size_t n, const PerturbParams& p, float* out) {
  const size_t group = check(n, p);
  const detail::PerturbKernel& k = kernel(p.isa);
  const bool stream = n >= kStreamFloats;
  if (p.norm == PerturbNorm::Linf) {
    linf_pass(n, p, x, out, [&](size_t off, size_t count) {
      k.sign_add(x == nullptr ? nullptr : x + off, grad + off, count, p.eps, out + off, stream);
    });
    return;
  }
  by_groups(
      n, group, p, [&](size_t a, size_t b) { return sum_squares_real(k, grad, a, b, p); },
      [&](size_t a, size_t b, double ss) {
        // δ = ε·g/‖g‖₂ (Miyato et al. 2017); a zero group stays zero; NaN in the group gives NaN.
        const float s = ss == 0.0 ? 0.0f : static_cast<float>(static_cast<double>(p.eps) / std::sqrt(ss));
        each_run(a, b, p, [&](size_t off, size_t count, bool real) {
          if (real) k.scale_add(x == nullptr ? nullptr : x + off, grad + off, count, s, out + off, stream);
          else keep(x, off, count, out);
        });
      });
}

void project(const float* delta, size_t n, const PerturbParams& p, float* out) {
  const size_t group = check(n, p);
  const detail::PerturbKernel& k = kernel(p.isa);
  const bool stream = n >= kStreamFloats;
  if (p.norm == PerturbNorm::Linf) {
    linf_pass(n, p, nullptr, out, [&](size_t off, size_t count) { k.clamp(delta + off, count, p.eps, out + off, stream); });
    return;
  }
  const double eps = p.eps;
  by_groups(
      n, group, p, [&](size_t a, size_t b) { return sum_squares_real(k, delta, a, b, p); },
      [&](size_t a, size_t b, double ss) {
        const double norm = std::sqrt(ss);
        // Rescale only outside the ball (Madry et al. 2018's Π). The factor is shrunk by 2⁻²²: the
        // float32 products then have a norm ≤ ε whatever their rounding (each is off by ≤ 2⁻²⁴
        // relative, the factor too), so projecting again changes nothing.
        const bool outside = norm > eps;
        const float s = outside ? static_cast<float>(eps / norm * (1.0 - 0x1p-22)) : 1.0f;
        each_run(a, b, p, [&](size_t off, size_t count, bool real) {
          if (!real) keep(nullptr, off, count, out);
          else if (outside) k.scale_add(nullptr, delta + off, count, s, out + off, stream);
          else if (delta != out) std::memmove(out + off, delta + off, count * sizeof(float));
        });
      });
}

void copy_floats(const float* src, size_t n, float* dst, int threads) {
  if (threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  if (src == dst) return;
  PerturbParams p;
  p.threads = threads;
  by_elements(n, p, [&](size_t a, size_t b) { std::memcpy(dst + a, src + a, (b - a) * sizeof(float)); });
}

}  // namespace xmr
