// Internal: the per-ISA scoring micro-kernels behind topk.cc. Each ISA file compiles its kernels
// with a target attribute, so one binary carries every path and topk.cc picks one per call.
//
// f32 documents are packed per tile into strips of `nr` documents, coordinate-major:
//   packed[(s * dim + p) * nr + c] = doc[s * nr + c][p]
// so the kernel broadcasts one query coordinate and multiplies it into nr documents at once
// (an outer-product GEMM micro-kernel, as in GotoBLAS/BLIS): no horizontal sums, and any dim works.
#pragma once
#include <cstddef>
#include <cstdint>

#include "xmr/bf16.h"
#include "xmr/cpu.h"

namespace xmr::detail {

struct F32Kernel {
  size_t mr;  // query rows per call (register block)
  size_t nr;  // documents per strip
  // Packs documents 0 .. count of `docs` (row-major, stride dim) into `strips` strips of nr
  // (layout above); documents from count to strips * nr are zero.
  void (*pack)(const float* docs, size_t dim, size_t count, size_t strips, float* packed);
  // S[r * lds + j] = q_r · doc_j for r < rows (≤ mr), j < strips * nr; q_r starts at q + r * ldq.
  // With the scores still in registers, bit c of masks[r * strips + s] is set when score c of row r
  // in strip s may pass that row's collector, i.e. is not ≤ gate[r] (NaN scores and a NaN gate
  // pass): the driver then reads back only those scores (most strips of a long stream hold no
  // winner, and a strip that holds one mostly holds one or two).
  void (*score)(const float* q, size_t ldq, size_t rows, size_t dim, const float* packed, size_t strips, float* S,
                size_t lds, const float* gate, uint32_t* masks);
};

struct Bf16Kernel {
  size_t mr;
  bool bf16_queries;  // reads queries as packed bf16 pairs (qb, stride docs.pairs) instead of float32 (qf, stride dim)
  // S[r * lds + j] = q_r · doc_(strip0 * 32 + j) for r < rows, j < strips * 32.
  void (*score)(const float* qf, const uint32_t* qb, size_t rows, const Bf16Matrix& docs, size_t strip0,
                size_t strips, float* S, size_t lds);
};

// Calls K<rows>::run(args...) with rows as a compile-time register-block size in [1, MaxRows].
template <template <int> class K, int MaxRows, typename... A>
inline void for_rows(size_t rows, A... args) {
  if constexpr (MaxRows > 1) {
    if (rows < MaxRows) return for_rows<K, MaxRows - 1>(rows, args...);
  }
  K<MaxRows>::run(args...);
}

// The portable packing loop (scalar and AVX2 kernels use it; AVX-512 transposes 16×16 blocks).
template <size_t NR>
void pack_f32_generic(const float* docs, size_t dim, size_t count, size_t strips, float* packed) {
  for (size_t c = 0; c < strips * NR; ++c) {
    float* dst = packed + (c / NR) * dim * NR + c % NR;
    if (c < count) {
      const float* row = docs + c * dim;
      for (size_t p = 0; p < dim; ++p) dst[p * NR] = row[p];
    } else {
      for (size_t p = 0; p < dim; ++p) dst[p * NR] = 0.0f;
    }
  }
}

// topk_collect.h's KeyFilter with AVX-512: one compare mask per 16 scores, the winners' keys
// compressed into place (no branch per candidate).
size_t filter_keys_avx512(const float* s, size_t count, float threshold, int32_t first_id, uint64_t* out);
// topk_collect.h's KeySelect with AVX-512 (vector quickselect).
uint64_t select_keys_avx512(uint64_t* keys, size_t n, size_t k);

// The f32 kernel of an ISA path (topk.cc).
const F32Kernel& f32_kernel(Isa isa);
// 1/‖v‖₂ accumulated in double; 0 for the zero vector so that its cosine is 0 (topk.cc).
float inverse_norm(const float* v, size_t dim);

const F32Kernel& f32_kernel_scalar();
const F32Kernel& f32_kernel_avx2();
const F32Kernel& f32_kernel_avx512();
const Bf16Kernel& bf16_kernel_scalar();
const Bf16Kernel& bf16_kernel_avx2();
const Bf16Kernel& bf16_kernel_avx512();
const Bf16Kernel& bf16_kernel_avx512bf16();

}  // namespace xmr::detail
