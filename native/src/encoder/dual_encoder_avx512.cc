// AVX-512 vector loops of the dual encoder and trainer (see dual_encoder.h, detail::VecOps):
// dual_encoder_vector_kernels.inc over VecAvx512.
#include <immintrin.h>

#include "../common/vector_types.h"
#include "xmr/dual_encoder.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX512)

using simd::VecAvx512;

#include "dual_encoder_vector_kernels.inc"

XMR_TARGET_END

}  // namespace

const VecOps& vec_ops_avx512() {
  static const VecOps ops{dot<VecAvx512>, axpy<VecAvx512>, adam<VecAvx512>};
  return ops;
}

}  // namespace xmr::detail
