// AVX2 probe loops: 12 ymm FMA chains (8 floats each); STREAM loops 8 floats per step with a masked
// tail (profile_vector_kernels.inc over VecAvx2).
#include <immintrin.h>

#include "../common/vector_types.h"
#include "profile_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX2)

using simd::VecAvx2;

#include "profile_vector_kernels.inc"

XMR_TARGET_END

}  // namespace

const ProfileKernel& profile_kernel_avx2() {
  static const ProfileKernel k{fma_f32<VecAvx2>, 12.0 * VecAvx2::kLanes * 2, copy<VecAvx2>, triad<VecAvx2>};
  return k;
}

}  // namespace xmr::detail
