// AVX2+FMA element loops: 8 floats per step, scalar ends, non-temporal stores on request, squares
// summed in four-wide double accumulators.
#include <immintrin.h>

#include <cstdint>

#include "../common/simd.h"
#include "perturb_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx2,fma")

struct SignOp {
  __m256 eps, signbit;
  float e;
  __m256 delta(__m256 g) const {
    const __m256 nonzero = _mm256_cmp_ps(g, _mm256_setzero_ps(), _CMP_NEQ_UQ);  // true for NaN too
    const __m256 nan = _mm256_cmp_ps(g, g, _CMP_UNORD_Q);
    const __m256 d = _mm256_blendv_ps(_mm256_or_ps(_mm256_and_ps(g, signbit), eps), g, nan);
    return _mm256_and_ps(d, nonzero);
  }
  __m256 operator()(__m256 g) const { return delta(g); }
  __m256 operator()(__m256 x, __m256 g) const { return _mm256_add_ps(x, delta(g)); }
  float delta1(float g) const { return g != g ? g : g > 0.0f ? e : g < 0.0f ? -e : 0.0f; }
  float operator()(float g) const { return delta1(g); }
  float operator()(float x, float g) const { return x + delta1(g); }
};

struct ScaleOp {
  __m256 s;
  float s1;
  __m256 operator()(__m256 g) const { return _mm256_mul_ps(s, g); }
  __m256 operator()(__m256 x, __m256 g) const { return _mm256_fmadd_ps(s, g, x); }
  float operator()(float g) const { return s1 * g; }
  float operator()(float x, float g) const { return __builtin_fmaf(s1, g, x); }  // as the vector path
};

struct ClampOp {
  __m256 eps, neg;
  float e;
  __m256 operator()(__m256 d) const { return _mm256_min_ps(eps, _mm256_max_ps(neg, d)); }  // NaN passes
  float operator()(float d) const { return d < -e ? -e : d > e ? e : d; }
};

template <bool HasX, class Op>
inline __m256 full(const Op& op, const float* x, const float* g) {
  if constexpr (HasX) return op(_mm256_loadu_ps(x), _mm256_loadu_ps(g));
  else return op(_mm256_loadu_ps(g));
}

template <bool HasX, class Op>
inline void scalar(const Op& op, const float* x, const float* g, float* out, size_t count) {
  for (size_t j = 0; j < count; ++j) {
    if constexpr (HasX) out[j] = op(x[j], g[j]);
    else out[j] = op(g[j]);
  }
}

template <bool HasX, class Op>
void run(const Op& op, const float* x, const float* g, size_t n, float* out, bool stream) {
  size_t i = 0;
  if (stream) {
    const size_t mis = (reinterpret_cast<uintptr_t>(out) & 31u) / sizeof(float);
    size_t head = mis == 0 ? 0 : 8 - mis;
    if (head > n) head = n;
    scalar<HasX>(op, x, g, out, head);
    for (i = head; i + 8 <= n; i += 8) _mm256_stream_ps(out + i, full<HasX>(op, HasX ? x + i : nullptr, g + i));
  } else {
    for (; i + 32 <= n; i += 32) {
      const __m256 r0 = full<HasX>(op, HasX ? x + i : nullptr, g + i);
      const __m256 r1 = full<HasX>(op, HasX ? x + i + 8 : nullptr, g + i + 8);
      const __m256 r2 = full<HasX>(op, HasX ? x + i + 16 : nullptr, g + i + 16);
      const __m256 r3 = full<HasX>(op, HasX ? x + i + 24 : nullptr, g + i + 24);
      _mm256_storeu_ps(out + i, r0);
      _mm256_storeu_ps(out + i + 8, r1);
      _mm256_storeu_ps(out + i + 16, r2);
      _mm256_storeu_ps(out + i + 24, r3);
    }
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, full<HasX>(op, HasX ? x + i : nullptr, g + i));
  }
  if (i < n) scalar<HasX>(op, HasX ? x + i : nullptr, g + i, out + i, n - i);
  if (stream) _mm_sfence();
}

template <class Op>
void run_xg(const Op& op, const float* x, const float* g, size_t n, float* out, bool stream) {
  if (x != nullptr) run<true>(op, x, g, n, out, stream);
  else run<false>(op, nullptr, g, n, out, stream);
}

void sign_add(const float* x, const float* g, size_t n, float eps, float* out, bool stream) {
  run_xg(SignOp{_mm256_set1_ps(eps), _mm256_set1_ps(-0.0f), eps}, x, g, n, out, stream);
}

void scale_add(const float* x, const float* g, size_t n, float s, float* out, bool stream) {
  run_xg(ScaleOp{_mm256_set1_ps(s), s}, x, g, n, out, stream);
}

void clamp(const float* d, size_t n, float eps, float* out, bool stream) {
  run<false>(ClampOp{_mm256_set1_ps(eps), _mm256_set1_ps(-eps), eps}, nullptr, d, n, out, stream);
}

inline void accumulate(__m256 v, __m256d& lo, __m256d& hi) {
  const __m256d a = _mm256_cvtps_pd(_mm256_castps256_ps128(v));
  const __m256d b = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
  lo = _mm256_fmadd_pd(a, a, lo);
  hi = _mm256_fmadd_pd(b, b, hi);
}

double sum_squares(const float* g, size_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    accumulate(_mm256_loadu_ps(g + i), a0, a1);
    accumulate(_mm256_loadu_ps(g + i + 8), a2, a3);
  }
  for (; i + 8 <= n; i += 8) accumulate(_mm256_loadu_ps(g + i), a0, a1);
  double tail = 0;
  for (; i < n; ++i) tail += static_cast<double>(g[i]) * g[i];
  return simd::hsum(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3))) + tail;
}

XMR_TARGET_END

}  // namespace

const PerturbKernel& perturb_kernel_avx2() {
  static const PerturbKernel k{sign_add, scale_add, sum_squares, clamp};
  return k;
}

}  // namespace xmr::detail
