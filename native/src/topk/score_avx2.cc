// AVX2+FMA micro-kernels: up to 6 queries × 16 documents per step in 12 ymm accumulators
// (f32), and 3 queries × 32 bf16 documents widened to float32 (bf16).
#include <immintrin.h>

#include <algorithm>

#include "../common/vector_types.h"
#include "score_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX2)

using simd::VecAvx2;

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
