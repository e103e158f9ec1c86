// Adversarial perturbations of embeddings (FGSM / L2 steps) and the projection of PGD, on flat
// float32 arrays. Pure kernels: no Node, no allocation on the hot path, every ISA path in one binary.
//
// Forms (the exact ones of DESIGN.md, "Adversarial perturbations"):
//   linf (FGSM, Goodfellow et al. 2015):  δᵢ = ε·sign(gᵢ), with sign(±0) = 0 (zero gradients stay zero)
//   l2   (Miyato et al. 2017):            δ = ε·g/‖g‖₂ per group, the norm taken over the whole group
//                                         (one sequence's embeddings); a zero-norm group gets δ = 0
//   project (PGD, Madry et al. 2018):     linf clamps every element to [−ε, ε]; l2 rescales a group
//                                         whose norm exceeds ε to norm ε (others are left as they are)
// perturb writes x + δ (or δ alone when x is null); the sums are float32, one rounding per element.
//
// Groups and masks: the n floats are cut into groups of group_size floats (l2 norms are per group;
// linf ignores groups). With a mask, the floats are also cut into rows of row_size floats (tokens)
// and mask[r] == 0 marks row r as padding: it is left out of every norm and gets δ = 0 (perturb
// writes x unchanged, or 0 for δ alone; project writes 0, so the result is supported on the real
// tokens — the Euclidean projection onto {δ : ‖δ‖ ≤ ε, δ_padding = 0}).
//
// Norms are accumulated in double (no overflow or underflow of squares for any float input), and
// NaN inputs propagate as NaN; ε is rounded to float32 once.
#pragma once
#include <cstddef>
#include <cstdint>

#include "xmr/cpu.h"

namespace xmr {

enum class PerturbNorm { Linf, L2 };

struct PerturbParams {
  float eps = 0.0f;                         // ≥ 0 and finite
  PerturbNorm norm = PerturbNorm::Linf;
  size_t group_size = 0;                    // floats per group (l2: a divisor of n; 0 = the whole array)
  size_t row_size = 0;                      // floats per masked row (with mask: divides n and group_size)
  const uint8_t* mask = nullptr;            // n / row_size bytes, 0 = padding; null = every row takes part
  int threads = 1;
  Isa isa = Isa::Scalar;                    // must be supported by the CPU (see detect_isa)
};

// out = x + δ(grad), or out = δ(grad) when x is null. out may be x or grad itself (in place) but
// must not partially overlap either.
void perturb(const float* x, const float* grad, size_t n, const PerturbParams& params, float* out);

// out = Π_ε(delta), the projection onto the ε-ball (per group for l2). out may be delta itself.
// Idempotent bit for bit: an l2 group is rescaled by a factor shrunk by 2⁻²² so that its float32
// result has a norm ≤ ε even after rounding, and a group with norm ≤ ε is left unchanged.
void project(const float* delta, size_t n, const PerturbParams& params, float* out);

// dst = src over n floats, split over threads like perturb: the reference the benchmark compares
// perturb's throughput with (a memcpy-speed copy of the same arrays, measured the same way).
void copy_floats(const float* src, size_t n, float* dst, int threads);

}  // namespace xmr
