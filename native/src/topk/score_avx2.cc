// AVX2+FMA micro-kernels: up to 6 queries × 16 documents per step in 12 ymm accumulators
// (f32), and 3 queries × 32 bf16 documents widened to float32 (bf16).
#include <immintrin.h>

#include <algorithm>

#include "score_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx2,fma")

// The f32 kernel's vector type (score_f32_rows.inc): 8 lanes, a strip of 16 documents.
struct F32Avx2 {
  using Reg = __m256;
  static constexpr int kLanes = 8;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg load(const float* p) { return _mm256_load_ps(p); }
  static Reg set1(float x) { return _mm256_set1_ps(x); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static void storeu(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static uint32_t above(Reg v, float g) { return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_set1_ps(g), _CMP_NLE_UQ))); }
};

#include "score_f32_rows.inc"

template <int MR>
struct Bf16Rows {
  static void run(const float* q, const Bf16Matrix* m, size_t strip0, size_t strips, float* S, size_t lds) {
    const size_t dim = m->dim;
    const __m256i hi_mask = _mm256_set1_epi32(static_cast<int>(0xffff0000u));
    for (size_t s = 0; s < strips; ++s, S += 32) {
      const uint32_t* w = m->strip(strip0 + s);
      __m256 acc[MR][4];
#pragma GCC unroll 3
      for (int r = 0; r < MR; ++r)
        for (int v = 0; v < 4; ++v) acc[r][v] = _mm256_setzero_ps();
      for (size_t p = 0; p < m->pairs; ++p) {
        __m256 e[4], o[4];
        for (int v = 0; v < 4; ++v) {
          const __m256i x = _mm256_load_si256(reinterpret_cast<const __m256i*>(w + p * 32 + v * 8));
          e[v] = _mm256_castsi256_ps(_mm256_slli_epi32(x, 16));
          o[v] = _mm256_castsi256_ps(_mm256_and_si256(x, hi_mask));
        }
        const bool odd = 2 * p + 1 < dim;
#pragma GCC unroll 3
        for (int r = 0; r < MR; ++r) {
          const __m256 a = _mm256_set1_ps(q[r * dim + 2 * p]);
          const __m256 b = _mm256_set1_ps(odd ? q[r * dim + 2 * p + 1] : 0.0f);
          for (int v = 0; v < 4; ++v) acc[r][v] = _mm256_fmadd_ps(b, o[v], _mm256_fmadd_ps(a, e[v], acc[r][v]));
        }
      }
#pragma GCC unroll 3
      for (int r = 0; r < MR; ++r)
        for (int v = 0; v < 4; ++v) _mm256_storeu_ps(S + r * lds + v * 8, acc[r][v]);
    }
  }
};

void bf16_score(const float* qf, const uint32_t*, size_t rows, const Bf16Matrix& m, size_t strip0, size_t strips,
                float* S, size_t lds) {
  for_rows<Bf16Rows, 3>(rows, qf, &m, strip0, strips, S, lds);
}

XMR_TARGET_END

}  // namespace

const F32Kernel& f32_kernel_avx2() {
  static const F32Kernel k{6, 16, pack_f32_generic<16>, f32_score_rows<F32Avx2, 6>};
  return k;
}

const Bf16Kernel& bf16_kernel_avx2() {
  static const Bf16Kernel k{3, false, 32, bf16_score};
  return k;
}

}  // namespace xmr::detail
