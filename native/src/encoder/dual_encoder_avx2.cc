// AVX2+FMA vector loops of the dual encoder and trainer (see dual_encoder.h, detail::VecOps):
// dual_encoder_vector_kernels.inc over VecAvx2.
#include <immintrin.h>

#include "../common/vector_types.h"
#include "xmr/dual_encoder.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX2)

using simd::VecAvx2;

#include "dual_encoder_vector_kernels.inc"

XMR_TARGET_END

}  // namespace

const VecOps& vec_ops_avx2() {
  static const VecOps ops{dot<VecAvx2>, axpy<VecAvx2>, adam<VecAvx2>};
  return ops;
}

}  // namespace xmr::detail
