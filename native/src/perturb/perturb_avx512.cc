// AVX-512 element loops: 16 floats per step, masked loads/stores for the ends (no scalar tail),
// non-temporal stores on request, squares summed in eight-wide double accumulators.
// GCC 12 reports the _mm512_undefined_* self-initialisation inside its own intrinsics (VMAXPS,
// VEXTRACTF64X4 …) as maybe-uninitialised (GCC bug 105593); the values are never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstdint>

#include "../common/simd.h"
#include "perturb_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx512f,avx512bw,avx512vl,avx512dq,fma")

// ε·sign(g): copysign(ε, g) where g ≠ 0, 0 where g = ±0, g itself where g is NaN.
struct SignOp {
  __m512 eps, signbit;
  __m512 delta(__m512 g) const {
    const __mmask16 nonzero = _mm512_cmp_ps_mask(g, _mm512_setzero_ps(), _CMP_NEQ_UQ);  // true for NaN too
    const __mmask16 nan = _mm512_cmp_ps_mask(g, g, _CMP_UNORD_Q);
    const __m512 d = _mm512_mask_mov_ps(_mm512_or_ps(_mm512_and_ps(g, signbit), eps), nan, g);
    return _mm512_maskz_mov_ps(nonzero, d);
  }
  __m512 operator()(__m512 g) const { return delta(g); }
  __m512 operator()(__m512 x, __m512 g) const { return _mm512_add_ps(x, delta(g)); }
};

struct ScaleOp {
  __m512 s;
  __m512 operator()(__m512 g) const { return _mm512_mul_ps(s, g); }
  __m512 operator()(__m512 x, __m512 g) const { return _mm512_fmadd_ps(s, g, x); }
};

// min(ε, max(−ε, d)) with d as the second operand both times: VMAXPS/VMINPS return the second
// operand when either is NaN, so NaN passes through.
struct ClampOp {
  __m512 eps, neg;
  __m512 operator()(__m512 d) const { return _mm512_min_ps(eps, _mm512_max_ps(neg, d)); }
  __m512 operator()(__m512, __m512 d) const { return (*this)(d); }
};

template <bool HasX, class Op>
inline __m512 full(const Op& op, const float* x, const float* g) {
  if constexpr (HasX) return op(_mm512_loadu_ps(x), _mm512_loadu_ps(g));
  else return op(_mm512_loadu_ps(g));
}

template <bool HasX, class Op>
inline void part(const Op& op, const float* x, const float* g, float* out, size_t count) {
  const __mmask16 m = simd::tail_mask16(count);
  __m512 r;
  if constexpr (HasX) r = op(_mm512_maskz_loadu_ps(m, x), _mm512_maskz_loadu_ps(m, g));
  else r = op(_mm512_maskz_loadu_ps(m, g));
  _mm512_mask_storeu_ps(out, m, r);
}

template <bool HasX, class Op>
void run(const Op& op, const float* x, const float* g, size_t n, float* out, bool stream) {
  size_t i = 0;
  if (stream) {
    // Non-temporal stores need 64-byte aligned addresses: a masked head up to the boundary first.
    const size_t mis = (reinterpret_cast<uintptr_t>(out) & 63u) / sizeof(float);
    size_t head = mis == 0 ? 0 : 16 - mis;
    if (head > n) head = n;
    if (head > 0) part<HasX>(op, x, g, out, head);
    for (i = head; i + 16 <= n; i += 16) _mm512_stream_ps(out + i, full<HasX>(op, HasX ? x + i : nullptr, g + i));
  } else {
    for (; i + 64 <= n; i += 64) {
      const __m512 r0 = full<HasX>(op, HasX ? x + i : nullptr, g + i);
      const __m512 r1 = full<HasX>(op, HasX ? x + i + 16 : nullptr, g + i + 16);
      const __m512 r2 = full<HasX>(op, HasX ? x + i + 32 : nullptr, g + i + 32);
      const __m512 r3 = full<HasX>(op, HasX ? x + i + 48 : nullptr, g + i + 48);
      _mm512_storeu_ps(out + i, r0);
      _mm512_storeu_ps(out + i + 16, r1);
      _mm512_storeu_ps(out + i + 32, r2);
      _mm512_storeu_ps(out + i + 48, r3);
    }
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, full<HasX>(op, HasX ? x + i : nullptr, g + i));
  }
  if (i < n) part<HasX>(op, HasX ? x + i : nullptr, g + i, out + i, n - i);
  if (stream) _mm_sfence();  // order the streamed lines before the caller's thread join
}

template <class Op>
void run_xg(const Op& op, const float* x, const float* g, size_t n, float* out, bool stream) {
  if (x != nullptr) run<true>(op, x, g, n, out, stream);
  else run<false>(op, nullptr, g, n, out, stream);
}

void sign_add(const float* x, const float* g, size_t n, float eps, float* out, bool stream) {
  run_xg(SignOp{_mm512_set1_ps(eps), _mm512_set1_ps(-0.0f)}, x, g, n, out, stream);
}

void scale_add(const float* x, const float* g, size_t n, float s, float* out, bool stream) {
  run_xg(ScaleOp{_mm512_set1_ps(s)}, x, g, n, out, stream);
}

void clamp(const float* d, size_t n, float eps, float* out, bool stream) {
  run<false>(ClampOp{_mm512_set1_ps(eps), _mm512_set1_ps(-eps)}, nullptr, d, n, out, stream);
}

// Two 8-float halves widened to double.
inline void accumulate(__m256 a8, __m256 b8, __m512d& lo, __m512d& hi) {
  const __m512d a = _mm512_maskz_cvtps_pd(0xff, a8);  // maskz: GCC 12 warns on the undefined-source form
  const __m512d b = _mm512_maskz_cvtps_pd(0xff, b8);
  lo = _mm512_fmadd_pd(a, a, lo);
  hi = _mm512_fmadd_pd(b, b, hi);
}

double sum_squares(const float* g, size_t n) {
  __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    accumulate(_mm256_loadu_ps(g + i), _mm256_loadu_ps(g + i + 8), a0, a1);
    accumulate(_mm256_loadu_ps(g + i + 16), _mm256_loadu_ps(g + i + 24), a2, a3);
  }
  for (; i + 16 <= n; i += 16) accumulate(_mm256_loadu_ps(g + i), _mm256_loadu_ps(g + i + 8), a0, a1);
  if (i < n) {
    const unsigned m = (1u << (n - i)) - 1u;  // up to 15 floats left
    accumulate(_mm256_maskz_loadu_ps(static_cast<__mmask8>(m & 0xffu), g + i),
               _mm256_maskz_loadu_ps(static_cast<__mmask8>(m >> 8), g + i + 8), a2, a3);
  }
  return simd::hsum(_mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3)));
}

XMR_TARGET_END

}  // namespace

const PerturbKernel& perturb_kernel_avx512() {
  static const PerturbKernel k{sign_add, scale_add, sum_squares, clamp};
  return k;
}

}  // namespace xmr::detail
