// Exact top-k search over dense vectors: for each query, the k documents of highest score.
//
// Order (the contract every caller and test relies on): score descending; equal scores by the
// lower document index; NaN scores after every number (among themselves by index). When k > n the
// last k − n slots of a row hold id −1 and score −Infinity.
// Scores: 'ip' is the inner product q·d; 'cosine' is q·d / (‖q‖‖d‖), defined as 0 when either
// vector is zero. Sums are float32 in a blocked order (a brute-force double sum can differ in the
// last bits; tests compare rankings where scores are separated by more than that).
#pragma once
#include <cstddef>
#include <cstdint>

#include "xmr/aligned.h"
#include "xmr/bf16.h"
#include "xmr/cpu.h"

namespace xmr {

enum class Metric { InnerProduct, Cosine };

struct TopKParams {
  size_t k = 10;
  Metric metric = Metric::InnerProduct;
  int threads = 1;
  Isa isa = Isa::Scalar;  // must be supported by the CPU (see detect_isa)
};

// queries: m×dim, docs: n×dim, row-major float32. ids/scores: m×k outputs.
void topk_f32(const float* queries, size_t m, const float* docs, size_t n, size_t dim, const TopKParams& params,
              int32_t* ids, float* scores);

// Documents packed once for the f32 kernels, as Bf16Matrix is for bf16, so that a call does not
// repack them (each thread of a call otherwise packs every tile it scores: ~6% of a 100k × 384,
// 1,000-query call, and most of a call with a few queries). Strips of `nr` documents — the strip
// width of the kernel of the ISA it was packed for — coordinate-major:
//   packed[(s * dim + p) * nr + c] = doc[s * nr + c][p]   (padding documents are zero)
// with 1/‖doc‖₂ per document for cosine (0 for a zero vector). A call on another ISA path, whose
// kernel has another strip width, repacks each tile from it; either way the scores are those of
// topk_f32 on the rows themselves, bit for bit.
struct F32Matrix {
  size_t n = 0, dim = 0, nr = 0;
  AlignedArray<float> packed;     // ceil(n / nr) × dim × nr
  AlignedArray<float> inv_norms;  // n
  size_t bytes() const { return (packed.size() + inv_norms.size()) * sizeof(float); }
};

// Packs an n×dim row-major float32 matrix for the kernel of `isa` (must be supported by the CPU);
// `threads` ≥ 1 share the work.
F32Matrix make_f32_matrix(const float* docs, size_t n, size_t dim, Isa isa, int threads);

// Document j as stored, into out[0..dim).
void f32_matrix_row(const F32Matrix& m, size_t j, float* out);

// topk_f32 over packed documents: the same results as over the rows they were packed from.
void topk_f32(const float* queries, size_t m, const F32Matrix& docs, const TopKParams& params, int32_t* ids,
              float* scores);

// The same over a bf16 document matrix. Queries are rounded to bf16 too on the avx512-bf16 path
// (VDPBF16PS multiplies bf16 pairs); the other paths widen the documents and keep queries in float32.
void topk_bf16(const float* queries, size_t m, const Bf16Matrix& docs, const TopKParams& params, int32_t* ids,
               float* scores);

}  // namespace xmr
