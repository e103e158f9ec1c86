// perturb / project / copy_floats: exact forms on every ISA path this CPU has, masks, thread
// splits (by elements, by groups, within a group), the streaming-store path, and argument checks.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/perturb.h"

namespace {

using xmr::Isa;
using xmr::PerturbNorm;
using xmr::PerturbParams;

std::vector<Isa> isas() { return xmrtest::runnable({Isa::Scalar, Isa::Avx2, Isa::Avx512}); }

std::vector<float> randn(size_t n, uint32_t seed, double zero_fraction = 0.0) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<float> v(n);
  for (auto& x : v) x = u(rng) < zero_fraction ? 0.0f : nd(rng);
  return v;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; }

float sign_step(float g, float eps) { return g > 0 ? eps : g < 0 ? -eps : 0.0f; }

double norm_of(const float* v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += double(v[i]) * v[i];
  return std::sqrt(s);
}

PerturbParams params(float eps, PerturbNorm norm, size_t group, Isa isa, int threads = 1) {
  PerturbParams p;
  p.eps = eps;
  p.norm = norm;
  p.group_size = group;
  p.isa = isa;
  p.threads = threads;
  return p;
}

XMR_TEST("perturb linf: every element moves by exactly eps·sign(g), zeros stay, NaN propagates") {
  for (Isa isa : isas()) {
    for (size_t n : {size_t(1), size_t(15), size_t(16), size_t(17), size_t(100), size_t(70001)}) {
      for (int threads : {1, 2}) {
        auto x = randn(n, 1), g = randn(n, 2, 0.2);
        if (n > 3) { g[1] = -0.0f; g[2] = std::numeric_limits<float>::quiet_NaN(); }
        const float eps = 0.125f;
        // 16 sentinels past n: the masked tail stores must not write there (ASan does not see them).
        std::vector<float> out(n + 16, 42.0f), delta(n + 16, 42.0f);
        xmr::perturb(x.data(), g.data(), n, params(eps, PerturbNorm::Linf, 0, isa, threads), out.data());
        xmr::perturb(nullptr, g.data(), n, params(eps, PerturbNorm::Linf, 0, isa, threads), delta.data());
        for (size_t i = n; i < n + 16; ++i) CHECK_MSG(out[i] == 42.0f && delta[i] == 42.0f, std::string("linf wrote past n, isa ") + xmr::isa_name(isa) + ", n " + std::to_string(n));
        for (size_t i = 0; i < n; ++i) {
          if (std::isnan(g[i])) {
            CHECK(std::isnan(out[i]) && std::isnan(delta[i]));
            continue;
          }
          CHECK_MSG(same_bits(out[i], x[i] + sign_step(g[i], eps)), std::string("linf x+δ, isa ") + xmr::isa_name(isa) + ", n " + std::to_string(n) + ", i " + std::to_string(i));
          CHECK(delta[i] == sign_step(g[i], eps));
          if (g[i] == 0.0f) CHECK(same_bits(out[i], x[i]) || (x[i] == 0.0f && out[i] == 0.0f));
        }
      }
    }
  }
}

XMR_TEST("perturb l2: each group's δ has norm eps, points along g; a zero group stays zero") {
  const size_t dim = 24, tokens = 7, groups = 5, group = dim * tokens, n = group * groups;
  for (Isa isa : isas()) {
    for (int threads : {1, 2, 3}) {
      auto x = randn(n, 3), g = randn(n, 4);
      for (size_t i = 2 * group; i < 3 * group; ++i) g[i] = 0.0f;  // group 2: zero gradient
      for (size_t i = 4 * group; i < 5 * group; ++i) g[i] *= 1e-30f;  // tiny: squares underflow in float
      const float eps = 0.75f;
      std::vector<float> delta(n), out(n);
      xmr::perturb(nullptr, g.data(), n, params(eps, PerturbNorm::L2, group, isa, threads), delta.data());
      xmr::perturb(x.data(), g.data(), n, params(eps, PerturbNorm::L2, group, isa, threads), out.data());
      for (size_t k = 0; k < groups; ++k) {
        const float* d = delta.data() + k * group;
        if (k == 2) {
          for (size_t i = 0; i < group; ++i) CHECK(d[i] == 0.0f && same_bits(out[k * group + i], x[k * group + i]));
          continue;
        }
        CHECK_MSG(std::fabs(norm_of(d, group) - eps) <= 1e-6 * eps, std::string("norm ") + std::to_string(norm_of(d, group)));
        const double gn = norm_of(g.data() + k * group, group);
        for (size_t i = 0; i < group; ++i) {
          const double want = eps * double(g[k * group + i]) / gn;
          CHECK(std::fabs(d[i] - want) <= 1e-6 * eps);
          CHECK(std::fabs(out[k * group + i] - (x[k * group + i] + want)) <= 1e-6 * (1 + std::fabs(x[k * group + i])));
        }
      }
    }
  }
}

XMR_TEST("perturb l2 with a mask: padding rows keep x, take no part in the norm") {
  const size_t dim = 10, tokens = 6, group = dim * tokens, n = group * 3;
  std::vector<uint8_t> mask = {1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1};
  for (Isa isa : isas()) {
    for (int threads : {1, 2, 4}) {
      auto x = randn(n, 5), g = randn(n, 6);
      PerturbParams p = params(2.0f, PerturbNorm::L2, group, isa, threads);
      p.row_size = dim;
      p.mask = mask.data();
      std::vector<float> out(n), delta(n);
      xmr::perturb(x.data(), g.data(), n, p, out.data());
      xmr::perturb(nullptr, g.data(), n, p, delta.data());
      for (size_t k = 0; k < 3; ++k) {
        double ss = 0, gs = 0;
        for (size_t r = 0; r < tokens; ++r) {
          const size_t row = k * tokens + r;
          for (size_t j = 0; j < dim; ++j) {
            const size_t i = row * dim + j;
            if (mask[row]) {
              ss += double(delta[i]) * delta[i];
              gs += double(g[i]) * g[i];
            } else {
              CHECK(same_bits(out[i], x[i]));
              CHECK(delta[i] == 0.0f);
            }
          }
        }
        CHECK(std::fabs(std::sqrt(ss) - 2.0) <= 2e-6);
        for (size_t r = 0; r < tokens; ++r)
          if (mask[k * tokens + r])
            for (size_t j = 0; j < dim; ++j) {
              const size_t i = (k * tokens + r) * dim + j;
              CHECK(std::fabs(delta[i] - 2.0 * g[i] / std::sqrt(gs)) <= 2e-6);
            }
      }
      // linf with the same mask: padding rows unchanged, the others move by ±eps.
      PerturbParams q = p;
      q.norm = PerturbNorm::Linf;
      xmr::perturb(x.data(), g.data(), n, q, out.data());
      for (size_t i = 0; i < n; ++i) CHECK(same_bits(out[i], mask[i / dim] ? x[i] + sign_step(g[i], 2.0f) : x[i]));
    }
  }
}

XMR_TEST("perturb: one group split over threads matches one thread; in place works") {
  const size_t n = 300007;
  for (Isa isa : isas()) {
    auto x = randn(n, 7), g = randn(n, 8);
    std::vector<float> one(n), two(n);
    xmr::perturb(x.data(), g.data(), n, params(3.0f, PerturbNorm::L2, 0, isa, 1), one.data());
    xmr::perturb(x.data(), g.data(), n, params(3.0f, PerturbNorm::L2, 0, isa, 2), two.data());
    size_t differ = 0;
    for (size_t i = 0; i < n; ++i) differ += !same_bits(one[i], two[i]) && std::fabs(one[i] - two[i]) > 1e-6f * (1 + std::fabs(one[i]));
    CHECK(differ == 0);
    std::vector<float> inplace = x;
    xmr::perturb(inplace.data(), g.data(), n, params(0.5f, PerturbNorm::Linf, 0, isa, 2), inplace.data());
    for (size_t i = 0; i < n; ++i) CHECK(same_bits(inplace[i], x[i] + sign_step(g[i], 0.5f)));
  }
}

XMR_TEST("perturb: the streaming-store path (large, misaligned output) is exact") {
  const size_t n = (16u << 20) / 4 + 37;
  auto x = randn(n, 9), g = randn(n, 10, 0.1);
  std::vector<float> buf(n + 1);
  float* out = buf.data() + 1;  // 4 bytes past an allocation boundary: unaligned for the vector stores
  for (Isa isa : isas()) {
    xmr::perturb(x.data(), g.data(), n, params(0.25f, PerturbNorm::Linf, 0, isa, 2), out);
    size_t bad = 0;
    for (size_t i = 0; i < n; ++i) bad += !same_bits(out[i], x[i] + sign_step(g[i], 0.25f));
    CHECK_MSG(bad == 0, std::string("streamed linf wrong at ") + std::to_string(bad) + " elements on " + xmr::isa_name(isa));
    xmr::project(g.data(), n, params(0.5f, PerturbNorm::Linf, 0, isa, 2), out);
    bad = 0;
    for (size_t i = 0; i < n; ++i) bad += out[i] != std::fmin(0.5f, std::fmax(-0.5f, g[i]));
    CHECK(bad == 0);
  }
}

XMR_TEST("project: linf clamps, l2 rescales groups outside the ball; both idempotent bit for bit") {
  const size_t group = 96, groups = 40, n = group * groups;
  for (Isa isa : isas()) {
    for (int threads : {1, 2}) {
      auto d = randn(n, 11);
      for (size_t k = 0; k < groups; k += 3)
        for (size_t i = 0; i < group; ++i) d[k * group + i] *= 0.01f;  // some groups inside the ball
      d[5] = std::numeric_limits<float>::quiet_NaN();
      std::vector<float> once(n), twice(n);
      xmr::project(d.data(), n, params(0.5f, PerturbNorm::Linf, 0, isa, threads), once.data());
      xmr::project(once.data(), n, params(0.5f, PerturbNorm::Linf, 0, isa, threads), twice.data());
      for (size_t i = 0; i < n; ++i) {
        if (i == 5) { CHECK(std::isnan(once[i])); continue; }
        CHECK(once[i] == (d[i] > 0.5f ? 0.5f : d[i] < -0.5f ? -0.5f : d[i]));
        CHECK(same_bits(once[i], twice[i]));
      }
      d[5] = 0.0f;
      const float eps = 1.5f;
      xmr::project(d.data(), n, params(eps, PerturbNorm::L2, group, isa, threads), once.data());
      xmr::project(once.data(), n, params(eps, PerturbNorm::L2, group, isa, threads), twice.data());
      for (size_t k = 0; k < groups; ++k) {
        const double before = norm_of(d.data() + k * group, group), after = norm_of(once.data() + k * group, group);
        if (before <= eps) {
          for (size_t i = 0; i < group; ++i) CHECK(same_bits(once[k * group + i], d[k * group + i]));
        } else {
          CHECK(after <= eps);
          CHECK(after >= eps * (1 - 1e-6));
        }
      }
      for (size_t i = 0; i < n; ++i) CHECK(same_bits(once[i], twice[i]));
      std::vector<float> inplace = once;  // in place on a projected array changes nothing
      xmr::project(inplace.data(), n, params(eps, PerturbNorm::L2, group, isa, threads), inplace.data());
      for (size_t i = 0; i < n; ++i) CHECK(same_bits(inplace[i], once[i]));
    }
  }
}

XMR_TEST("project with a mask zeroes padding rows and leaves them out of the norm") {
  const size_t dim = 4, n = 16;
  std::vector<uint8_t> mask = {1, 0, 1, 0};
  std::vector<float> d = {3, 0, 0, 0, 9, 9, 9, 9, 0, 4, 0, 0, 7, 7, 7, 7};
  PerturbParams p = params(1.0f, PerturbNorm::L2, 16, xmr::detect_isa());
  p.row_size = dim;
  p.mask = mask.data();
  std::vector<float> out(n);
  xmr::project(d.data(), n, p, out.data());
  const float s = static_cast<float>(1.0 / 5.0 * (1.0 - 0x1p-22));
  CHECK(out[0] == 3 * s && out[9] == 4 * s);
  for (size_t i : {4, 5, 6, 7, 12, 13, 14, 15}) CHECK(out[i] == 0.0f);
}

XMR_TEST("every ISA path gives the same linf bits and l2 within an ulp") {
  const size_t n = 4099, group = 4099;
  auto x = randn(n, 12), g = randn(n, 13, 0.05);
  std::vector<float> ref(n), ref2(n), got(n);
  xmr::perturb(x.data(), g.data(), n, params(0.01f, PerturbNorm::Linf, 0, Isa::Scalar), ref.data());
  xmr::perturb(x.data(), g.data(), n, params(0.01f, PerturbNorm::L2, group, Isa::Scalar), ref2.data());
  for (Isa isa : isas()) {
    xmr::perturb(x.data(), g.data(), n, params(0.01f, PerturbNorm::Linf, 0, isa), got.data());
    for (size_t i = 0; i < n; ++i) CHECK(same_bits(got[i], ref[i]));
    xmr::perturb(x.data(), g.data(), n, params(0.01f, PerturbNorm::L2, group, isa), got.data());
    for (size_t i = 0; i < n; ++i) CHECK(std::fabs(got[i] - ref2[i]) <= 2 * std::numeric_limits<float>::epsilon() * std::fabs(ref2[i]) + 1e-12f);
  }
}

XMR_TEST("perturb/project reject bad parameters; copy_floats copies") {
  std::vector<float> a(12, 1.0f), b(12);
  auto throws = [&](PerturbParams p) {
    try {
      xmr::perturb(a.data(), a.data(), 12, p, b.data());
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CHECK(throws(params(-1.0f, PerturbNorm::Linf, 0, Isa::Scalar)));
  CHECK(throws(params(std::numeric_limits<float>::infinity(), PerturbNorm::Linf, 0, Isa::Scalar)));
  CHECK(throws(params(std::numeric_limits<float>::quiet_NaN(), PerturbNorm::Linf, 0, Isa::Scalar)));
  CHECK(throws(params(1.0f, PerturbNorm::L2, 5, Isa::Scalar)));
  CHECK(throws(params(1.0f, PerturbNorm::L2, 6, Isa::Scalar, 0)));
  std::vector<uint8_t> mask(4, 1);  // 12 floats / rows of 3 (the glue checks the length)
  PerturbParams p = params(1.0f, PerturbNorm::L2, 6, Isa::Scalar);
  p.mask = mask.data();
  CHECK(throws(p));  // no row size
  p.row_size = 4;
  CHECK(throws(p));  // group 6 is not a multiple of rows of 4
  p.row_size = 3;
  CHECK(!throws(p));
  std::vector<float> big = randn(200000, 14), dst(200000);
  xmr::copy_floats(big.data(), big.size(), dst.data(), 2);
  CHECK(std::memcmp(big.data(), dst.data(), big.size() * 4) == 0);
}

}  // namespace
