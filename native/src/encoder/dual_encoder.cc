// The dual encoder's weights, initialisation and batch encoding (formulas in dual_encoder.h).
#include "xmr/dual_encoder.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "xmr/parallel.h"
#include "xmr/splitmix.h"

namespace xmr {

namespace detail {
const VecOps& vec_ops(Isa isa) {
  switch (isa) {
    case Isa::Avx512Bf16:
    case Isa::Avx512: return vec_ops_avx512();
    case Isa::Avx2: return vec_ops_avx2();
    case Isa::Scalar: break;
  }
  return vec_ops_scalar();
}
}  // namespace detail

void check_pool(const SequencePool& pool, size_t vocab) {
  if (pool.count > 0 && pool.offsets == nullptr) throw std::invalid_argument("offsets are missing");
  uint32_t prev = pool.count > 0 ? pool.offsets[0] : 0;
  for (size_t i = 1; i <= pool.count; ++i) {
    const uint32_t o = pool.offsets[i];
    if (o < prev)
      throw std::invalid_argument("offsets must not decrease: offsets[" + std::to_string(i) + "] = " + std::to_string(o) +
                                  " < offsets[" + std::to_string(i - 1) + "] = " + std::to_string(prev));
    prev = o;
  }
  if (pool.count > 0 && pool.offsets[pool.count] > pool.ids_len)
    throw std::invalid_argument("offsets[" + std::to_string(pool.count) + "] = " + std::to_string(pool.offsets[pool.count]) +
                                " is past the end of ids (length " + std::to_string(pool.ids_len) + ")");
  const size_t begin = pool.count > 0 ? pool.offsets[0] : 0, end = pool.count > 0 ? pool.offsets[pool.count] : 0;
  for (size_t t = begin; t < end; ++t) {
    const int32_t id = pool.ids[t];
    if (id < 0 || static_cast<size_t>(id) >= vocab)
      throw std::invalid_argument("ids[" + std::to_string(t) + "] = " + std::to_string(id) + " is outside the vocabulary [0, " +
                                  std::to_string(vocab) + ")");
  }
}

DualEncoder::DualEncoder(size_t vocab, size_t dim, size_t out_dim)
    : vocab_(vocab), dim_(dim), proj_dim_(out_dim) {
  if (vocab == 0) throw std::invalid_argument("vocab must be ≥ 1");
  if (dim == 0) throw std::invalid_argument("dim must be ≥ 1");
  if (vocab > (size_t(1) << 31) || dim > 65536 || out_dim > 65536 || vocab * dim > (size_t(1) << 34))
    throw std::invalid_argument("the model is too large (vocab × dim must stay below 2^34 floats, dim and outDim ≤ 65536)");
  E_.assign(vocab * dim, 0.0f);
  W_.assign(out_dim * dim, 0.0f);
}

void DualEncoder::init(uint64_t seed, float init_std) {
  if (!(init_std > 0) || !std::isfinite(init_std)) throw std::invalid_argument("initStd must be a finite number > 0");
  SplitMix64 rng(seed);
  for (auto& x : E_) x = static_cast<float>(rng.normal() * init_std);
  if (proj_dim_ == 0) return;
  if (proj_dim_ == dim_) {
    for (size_t r = 0; r < proj_dim_; ++r)
      for (size_t p = 0; p < dim_; ++p) W_[r * dim_ + p] = r == p ? 1.0f : 0.0f;
  } else {
    const double s = 1.0 / std::sqrt(static_cast<double>(dim_));
    for (auto& x : W_) x = static_cast<float>(rng.normal() * s);
  }
}

void DualEncoder::encode(const SequencePool& pool, float* out, int threads, Isa isa) const {
  if (threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(isa);
  check_pool(pool, vocab_);
  const auto& ops = detail::vec_ops(isa);
  const size_t d = dim_, dp = out_dim();
  const int tasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(pool.count / 64, 1)));
  parallel_tasks(tasks, [&](int t) {
    size_t s0, s1;
    split_range(pool.count, tasks, t, 1, &s0, &s1);
    std::vector<float> m(d);
    for (size_t s = s0; s < s1; ++s) {
      float* e = out + s * dp;
      const uint32_t a = pool.offsets[s], b = pool.offsets[s + 1];
      std::fill(m.begin(), m.end(), 0.0f);
      for (uint32_t k = a; k < b; ++k) ops.axpy(1.0f, E_.data() + static_cast<size_t>(pool.ids[k]) * d, m.data(), d);
      const float inv_len = b > a ? 1.0f / static_cast<float>(b - a) : 0.0f;
      for (auto& x : m) x *= inv_len;
      if (proj_dim_ != 0) {
        for (size_t r = 0; r < dp; ++r) e[r] = ops.dot(W_.data() + r * d, m.data(), d);
      } else {
        std::copy(m.begin(), m.end(), e);
      }
      const float nrm = std::sqrt(ops.dot(e, e, dp));
      const float inv = nrm > 0 ? 1.0f / nrm : 0.0f;
      for (size_t r = 0; r < dp; ++r) e[r] *= inv;
    }
  });
}

}  // namespace xmr
