// BM25 over an inverted index of integer term ids, scored as Lucene's BM25Similarity (Lucene ≥ 8,
// which Anserini and Pyserini — the BM25 numbers BEIR reports — run on):
//
//   score(q, d) = Σ_{t ∈ q} w_t · tf / (tf + k1·(1 − b + b·dl/avgdl))
//   w_t = qtf_t · idf_t,   idf_t = ln(1 + (N − df_t + 0.5)/(df_t + 0.5))
//
// (Robertson & Zaragoza 2009, with Lucene's idf, which is never negative). Lucene 8 dropped the
// classic (k1 + 1) numerator factor (LUCENE-8563): it multiplies every score by the same constant,
// so rankings do not change. qtf_t, the number of times t occurs in the query, is the boost
// Anserini's bag-of-words query gives a repeated term. N is the number of documents with at least
// one token (Lucene's docCount), avgdl = Σ dl / N, dl the number of indexed tokens.
//
// Float arithmetic follows Lucene's BM25Scorer: per-term contributions in float as
// w − w/(1 + tf·(1/(k1·(1 − b + b·dl/avgdl)))) and the sum over terms in double, rounded to float.
// Document lengths: Lucene stores dl lossily in one byte (SmallFloat.intToByte4: exact below 24,
// then 4 significant bits); Bm25Lengths::Lucene reproduces that, Bm25Lengths::Exact uses dl itself.
//
// Results: per query the k best documents that contain at least one query term, ordered by score
// descending, ties by the lower document index (the order of topk.h); unused slots hold id −1 and
// score −Infinity.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace xmr {

enum class Bm25Lengths { Lucene, Exact };

struct Bm25SearchParams {
  size_t k = 10;
  float k1 = 0.9f;  // ≥ 0 (Anserini's BEIR default 0.9)
  float b = 0.4f;   // in [0, 1] (Anserini's BEIR default 0.4)
  Bm25Lengths lengths = Bm25Lengths::Lucene;
  int threads = 1;
};

// SmallFloat.intToByte4 / byte4ToInt of Lucene (org.apache.lucene.util.SmallFloat).
uint8_t lucene_int_to_byte4(uint32_t i);
uint32_t lucene_byte4_to_int(uint8_t b);

class Bm25Index {
 public:
  // Appends documents: document j of the batch has the tokens terms[offsets[j] … offsets[j+1]),
  // for j < docs (offsets has docs + 1 non-decreasing entries). Only before finish().
  void add_documents(const uint32_t* terms, size_t num_terms, const uint32_t* offsets, size_t docs);

  // Builds the postings (term-major, documents ascending); vocab must exceed every term id added.
  // The index is read-only afterwards, so concurrent searches are safe.
  void finish(size_t vocab);
  bool finished() const { return finished_; }

  // Query i has the term ids qterms[qoffsets[i] … qoffsets[i+1]) (ids ≥ vocab are ignored, repeats
  // count as qtf). ids/scores: m×k; nanos (optional): per-query evaluation time in nanoseconds.
  void search(const uint32_t* qterms, size_t num_qterms, const uint32_t* qoffsets, size_t m,
              const Bm25SearchParams& params, int32_t* ids, float* scores, double* nanos) const;

  size_t docs() const { return lengths_.size(); }
  size_t doc_count() const { return doc_count_; }            // documents with ≥ 1 token
  uint64_t sum_total_term_freq() const { return sum_tf_; }   // Σ dl
  size_t vocab() const { return vocab_; }
  size_t postings() const { return post_docs_.size(); }
  uint32_t doc_freq(uint32_t term) const;
  uint32_t doc_length(size_t doc) const { return lengths_.at(doc); }
  // avgdl as Lucene computes it: (float)(Σ dl / (double) N); 0 for an empty index.
  float avgdl() const;
  size_t bytes() const;

 private:
  bool finished_ = false;
  size_t vocab_ = 0;
  uint32_t max_term_ = 0;
  bool any_term_ = false;
  size_t doc_count_ = 0;
  uint64_t sum_tf_ = 0;
  std::vector<uint32_t> lengths_;  // dl per document
  // While building: per document, its distinct terms (ascending) and their frequencies.
  std::vector<uint64_t> fwd_offsets_{0};
  std::vector<uint32_t> fwd_terms_, fwd_tf_;
  // After finish(): term t's postings are post_docs_/post_tf_[term_offsets_[t] … term_offsets_[t+1]).
  std::vector<uint64_t> term_offsets_;
  std::vector<uint32_t> post_docs_, post_tf_;
};

}  // namespace xmr
