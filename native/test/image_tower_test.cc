// The image tower: forward against a double-precision reference written from the formulas in
// image_tower.h, the analytic gradient against central differences, ISA paths against each other,
// the thread count not changing a bit, and the shape checks' messages.
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/checkpoint.h"
#include "xmr/image_tower.h"
#include "xmr/splitmix.h"

namespace {

using xmr::Isa;

std::vector<Isa> isas() { return xmrtest::runnable({Isa::Scalar, Isa::Avx2, Isa::Avx512}); }

// H = 8, W = 12, P = 4 → N = 6 patches of K = 48 floats; h = 20 and d = 7 exercise the vector tails.
xmr::ImageTowerShape small_shape() { return {8, 12, 4, 20, 7}; }

std::vector<float> random_images(size_t n, size_t px, uint64_t seed) {
  xmr::SplitMix64 rng(seed);
  std::vector<float> v(n * px);
  for (auto& x : v) x = static_cast<float>(rng.uniform());
  return v;
}

// e(image) in double, straight from the formulas.
std::vector<double> reference_encode(const xmr::ImageTower& t, const float* img) {
  const auto& s = t.shape();
  const size_t P = s.patch, h = s.hidden, d = s.out_dim, K = t.patch_floats(), cols = s.width / P, N = t.patches();
  const float* A = t.params();
  std::vector<double> m(h, 0.0), u(d, 0.0);
  for (size_t n = 0; n < N; ++n) {
    const size_t py = n / cols, px = n % cols;
    for (size_t j = 0; j < h; ++j) {
      double z = A[t.offset_bias() + j] + A[t.offset_pos() + n * h + j];
      for (size_t dy = 0; dy < P; ++dy)
        for (size_t dx = 0; dx < P; ++dx)
          for (size_t c = 0; c < 3; ++c)
            z += double(A[j * K + (dy * P + dx) * 3 + c]) * img[((py * P + dy) * s.width + px * P + dx) * 3 + c];
      m[j] += 0.5 * z * (1.0 + std::erf(z / std::sqrt(2.0))) / double(N);
    }
  }
  double nn = 0;
  for (size_t r = 0; r < d; ++r) {
    for (size_t j = 0; j < h; ++j) u[r] += double(A[t.offset_proj() + r * h + j]) * m[j];
    nn += u[r] * u[r];
  }
  for (auto& x : u) x /= std::sqrt(nn);
  return u;
}

XMR_TEST("image_tower: encode = normalize(W · mean GELU(A·x + b + pos)) on every ISA") {
  xmr::ImageTower t(small_shape());
  t.init(5);
  // b starts at zero; give it values so the bias path is checked too.
  for (size_t j = 0; j < 20; ++j) t.params()[t.offset_bias() + j] = 0.05f * float(j) - 0.4f;
  const size_t n = 5, px = t.pixels_per_image();
  const auto img = random_images(n, px, 9);
  for (Isa isa : isas()) {
    std::vector<float> out(n * 7, -1.0f);
    t.encode(img.data(), n, out.data(), 2, isa);
    for (size_t i = 0; i < n; ++i) {
      const auto want = reference_encode(t, img.data() + i * px);
      for (size_t r = 0; r < 7; ++r)
        CHECK_MSG(std::fabs(out[i * 7 + r] - want[r]) < 2e-5,
                  "image " + std::to_string(i) + " coord " + std::to_string(r) + " isa " + xmr::isa_name(isa));
    }
  }
}

XMR_TEST("image_tower: analytic gradient = central differences in every parameter block, every ISA") {
  xmr::ImageTower t(small_shape());
  t.init(11);
  for (size_t j = 0; j < 20; ++j) t.params()[t.offset_bias() + j] = 0.1f * std::sin(float(j));
  const size_t n = 3, px = t.pixels_per_image(), d = 7;
  const auto img = random_images(n, px, 2);
  // L = Σ_i c_i · e_i with fixed random c: its gradient with respect to e is c.
  xmr::SplitMix64 rng(4);
  std::vector<float> c(n * d);
  for (auto& x : c) x = static_cast<float>(rng.normal());
  auto loss = [&](Isa isa) {
    std::vector<float> e(n * d);
    t.encode(img.data(), n, e.data(), 1, isa);
    double s = 0;
    for (size_t k = 0; k < n * d; ++k) s += double(c[k]) * e[k];
    return s;
  };
  // Indices from each block: A, b, pos, W (first, middle, last of each).
  const size_t blocks[5] = {0, t.offset_bias(), t.offset_pos(), t.offset_proj(), t.param_count()};
  std::vector<size_t> probe;
  for (int b = 0; b < 4; ++b) {
    probe.push_back(blocks[b]);
    probe.push_back((blocks[b] + blocks[b + 1]) / 2);
    probe.push_back(blocks[b + 1] - 1);
  }
  for (Isa isa : isas()) {
    std::vector<float> g(t.param_count(), 123.0f);
    t.backward(img.data(), n, c.data(), g.data(), 2, isa);
    for (size_t p : probe) {
      const float saved = t.params()[p];
      const float step = 1e-2f;
      t.params()[p] = saved + step;
      const double up = loss(isa);
      t.params()[p] = saved - step;
      const double down = loss(isa);
      t.params()[p] = saved;
      const double fd = (up - down) / (2.0 * step);
      CHECK_MSG(std::fabs(g[p] - fd) < 2e-3 + 2e-2 * std::fabs(fd),
                "param " + std::to_string(p) + ": analytic " + std::to_string(g[p]) + " vs fd " + std::to_string(fd) +
                    " isa " + xmr::isa_name(isa));
    }
  }
}

XMR_TEST("image_tower: ISA paths agree; the thread count changes no bit of encode or backward") {
  xmr::ImageTower t(small_shape());
  t.init(21);
  const size_t n = 19, px = t.pixels_per_image(), d = 7;  // 19: three gradient chunks, the last partial
  const auto img = random_images(n, px, 3);
  const auto ge = random_images(n, d, 8);
  std::vector<float> e0(n * d), g0(t.param_count());
  t.encode(img.data(), n, e0.data(), 1, Isa::Scalar);
  t.backward(img.data(), n, ge.data(), g0.data(), 1, Isa::Scalar);
  for (Isa isa : isas()) {
    std::vector<float> e1(n * d), e3(n * d), g1(t.param_count()), g3(t.param_count());
    t.encode(img.data(), n, e1.data(), 1, isa);
    t.encode(img.data(), n, e3.data(), 3, isa);
    t.backward(img.data(), n, ge.data(), g1.data(), 1, isa);
    t.backward(img.data(), n, ge.data(), g3.data(), 3, isa);
    CHECK_MSG(std::memcmp(e1.data(), e3.data(), e1.size() * sizeof(float)) == 0, std::string("encode threads ") + xmr::isa_name(isa));
    CHECK_MSG(std::memcmp(g1.data(), g3.data(), g1.size() * sizeof(float)) == 0, std::string("backward threads ") + xmr::isa_name(isa));
    for (size_t k = 0; k < e0.size(); ++k) CHECK(std::fabs(e0[k] - e1[k]) < 1e-5);
    for (size_t k = 0; k < g0.size(); ++k) CHECK(std::fabs(g0[k] - g1[k]) < 1e-4 + 1e-4 * std::fabs(g0[k]));
  }
}

XMR_TEST("image_tower: init is seeded; bad shapes are rejected naming the field") {
  xmr::ImageTower a(small_shape()), b(small_shape()), c(small_shape());
  a.init(1);
  b.init(1);
  c.init(2);
  CHECK(std::memcmp(a.params(), b.params(), a.param_count() * sizeof(float)) == 0);
  CHECK(std::memcmp(a.params(), c.params(), a.param_count() * sizeof(float)) != 0);
  CHECK(a.param_count() == 20 * 48 + 20 + 6 * 20 + 7 * 20);
  auto error_of = [](xmr::ImageTowerShape s) {
    try {
      xmr::ImageTower t(s);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of({8, 12, 0, 4, 4}) == "patch must be ≥ 1");
  CHECK(error_of({10, 12, 4, 4, 4}) == "height must be a positive multiple of patch (4), got 10");
  CHECK(error_of({8, 13, 4, 4, 4}) == "width must be a positive multiple of patch (4), got 13");
  CHECK(error_of({8, 12, 4, 0, 4}) == "hidden must be in [1, 65536]");
  CHECK(error_of({8, 12, 4, 4, 0}) == "outDim must be in [1, 65536]");
}

}  // namespace

namespace {

XMR_TEST("image_tower: checkpoint round trip; damage → the shared framing's errors") {
  xmr::ImageTower t(small_shape());
  t.init(4);
  std::vector<float> m(t.param_count()), v(t.param_count());
  for (size_t i = 0; i < m.size(); ++i) m[i] = float(i) * 1e-3f, v[i] = float(i) * 2e-3f;
  const auto bytes = xmr::write_image_checkpoint(t, m.data(), v.data(), 17, "{\"a\":1}");
  const auto c = xmr::read_image_checkpoint(bytes.data(), bytes.size());
  CHECK(c.shape.height == 8 && c.shape.width == 12 && c.shape.patch == 4 && c.shape.hidden == 20 && c.shape.out_dim == 7);
  CHECK(c.step == 17 && c.config == "{\"a\":1}" && c.has_optimizer);
  CHECK(c.params.size() == t.param_count() && std::memcmp(c.params.data(), t.params(), c.params.size() * 4) == 0);
  CHECK(c.m == m && c.v == v);
  const auto plain = xmr::write_image_checkpoint(t, nullptr, nullptr, 0, "");
  CHECK(!xmr::read_image_checkpoint(plain.data(), plain.size()).has_optimizer);
  auto error_of = [](std::vector<uint8_t> b) {
    try {
      xmr::read_image_checkpoint(b.data(), b.size());
    } catch (const xmr::CheckpointError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto flipped = bytes;
  flipped[200] ^= 1;
  CHECK(error_of(flipped).rfind("corrupted checkpoint: CRC-32 mismatch", 0) == 0);
  CHECK(error_of(std::vector<uint8_t>(bytes.begin(), bytes.end() - 1)).rfind("truncated checkpoint", 0) == 0);
  auto foreign = bytes;
  foreign[3] = 'D';
  CHECK(error_of(foreign) == "not an image-tower checkpoint (it does not start with the magic bytes \"XMRIT\\0\")");
  auto bad_shape = bytes;
  bad_shape[32] = 5;  // patch 5 does not divide 8
  CHECK(error_of(bad_shape) == "corrupted checkpoint header (shapes)");
}

}  // namespace
