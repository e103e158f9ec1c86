// The trainer's step: forward, InfoNCE, analytic backward, adversarial passes, lazy sparse Adam.
// Formulas and sources are in trainer.h; this file adds the backward pass:
//
//   G = ∂L/∂S:  G_ij = c·(softmax_j(S_i·)_j − [i = j])/B  (+ ½·(softmax_i(S_·j)_i − [i = j])/B if symmetric),
//               c = 1, or ½ when symmetric
//   ∂L/∂e(qᵢ) = (1/τ)·Σ_j G_ij e(D_j);   ∂L/∂e(D_j) = (1/τ)·Σᵢ G_ij e(qᵢ)
//   e = u/‖u‖:  ∂L/∂u = (g_e − e·(e·g_e))/‖u‖     (the Jacobian (I − eeᵀ)/‖u‖)
//   u = W·m:    ∂L/∂W += ∂L/∂u ⊗ m;  ∂L/∂m = Wᵀ·∂L/∂u
//   m = mean:   ∂L/∂E[id_t] += ∂L/∂m / |x| for every occurrence t of a row in the sequence
//
// One step runs on a team of threads kept for the whole call, phases separated by a barrier.
#include "xmr/trainer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

#include "xmr/parallel.h"
#include "xmr/splitmix.h"

namespace xmr {
namespace {

void range(size_t n, int tasks, int t, size_t* a, size_t* b) { split_range(n, tasks, t, 1, a, b); }

}  // namespace

void check_config(const TrainerConfig& c) {
  auto finite_pos = [](float x) { return x > 0 && std::isfinite(x); };
  if (!finite_pos(c.tau)) throw std::invalid_argument("tau must be a finite number > 0");
  if (!finite_pos(c.lr)) throw std::invalid_argument("lr must be a finite number > 0");
  if (!(c.beta1 >= 0 && c.beta1 < 1)) throw std::invalid_argument("beta1 must be in [0, 1)");
  if (!(c.beta2 >= 0 && c.beta2 < 1)) throw std::invalid_argument("beta2 must be in [0, 1)");
  if (!finite_pos(c.adam_eps)) throw std::invalid_argument("adamEps must be a finite number > 0");
  if (!(c.weight_decay >= 0) || !std::isfinite(c.weight_decay) || c.lr * c.weight_decay >= 1)
    throw std::invalid_argument("weightDecay must be ≥ 0 with lr·weightDecay < 1");
  if (!(c.eps >= 0) || !std::isfinite(c.eps)) throw std::invalid_argument("eps must be a finite number ≥ 0");
  if (!std::isfinite(c.lambda) || c.lambda < 0) throw std::invalid_argument("lambda must be a finite number ≥ 0");
  if (c.pgd_steps < 1 || c.pgd_steps > 1000) throw std::invalid_argument("pgdSteps must be an integer in [1, 1000]");
  if (!(c.pgd_alpha >= 0) || !std::isfinite(c.pgd_alpha)) throw std::invalid_argument("pgdAlpha must be a finite number ≥ 0");
  if (c.threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(c.isa);
}

// Per-call buffers of a step (reused across steps and calls).
struct Trainer::Work {
  size_t B = 0, N = 0, S = 0;
  size_t T = 0;                     // text sequences: S, or B when the candidates are images
  std::vector<int32_t> seq;         // T pool indices: queries, positives, negatives
  std::vector<float> inv_len;       // T: 1/|x| (0 for an empty sequence)
  std::vector<uint32_t> len;        // T
  std::vector<float> m, mt, delta;  // T×d: pooled means, m + δ, δ
  std::vector<float> e;             // S×d': encodings (images: rows B .. 2B)
  std::vector<float> unorm;         // S: ‖u‖
  std::vector<float> gu, gm;        // S×d', T×d: gradients of the current pass
  std::vector<float> gm_total;      // T×d: Σ weight·∂L/∂m over the passes that count
  std::vector<float> pix;           // B×H×W×3: the batch's images (image tower trained from pixels)
  std::vector<float> gimg;          // B×d': Σ weight·∂L/∂e(image) over the passes that count
  std::vector<float> logits, G;     // B×N
  std::vector<double> row_loss, col_loss;
  std::vector<float> gW_total;      // d'×d
  std::vector<int32_t> slot_of;     // V: slot of a row touched in this batch, −1 otherwise
  std::vector<int32_t> rows;        // U touched rows, in order of first occurrence
  std::vector<uint32_t> occ_start;  // U + 1
  std::vector<int32_t> occ_seq;     // per slot, the sequences of its occurrences in batch order
  std::vector<float> slot_norm;     // U: ‖E[row]‖
};

Trainer::Trainer(std::shared_ptr<DualEncoder> model, const TrainerConfig& config)
    : model_(std::move(model)), config_(config), work_(std::make_unique<Work>()) {
  if (!model_) throw std::invalid_argument("model is missing");
  check_config(config_);
  mE_.assign(model_->embedding_floats(), 0.0f);
  vE_.assign(model_->embedding_floats(), 0.0f);
  mW_.assign(model_->projection_floats(), 0.0f);
  vW_.assign(model_->projection_floats(), 0.0f);
  work_->slot_of.assign(model_->vocab(), -1);
}

Trainer::~Trainer() = default;

namespace {

enum class Mode { Train, Gradient };

// Adam's coefficients at step t (bias corrections 1/(1 − βᵗ), AdamW's decay factor).
detail::AdamCoeffs adam_coeffs(const TrainerConfig& cfg, uint64_t step_no) {
  detail::AdamCoeffs c{};
  const double tt = static_cast<double>(step_no);
  c.beta1 = cfg.beta1;
  c.beta2 = cfg.beta2;
  c.lr = cfg.lr;
  c.inv_bc1 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(cfg.beta1), tt)));
  c.inv_bc2 = static_cast<float>(1.0 / (1.0 - std::pow(static_cast<double>(cfg.beta2), tt)));
  c.eps = cfg.adam_eps;
  c.decay = 1.0f - cfg.lr * cfg.weight_decay;
  return c;
}

// Everything one call (train or loss_and_gradient) shares between its threads.
struct StepRunner {
  Trainer& tr;
  DualEncoder& model;
  const TrainerConfig& cfg;
  Trainer::Work& w;
  const detail::VecOps& ops;
  const SequencePool& pool;
  int tasks;
  SpinBarrier barrier;
  Mode mode;
  const float* fixed_delta = nullptr;  // Gradient mode: evaluate L(x + δ) for this δ only
  float* out_gE = nullptr;             // Gradient mode: dense outputs
  float* out_gW = nullptr;
  bool want_delta = false;             // adversarial_delta(): stop after computing δ
  std::vector<float>* delta_out = nullptr;
  const ImageSource* images = nullptr;  // candidates are these images (BatchIndex::d indexes them)
  const ImageTower* tower = nullptr;    // encodes images->pixels
  // per-step values written by thread 0
  double pass_loss = 0;
  float eps_abs = 0, alpha_abs = 0, mean_norm = 0;
  uint64_t step_no = 0;

  StepRunner(Trainer& t, Trainer::Work& work, const SequencePool& p, Mode md)
      : tr(t), model(t.model()), cfg(t.config()), w(work), ops(detail::vec_ops(t.config().isa)), pool(p),
        tasks(t.config().threads), barrier(t.config().threads), mode(md) {}

  size_t d() const { return model.dim(); }
  size_t dp() const { return model.out_dim(); }
  bool adv() const { return cfg.adv != AdvMode::None; }
  bool perturbed(size_t s) const { return s < w.B ? cfg.adv_queries : cfg.adv_docs; }

  // Thread 0: lays out the batch and its touched rows.
  void setup(const BatchIndex& b) {
    const size_t d = this->d(), dp = this->dp();
    w.B = b.batch;
    w.N = b.neg ? 2 * b.batch : b.batch;
    w.S = w.B + w.N;
    w.T = images ? w.B : w.S;
    w.seq.resize(w.T);
    for (size_t i = 0; i < w.B; ++i) {
      w.seq[i] = b.q[i];
      if (images) continue;
      w.seq[w.B + i] = b.d[i];
      if (b.neg) w.seq[2 * w.B + i] = b.neg[i];
    }
    w.len.resize(w.T);
    w.inv_len.resize(w.T);
    for (size_t s = 0; s < w.T; ++s) {
      const size_t p = static_cast<size_t>(w.seq[s]);
      w.len[s] = pool.offsets[p + 1] - pool.offsets[p];
      w.inv_len[s] = w.len[s] > 0 ? 1.0f / static_cast<float>(w.len[s]) : 0.0f;
    }
    w.m.resize(w.T * d);
    w.mt.resize(w.T * d);
    w.delta.assign(w.T * d, 0.0f);
    w.e.resize(w.S * dp);
    w.unorm.resize(w.S);
    w.gu.resize(w.S * dp);
    w.gm.resize(w.T * d);
    w.gm_total.assign(w.T * d, 0.0f);
    if (images) {
      w.gimg.assign(w.B * dp, 0.0f);
      if (tower) {
        const size_t px = tower->pixels_per_image();
        w.pix.resize(w.B * px);
        for (size_t i = 0; i < w.B; ++i)
          std::memcpy(w.pix.data() + i * px, images->pixels + static_cast<size_t>(b.d[i]) * px, px * sizeof(float));
      } else {
        for (size_t i = 0; i < w.B; ++i)
          std::memcpy(w.e.data() + (w.B + i) * dp, images->embeddings + static_cast<size_t>(b.d[i]) * dp, dp * sizeof(float));
      }
    }
    w.logits.resize(w.B * w.N);
    w.G.resize(w.B * w.N);
    w.row_loss.resize(w.B);
    w.col_loss.resize(w.B);
    w.gW_total.assign(model.projection_floats(), 0.0f);
    // Touched rows: slots in order of first occurrence, then occurrences grouped by slot (a
    // counting sort that keeps batch order within a slot, so every sum has a fixed order).
    w.rows.clear();
    std::vector<uint32_t> counts;
    for (size_t s = 0; s < w.T; ++s) {
      const size_t p = static_cast<size_t>(w.seq[s]);
      for (uint32_t k = pool.offsets[p]; k < pool.offsets[p + 1]; ++k) {
        const int32_t id = pool.ids[k];
        int32_t& slot = w.slot_of[static_cast<size_t>(id)];
        if (slot < 0) {
          slot = static_cast<int32_t>(w.rows.size());
          w.rows.push_back(id);
          counts.push_back(0);
        }
        ++counts[static_cast<size_t>(slot)];
      }
    }
    const size_t U = w.rows.size();
    w.occ_start.assign(U + 1, 0);
    for (size_t u = 0; u < U; ++u) w.occ_start[u + 1] = w.occ_start[u] + counts[u];
    w.occ_seq.resize(w.occ_start[U]);
    std::vector<uint32_t> fill(w.occ_start.begin(), w.occ_start.end() - 1);
    for (size_t s = 0; s < w.T; ++s) {
      const size_t p = static_cast<size_t>(w.seq[s]);
      for (uint32_t k = pool.offsets[p]; k < pool.offsets[p + 1]; ++k)
        w.occ_seq[fill[static_cast<size_t>(w.slot_of[static_cast<size_t>(pool.ids[k])])]++] = static_cast<int32_t>(s);
    }
    w.slot_norm.resize(U);
  }

  void teardown() {
    for (int32_t r : w.rows) w.slot_of[static_cast<size_t>(r)] = -1;
  }

  // m_s = mean of the sequence's rows of E; and the norm of each touched row (for relative ε).
  void gather(int t) {
    const size_t d = this->d();
    const float* E = model.embeddings();
    size_t a, b;
    if (tower) {
      // The batch's images through the tower (one thread each: the team is already running).
      range(w.B, tasks, t, &a, &b);
      if (b > a)
        tower->encode(w.pix.data() + a * tower->pixels_per_image(), b - a, w.e.data() + (w.B + a) * dp(), 1, cfg.isa);
    }
    range(w.T, tasks, t, &a, &b);
    for (size_t s = a; s < b; ++s) {
      float* m = w.m.data() + s * d;
      std::fill(m, m + d, 0.0f);
      const size_t p = static_cast<size_t>(w.seq[s]);
      for (uint32_t k = pool.offsets[p]; k < pool.offsets[p + 1]; ++k)
        ops.axpy(1.0f, E + static_cast<size_t>(pool.ids[k]) * d, m, d);
      const float il = w.inv_len[s];
      for (size_t i = 0; i < d; ++i) m[i] *= il;
    }
    if (adv() && cfg.eps_relative) {
      range(w.rows.size(), tasks, t, &a, &b);
      for (size_t u = a; u < b; ++u) {
        const float* row = E + static_cast<size_t>(w.rows[u]) * d;
        w.slot_norm[u] = std::sqrt(ops.dot(row, row, d));
      }
    }
  }

  // Thread 0: r and the absolute ε, α of this step.
  void set_eps() {
    const AdvMode a = cfg.adv;
    const bool linf = a == AdvMode::Fgsm || (a == AdvMode::Pgd && cfg.pgd_norm == PerturbNorm::Linf);
    double r = 0;
    if (cfg.eps_relative) {
      double sum = 0;
      for (size_t u = 0; u < w.rows.size(); ++u) sum += static_cast<double>(w.slot_norm[u]) * (w.occ_start[u + 1] - w.occ_start[u]);
      r = w.occ_seq.empty() ? 0.0 : sum / static_cast<double>(w.occ_seq.size());
    }
    mean_norm = static_cast<float>(r);
    const double scale = cfg.eps_relative ? (linf ? r / std::sqrt(static_cast<double>(d())) : r) : 1.0;
    eps_abs = static_cast<float>(cfg.eps * scale);
    const double alpha = cfg.pgd_alpha > 0 ? cfg.pgd_alpha * scale : 2.5 * cfg.eps * scale / cfg.pgd_steps;
    alpha_abs = static_cast<float>(alpha);
  }

  // One forward/backward pass at in = m (clean) or mt = m + δ. Fills gm; when weight ≠ 0 adds
  // weight·∂L/∂m into gm_total and weight·∂L/∂W into gW_total. Thread 0 sets pass_loss.
  void pass(int t, const float* in, float weight) {
    const size_t d = this->d(), dp = this->dp(), B = w.B, N = w.N, S = w.S;
    const bool proj = model.has_projection();
    const float* W = model.projection();
    const float inv_tau = 1.0f / cfg.tau;
    size_t a, b;
    // P1: e_s = normalize(W·in_s) for the text sequences (image encodings are set by gather)
    range(w.T, tasks, t, &a, &b);
    for (size_t s = a; s < b; ++s) {
      const float* x = in + s * d;
      float* e = w.e.data() + s * dp;
      if (proj) {
        for (size_t r = 0; r < dp; ++r) e[r] = ops.dot(W + r * d, x, d);
      } else {
        std::memcpy(e, x, d * sizeof(float));
      }
      const float nrm = std::sqrt(ops.dot(e, e, dp));
      w.unorm[s] = nrm;
      const float inv = nrm > 0 ? 1.0f / nrm : 0.0f;
      for (size_t r = 0; r < dp; ++r) e[r] *= inv;
    }
    barrier.wait();
    // P2: logits, row softmax, G rows, per-row loss (log-sum-exp in double)
    const float c = cfg.symmetric ? 0.5f : 1.0f;
    const float invB = 1.0f / static_cast<float>(B);
    range(B, tasks, t, &a, &b);
    for (size_t i = a; i < b; ++i) {
      float* S_i = w.logits.data() + i * N;
      float* G_i = w.G.data() + i * N;
      const float* q = w.e.data() + i * dp;
      float mx = -std::numeric_limits<float>::infinity();
      for (size_t j = 0; j < N; ++j) {
        S_i[j] = ops.dot(q, w.e.data() + (B + j) * dp, dp) * inv_tau;
        mx = std::max(mx, S_i[j]);
      }
      double z = 0;
      for (size_t j = 0; j < N; ++j) z += std::exp(static_cast<double>(S_i[j] - mx));
      const double lse = mx + std::log(z);
      w.row_loss[i] = lse - S_i[i];
      for (size_t j = 0; j < N; ++j)
        G_i[j] = c * invB * (static_cast<float>(std::exp(static_cast<double>(S_i[j]) - lse)) - (i == j ? 1.0f : 0.0f));
    }
    barrier.wait();
    if (cfg.symmetric) {
      // P3: column softmax over the queries, for the B positive columns
      range(B, tasks, t, &a, &b);
      for (size_t j = a; j < b; ++j) {
        float mx = -std::numeric_limits<float>::infinity();
        for (size_t i = 0; i < B; ++i) mx = std::max(mx, w.logits[i * N + j]);
        double z = 0;
        for (size_t i = 0; i < B; ++i) z += std::exp(static_cast<double>(w.logits[i * N + j] - mx));
        const double lse = mx + std::log(z);
        w.col_loss[j] = lse - w.logits[j * N + j];
        for (size_t i = 0; i < B; ++i)
          w.G[i * N + j] += 0.5f * invB *
                            (static_cast<float>(std::exp(static_cast<double>(w.logits[i * N + j]) - lse)) - (i == j ? 1.0f : 0.0f));
      }
      barrier.wait();
    }
    if (t == 0) {
      double lq = 0, ld = 0;
      for (size_t i = 0; i < B; ++i) lq += w.row_loss[i];
      if (cfg.symmetric)
        for (size_t j = 0; j < B; ++j) ld += w.col_loss[j];
      pass_loss = cfg.symmetric ? 0.5 * (lq + ld) / static_cast<double>(B) : lq / static_cast<double>(B);
    }
    // P4: ∂L/∂e, ∂L/∂u, ∂L/∂m per sequence
    range(S, tasks, t, &a, &b);
    std::vector<float> ge(dp);
    for (size_t s = a; s < b; ++s) {
      std::fill(ge.begin(), ge.end(), 0.0f);
      if (s < B) {
        const float* G_i = w.G.data() + s * N;
        for (size_t j = 0; j < N; ++j)
          if (G_i[j] != 0.0f) ops.axpy(G_i[j] * inv_tau, w.e.data() + (B + j) * dp, ge.data(), dp);
      } else {
        const size_t j = s - B;
        for (size_t i = 0; i < B; ++i) {
          const float g = w.G[i * N + j];
          if (g != 0.0f) ops.axpy(g * inv_tau, w.e.data() + i * dp, ge.data(), dp);
        }
      }
      if (images && s >= B) {
        // s is image s − B: its gradient goes to the image tower after the step (none when locked).
        if (tower && weight != 0.0f) ops.axpy(weight, ge.data(), w.gimg.data() + (s - B) * dp, dp);
        continue;
      }
      const float* e = w.e.data() + s * dp;
      float* gu = w.gu.data() + s * dp;
      const float nrm = w.unorm[s];
      if (nrm > 0) {
        const float proj_e = ops.dot(e, ge.data(), dp);
        const float inv = 1.0f / nrm;
        for (size_t r = 0; r < dp; ++r) gu[r] = (ge[r] - e[r] * proj_e) * inv;
      } else {
        std::fill(gu, gu + dp, 0.0f);
      }
      float* gm = w.gm.data() + s * d;
      if (proj) {
        std::fill(gm, gm + d, 0.0f);
        for (size_t r = 0; r < dp; ++r)
          if (gu[r] != 0.0f) ops.axpy(gu[r], W + r * d, gm, d);
      } else {
        std::memcpy(gm, gu, d * sizeof(float));
      }
      if (weight != 0.0f) ops.axpy(weight, gm, w.gm_total.data() + s * d, d);
    }
    barrier.wait();
    if (proj && weight != 0.0f) {
      // P5: ∂L/∂W[r][:] += weight·Σ_s gu_s[r]·in_s, by rows of W
      range(dp, tasks, t, &a, &b);
      for (size_t r = a; r < b; ++r) {
        float* gw = w.gW_total.data() + r * d;
        for (size_t s = 0; s < w.T; ++s) {
          const float g = w.gu[s * dp + r];
          if (g != 0.0f) ops.axpy(weight * g, in + s * d, gw, d);
        }
      }
      barrier.wait();
    }
  }

  PerturbParams pparams(float eps, PerturbNorm norm) const {
    PerturbParams p;
    p.eps = eps;
    p.norm = norm;
    p.group_size = d();
    p.threads = 1;
    p.isa = cfg.isa;
    return p;
  }

  // Per-sequence radius at the pooled level: ε for linf; ε/√|x| for the whole-sequence L2 ball.
  float pooled(float eps, size_t s, PerturbNorm norm) const {
    return norm == PerturbNorm::L2 ? eps * std::sqrt(w.inv_len[s]) : eps;
  }

  // δ_s from the current gm (FGSM / L2), then mt = m + δ.
  void one_shot_delta(int t) {
    const size_t d = this->d();
    const PerturbNorm norm = cfg.adv == AdvMode::L2 ? PerturbNorm::L2 : PerturbNorm::Linf;
    size_t a, b;
    range(w.T, tasks, t, &a, &b);
    for (size_t s = a; s < b; ++s) {
      float* delta = w.delta.data() + s * d;
      if (perturbed(s) && w.len[s] > 0) perturb(nullptr, w.gm.data() + s * d, d, pparams(pooled(eps_abs, s, norm), norm), delta);
      else std::fill(delta, delta + d, 0.0f);
      for (size_t i = 0; i < d; ++i) w.mt[s * d + i] = w.m[s * d + i] + delta[i];
    }
    barrier.wait();
  }

  // PGD: random start (uniform in the cube of radius ε, projected onto the ball), or one ascent
  // step δ ← Π(δ + α·step(gm)); then mt = m + δ.
  void pgd_delta(int t, bool start) {
    const size_t d = this->d();
    const PerturbNorm norm = cfg.pgd_norm;
    size_t a, b;
    range(w.T, tasks, t, &a, &b);
    for (size_t s = a; s < b; ++s) {
      float* delta = w.delta.data() + s * d;
      if (perturbed(s) && w.len[s] > 0) {
        const float eps_s = pooled(eps_abs, s, norm);
        if (start) {
          SplitMix64 rng(cfg.seed ^ mix64(step_no + 0x51ed270b27ULL) ^ mix64(static_cast<uint64_t>(s) + 0x2545f4914f6cdd1dULL));
          for (size_t i = 0; i < d; ++i) delta[i] = static_cast<float>((2.0 * rng.uniform() - 1.0) * eps_s);
        } else {
          perturb(delta, w.gm.data() + s * d, d, pparams(pooled(alpha_abs, s, norm), norm), delta);
        }
        project(delta, d, pparams(eps_s, norm), delta);
      } else {
        std::fill(delta, delta + d, 0.0f);
      }
      for (size_t i = 0; i < d; ++i) w.mt[s * d + i] = w.m[s * d + i] + delta[i];
    }
    barrier.wait();
  }

  // Runs one step (all threads); only thread 0 reads the losses and writes the stats.
  void step(int t, const BatchIndex& bi, StepStats* st) {
    if (t == 0) {
      setup(bi);
      step_no = tr.step() + 1;
    }
    barrier.wait();
    gather(t);
    barrier.wait();
    if (t == 0 && adv()) set_eps();
    barrier.wait();
    double clean = 0, adv_loss = 0;
    const float lam = cfg.lambda;
    if (fixed_delta != nullptr) {
      // Gradient mode with a given δ: the objective is L(x + δ) alone.
      size_t a, b;
      range(w.T * d(), tasks, t, &a, &b);
      for (size_t i = a; i < b; ++i) w.mt[i] = w.m[i] + fixed_delta[i];
      barrier.wait();
      pass(t, w.mt.data(), 1.0f);
      if (t == 0) clean = pass_loss;
    } else {
      pass(t, w.m.data(), 1.0f);
      if (t == 0) clean = pass_loss;
      if (cfg.adv == AdvMode::Fgsm || cfg.adv == AdvMode::L2) {
        one_shot_delta(t);
        if (!want_delta) {
          pass(t, w.mt.data(), lam);
          if (t == 0) adv_loss = pass_loss;
        }
      } else if (cfg.adv == AdvMode::Pgd) {
        pgd_delta(t, true);
        const int K = cfg.pgd_steps;
        for (int k = 0; k < K; ++k) {
          if (cfg.freelb && !want_delta) {
            pass(t, w.mt.data(), lam / static_cast<float>(K));
            if (t == 0) adv_loss += pass_loss / K;
            if (k + 1 < K) pgd_delta(t, false);
          } else {
            pass(t, w.mt.data(), 0.0f);
            pgd_delta(t, false);
          }
        }
        if (!cfg.freelb && !want_delta) {
          pass(t, w.mt.data(), lam);
          if (t == 0) adv_loss = pass_loss;
        }
      }
    }
    if (want_delta) {
      if (t == 0) *delta_out = w.delta;
      barrier.wait();
      if (t == 0) teardown();
      barrier.wait();
      return;
    }
    apply(t);
    barrier.wait();
    if (t == 0) {
      if (st != nullptr) {
        st->clean_loss = static_cast<float>(clean);
        st->adv_loss = static_cast<float>(adv_loss);
        st->loss = static_cast<float>(clean + (adv() && fixed_delta == nullptr ? lam * adv_loss : 0.0));
        st->eps_abs = eps_abs;
        st->mean_norm = mean_norm;
      }
      teardown();
      if (mode == Mode::Train) tr.set_step(step_no);
    }
    barrier.wait();
  }

  // ∂L/∂E per touched row, then Adam on those rows and on W (Train) or dense outputs (Gradient).
  void apply(int t) {
    const size_t d = this->d();
    const detail::AdamCoeffs c = mode == Mode::Train ? adam_coeffs(cfg, step_no) : detail::AdamCoeffs{};
    std::vector<float> g(d);
    size_t a, b;
    range(w.rows.size(), tasks, t, &a, &b);
    float* E = model.embeddings();
    for (size_t u = a; u < b; ++u) {
      std::fill(g.begin(), g.end(), 0.0f);
      for (uint32_t k = w.occ_start[u]; k < w.occ_start[u + 1]; ++k) {
        const size_t s = static_cast<size_t>(w.occ_seq[k]);
        ops.axpy(w.inv_len[s], w.gm_total.data() + s * d, g.data(), d);
      }
      const size_t off = static_cast<size_t>(w.rows[u]) * d;
      if (mode == Mode::Train) ops.adam(E + off, g.data(), tr.mE().data() + off, tr.vE().data() + off, d, c);
      else std::memcpy(out_gE + off, g.data(), d * sizeof(float));
    }
    if (model.has_projection()) {
      const size_t dp = this->dp();
      range(dp, tasks, t, &a, &b);
      for (size_t r = a; r < b; ++r) {
        const size_t off = r * d;
        if (mode == Mode::Train)
          ops.adam(model.projection() + off, w.gW_total.data() + off, tr.mW().data() + off, tr.vW().data() + off, d, c);
        else if (out_gW != nullptr)
          std::memcpy(out_gW + off, w.gW_total.data() + off, d * sizeof(float));
      }
    }
  }
};

void check_indices(const int32_t* idx, size_t n, size_t pool_count, const char* name,
                   const char* what = "a sequence of the pool") {
  for (size_t i = 0; i < n; ++i)
    if (idx[i] < 0 || static_cast<size_t>(idx[i]) >= pool_count)
      throw std::invalid_argument(std::string(name) + "[" + std::to_string(i) + "] = " + std::to_string(idx[i]) +
                                  " is not " + what + " [0, " + std::to_string(pool_count) + ")");
}

void check_batch(const SequencePool& pool, const BatchIndex& b, size_t steps, size_t vocab) {
  if (b.batch == 0) throw std::invalid_argument("batch must be ≥ 1");
  if (b.batch > 65536) throw std::invalid_argument("batch must be ≤ 65536");
  check_pool(pool, vocab);
  const size_t n = b.batch * steps;
  check_indices(b.q, n, pool.count, "queries");
  check_indices(b.d, n, pool.count, "positives");
  if (b.neg) check_indices(b.neg, n, pool.count, "negatives");
}

}  // namespace

void Trainer::train(const SequencePool& pool, const int32_t* q, const int32_t* d, const int32_t* neg, size_t batch,
                    size_t steps, StepStats* stats) {
  BatchIndex bi{q, d, neg, batch};
  check_batch(pool, bi, steps, model_->vocab());
  if (steps == 0) return;
  StepRunner run(*this, *work_, pool, Mode::Train);
  parallel_tasks(config_.threads, [&](int t) {
    for (size_t s = 0; s < steps; ++s) {
      BatchIndex b{q + s * batch, d + s * batch, neg ? neg + s * batch : nullptr, batch};
      run.step(t, b, stats ? stats + s : nullptr);
    }
  });
}

StepStats Trainer::loss_and_gradient(const SequencePool& pool, const BatchIndex& b, const float* delta, float* gE,
                                     float* gW) {
  check_batch(pool, b, 1, model_->vocab());
  std::fill(gE, gE + model_->embedding_floats(), 0.0f);
  if (gW != nullptr) std::fill(gW, gW + model_->projection_floats(), 0.0f);
  StepRunner run(*this, *work_, pool, Mode::Gradient);
  run.fixed_delta = delta;
  run.out_gE = gE;
  run.out_gW = gW;
  StepStats st;
  parallel_tasks(config_.threads, [&](int t) { run.step(t, b, &st); });
  return st;
}

void Trainer::set_image_tower(std::shared_ptr<ImageTower> tower) {
  if (!tower) throw std::invalid_argument("the image tower is missing");
  if (tower->out_dim() != model_->out_dim())
    throw std::invalid_argument("the image tower's outDim (" + std::to_string(tower->out_dim()) +
                                ") must equal the text tower's (" + std::to_string(model_->out_dim()) + ")");
  image_ = std::move(tower);
  mI_.assign(image_->param_count(), 0.0f);
  vI_.assign(image_->param_count(), 0.0f);
}

void Trainer::train_images(const SequencePool& captions, const ImageSource& source, const int32_t* caption_idx,
                           const int32_t* image_idx, size_t batch, size_t steps, StepStats* stats) {
  if ((source.pixels == nullptr) == (source.embeddings == nullptr))
    throw std::invalid_argument("give either image pixels or image embeddings");
  if (source.pixels != nullptr && !image_) throw std::invalid_argument("training from pixels needs an image tower");
  if (config_.adv != AdvMode::None && !config_.adv_queries)
    throw std::invalid_argument("with images as candidates only the captions can be perturbed");
  BatchIndex bi{caption_idx, caption_idx, nullptr, batch};
  check_batch(captions, bi, steps, model_->vocab());
  check_indices(image_idx, batch * steps, source.count, "images", "an image of the source");
  if (steps == 0) return;
  StepRunner run(*this, *work_, captions, Mode::Train);
  run.images = &source;
  run.tower = source.pixels != nullptr ? image_.get() : nullptr;
  std::vector<float> grad(run.tower ? image_->param_count() : 0);
  const auto& ops = detail::vec_ops(config_.isa);
  for (size_t s = 0; s < steps; ++s) {
    BatchIndex b{caption_idx + s * batch, image_idx + s * batch, nullptr, batch};
    parallel_tasks(config_.threads, [&](int t) { run.step(t, b, stats ? stats + s : nullptr); });
    if (run.tower == nullptr) continue;
    // The image tower's step: its gradient from Σ weight·∂L/∂e(image), Adam at the same step count.
    image_->backward(work_->pix.data(), batch, work_->gimg.data(), grad.data(), config_.threads, config_.isa);
    ops.adam(image_->params(), grad.data(), mI_.data(), vI_.data(), grad.size(), adam_coeffs(config_, step_));
  }
}

std::vector<float> Trainer::adversarial_delta(const SequencePool& pool, const BatchIndex& b) {
  check_batch(pool, b, 1, model_->vocab());
  StepRunner run(*this, *work_, pool, Mode::Gradient);
  std::vector<float> out;
  run.want_delta = true;
  run.delta_out = &out;
  parallel_tasks(config_.threads, [&](int t) { run.step(t, b, nullptr); });
  return out;
}

}  // namespace xmr
