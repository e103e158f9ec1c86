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

// The same over a bf16 document matrix. Queries are rounded to bf16 too on the avx512-bf16 path
// (VDPBF16PS multiplies bf16 pairs); the other paths widen the documents and keep queries in float32.
void topk_bf16(const float* queries, size_t m, const Bf16Matrix& docs, const TopKParams& params, int32_t* ids,
               float* scores);

}  // namespace xmr
