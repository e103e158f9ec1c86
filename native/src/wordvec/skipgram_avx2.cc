// AVX2+FMA skip-gram step: 8 floats per step (skipgram_vector_kernels.inc over VecAvx2).
#include <immintrin.h>

#include <cstdint>

#include "../common/vector_types.h"
#include "skipgram_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX2)

using simd::VecAvx2;

#include "skipgram_vector_kernels.inc"

XMR_TARGET_END

const SkipgramKernel kKernel{step<VecAvx2>};

}  // namespace

const SkipgramKernel& skipgram_kernel_avx2() { return kKernel; }

}  // namespace xmr::detail
