// AVX2+FMA element loops: 8 floats per step (perturb_vector_kernels.inc over VecAvx2).
#include <immintrin.h>

#include <cstdint>

#include "../common/vector_types.h"
#include "perturb_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX2)

using simd::VecAvx2;

#include "perturb_vector_kernels.inc"

XMR_TARGET_END

}  // namespace

const PerturbKernel& perturb_kernel_avx2() {
  static const PerturbKernel k{sign_add<VecAvx2>, scale_add<VecAvx2>, sum_squares<VecAvx2>, clamp<VecAvx2>};
  return k;
}

}  // namespace xmr::detail
