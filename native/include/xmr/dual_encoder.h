// The dual encoder: a bag-of-subwords sentence encoder shared by queries and documents (Siamese).
//
//   m(x) = (1/|x|) Σ_{t∈x} E[x_t]          masked mean pooling over the sequence's real tokens
//   u(x) = W·m(x)   (or u = m without a projection)
//   e(x) = u / ‖u‖₂                         L2 normalisation (e = 0 when u = 0)
//   score(q, d) = e(q)·e(d)                 cosine; training divides by a temperature τ
//
// E ∈ R^{V×d} (row-major, one row per vocabulary id), W ∈ R^{d'×d} (row-major: u_r = Σ_p W[r][p]·m_p).
// Sequences are ragged: ids is one flat array, sequence i is ids[offsets[i] .. offsets[i+1]);
// no padding, so there is no mask to carry. An empty sequence encodes to the zero vector.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "xmr/cpu.h"

namespace xmr {

// A ragged batch of token-id sequences (borrowed memory).
struct SequencePool {
  const int32_t* ids = nullptr;
  size_t ids_len = 0;
  const uint32_t* offsets = nullptr;  // count + 1 entries, non-decreasing, offsets[count] ≤ ids_len
  size_t count = 0;                   // number of sequences
};

// Throws std::invalid_argument naming the first fault: offsets decreasing or past ids_len, or an
// id outside [0, vocab). O(ids_len); every entry point that takes a pool calls it first.
void check_pool(const SequencePool& pool, size_t vocab);

class DualEncoder {
 public:
  // out_dim = 0: no projection (the output has dim coordinates). Weights start at zero; call init.
  DualEncoder(size_t vocab, size_t dim, size_t out_dim);

  // E ~ N(0, σ²) with σ = init_std; W = I when square, else N(0, 1/d). Deterministic in seed.
  void init(uint64_t seed, float init_std);

  size_t vocab() const { return vocab_; }
  size_t dim() const { return dim_; }
  bool has_projection() const { return proj_dim_ != 0; }
  size_t out_dim() const { return proj_dim_ == 0 ? dim_ : proj_dim_; }
  size_t proj_dim() const { return proj_dim_; }  // 0 without a projection

  float* embeddings() { return E_.data(); }
  const float* embeddings() const { return E_.data(); }
  float* projection() { return W_.data(); }  // null without a projection
  const float* projection() const { return W_.data(); }
  size_t embedding_floats() const { return E_.size(); }
  size_t projection_floats() const { return W_.size(); }

  // Encodes the pool's sequences into out (count × out_dim, row-major); checks the pool first.
  void encode(const SequencePool& pool, float* out, int threads, Isa isa) const;

 private:
  size_t vocab_, dim_, proj_dim_;
  std::vector<float> E_, W_;
};

namespace detail {

// The vector loops of the encoder and trainer, one implementation per ISA (dual_encoder_<isa>.cc).
struct AdamCoeffs {
  float beta1, beta2;
  float lr;         // learning rate
  float inv_bc1;    // 1/(1 − β₁ᵗ)
  float inv_bc2;    // 1/(1 − β₂ᵗ)
  float eps;
  float decay;      // AdamW: 1 − lr·λ_wd (1 for Adam)
};

struct VecOps {
  float (*dot)(const float* a, const float* b, size_t n);
  void (*axpy)(float a, const float* x, float* y, size_t n);  // y += a·x
  // Adam (Kingma & Ba 2015) on n parameters, decoupled decay (Loshchilov & Hutter 2019):
  //   p ← decay·p;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  p ← p − lr·(m/bc₁)/(√(v/bc₂) + ε)
  void (*adam)(float* p, const float* g, float* m, float* v, size_t n, const AdamCoeffs& c);
};

const VecOps& vec_ops(Isa isa);
const VecOps& vec_ops_scalar();
const VecOps& vec_ops_avx2();
const VecOps& vec_ops_avx512();

}  // namespace detail
}  // namespace xmr
