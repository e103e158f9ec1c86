// The image tower's weights, initialisation, forward and analytic backward (formulas in image_tower.h).
#include "xmr/image_tower.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "xmr/dual_encoder.h"
#include "xmr/parallel.h"
#include "xmr/splitmix.h"

namespace xmr {

namespace {

// Images per gradient chunk: the unit of the fixed-order reduction (independent of the thread count).
constexpr size_t kChunk = 8;

float gelu(float z) { return 0.5f * z * (1.0f + std::erf(z * 0.70710678118654752f)); }

// GELU′(z) = Φ(z) + z·φ(z), φ(z) = exp(−z²/2)/√(2π).
float gelu_grad(float z) {
  return 0.5f * (1.0f + std::erf(z * 0.70710678118654752f)) + z * 0.39894228040143268f * std::exp(-0.5f * z * z);
}

// One image's activations: patches X (N×K), pre-activations Z (N×h), pooled m (h), projected u (d).
struct Activations {
  std::vector<float> X, Z, m, u;
  float norm = 0;
};

}  // namespace

size_t ImageTower::count_params(const ImageTowerShape& s) {
  if (s.patch == 0) throw std::invalid_argument("patch must be ≥ 1");
  if (s.height == 0 || s.height % s.patch != 0)
    throw std::invalid_argument("height must be a positive multiple of patch (" + std::to_string(s.patch) + "), got " +
                                std::to_string(s.height));
  if (s.width == 0 || s.width % s.patch != 0)
    throw std::invalid_argument("width must be a positive multiple of patch (" + std::to_string(s.patch) + "), got " +
                                std::to_string(s.width));
  if (s.hidden == 0 || s.hidden > 65536) throw std::invalid_argument("hidden must be in [1, 65536]");
  if (s.out_dim == 0 || s.out_dim > 65536) throw std::invalid_argument("outDim must be in [1, 65536]");
  if (s.height > 65536 || s.width > 65536) throw std::invalid_argument("height and width must be ≤ 65536");
  // Each factor is < 2^32 and h ≤ 2^16, so no product below overflows 64 bits.
  const size_t N = (s.height / s.patch) * (s.width / s.patch), K = 3 * s.patch * s.patch;
  const size_t total = s.hidden * (K + 1 + N + s.out_dim);
  if (total > (size_t(1) << 31)) throw std::invalid_argument("the image tower is too large (more than 2^31 parameters)");
  return total;
}

ImageTower::ImageTower(const ImageTowerShape& s) : shape_(s) {
  const size_t total = count_params(s);
  patches_ = (s.height / s.patch) * (s.width / s.patch);
  patch_len_ = 3 * s.patch * s.patch;
  const size_t h = s.hidden;
  off_b_ = h * patch_len_;
  off_pos_ = off_b_ + h;
  off_w_ = off_pos_ + patches_ * h;
  params_.assign(total, 0.0f);
}

void ImageTower::init(uint64_t seed) {
  SplitMix64 rng(seed);
  const size_t h = shape_.hidden;
  const double sa = 1.0 / std::sqrt(static_cast<double>(patch_len_)), sw = 1.0 / std::sqrt(static_cast<double>(h));
  for (size_t i = 0; i < off_b_; ++i) params_[i] = static_cast<float>(rng.normal() * sa);
  for (size_t i = off_b_; i < off_pos_; ++i) params_[i] = 0.0f;
  for (size_t i = off_pos_; i < off_w_; ++i) params_[i] = static_cast<float>(rng.normal() * 0.02);
  for (size_t i = off_w_; i < params_.size(); ++i) params_[i] = static_cast<float>(rng.normal() * sw);
}

void ImageTower::check_call(int threads, Isa isa) const {
  if (threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(isa);
}

namespace {

// The forward pass of one HWC image into act (sized on first use).
void forward_one(const ImageTower& t, const detail::VecOps& ops, const float* img, Activations* act) {
  const auto& s = t.shape();
  const size_t P = s.patch, h = s.hidden, d = s.out_dim, K = t.patch_floats(), N = t.patches();
  const size_t cols = s.width / P;
  act->X.resize(N * K);
  act->Z.resize(N * h);
  act->m.assign(h, 0.0f);
  act->u.resize(d);
  const float* A = t.params();
  const float* b = A + t.offset_bias();
  const float* pos = A + t.offset_pos();
  const float* W = A + t.offset_proj();
  for (size_t n = 0; n < N; ++n) {
    const size_t py = n / cols, px = n % cols;
    float* x = act->X.data() + n * K;
    for (size_t dy = 0; dy < P; ++dy) {
      const float* row = img + ((py * P + dy) * s.width + px * P) * 3;
      std::copy(row, row + 3 * P, x + dy * 3 * P);
    }
    float* z = act->Z.data() + n * h;
    for (size_t j = 0; j < h; ++j) {
      z[j] = ops.dot(A + j * K, x, K) + b[j] + pos[n * h + j];
      act->m[j] += gelu(z[j]);
    }
  }
  const float inv_n = 1.0f / static_cast<float>(N);
  for (auto& v : act->m) v *= inv_n;
  for (size_t r = 0; r < d; ++r) act->u[r] = ops.dot(W + r * h, act->m.data(), h);
  act->norm = std::sqrt(ops.dot(act->u.data(), act->u.data(), d));
}

}  // namespace

void ImageTower::encode(const float* images, size_t count, float* out, int threads, Isa isa) const {
  check_call(threads, isa);
  const auto& ops = detail::vec_ops(isa);
  const size_t d = shape_.out_dim, px = pixels_per_image();
  const int tasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(count / 4, 1)));
  parallel_tasks(tasks, [&](int t) {
    size_t i0, i1;
    split_range(count, tasks, t, 1, &i0, &i1);
    Activations act;
    for (size_t i = i0; i < i1; ++i) {
      forward_one(*this, ops, images + i * px, &act);
      const float inv = act.norm > 0 ? 1.0f / act.norm : 0.0f;
      for (size_t r = 0; r < d; ++r) out[i * d + r] = act.u[r] * inv;
    }
  });
}

void ImageTower::backward(const float* images, size_t count, const float* grad_out, float* grad, int threads,
                          Isa isa) const {
  check_call(threads, isa);
  const auto& ops = detail::vec_ops(isa);
  const size_t h = shape_.hidden, d = shape_.out_dim, K = patch_len_, N = patches_, px = pixels_per_image();
  const size_t P = params_.size();
  const size_t chunks = (count + kChunk - 1) / kChunk;
  std::vector<float> partial(chunks * P, 0.0f);
  const float* W = params_.data() + off_w_;
  const int tasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(chunks, 1)));
  parallel_tasks(tasks, [&](int t) {
    size_t c0, c1;
    split_range(chunks, tasks, t, 1, &c0, &c1);
    Activations act;
    std::vector<float> gu(d), gm(h), gz(h);
    for (size_t c = c0; c < c1; ++c) {
      float* g = partial.data() + c * P;
      float* gA = g;
      float* gb = g + off_b_;
      float* gpos = g + off_pos_;
      float* gW = g + off_w_;
      for (size_t i = c * kChunk; i < std::min(count, (c + 1) * kChunk); ++i) {
        forward_one(*this, ops, images + i * px, &act);
        if (!(act.norm > 0)) continue;  // e = 0 is constant in a neighbourhood only at u = 0: no gradient
        const float* ge = grad_out + i * d;
        const float inv = 1.0f / act.norm;
        float eg = 0;
        for (size_t r = 0; r < d; ++r) eg += act.u[r] * inv * ge[r];
        std::fill(gm.begin(), gm.end(), 0.0f);
        for (size_t r = 0; r < d; ++r) {
          gu[r] = (ge[r] - act.u[r] * inv * eg) * inv;
          ops.axpy(gu[r], act.m.data(), gW + r * h, h);
          ops.axpy(gu[r], W + r * h, gm.data(), h);
        }
        const float inv_n = 1.0f / static_cast<float>(N);
        for (size_t n = 0; n < N; ++n) {
          const float* z = act.Z.data() + n * h;
          for (size_t j = 0; j < h; ++j) gz[j] = gm[j] * inv_n * gelu_grad(z[j]);
          ops.axpy(1.0f, gz.data(), gb, h);
          ops.axpy(1.0f, gz.data(), gpos + n * h, h);
          const float* x = act.X.data() + n * K;
          for (size_t j = 0; j < h; ++j) ops.axpy(gz[j], x, gA + j * K, K);
        }
      }
    }
  });
  // Chunks summed in index order, split by parameter range across the team.
  const int rtasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(P / 4096, 1)));
  parallel_tasks(rtasks, [&](int t) {
    size_t p0, p1;
    split_range(P, rtasks, t, 16, &p0, &p1);
    std::fill(grad + p0, grad + p1, 0.0f);
    for (size_t c = 0; c < chunks; ++c) ops.axpy(1.0f, partial.data() + c * P + p0, grad + p0, p1 - p0);
  });
}

}  // namespace xmr
