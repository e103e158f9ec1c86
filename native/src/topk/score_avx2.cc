// AVX2+FMA micro-kernels: up to 6 queries × 16 documents per step in 12 ymm accumulators
// (f32), and 3 queries × 32 bf16 documents widened to float32 (bf16).
#include <immintrin.h>

#include <algorithm>

#include "score_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("avx2,fma")

// The vector type of the shared micro-kernels (score_vector_kernels.inc): 8 float32 lanes, so f32
// strips of 16 documents and bf16 strips of 32 in 4 vectors.
struct VecAvx2 {
  using Reg = __m256;
  static constexpr int kLanes = 8;
  static Reg zero() { return _mm256_setzero_ps(); }
  static Reg load(const float* p) { return _mm256_load_ps(p); }
  static Reg set1(float x) { return _mm256_set1_ps(x); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
  static void storeu(float* p, Reg v) { _mm256_storeu_ps(p, v); }
  static uint32_t above(Reg v, float g) { return static_cast<uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(v, _mm256_set1_ps(g), _CMP_NLE_UQ))); }
  using Words = __m256i;
  static Words load_words(const uint32_t* p) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(p)); }
  static Reg low_halves(Words w) { return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16)); }
  static Reg high_halves(Words w) { return _mm256_castsi256_ps(_mm256_and_si256(w, _mm256_set1_epi32(static_cast<int>(0xffff0000u)))); }
};

#include "score_vector_kernels.inc"

XMR_TARGET_END

}  // namespace

const F32Kernel& f32_kernel_avx2() {
  static const F32Kernel k{6, 16, pack_f32_generic<16>, f32_score_rows<VecAvx2, 6>};
  return k;
}

const Bf16Kernel& bf16_kernel_avx2() {
  static const Bf16Kernel k{3, false, 32, bf16_score_rows<VecAvx2, 3>};
  return k;
}

}  // namespace xmr::detail
