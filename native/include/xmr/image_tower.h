// The image tower: a small patch encoder trained natively (issue 13), the image side of CLIP-style
// training beside the dual encoder's text tower (dual_encoder.h).
//
// An image is float32 HWC (row-major height × width × 3 channels, the layout of a decoded RGB
// bitmap and of the Float32Array n×H×W×3 the TypeScript side passes). It is cut into N = (H/P)·(W/P)
// non-overlapping P×P patches, patch n flattened to x_n ∈ R^K, K = 3P², in (row, column, channel)
// order. With hidden width h and output dimension d:
//   z_n = A·x_n + b + pos_n                  linear patch embedding (A ∈ R^{h×K}, b ∈ R^h) plus the
//                                            learned position embedding of patch n (pos ∈ R^{N×h})
//   a_n = GELU(z_n)                          GELU(z) = z·Φ(z) = ½z(1 + erf(z/√2)), the exact form
//                                            (Hendrycks & Gimpel 2016; PyTorch's nn.GELU() default)
//   m   = (1/N) Σ_n a_n                      mean pooling over patches
//   u   = W·m                                projection to d (W ∈ R^{d×h})
//   e   = u/‖u‖₂                             L2 normalisation (e = 0 when u = 0)
//
// Backward, for an upstream gradient g_e = ∂L/∂e of one image:
//   g_u = (g_e − e·(e·g_e))/‖u‖;   ∂L/∂W += g_u mᵀ;   g_m = Wᵀg_u
//   g_z_n = (g_m/N) ⊙ GELU′(z_n),  GELU′(z) = Φ(z) + z·φ(z)
//   ∂L/∂b += Σ_n g_z_n;   ∂L/∂pos_n += g_z_n;   ∂L/∂A += Σ_n g_z_n x_nᵀ
//
// Parameters live in one contiguous float array [A | b | pos | W] (so one Adam call and one
// checkpoint block cover them). The vector loops are the dual encoder's per-ISA VecOps (dot, axpy),
// chosen per call. Batch gradients are summed per fixed chunk of images and the chunks in order, so
// the result is the same bit for bit whatever the thread count (on one ISA path).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "xmr/cpu.h"

namespace xmr {

struct ImageTowerShape {
  size_t height = 0, width = 0;  // pixels; both multiples of patch
  size_t patch = 0;              // P ≥ 1
  size_t hidden = 0;             // h ≥ 1
  size_t out_dim = 0;            // d ≥ 1
};

class ImageTower {
 public:
  // Throws std::invalid_argument naming the first bad field. Weights start at zero; call init.
  explicit ImageTower(const ImageTowerShape& shape);

  // The parameter count of a tower of this shape, after the same checks, without allocating.
  static size_t count_params(const ImageTowerShape& shape);

  // A ~ N(0, 1/K) and W ~ N(0, 1/h) (LeCun-normal fan-in scaling), b = 0, pos ~ N(0, 0.02²) (ViT's
  // position-embedding initialisation, Dosovitskiy et al. 2021). Deterministic in seed.
  void init(uint64_t seed);

  const ImageTowerShape& shape() const { return shape_; }
  size_t patches() const { return patches_; }          // N
  size_t patch_floats() const { return patch_len_; }    // K = 3P²
  size_t pixels_per_image() const { return shape_.height * shape_.width * 3; }
  size_t out_dim() const { return shape_.out_dim; }

  // The parameters [A | b | pos | W] and the offsets of each block in it.
  float* params() { return params_.data(); }
  const float* params() const { return params_.data(); }
  size_t param_count() const { return params_.size(); }
  size_t offset_bias() const { return off_b_; }
  size_t offset_pos() const { return off_pos_; }
  size_t offset_proj() const { return off_w_; }

  // Encodes `count` images (count × H × W × 3 floats) into out (count × d, row-major).
  void encode(const float* images, size_t count, float* out, int threads, Isa isa) const;

  // The parameter gradient of Σ_i g_e[i]·e(image_i) (grad_out: count × d) written to grad
  // (param_count floats, overwritten). Runs the forward pass again rather than keeping activations.
  void backward(const float* images, size_t count, const float* grad_out, float* grad, int threads, Isa isa) const;

 private:
  void check_call(int threads, Isa isa) const;

  ImageTowerShape shape_;
  size_t patches_, patch_len_;
  size_t off_b_, off_pos_, off_w_;
  std::vector<float> params_;
};

}  // namespace xmr
