// Skip-gram with negative sampling (word2vec; Mikolov et al. 2013, "Distributed representations of
// words and phrases and their compositionality"), trained as word2vec.c does it, but deterministic
// under a seed for any thread count. Pure kernel: no Node; every ISA path in one binary.
//
// Per epoch, for every sentence (OOV words already removed by the caller):
//   subsampling   word w with count f_w of T corpus words is kept with probability
//                 p_w = (sqrt(f_w / (s·T)) + 1) · (s·T) / f_w  (word2vec.c and gensim's formula; s = sample,
//                 s = 0 keeps every word), drawn per occurrence before windows are formed;
//   window        b uniform in 1..window per centre word (word2vec.c's dynamic window);
//   pairs         for each context word c within b of centre w, the step on (v_c, u_w, u_n1 … u_nk):
//                 L = −log σ(v_c·u_w) − Σ_i log σ(−v_c·u_ni), negatives n_i drawn from the unigram
//                 distribution raised to 0.75 (Walker's alias table: exact, O(1) per draw); a negative
//                 equal to w is skipped (word2vec.c). SGD with rate α: g_t = α·(label_t − σ(v_c·u_t));
//                 u_t += g_t·v_c; v_c += Σ_t g_t·u_t (the u_t before their update) — word2vec.c's order,
//                 with v_c the context word's input row and u the output ("syn1neg") rows;
//   rate          α = α₀·max(1e−4, 1 − progress), progress = (epoch·N + i)/(epochs·N) for the i-th of N
//                 tokens of an epoch (word2vec.c's linear decay, taken per word from its position, so it
//                 does not depend on how threads interleave).
// σ is computed exactly (1/(1+e^−x)), not from word2vec.c's clamped 1000-entry table: one expf per
// target against 2·dim multiply-adds, and it keeps the step the exact gradient of L (tested by finite
// differences).
//
// Determinism with threads > 1 (word2vec/gensim's Hogwild updates are not reproducible): the epoch is cut
// into rounds of about `round_words` tokens per thread, at sentence boundaries. In a round each thread
// trains its contiguous share of the sentences against a private copy-on-first-touch overlay of the rows
// it reads (it sees its own updates at once, as a single-threaded word2vec would, and nobody else's); the
// shared matrices are read-only meanwhile. Then each overlay row becomes a delta (overlay − shared), and
// the deltas are added to the shared rows in thread order (rows split over threads, so the addition is
// parallel too). Random numbers come from SplitMix64 streams keyed by (seed, epoch, round, thread). So the
// result depends only on (corpus, parameters, seed, threads, isa); with threads = 1 the overlay is
// skipped (it would only round the same updates differently) and training writes the matrices directly.
#pragma once
#include <cstddef>
#include <cstdint>

#include "xmr/cpu.h"

namespace xmr {

struct SkipgramParams {
  size_t dim = 100;
  int window = 5;            // ≥ 1
  int negative = 5;          // ≥ 1
  double sample = 1e-4;      // ≥ 0; 0 = no subsampling
  float lr = 0.025f;         // α₀ > 0
  int epochs = 5;            // total epochs (for the rate schedule)
  int threads = 1;
  size_t round_words = 1u << 15;  // tokens per thread per round (threads > 1)
  uint64_t seed = 0;
  Isa isa = Isa::Scalar;
};

struct SkipgramCorpus {
  const uint32_t* ids = nullptr;      // every sentence's word ids, concatenated (each < vocab)
  size_t tokens = 0;
  const uint32_t* offsets = nullptr;  // sentences + 1 entries, non-decreasing, offsets[sentences] = tokens
  size_t sentences = 0;
  const double* counts = nullptr;     // vocab corpus counts (> 0), for subsampling and the noise distribution
  size_t vocab = 0;
};

struct SkipgramEpochStats {
  uint64_t effective_words = 0;  // tokens kept by subsampling (gensim's "effective words")
  uint64_t pairs = 0;            // (context, centre) steps taken
};

// Throws std::invalid_argument naming the first bad parameter or corpus entry (skipgram_train_epoch
// calls it too).
void skipgram_check(const SkipgramCorpus& corpus, const SkipgramParams& params, int epoch);

// Trains epoch `epoch` (0-based, < params.epochs) in place: in_vectors (v, the word vectors) and
// out_vectors (u) are vocab × dim, row-major. Throws std::invalid_argument on bad parameters or corpus.
SkipgramEpochStats skipgram_train_epoch(const SkipgramCorpus& corpus, const SkipgramParams& params, int epoch,
                                        float* in_vectors, float* out_vectors);

// One SGD step of the kernel the trainer runs, exposed for gradient tests: context row v (dim floats),
// k target rows u (k × dim, the first the positive, the rest negatives), rate α. Updates v and u in
// place as described above and returns L at the parameters before the step (in double).
double skipgram_step(float* v, float* u, size_t k, size_t dim, float alpha, Isa isa);

}  // namespace xmr
