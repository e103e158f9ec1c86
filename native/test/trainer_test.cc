// The trainer: analytic gradients against central finite differences (clean InfoNCE in its
// variants, and the adversarial objectives), the pooled perturbation against the token-level
// perturbation kernel, determinism across thread counts, and a small synthetic retrieval task the
// trainer must learn.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/dual_encoder.h"
#include "xmr/perturb.h"
#include "xmr/splitmix.h"
#include "xmr/trainer.h"

namespace {

using xmr::Isa;

// A small batch: B = 4 pairs over a 13-word vocabulary, sequences of 1–5 tokens with repeats.
struct Fixture {
  std::vector<int32_t> ids;
  std::vector<uint32_t> off{0};
  std::vector<int32_t> q, d, neg;
  void add(std::vector<int32_t> s) {
    ids.insert(ids.end(), s.begin(), s.end());
    off.push_back(static_cast<uint32_t>(ids.size()));
  }
  Fixture() {
    add({1, 2});           // q0
    add({3});              // q1
    add({4, 5, 4});        // q2
    add({6, 7, 8});        // q3
    add({1, 9, 2, 10});    // d0
    add({3, 11, 3});       // d1
    add({5, 12});          // d2
    add({8, 6, 0, 7, 2});  // d3
    add({9, 10});          // n0
    add({11});             // n1
    add({12, 0, 4});       // n2
    add({7});              // n3
    q = {0, 1, 2, 3};
    d = {4, 5, 6, 7};
    neg = {8, 9, 10, 11};
  }
  xmr::SequencePool pool() const { return {ids.data(), ids.size(), off.data(), off.size() - 1}; }
  xmr::BatchIndex batch(bool with_neg) const { return {q.data(), d.data(), with_neg ? neg.data() : nullptr, 4}; }
};

struct GradCheck {
  double max_rel = 0;   // max over coordinates of |fd − an| / max(‖an‖∞, 1e-3)
  size_t skipped = 0;   // coordinates where the attack's sign pattern changed within ±h (FGSM)
};

// Central differences of the objective in every coordinate of E and W, compared with the analytic
// gradient. The objective is evaluated by loss_and_gradient itself (its loss output).
// With skip_flips, a coordinate whose ±h probe changes the attack's δ is skipped (FGSM's δ is
// piecewise constant; its jumps are not part of the gradient).
GradCheck check_gradient(xmr::Trainer& tr, const Fixture& fx, bool with_neg, const float* delta, double h = 1e-2,
                         bool skip_flips = false) {
  auto& m = tr.model();
  std::vector<float> gE(m.embedding_floats()), gW(m.projection_floats()), tmpE(gE.size()), tmpW(gW.size());
  const auto pool = fx.pool();
  const auto b = fx.batch(with_neg);
  tr.loss_and_gradient(pool, b, delta, gE.data(), gW.empty() ? nullptr : gW.data());
  double scale = 1e-3;
  for (float g : gE) scale = std::max(scale, double(std::fabs(g)));
  for (float g : gW) scale = std::max(scale, double(std::fabs(g)));
  GradCheck out;
  const std::vector<float> base = skip_flips ? tr.adversarial_delta(pool, b) : std::vector<float>();
  auto probe = [&](float* w, float an) {
    const float keep = *w;
    *w = keep + float(h);
    const double up = tr.loss_and_gradient(pool, b, delta, tmpE.data(), tmpW.empty() ? nullptr : tmpW.data()).loss;
    bool flipped = skip_flips && tr.adversarial_delta(pool, b) != base;
    *w = keep - float(h);
    const double dn = tr.loss_and_gradient(pool, b, delta, tmpE.data(), tmpW.empty() ? nullptr : tmpW.data()).loss;
    flipped = flipped || (skip_flips && tr.adversarial_delta(pool, b) != base);
    *w = keep;
    if (flipped) {
      ++out.skipped;
      return;
    }
    const double fd = (up - dn) / (2 * h);
    out.max_rel = std::max(out.max_rel, std::fabs(fd - an) / scale);
  };
  for (size_t i = 0; i < gE.size(); ++i) probe(m.embeddings() + i, gE[i]);
  for (size_t i = 0; i < gW.size(); ++i) probe(m.projection() + i, gW[i]);
  return out;
}

std::shared_ptr<xmr::DualEncoder> model(size_t proj, uint64_t seed = 5) {
  auto m = std::make_shared<xmr::DualEncoder>(13, 8, proj);
  m->init(seed, 0.5f);
  if (proj != 0)  // a non-identity projection, so that W's gradient is exercised in general
    for (size_t i = 0; i < m->projection_floats(); ++i) m->projection()[i] += 0.1f * std::sin(float(i));
  return m;
}

void report(const char* what, double err) { std::printf("       %-62s %.2e\n", what, err); }

XMR_TEST("trainer: InfoNCE gradient = finite differences (q→d, symmetric, hard negatives, projection)") {
  Fixture fx;
  for (int variant = 0; variant < 6; ++variant) {
    const bool sym = variant & 1, neg = (variant >> 1) & 1;
    const size_t proj = variant >= 4 ? 0 : 5;
    xmr::TrainerConfig c;
    c.tau = 0.3f;
    c.symmetric = sym;
    c.threads = 1 + variant % 2;
    c.isa = variant % 2 ? xmr::detect_isa() : Isa::Scalar;  // the vector paths too
    auto tr = xmr::Trainer(model(proj), c);
    const double err = check_gradient(tr, fx, neg || variant == 5, nullptr).max_rel;
    const std::string name = std::string(xmr::isa_name(c.isa)) + std::string(" clean") + (sym ? " symmetric" : " q→d") + (neg || variant == 5 ? " +neg" : "") +
                             (proj ? " +W(5×8)" : " no W");
    report((name + " (max rel. error)").c_str(), err);
    CHECK_MSG(err < 5e-3, name + ": " + std::to_string(err));
  }
}

XMR_TEST("trainer: gradient of L(x + δ) for a fixed δ = finite differences") {
  Fixture fx;
  xmr::TrainerConfig c;
  c.tau = 0.25f;
  c.symmetric = true;
  auto tr = xmr::Trainer(model(6), c);
  std::vector<float> delta(12 * 8);
  for (size_t i = 0; i < delta.size(); ++i) delta[i] = 0.2f * std::cos(float(i) * 0.7f);
  const double err = check_gradient(tr, fx, true, delta.data()).max_rel;
  report("adversarial L(x+δ), δ fixed, symmetric +neg +W (max rel. error)", err);
  CHECK(err < 5e-3);
}

// Makes c adversarial with an absolute ε (in embedding units, not relative to row norms) at temperature tau.
void absolute_eps(xmr::TrainerConfig& c, xmr::AdvMode mode, float eps, float tau) {
  c.adv = mode;
  c.eps = eps;
  c.eps_relative = false;
  c.tau = tau;
}

XMR_TEST("trainer: gradient of L(x) + λ·L(x + δ(x)) for FGSM and L2 = finite differences") {
  Fixture fx;
  for (xmr::AdvMode mode : {xmr::AdvMode::Fgsm, xmr::AdvMode::L2}) {
    xmr::TrainerConfig c;
    absolute_eps(c, mode, 0.05f, 0.3f);
    c.lambda = 0.7f;
    c.threads = 2;
    auto tr = xmr::Trainer(model(5), c);
    // FGSM's δ = ε·sign(g) is locally constant, so the total objective's derivative is the
    // analytic one with δ held fixed; for L2, δ moves with g, and the check uses a fixed δ from
    // adversarial_delta (the training objective treats δ as a constant, no gradient through it).
    double err;
    if (mode == xmr::AdvMode::Fgsm) {
      const auto r = check_gradient(tr, fx, false, nullptr, 2e-3, true);
      err = r.max_rel;
      report(("FGSM total objective L(x)+λL(x+δ) (" + std::to_string(r.skipped) + " sign flips skipped)").c_str(), err);
      CHECK(r.skipped < 20);
    } else {
      const auto delta = tr.adversarial_delta(fx.pool(), fx.batch(false));
      std::vector<float> gE(tr.model().embedding_floats()), gW(tr.model().projection_floats());
      std::vector<float> g1(gE.size()), w1(gW.size()), g2(gE.size()), w2(gW.size());
      // total = clean + λ·fixed-δ: the trainer's combined gradient must equal that sum
      xmr::TrainerConfig cc = c;
      cc.adv = xmr::AdvMode::None;
      auto clean = xmr::Trainer(std::shared_ptr<xmr::DualEncoder>(&tr.model(), [](xmr::DualEncoder*) {}), cc);
      const auto st = tr.loss_and_gradient(fx.pool(), fx.batch(false), nullptr, gE.data(), gW.data());
      const auto s1 = clean.loss_and_gradient(fx.pool(), fx.batch(false), nullptr, g1.data(), w1.data());
      const auto s2 = clean.loss_and_gradient(fx.pool(), fx.batch(false), delta.data(), g2.data(), w2.data());
      CHECK(std::fabs(st.loss - (s1.loss + 0.7f * s2.loss)) < 1e-5);
      double e = 0;
      for (size_t i = 0; i < gE.size(); ++i) e = std::max(e, double(std::fabs(gE[i] - (g1[i] + 0.7f * g2[i]))));
      for (size_t i = 0; i < gW.size(); ++i) e = std::max(e, double(std::fabs(gW[i] - (w1[i] + 0.7f * w2[i]))));
      CHECK(e < 1e-6);
      err = check_gradient(clean, fx, false, delta.data()).max_rel;
      report("L2 adversarial term L(x+δ) at the attack's δ (max rel. error)", err);
    }
    CHECK(err < 5e-3);
  }
}

// The pooled perturbation equals the mean over tokens of the token-level perturbation computed by
// the kernel on ∂L/∂x_t (= ∂L/∂m / |x| for every token), for FGSM and for L2 over the sequence.
XMR_TEST("trainer: pooled FGSM / L2 δ = mean of the token-level perturbation of ∂L/∂x") {
  Fixture fx;
  for (xmr::AdvMode mode : {xmr::AdvMode::Fgsm, xmr::AdvMode::L2}) {
    xmr::TrainerConfig c;
    absolute_eps(c, mode, 0.3f, 0.3f);
    auto tr = xmr::Trainer(model(0), c);
    const auto pool = fx.pool();
    const auto b = fx.batch(false);
    const auto delta = tr.adversarial_delta(pool, b);
    xmr::TrainerConfig cc = c;
    cc.adv = xmr::AdvMode::None;
    // A copy of the model in which each token occurrence has its own vocabulary row (a copy of
    // its E row), so that the gradient of row t is exactly ∂L/∂x_t.
    const size_t d = 8, T = fx.ids.size();
    auto iso = std::make_shared<xmr::DualEncoder>(T, d, 0);
    for (size_t t = 0; t < T; ++t) std::memcpy(iso->embeddings() + t * d, tr.model().embeddings() + size_t(fx.ids[t]) * d, d * 4);
    std::vector<int32_t> own(T);
    std::iota(own.begin(), own.end(), 0);
    auto isot = xmr::Trainer(iso, cc);
    std::vector<float> gx(T * d);
    isot.loss_and_gradient({own.data(), T, fx.off.data(), fx.off.size() - 1}, b, nullptr, gx.data(), nullptr);
    double err = 0;
    const std::vector<int32_t> order = {0, 1, 2, 3, 4, 5, 6, 7};  // q then d
    for (size_t s = 0; s < 8; ++s) {
      const size_t p = size_t(order[s]);
      const size_t a = fx.off[p], n = fx.off[p + 1] - a;
      xmr::PerturbParams pp;
      pp.eps = 0.3f;
      pp.norm = mode == xmr::AdvMode::L2 ? xmr::PerturbNorm::L2 : xmr::PerturbNorm::Linf;
      pp.group_size = n * d;  // the whole sequence
      std::vector<float> dt(n * d);
      xmr::perturb(nullptr, gx.data() + a * d, n * d, pp, dt.data());
      for (size_t i = 0; i < d; ++i) {
        double mean = 0;
        for (size_t k = 0; k < n; ++k) mean += dt[k * d + i] / double(n);
        err = std::max(err, std::fabs(mean - delta[s * d + i]));
      }
    }
    report(mode == xmr::AdvMode::L2 ? "pooled L2 δ vs token-level kernel (abs. error)" : "pooled FGSM δ vs token-level kernel (abs. error)", err);
    CHECK(err < 1e-6);
  }
}

XMR_TEST("trainer: PGD δ lies in the ε-ball (linf and per-sequence L2) and is seeded") {
  Fixture fx;
  for (xmr::PerturbNorm norm : {xmr::PerturbNorm::Linf, xmr::PerturbNorm::L2}) {
    xmr::TrainerConfig c;
    c.adv = xmr::AdvMode::Pgd;
    c.pgd_norm = norm;
    c.pgd_steps = 4;
    c.eps = 0.2f;
    c.eps_relative = false;
    c.seed = 11;
    auto tr = xmr::Trainer(model(5), c);
    const auto a = tr.adversarial_delta(fx.pool(), fx.batch(true));
    const auto b = tr.adversarial_delta(fx.pool(), fx.batch(true));
    CHECK(a == b);
    for (size_t s = 0; s < 12; ++s) {
      const size_t p = s < 4 ? fx.q[s] : s < 8 ? fx.d[s - 4] : fx.neg[s - 8];
      const double n = fx.off[p + 1] - fx.off[p];
      double nn = 0, mx = 0;
      for (size_t i = 0; i < 8; ++i) nn += double(a[s * 8 + i]) * a[s * 8 + i], mx = std::max(mx, double(std::fabs(a[s * 8 + i])));
      // token-level norm over the sequence: √n·‖δ_pooled‖ ≤ ε
      if (norm == xmr::PerturbNorm::L2) CHECK(std::sqrt(nn * n) <= 0.2 * (1 + 1e-6));
      else CHECK(mx <= 0.2f);
      CHECK(nn > 0);
    }
  }
}

XMR_TEST("trainer: the same seed gives the same model bit for bit with 1, 2 or 3 threads") {
  Fixture fx;
  std::vector<std::vector<float>> results;
  for (int threads : {1, 2, 3}) {
    xmr::TrainerConfig c;
    c.threads = threads;
    c.adv = xmr::AdvMode::Pgd;
    c.eps = 0.1f;
    c.freelb = true;
    c.symmetric = true;
    c.weight_decay = 0.01f;
    c.lr = 0.01f;
    auto m = model(5);
    xmr::Trainer tr(m, c);
    std::vector<int32_t> q, d, n;
    for (int s = 0; s < 5; ++s) {
      for (int i = 0; i < 4; ++i) q.push_back(fx.q[(i + s) % 4]), d.push_back(fx.d[(i + s) % 4]), n.push_back(fx.neg[(i + s) % 4]);
    }
    std::vector<xmr::StepStats> st(5);
    tr.train(fx.pool(), q.data(), d.data(), n.data(), 4, 5, st.data());
    CHECK(tr.step() == 5);
    std::vector<float> all(m->embeddings(), m->embeddings() + m->embedding_floats());
    all.insert(all.end(), m->projection(), m->projection() + m->projection_floats());
    all.push_back(st[4].loss);
    results.push_back(all);
  }
  CHECK(results[0] == results[1]);
  CHECK(results[0] == results[2]);
}

XMR_TEST("trainer: lazy sparse Adam leaves untouched rows and their moments alone") {
  Fixture fx;
  xmr::TrainerConfig c;
  c.weight_decay = 0.1f;
  auto m = model(0);
  const std::vector<float> before(m->embeddings(), m->embeddings() + m->embedding_floats());
  xmr::Trainer tr(m, c);
  // queries 0, 1 and positives 4, 5 only: rows {1, 2, 3, 9, 10, 11} are touched
  const std::vector<int32_t> q = {0, 1}, d = {4, 5};
  tr.train(fx.pool(), q.data(), d.data(), nullptr, 2, 1, nullptr);
  for (int32_t row = 0; row < 13; ++row) {
    const bool touched = row == 1 || row == 2 || row == 3 || row == 9 || row == 10 || row == 11;
    const bool same = std::memcmp(before.data() + row * 8, m->embeddings() + row * 8, 32) == 0;
    CHECK_MSG(same != touched, "row " + std::to_string(row));
    CHECK((tr.vE()[size_t(row) * 8] != 0) == touched);
  }
}

XMR_TEST("trainer: bad batches are rejected before any update") {
  Fixture fx;
  xmr::Trainer tr(model(0), xmr::TrainerConfig{});
  const std::vector<int32_t> q = {0, 12}, d = {4, 5};
  std::string msg;
  try {
    tr.train(fx.pool(), q.data(), d.data(), nullptr, 2, 1, nullptr);
  } catch (const std::exception& e) {
    msg = e.what();
  }
  CHECK(msg == "queries[1] = 12 is not a sequence of the pool [0, 12)");
  CHECK(tr.step() == 0);
  xmr::TrainerConfig bad;
  bad.tau = 0;
  try {
    xmr::Trainer t2(model(0), bad);
    msg = "";
  } catch (const std::exception& e) {
    msg = e.what();
  }
  CHECK(msg == "tau must be a finite number > 0");
}

// Synthetic bilingual retrieval: documents are bags of "source" words 0..99, queries are 4 of their
// words mapped to "target" words 100..199. A random model cannot match the two vocabularies
// (chance MRR ≈ 0.05 over 100 candidates); training on 300 pairs must align them for unseen pairs.
XMR_TEST("trainer: learns a synthetic cross-vocabulary retrieval task (loss falls, MRR ≫ chance)") {
  const size_t docs = 400, train = 300, V = 200, d = 32;
  xmr::SplitMix64 rng(77);
  std::vector<int32_t> ids;
  std::vector<uint32_t> off{0};
  for (size_t i = 0; i < docs; ++i) {  // document i: 8 words
    for (int k = 0; k < 8; ++k) ids.push_back(int32_t(rng.next() % 100));
    off.push_back(uint32_t(ids.size()));
  }
  for (size_t i = 0; i < docs; ++i) {  // query i = sequence docs + i: 4 of its words, translated
    for (int k = 0; k < 4; ++k) ids.push_back(100 + ids[off[i] + (rng.next() % 8)]);
    off.push_back(uint32_t(ids.size()));
  }
  const xmr::SequencePool pool{ids.data(), ids.size(), off.data(), off.size() - 1};
  auto m = std::make_shared<xmr::DualEncoder>(V, d, 0);
  m->init(1, 0.1f);
  auto mrr = [&]() {
    std::vector<float> enc(2 * docs * d);
    m->encode(pool, enc.data(), 2, xmr::detect_isa());
    double sum = 0;
    for (size_t i = train; i < docs; ++i) {
      const float* q = enc.data() + (docs + i) * d;
      auto score = [&](size_t j) { double s = 0; for (size_t p = 0; p < d; ++p) s += q[p] * enc[j * d + p]; return s; };
      const double mine = score(i);
      size_t rank = 1;
      for (size_t j = train; j < docs; ++j) rank += (j != i && score(j) > mine);
      sum += rank <= 10 ? 1.0 / double(rank) : 0.0;
    }
    return sum / double(docs - train);
  };
  const double before = mrr();
  xmr::TrainerConfig c;
  c.lr = 0.02f;
  c.tau = 0.1f;
  c.threads = 2;
  c.isa = xmr::detect_isa();
  xmr::Trainer tr(m, c);
  const size_t B = 30, epochs = 40;
  std::vector<float> first_last;
  for (size_t ep = 0; ep < epochs; ++ep) {
    std::vector<int32_t> perm(train);
    std::iota(perm.begin(), perm.end(), 0);
    for (size_t i = train - 1; i > 0; --i) std::swap(perm[i], perm[rng.next() % (i + 1)]);
    std::vector<int32_t> q(train), dd(train);
    for (size_t i = 0; i < train; ++i) q[i] = int32_t(docs) + perm[i], dd[i] = perm[i];
    std::vector<xmr::StepStats> st(train / B);
    tr.train(pool, q.data(), dd.data(), nullptr, B, train / B, st.data());
    double mean = 0;
    for (auto& s : st) mean += s.loss / double(st.size());
    if (ep == 0 || ep == epochs - 1) first_last.push_back(float(mean));
  }
  const double after = mrr();
  std::printf("       synthetic task: loss %.3f → %.3f, held-out MRR@10 %.3f → %.3f\n", first_last[0], first_last[1], before, after);
  CHECK(first_last[1] < 0.5f * first_last[0]);
  CHECK(before < 0.15);
  CHECK(after > 0.5);
}

}  // namespace
