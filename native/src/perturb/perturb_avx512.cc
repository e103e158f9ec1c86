// AVX-512 element loops: 16 floats per step (perturb_vector_kernels.inc over VecAvx512).
// GCC 12 reports the _mm512_undefined_* self-initialisation inside its own intrinsics (VMAXPS,
// VEXTRACTF64X4 …) as maybe-uninitialised (GCC bug 105593); the values are never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <cstdint>

#include "../common/vector_types.h"
#include "perturb_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX512)

using simd::VecAvx512;

#include "perturb_vector_kernels.inc"

XMR_TARGET_END

}  // namespace

const PerturbKernel& perturb_kernel_avx512() {
  static const PerturbKernel k{sign_add<VecAvx512>, scale_add<VecAvx512>, sum_squares<VecAvx512>, clamp<VecAvx512>};
  return k;
}

}  // namespace xmr::detail
