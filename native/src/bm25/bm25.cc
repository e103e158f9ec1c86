// The BM25 inverted index: documents arrive as term-id lists (analysed and interned in
// TypeScript), are kept as per-document (term, tf) lists while building, and are turned into
// term-major postings by a counting sort. Queries are evaluated term at a time into a per-thread
// accumulator over all documents (a double per document, plus a list of the documents touched so
// that resetting and top-k selection cost the number of matches, not the corpus size); threads
// take queries from a shared counter.
#include "xmr/bm25.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "xmr/parallel.h"

namespace xmr {

namespace {

// SmallFloat.longToInt4 / int4ToLong: a 4-bit-mantissa float in one byte (subnormal below 8).
uint32_t long_to_int4(uint64_t i) {
  int bits = 0;
  for (uint64_t v = i; v != 0; v >>= 1) ++bits;
  if (bits < 4) return static_cast<uint32_t>(i);
  const int shift = bits - 4;
  uint32_t encoded = static_cast<uint32_t>(i >> shift) & 0x07u;
  encoded |= static_cast<uint32_t>(shift + 1) << 3;
  return encoded;
}

uint64_t int4_to_long(uint32_t i) {
  const uint64_t bits = i & 0x07u;
  const int shift = static_cast<int>(i >> 3) - 1;
  return shift == -1 ? bits : (bits | 0x08u) << shift;
}

// 255 − longToInt4(Integer.MAX_VALUE) = 24 values below which lengths are stored exactly.
constexpr uint32_t kNumFreeValues = 24;

struct Hit {
  float score;
  int32_t id;
};

// Score descending, ties by the lower document index (the order of topk.h).
struct HitBefore {
  bool operator()(const Hit& a, const Hit& b) const { return a.score > b.score || (a.score == b.score && a.id < b.id); }
};

}  // namespace

uint8_t lucene_int_to_byte4(uint32_t i) {
  if (i < kNumFreeValues) return static_cast<uint8_t>(i);
  const uint32_t v = kNumFreeValues + long_to_int4(static_cast<uint64_t>(i) - kNumFreeValues);
  return static_cast<uint8_t>(v > 255 ? 255 : v);  // lengths ≥ 2³¹ (beyond Lucene's int) saturate
}

uint32_t lucene_byte4_to_int(uint8_t b) {
  if (b < kNumFreeValues) return b;
  return static_cast<uint32_t>(kNumFreeValues + int4_to_long(b - kNumFreeValues));
}

void Bm25Index::add_documents(const uint32_t* terms, size_t num_terms, const uint32_t* offsets, size_t docs) {
  if (finished_) throw std::logic_error("the BM25 index is already built: no documents can be added");
  for (size_t j = 0; j < docs; ++j) {
    if (offsets[j] > offsets[j + 1]) throw std::invalid_argument("offsets must be non-decreasing");
  }
  if (docs > 0 && offsets[docs] > num_terms)
    throw std::invalid_argument("offsets[" + std::to_string(docs) + "] (" + std::to_string(offsets[docs]) +
                                ") exceeds terms.length (" + std::to_string(num_terms) + ")");
  if (lengths_.size() + docs > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    throw std::invalid_argument("a BM25 index holds at most 2147483647 documents");
  std::vector<uint32_t> scratch;
  for (size_t j = 0; j < docs; ++j) {
    scratch.assign(terms + offsets[j], terms + offsets[j + 1]);
    std::sort(scratch.begin(), scratch.end());
    for (size_t a = 0; a < scratch.size();) {
      size_t e = a + 1;
      while (e < scratch.size() && scratch[e] == scratch[a]) ++e;
      fwd_terms_.push_back(scratch[a]);
      fwd_tf_.push_back(static_cast<uint32_t>(e - a));
      a = e;
    }
    if (!scratch.empty()) {
      any_term_ = true;
      max_term_ = std::max(max_term_, scratch.back());
      ++doc_count_;
    }
    fwd_offsets_.push_back(fwd_terms_.size());
    lengths_.push_back(static_cast<uint32_t>(scratch.size()));
    sum_tf_ += scratch.size();
  }
}

void Bm25Index::finish(size_t vocab) {
  if (finished_) throw std::logic_error("the BM25 index is already built");
  if (any_term_ && vocab <= max_term_)
    throw std::invalid_argument("vocab (" + std::to_string(vocab) + ") must exceed every term id (the largest is " +
                                std::to_string(max_term_) + ")");
  vocab_ = vocab;
  term_offsets_.assign(vocab + 1, 0);
  for (uint32_t t : fwd_terms_) ++term_offsets_[t + 1];
  for (size_t t = 0; t < vocab; ++t) term_offsets_[t + 1] += term_offsets_[t];
  post_docs_.resize(fwd_terms_.size());
  post_tf_.resize(fwd_terms_.size());
  std::vector<uint64_t> next(term_offsets_.begin(), term_offsets_.end() - 1);
  for (size_t d = 0; d + 1 < fwd_offsets_.size(); ++d) {
    for (uint64_t p = fwd_offsets_[d]; p < fwd_offsets_[d + 1]; ++p) {
      const uint64_t at = next[fwd_terms_[p]]++;
      post_docs_[at] = static_cast<uint32_t>(d);
      post_tf_[at] = fwd_tf_[p];
    }
  }
  std::vector<uint64_t>().swap(fwd_offsets_);
  std::vector<uint32_t>().swap(fwd_terms_);
  std::vector<uint32_t>().swap(fwd_tf_);
  finished_ = true;
}

uint32_t Bm25Index::doc_freq(uint32_t term) const {
  if (!finished_ || term >= vocab_) return 0;
  return static_cast<uint32_t>(term_offsets_[term + 1] - term_offsets_[term]);
}

float Bm25Index::avgdl() const {
  return doc_count_ == 0 ? 0.0f : static_cast<float>(static_cast<double>(sum_tf_) / static_cast<double>(doc_count_));
}

size_t Bm25Index::bytes() const {
  return lengths_.capacity() * 4 + fwd_offsets_.capacity() * 8 + (fwd_terms_.capacity() + fwd_tf_.capacity()) * 4 +
         term_offsets_.capacity() * 8 + (post_docs_.capacity() + post_tf_.capacity()) * 4;
}

void Bm25Index::search(const uint32_t* qterms, size_t num_qterms, const uint32_t* qoffsets, size_t m,
                       const Bm25SearchParams& p, int32_t* ids, float* scores, double* nanos) const {
  if (!finished_) throw std::logic_error("the BM25 index is not built yet (call finish first)");
  if (p.k == 0) throw std::invalid_argument("k must be ≥ 1");
  if (p.threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  if (!(p.k1 >= 0.0f) || !std::isfinite(p.k1)) throw std::invalid_argument("k1 must be a finite number ≥ 0");
  if (!(p.b >= 0.0f && p.b <= 1.0f)) throw std::invalid_argument("b must be in [0, 1]");
  for (size_t i = 0; i < m; ++i)
    if (qoffsets[i] > qoffsets[i + 1]) throw std::invalid_argument("query offsets must be non-decreasing");
  if (m > 0 && qoffsets[m] > num_qterms)
    throw std::invalid_argument("query offsets[" + std::to_string(m) + "] (" + std::to_string(qoffsets[m]) +
                                ") exceeds the query terms' length (" + std::to_string(num_qterms) + ")");

  const size_t n = docs();
  // 1/(k1·(1 − b + b·dl/avgdl)) in float, as Lucene's BM25Similarity.Scorer caches it per norm byte.
  const float avg = avgdl();
  const float k1 = p.k1, b = p.b;
  auto inverse_norm = [&](float dl) { return 1.0f / (k1 * ((1.0f - b) + b * dl / avg)); };
  float table[256];
  std::vector<float> per_doc;
  if (p.lengths == Bm25Lengths::Lucene) {
    for (int i = 0; i < 256; ++i) table[i] = inverse_norm(static_cast<float>(lucene_byte4_to_int(static_cast<uint8_t>(i))));
  }
  std::vector<uint8_t> norm_byte(p.lengths == Bm25Lengths::Lucene ? n : 0);
  if (p.lengths == Bm25Lengths::Lucene) {
    for (size_t d = 0; d < n; ++d) norm_byte[d] = lucene_int_to_byte4(lengths_[d]);
  } else {
    per_doc.resize(n);
    for (size_t d = 0; d < n; ++d) per_doc[d] = inverse_norm(static_cast<float>(lengths_[d]));
  }
  const double big_n = static_cast<double>(doc_count_);

  const int tasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(p.threads), std::max<size_t>(m, 1)));
  std::atomic<size_t> next_query{0};
  parallel_tasks(tasks, [&](int) {
    std::vector<double> acc(n, 0.0);
    std::vector<uint8_t> seen(n, 0);
    std::vector<uint32_t> touched;
    std::vector<uint32_t> terms;
    std::vector<Hit> hits;
    for (size_t i = next_query++; i < m; i = next_query++) {
      const auto t0 = std::chrono::steady_clock::now();
      terms.assign(qterms + qoffsets[i], qterms + qoffsets[i + 1]);
      std::sort(terms.begin(), terms.end());
      for (size_t a = 0; a < terms.size();) {
        size_t e = a + 1;
        while (e < terms.size() && terms[e] == terms[a]) ++e;
        const uint32_t t = terms[a];
        const float qtf = static_cast<float>(e - a);
        a = e;
        if (t >= vocab_) continue;
        const uint64_t lo = term_offsets_[t], hi = term_offsets_[t + 1];
        if (lo == hi) continue;
        const double df = static_cast<double>(hi - lo);
        const float idf = static_cast<float>(std::log(1.0 + (big_n - df + 0.5) / (df + 0.5)));
        const float w = qtf * idf;  // Lucene: weight = boost · idf
        for (uint64_t q = lo; q < hi; ++q) {
          const uint32_t d = post_docs_[q];
          const float ninv = p.lengths == Bm25Lengths::Lucene ? table[norm_byte[d]] : per_doc[d];
          const float s = w - w / (1.0f + static_cast<float>(post_tf_[q]) * ninv);
          if (!seen[d]) {
            seen[d] = 1;
            touched.push_back(d);
          }
          acc[d] += s;
        }
      }
      hits.clear();
      for (uint32_t d : touched) {
        hits.push_back({static_cast<float>(acc[d]), static_cast<int32_t>(d)});
        acc[d] = 0.0;
        seen[d] = 0;
      }
      touched.clear();
      const size_t keep = std::min(p.k, hits.size());
      if (hits.size() > keep) {
        std::nth_element(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), HitBefore());
        hits.resize(keep);
      }
      std::sort(hits.begin(), hits.end(), HitBefore());
      int32_t* row_ids = ids + i * p.k;
      float* row_scores = scores + i * p.k;
      for (size_t j = 0; j < p.k; ++j) {
        row_ids[j] = j < keep ? hits[j].id : -1;
        row_scores[j] = j < keep ? hits[j].score : -std::numeric_limits<float>::infinity();
      }
      if (nanos != nullptr)
        nanos[i] = static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
    }
  });
}

}  // namespace xmr
