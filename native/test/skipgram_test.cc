// skipgram: the step on every ISA path agrees with the scalar one (and its loss with a double
// reference); epochs at 1, 2 and 3 threads over several rounds are reproducible per seed, stay finite
// and touch memory only inside the matrices (the tests run under ASan); bad parameters and corpora are
// refused.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/skipgram.h"

namespace {

using xmr::Isa;

std::vector<float> uniform(size_t n, uint32_t seed, float scale) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

struct Corpus {
  std::vector<uint32_t> ids, offsets{0};
  std::vector<double> counts;
  xmr::SkipgramCorpus view() const {
    return {ids.data(), ids.size(), offsets.data(), offsets.size() - 1, counts.data(), counts.size()};
  }
};

Corpus zipf(size_t sentences, size_t vocab, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Corpus c;
  c.counts.assign(vocab, 0.0);
  for (size_t s = 0; s < sentences; ++s) {
    const size_t len = 1 + static_cast<size_t>(u(rng) * 15);
    for (size_t i = 0; i < len; ++i) {
      const auto w = static_cast<uint32_t>(std::min<double>(vocab - 1, std::floor(std::pow(double(vocab), u(rng))) - 1));
      c.ids.push_back(w);
      c.counts[w] += 1;
    }
    c.offsets.push_back(static_cast<uint32_t>(c.ids.size()));
  }
  for (auto& x : c.counts) x = x == 0 ? 1 : x;  // every word needs a count > 0
  return c;
}

}  // namespace

// Every dim from 1 to 40 puts the tails of both vector paths (dim mod 8, dim mod 16) at every
// position; 16 sentinels past v and past the k rows of u must stay as they are (the masked tail
// stores are not seen by ASan), and a write past one row of u into the next shows as a value unlike
// the scalar path's.
XMR_TEST("skipgram step: every ISA path matches scalar, the loss matches a double reference") {
  std::vector<size_t> dims(40);
  for (size_t d = 0; d < dims.size(); ++d) dims[d] = d + 1;
  dims.push_back(100);
  for (Isa isa : xmrtest::runnable({Isa::Scalar, Isa::Avx2, Isa::Avx512})) {
    for (size_t dim : dims) {
      const size_t k = 6;
      auto v = uniform(dim, 1, 0.5f), u = uniform(k * dim, 2, 0.5f);
      const auto v0 = v, u0 = u;
      auto vs = v, us = u;
      v.resize(dim + 16, 42.0f);
      u.resize(k * dim + 16, 42.0f);
      const double loss = xmr::skipgram_step(v.data(), u.data(), k, dim, 0.1f, isa);
      const double loss_s = xmr::skipgram_step(vs.data(), us.data(), k, dim, 0.1f, Isa::Scalar);
      double ref = 0;
      for (size_t t = 0; t < k; ++t) {
        double f = 0;
        for (size_t j = 0; j < dim; ++j) f += double(v0[j]) * u0[t * dim + j];
        ref += std::log1p(std::exp(t == 0 ? -f : f));
      }
      const std::string at = std::string(", isa ") + xmr::isa_name(isa) + ", dim " + std::to_string(dim);
      CHECK_MSG(std::fabs(loss - ref) < 1e-5, "loss against the double reference" + at);
      CHECK_MSG(std::fabs(loss - loss_s) < 1e-5, "loss against the scalar path" + at);
      for (size_t j = 0; j < dim; ++j) CHECK_MSG(std::fabs(v[j] - vs[j]) < 1e-5f, "v" + at);
      for (size_t j = 0; j < k * dim; ++j) CHECK_MSG(std::fabs(u[j] - us[j]) < 1e-5f, "u" + at + ", j " + std::to_string(j));
      for (size_t j = 0; j < 16; ++j) CHECK_MSG(v[dim + j] == 42.0f && u[k * dim + j] == 42.0f, "a write past v or u" + at);
    }
  }
}

XMR_TEST("skipgram epochs: reproducible per (seed, threads), several rounds, every ISA") {
  const Corpus c = zipf(400, 60, 3);
  for (Isa isa : xmrtest::runnable({Isa::Scalar, Isa::Avx2, Isa::Avx512})) {
    for (int threads : {1, 2, 3}) {
      auto run = [&](uint64_t seed) {
        xmr::SkipgramParams p;
        p.dim = 17;
        p.window = 3;
        p.negative = 4;
        p.sample = 1e-2;
        p.epochs = 2;
        p.threads = threads;
        p.round_words = 97;
        p.seed = seed;
        p.isa = isa;
        auto in = uniform(c.counts.size() * p.dim, 5, 0.5f / p.dim);
        std::vector<float> out(in.size(), 0.0f);
        uint64_t pairs = 0;
        for (int e = 0; e < p.epochs; ++e) pairs += xmr::skipgram_train_epoch(c.view(), p, e, in.data(), out.data()).pairs;
        CHECK(pairs > 0);
        in.insert(in.end(), out.begin(), out.end());
        return in;
      };
      const auto a = run(1), b = run(1), d = run(2);
      CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
      CHECK(std::memcmp(a.data(), d.data(), a.size() * sizeof(float)) != 0);
      for (float x : a) CHECK(std::isfinite(x));
    }
  }
}

XMR_TEST("skipgram: bad parameters and corpora are refused") {
  Corpus c = zipf(10, 5, 1);
  std::vector<float> in(5 * 4), out(5 * 4);
  xmr::SkipgramParams p;
  p.dim = 4;
  auto refused = [&](const xmr::SkipgramCorpus& cc, const xmr::SkipgramParams& pp, int epoch) {
    try {
      xmr::skipgram_train_epoch(cc, pp, epoch, in.data(), out.data());
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CHECK(!refused(c.view(), p, 0));
  CHECK(refused(c.view(), p, 5));  // epoch ≥ epochs
  xmr::SkipgramParams q = p;
  q.lr = 0;
  CHECK(refused(c.view(), q, 0));
  Corpus bad = c;
  bad.ids[0] = 5;  // ≥ vocab
  CHECK(refused(bad.view(), p, 0));
  bad = c;
  bad.offsets.back() -= 1;  // does not end at the token count
  CHECK(refused(bad.view(), p, 0));
  bad = c;
  bad.counts[2] = 0;
  CHECK(refused(bad.view(), p, 0));
}
