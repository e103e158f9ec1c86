// Contrastive training of the dual encoder (dual_encoder.h): InfoNCE with in-batch negatives,
// optional hard negatives, Adam/AdamW with lazy sparse rows for the embedding table, and
// adversarial training on the token embeddings (FGSM, L2, PGD, FreeLB).
//
// Loss (van den Oord et al. 2018, InfoNCE; in-batch negatives as in DPR, Karpukhin et al. 2020):
// a batch holds B pairs (qᵢ, dᵢ) and optionally one hard negative hᵢ per pair; candidates are
// D = [d₁ … d_B, h₁ … h_B] (N = B or 2B). With S_ij = e(qᵢ)·e(D_j)/τ,
//   L_qd = (1/B) Σᵢ [ logΣ_j exp S_ij − S_ii ]
//   L_dq = (1/B) Σ_{j<B} [ logΣᵢ exp S_ij − S_jj ]      (symmetric only; over the positives)
//   L    = L_qd, or (L_qd + L_dq)/2 when symmetric.
//
// Adversarial training (DESIGN.md "Adversarial perturbations"): the looked-up token embeddings
// x_t = E[id_t] are perturbed, x + δ, and the objective is L(x) + λ·L(x + δ) (δ held fixed, no
// gradient through it). Because the encoder mean-pools, ∂L/∂x_t = g_m/|x| is the same for every token
// of a sequence (g_m = ∂L/∂m), so the perturbation forms reduce exactly to the pooled vector m:
//   FGSM (Goodfellow et al. 2015): δ_t = ε·sign(g_m)             → mean δ = ε·sign(g_m)
//   L2 (Miyato et al. 2017), norm over the whole sequence (|x|·d floats):
//        δ_t = ε·(g_m/|x|)/‖g‖₂ with ‖g‖₂ = ‖g_m‖/√|x|          → mean δ = (ε/√|x|)·g_m/‖g_m‖
//   PGD (Madry et al. 2018): δ ← Π_ε(δ + α·step(g)) for K steps from a random start that is the
//        same for every token of a sequence; the sequence-level δ then stays token-constant (every
//        step adds a token-constant vector, and both projections keep it so), and the L2 ball
//        ‖δ‖ ≤ ε over |x| equal rows is ‖δ_t‖ ≤ ε/√|x| per row. A token-varying part of δ would
//        have no gradient and only use up the L2 budget, so nothing is lost.
//   FreeLB (Zhu et al. 2020): PGD whose K adversarial losses all count: L(x) + λ·(1/K)Σ_k L(x+δ_k),
//        parameter gradients accumulated over the K steps.
// The sign and L2 steps and the projections are computed by the perturbation kernel (perturb.h) on
// the pooled gradients; native/test/trainer_test.cc checks this against the token-level form.
//
// ε: absolute, or relative to r, the mean token-embedding norm over the batch's token occurrences
// (r = mean_t ‖E[id_t]‖₂, recomputed every step), so that the attack keeps its strength while the
// embeddings grow: L2 ε_abs = ε_rel·r (a one-token sequence's δ has norm ε_rel·r); FGSM and linf PGD
// ε_abs = ε_rel·r/√d (a full sign vector then has per-token norm ε_rel·r).
//
// Optimiser: Adam (Kingma & Ba 2015) or AdamW (Loshchilov & Hutter 2019) on W (dense) and on E with
// lazy sparse rows (as PyTorch's SparseAdam and TensorFlow Addons' LazyAdam): only the rows of E
// used in the batch are read and written; their moments decay only when they are touched; the
// bias correction uses the global step count; AdamW's decay applies to the touched rows only.
//
// Threads: each step splits its work by sequence, by candidate row, by row of W and by touched row
// of E; every sum runs in a fixed order independent of the split, so a given seed gives the same
// model bit for bit whatever the thread count (on the same ISA path).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "xmr/cpu.h"
#include "xmr/dual_encoder.h"
#include "xmr/image_tower.h"
#include "xmr/perturb.h"

namespace xmr {

enum class AdvMode { None = 0, Fgsm = 1, L2 = 2, Pgd = 3 };

struct TrainerConfig {
  float tau = 0.05f;           // temperature τ > 0
  bool symmetric = false;      // add the document→query direction
  float lr = 1e-3f;
  float beta1 = 0.9f, beta2 = 0.999f, adam_eps = 1e-8f;
  float weight_decay = 0.0f;   // AdamW's decoupled λ_wd (0 = plain Adam)
  AdvMode adv = AdvMode::None;
  float eps = 0.0f;            // ε ≥ 0
  bool eps_relative = true;    // ε relative to the mean token-embedding norm (see above)
  float lambda = 1.0f;         // weight λ of the adversarial loss
  int pgd_steps = 3;           // K ≥ 1
  float pgd_alpha = 0.0f;      // step size α (absolute, or relative like ε); 0 = 2.5·ε/K (Madry et al. 2018)
  PerturbNorm pgd_norm = PerturbNorm::Linf;
  bool freelb = false;         // FreeLB accumulation over the K PGD steps
  bool adv_queries = true, adv_docs = true;  // which sides are perturbed
  uint64_t seed = 0;           // PGD random starts: counter-based on (seed, step, sequence)
  int threads = 1;
  Isa isa = Isa::Scalar;
};

// Throws std::invalid_argument naming a bad field.
void check_config(const TrainerConfig& c);

struct StepStats {
  float loss = 0;        // L(x) + λ·L(x + δ)
  float clean_loss = 0;  // L(x)
  float adv_loss = 0;    // L(x + δ) (FreeLB: the mean over the K steps); 0 without adversarial training
  float eps_abs = 0;     // the absolute ε used (0 without adversarial training)
  float mean_norm = 0;   // r, the mean token-embedding norm of the batch
};

// One batch selected from a pool: q[i], d[i] (and neg[i]) are indices of sequences in the pool.
struct BatchIndex {
  const int32_t* q = nullptr;
  const int32_t* d = nullptr;
  const int32_t* neg = nullptr;  // null: in-batch negatives only
  size_t batch = 0;               // B ≥ 1
};

// The image side of CLIP-style training (Radford et al. 2021): the candidates D are images instead of
// documents, with the same loss (symmetric = CLIP's image→text + text→image average) at the fixed
// temperature τ of the config (CLIP learns log(1/τ); here τ stays a hyper-parameter, like the text study's).
// Either pixels (count × H × W × 3, HWC float32) encoded by the trainer's image tower, which then trains
// with Adam beside the text tower; or fixed image embeddings (count × d', expected L2-normalised): the
// locked-image-tower mode (LiT, Zhai et al. 2022), where only the text tower learns. Adversarial
// perturbations and code-switching act on the caption side only.
struct ImageSource {
  const float* pixels = nullptr;
  const float* embeddings = nullptr;
  size_t count = 0;
};

class Trainer {
 public:
  Trainer(std::shared_ptr<DualEncoder> model, const TrainerConfig& config);
  ~Trainer();

  const TrainerConfig& config() const { return config_; }
  DualEncoder& model() { return *model_; }
  uint64_t step() const { return step_; }

  // `steps` optimiser steps over consecutive batches: batch s uses q[s·B ..], d[s·B ..], neg[s·B ..].
  // Checks the pool and every index before any update; stats (steps entries) may be null.
  void train(const SequencePool& pool, const int32_t* q, const int32_t* d, const int32_t* neg, size_t batch,
             size_t steps, StepStats* stats);

  // The image tower trained by train_images from pixels (out_dim must equal the text tower's); its
  // Adam moments start at zero.
  void set_image_tower(std::shared_ptr<ImageTower> tower);
  ImageTower* image_tower() { return image_.get(); }
  std::vector<float>& mI() { return mI_; }
  std::vector<float>& vI() { return vI_; }

  // `steps` steps of caption–image training: batch s pairs caption captions[s·B + i] (a pool index)
  // with image images[s·B + i] (an index into `source`). Checks everything before any update.
  void train_images(const SequencePool& captions, const ImageSource& source, const int32_t* caption_idx,
                    const int32_t* image_idx, size_t batch, size_t steps, StepStats* stats);

  // The objective of one batch and its gradient, without an update (for tests and diagnostics):
  // dense gE (V×d) and gW (d'×d, may be null without a projection), zeroed first. `delta`, when
  // given (count × d, the pooled δ per batch sequence in the order q, d, neg), is used as a fixed
  // perturbation and the objective is L(x + δ) alone; otherwise the configured objective (clean, or
  // clean + λ·adversarial with δ computed as in training) is evaluated at the current step number.
  StepStats loss_and_gradient(const SequencePool& pool, const BatchIndex& b, const float* delta, float* gE, float* gW);

  // The pooled perturbation the configured attack would use for this batch (count × d, order
  // q, d, neg); zeros without adversarial training. For tests.
  std::vector<float> adversarial_delta(const SequencePool& pool, const BatchIndex& b);

  // Optimiser state, for checkpoints: moments of E (V×d each) and W (d'×d each).
  std::vector<float>& mE() { return mE_; }
  std::vector<float>& vE() { return vE_; }
  std::vector<float>& mW() { return mW_; }
  std::vector<float>& vW() { return vW_; }
  void set_step(uint64_t s) { step_ = s; }

  struct Work;  // the step's buffers (trainer.cc)

 private:
  std::shared_ptr<DualEncoder> model_;
  TrainerConfig config_;
  uint64_t step_ = 0;
  std::vector<float> mE_, vE_, mW_, vW_;
  std::shared_ptr<ImageTower> image_;
  std::vector<float> mI_, vI_;
  std::unique_ptr<Work> work_;
};

}  // namespace xmr
