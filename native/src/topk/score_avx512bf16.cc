// AVX512_BF16 micro-kernel: VDPBF16PS multiplies 32 bf16 pairs and adds them into 16 float32 lanes,
// twice the multiply rate of float32 FMA. Queries arrive rounded to bf16 pairs (same layout as the
// documents), so a score is the float32 sum of exact bf16×bf16 products.
#include <immintrin.h>

#include "score_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX512BF16)

template <int MR>
struct Dpbf16Rows {
  static void run(const uint32_t* qb, const Bf16Matrix* m, size_t strip0, size_t strips, float* S, size_t lds) {
    const size_t pairs = m->pairs;
    for (size_t s = 0; s < strips; ++s, S += 32) {
      const uint32_t* w = m->strip(strip0 + s);
      __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 12
      for (int r = 0; r < MR; ++r) acc0[r] = acc1[r] = _mm512_setzero_ps();
      for (size_t p = 0; p < pairs; ++p) {
        const __m512bh b0 = (__m512bh)_mm512_load_si512(w + p * 32);
        const __m512bh b1 = (__m512bh)_mm512_load_si512(w + p * 32 + 16);
#pragma GCC unroll 12
        for (int r = 0; r < MR; ++r) {
          const __m512bh a = (__m512bh)_mm512_set1_epi32(static_cast<int>(qb[r * pairs + p]));
          acc0[r] = _mm512_dpbf16_ps(acc0[r], a, b0);
          acc1[r] = _mm512_dpbf16_ps(acc1[r], a, b1);
        }
      }
#pragma GCC unroll 12
      for (int r = 0; r < MR; ++r) {
        _mm512_storeu_ps(S + r * lds, acc0[r]);
        _mm512_storeu_ps(S + r * lds + 16, acc1[r]);
      }
    }
  }
};

void score(const float*, const uint32_t* qb, size_t rows, const Bf16Matrix& m, size_t strip0, size_t strips, float* S,
           size_t lds) {
  for_rows<Dpbf16Rows, 12>(rows, qb, &m, strip0, strips, S, lds);
}

XMR_TARGET_END

}  // namespace

const Bf16Kernel& bf16_kernel_avx512bf16() {
  static const Bf16Kernel k{12, true, 32, score};
  return k;
}

}  // namespace xmr::detail
