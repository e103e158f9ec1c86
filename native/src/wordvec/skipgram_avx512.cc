// AVX-512 skip-gram step: 16 floats per step (skipgram_vector_kernels.inc over VecAvx512).
#include <immintrin.h>

#include <cstdint>

#include "../common/vector_types.h"
#include "skipgram_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX512)

using simd::VecAvx512;

#include "skipgram_vector_kernels.inc"

XMR_TARGET_END

const SkipgramKernel kKernel{step<VecAvx512>};

}  // namespace

const SkipgramKernel& skipgram_kernel_avx512() { return kKernel; }

}  // namespace xmr::detail
