// Portable micro-kernels for CPUs without AVX2 (and the reference the vector paths are tested
// against): 4 queries × 8 documents per step, plain float arithmetic (no fused multiply-add).
#include "score_kernels.h"

namespace xmr::detail {
namespace {

template <int MR>
struct F32Rows {
  static void run(const float* q, size_t dim, const float* packed, size_t strips, float* S, size_t lds, const float* gate,
                  uint32_t* masks) {
    for (size_t s = 0; s < strips; ++s, packed += dim * 8, S += 8) {
      float acc[MR][8] = {};
      for (size_t p = 0; p < dim; ++p) {
        for (int r = 0; r < MR; ++r) {
          const float a = q[p * MR + r];
          for (int c = 0; c < 8; ++c) acc[r][c] += a * packed[p * 8 + c];
        }
      }
      for (int r = 0; r < MR; ++r) {
        uint32_t mask = 0;
        for (int c = 0; c < 8; ++c) {
          S[r * lds + c] = acc[r][c];
          mask |= static_cast<uint32_t>(!(acc[r][c] <= gate[r])) << c;
        }
        masks[r * strips + s] = mask;
      }
    }
  }
};

// The scalar path requests its Prefetch up front: its kernel is too slow for the memory to lag.
void f32_score(const float* q, size_t rows, size_t dim, const float* packed, size_t strips, float* S, size_t lds,
               const float* gate, uint32_t* masks, const Prefetch& pf) {
  PrefetchSpread(pf, 0).finish();
  for_rows<F32Rows, 4>(rows, q, dim, packed, strips, S, lds, gate, masks);
}

void bf16_score(const float* qf, const uint32_t*, size_t rows, const Bf16Matrix& m, size_t strip0, size_t strips,
                float* S, size_t lds) {
  constexpr size_t W = Bf16Matrix::kStripDocs;
  for (size_t s = 0; s < strips; ++s) {
    const uint32_t* w = m.strip(strip0 + s);
    for (size_t r = 0; r < rows; ++r) {
      const float* q = qf + r * m.dim;
      float acc[W] = {};
      for (size_t p = 0; p < m.pairs; ++p) {
        const float a = q[2 * p];
        const float b = 2 * p + 1 < m.dim ? q[2 * p + 1] : 0.0f;
        for (size_t c = 0; c < W; ++c) {
          const uint32_t x = w[p * W + c];
          acc[c] += a * bf16_to_f32(static_cast<uint16_t>(x & 0xffffu));
          acc[c] += b * bf16_to_f32(static_cast<uint16_t>(x >> 16));
        }
      }
      for (size_t c = 0; c < W; ++c) S[r * lds + s * W + c] = acc[c];
    }
  }
}

}  // namespace

const F32Kernel& f32_kernel_scalar() {
  static const F32Kernel k{4, 8, pack_f32_generic<8>, f32_score};
  return k;
}

const Bf16Kernel& bf16_kernel_scalar() {
  static const Bf16Kernel k{4, false, 32, bf16_score};
  return k;
}

}  // namespace xmr::detail
