// The skip-gram trainer: parameter and corpus checks, the keep probabilities of subsampling, the
// noise distribution (Walker's alias table over count^0.75), rounds of sentences per thread with
// copy-on-first-touch overlays and deltas applied in thread order (the deterministic scheme of
// xmr/skipgram.h), and the per-ISA step of skipgram_<isa>.cc.
#include "xmr/skipgram.h"

#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "skipgram_kernels.h"
#include "xmr/parallel.h"
#include "xmr/splitmix.h"

namespace xmr {
namespace {

const detail::SkipgramKernel& kernel(Isa isa) {
  switch (isa) {
    case Isa::Avx512Bf16:
    case Isa::Avx512: return detail::skipgram_kernel_avx512();
    case Isa::Avx2: return detail::skipgram_kernel_avx2();
    case Isa::Scalar: break;
  }
  return detail::skipgram_kernel_scalar();
}

}  // namespace

void skipgram_check(const SkipgramCorpus& c, const SkipgramParams& p, int epoch) {
  auto bad = [](const std::string& m) { throw std::invalid_argument(m); };
  if (p.dim < 1) bad("dim must be ≥ 1");
  if (p.window < 1) bad("window must be ≥ 1");
  if (p.negative < 1) bad("negative must be ≥ 1");
  if (!(p.sample >= 0) || !std::isfinite(p.sample)) bad("sample must be a finite number ≥ 0");
  if (!(p.lr > 0) || !std::isfinite(p.lr)) bad("lr must be a finite number > 0");
  if (p.epochs < 1) bad("epochs must be ≥ 1");
  if (epoch < 0 || epoch >= p.epochs) bad("epoch must be in [0, epochs)");
  if (p.threads < 1) bad("threads must be ≥ 1");
  if (p.round_words < 1) bad("roundWords must be ≥ 1");
  require_isa(p.isa);
  if (c.vocab < 1) bad("the vocabulary is empty");
  if (c.vocab > UINT32_MAX) bad("the vocabulary must have < 2³² words");
  for (size_t w = 0; w < c.vocab; ++w)
    if (!(c.counts[w] > 0) || !std::isfinite(c.counts[w])) bad("counts[" + std::to_string(w) + "] must be a finite number > 0");
  if (c.offsets[0] != 0) bad("offsets[0] must be 0");
  for (size_t s = 0; s < c.sentences; ++s)
    if (c.offsets[s] > c.offsets[s + 1]) bad("offsets must be non-decreasing");
  if (c.offsets[c.sentences] != c.tokens)
    bad("offsets[" + std::to_string(c.sentences) + "] (" + std::to_string(c.offsets[c.sentences]) + ") must equal the number of tokens (" +
        std::to_string(c.tokens) + ")");
  for (size_t i = 0; i < c.tokens; ++i)
    if (c.ids[i] >= c.vocab) bad("ids[" + std::to_string(i) + "] (" + std::to_string(c.ids[i]) + ") must be < the vocabulary size (" + std::to_string(c.vocab) + ")");
}

namespace {

// Walker's alias method (Vose 1991's construction): draws word w with probability count_w^0.75 / Z
// exactly, in O(1), from a table of vocab entries (word2vec.c's 1e8-entry table approximates the same).
class AliasTable {
 public:
  explicit AliasTable(const SkipgramCorpus& c) : prob_(c.vocab), alias_(c.vocab) {
    const size_t n = c.vocab;
    std::vector<double> q(n);
    double z = 0;
    for (size_t w = 0; w < n; ++w) z += q[w] = std::pow(c.counts[w], 0.75);
    std::vector<uint32_t> small, large;
    for (size_t w = 0; w < n; ++w) {
      q[w] *= static_cast<double>(n) / z;
      (q[w] < 1.0 ? small : large).push_back(static_cast<uint32_t>(w));
    }
    while (!small.empty() && !large.empty()) {
      const uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = q[s];
      alias_[s] = l;
      q[l] -= 1.0 - q[s];
      if (q[l] < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (uint32_t w : large) { prob_[w] = 1.0; alias_[w] = w; }
    for (uint32_t w : small) { prob_[w] = 1.0; alias_[w] = w; }  // rounding leftovers
  }
  // The column from the high 32 bits (multiply-shift, no modulo bias), the coin from the low 32.
  uint32_t draw(SplitMix64& r) const {
    const uint64_t x = r.next();
    const uint32_t i = static_cast<uint32_t>(((x >> 32) * prob_.size()) >> 32);
    return static_cast<double>(x & 0xffffffffu) * (1.0 / 4294967296.0) < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<uint32_t> alias_;
};

// Rows read and written in place (threads = 1).
struct DirectRows {
  float* in;
  float* out;
  size_t dim;
  float* in_row(uint32_t w) { return in + static_cast<size_t>(w) * dim; }
  float* out_row(uint32_t w) { return out + static_cast<size_t>(w) * dim; }
};

// A thread's private overlay of one matrix: a row is copied from the shared matrix when first touched
// in a round; the buffer has room for every row (allocated, never touched beyond the rows used), so row
// pointers stay valid for the whole round.
struct Overlay {
  const float* shared;
  size_t dim;
  std::vector<int32_t> slot;     // row → slot, −1 when untouched this round
  std::vector<uint32_t> rows;    // touched rows in slot order
  std::unique_ptr<float[]> buf;  // slots × dim

  Overlay(const float* s, size_t vocab, size_t d) : shared(s), dim(d), slot(vocab, -1), buf(new float[vocab * d]) {}
  float* row(uint32_t w) {
    int32_t s = slot[w];
    if (s < 0) {
      s = static_cast<int32_t>(rows.size());
      rows.push_back(w);
      slot[w] = s;
      std::memcpy(buf.get() + static_cast<size_t>(s) * dim, shared + static_cast<size_t>(w) * dim, dim * sizeof(float));
    }
    return buf.get() + static_cast<size_t>(s) * dim;
  }
  // overlay − shared, in place (the shared matrix is unchanged since the round began).
  void to_deltas() {
    for (size_t s = 0; s < rows.size(); ++s) {
      float* d = buf.get() + s * dim;
      const float* o = shared + static_cast<size_t>(rows[s]) * dim;
      for (size_t j = 0; j < dim; ++j) d[j] -= o[j];
    }
  }
  void reset() {
    for (uint32_t w : rows) slot[w] = -1;
    rows.clear();
  }
};

struct OverlayRows {
  Overlay in, out;
  float* in_row(uint32_t w) { return in.row(w); }
  float* out_row(uint32_t w) { return out.row(w); }
};

// The per-thread state of one share of a round: random stream, scratch, counters.
struct Trainer {
  const SkipgramCorpus& c;
  const SkipgramParams& p;
  const detail::SkipgramKernel& k;
  const AliasTable& noise;
  const std::vector<double>& keep;
  double total_words;  // epochs × tokens, the denominator of progress
  double epoch_start;  // epoch × tokens
  std::vector<uint32_t> kept, pos;
  std::vector<float*> targets;
  std::vector<float> work;
  SkipgramEpochStats stats;

  template <typename Rows>
  void sentences(size_t s0, size_t s1, uint64_t stream, Rows& rows) {
    SplitMix64 r(stream);
    targets.resize(static_cast<size_t>(p.negative) + 1);
    work.resize(p.dim);
    const uint64_t window = static_cast<uint64_t>(p.window);
    const float min_lr = p.lr * 1e-4f;
    for (size_t s = s0; s < s1; ++s) {
      kept.clear();
      pos.clear();
      for (uint32_t i = c.offsets[s]; i < c.offsets[s + 1]; ++i) {
        const uint32_t w = c.ids[i];
        if (keep[w] < 1.0 && !(r.uniform() < keep[w])) continue;
        kept.push_back(w);
        pos.push_back(i);
      }
      stats.effective_words += kept.size();
      const size_t n = kept.size();
      for (size_t a = 0; a < n; ++a) {
        const uint32_t w = kept[a];
        const float progress = static_cast<float>((epoch_start + pos[a]) / total_words);
        float alpha = p.lr * (1.0f - progress);
        if (alpha < min_lr) alpha = min_lr;
        const size_t b = 1 + static_cast<size_t>(((r.next() >> 32) * window) >> 32);
        const size_t lo = a >= b ? a - b : 0, hi = a + b < n ? a + b : n - 1;
        for (size_t cpos = lo; cpos <= hi; ++cpos) {
          if (cpos == a) continue;
          float* v = rows.in_row(kept[cpos]);
          size_t kk = 0;
          targets[kk++] = rows.out_row(w);
          for (int d = 0; d < p.negative; ++d) {
            const uint32_t t = noise.draw(r);
            if (t != w) targets[kk++] = rows.out_row(t);
          }
          k.step(v, targets.data(), kk, p.dim, alpha, work.data(), nullptr);
          ++stats.pairs;
        }
      }
    }
  }
};

// Sentence boundaries of the rounds: round r's share t is sentences [bounds[r·T + t], bounds[r·T + t + 1]).
// A round takes whole sentences until it holds ≥ T·round_words tokens; its shares split its tokens evenly,
// each starting at the first sentence that begins at or after its even cut.
std::vector<size_t> round_bounds(const SkipgramCorpus& c, size_t threads, size_t round_words) {
  std::vector<size_t> b{0};
  size_t s = 0;
  while (s < c.sentences) {
    const size_t start = s, first_token = c.offsets[s];
    while (s < c.sentences && c.offsets[s] - first_token < threads * round_words) ++s;
    const size_t tokens = c.offsets[s] - first_token;
    size_t cut = start;
    for (size_t t = 1; t < threads; ++t) {
      while (cut < s && c.offsets[cut] - first_token < tokens * t / threads) ++cut;
      b.push_back(cut);
    }
    b.push_back(s);
  }
  return b;
}

}  // namespace

double skipgram_step(float* v, float* u, size_t k, size_t dim, float alpha, Isa isa) {
  if (dim < 1) throw std::invalid_argument("dim must be ≥ 1");
  if (k < 1) throw std::invalid_argument("there must be at least one target (the positive)");
  require_isa(isa);
  std::vector<float*> targets(k);
  for (size_t t = 0; t < k; ++t) targets[t] = u + t * dim;
  std::vector<float> work(dim);
  double loss = 0;
  kernel(isa).step(v, targets.data(), k, dim, alpha, work.data(), &loss);
  return loss;
}

SkipgramEpochStats skipgram_train_epoch(const SkipgramCorpus& c, const SkipgramParams& p, int epoch, float* in_vectors,
                                        float* out_vectors) {
  skipgram_check(c, p, epoch);
  double total = 0;
  for (size_t w = 0; w < c.vocab; ++w) total += c.counts[w];
  std::vector<double> keep(c.vocab, 1.0);
  if (p.sample > 0) {
    const double st = p.sample * total;
    for (size_t w = 0; w < c.vocab; ++w) keep[w] = (std::sqrt(c.counts[w] / st) + 1.0) * st / c.counts[w];
  }
  const AliasTable noise(c);
  const size_t T = static_cast<size_t>(p.threads);
  const std::vector<size_t> bounds = round_bounds(c, T, p.round_words);
  const size_t rounds = (bounds.size() - 1) / T;
  const double tokens = static_cast<double>(c.tokens);
  auto stream = [&](size_t round, size_t t) {
    return mix64(p.seed ^ mix64((static_cast<uint64_t>(epoch) << 40) ^ (static_cast<uint64_t>(round) << 8) ^ t));
  };
  auto make_trainer = [&]() {
    return Trainer{c, p, kernel(p.isa), noise, keep, tokens * p.epochs, tokens * epoch, {}, {}, {}, {}, {}};
  };

  SkipgramEpochStats out;
  if (T == 1) {
    Trainer tr = make_trainer();
    DirectRows rows{in_vectors, out_vectors, p.dim};
    for (size_t r = 0; r < rounds; ++r) tr.sentences(bounds[r], bounds[r + 1], stream(r, 0), rows);
    return tr.stats;
  }

  std::vector<Trainer> trainers;
  std::vector<OverlayRows> overlays;
  trainers.reserve(T);
  overlays.reserve(T);
  for (size_t t = 0; t < T; ++t) {
    trainers.push_back(make_trainer());
    overlays.push_back(OverlayRows{Overlay(in_vectors, c.vocab, p.dim), Overlay(out_vectors, c.vocab, p.dim)});
  }
  SpinBarrier barrier(p.threads);
  // Adds every thread's deltas, in thread order, to the rows of matrix m that belong to thread `me`.
  auto apply = [&](size_t me, Overlay OverlayRows::*m, float* shared) {
    for (size_t t = 0; t < T; ++t) {
      const Overlay& o = overlays[t].*m;
      for (size_t s = 0; s < o.rows.size(); ++s) {
        const uint32_t w = o.rows[s];
        if (w % T != me) continue;
        float* dst = shared + static_cast<size_t>(w) * p.dim;
        const float* d = o.buf.get() + s * p.dim;
        for (size_t j = 0; j < p.dim; ++j) dst[j] += d[j];
      }
    }
  };
  parallel_tasks(p.threads, [&](int ti) {
    const size_t t = static_cast<size_t>(ti);
    for (size_t r = 0; r < rounds; ++r) {
      trainers[t].sentences(bounds[r * T + t], bounds[r * T + t + 1], stream(r, t), overlays[t]);
      barrier.wait();  // every share trained: the shared matrices are still as the round began
      overlays[t].in.to_deltas();
      overlays[t].out.to_deltas();
      barrier.wait();
      apply(t, &OverlayRows::in, in_vectors);
      apply(t, &OverlayRows::out, out_vectors);
      barrier.wait();  // every delta applied: the overlays can be emptied
      overlays[t].in.reset();
      overlays[t].out.reset();
    }
  });
  for (const Trainer& tr : trainers) {
    out.effective_words += tr.stats.effective_words;
    out.pairs += tr.stats.pairs;
  }
  return out;
}

}  // namespace xmr
