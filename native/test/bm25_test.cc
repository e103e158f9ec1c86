// Bm25Index against scores computed here from the formula (Lucene ≥ 8 BM25, k1 = 0.9, b = 0.4),
// Lucene's SmallFloat length encoding, the tie rule, padding, repeated query terms, threads, and a
// brute-force check on a random corpus.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/bm25.h"

namespace {

using xmr::Bm25Index;
using xmr::Bm25Lengths;
using xmr::Bm25SearchParams;

struct Docs {
  std::vector<uint32_t> terms, offsets{0};
  void add(std::vector<uint32_t> d) {
    terms.insert(terms.end(), d.begin(), d.end());
    offsets.push_back(static_cast<uint32_t>(terms.size()));
  }
};

Bm25Index build(const Docs& d, size_t vocab) {
  Bm25Index idx;
  idx.add_documents(d.terms.data(), d.terms.size(), d.offsets.data(), d.offsets.size() - 1);
  idx.finish(vocab);
  return idx;
}

struct Result {
  std::vector<int32_t> ids;
  std::vector<float> scores;
};

Result search(const Bm25Index& idx, const std::vector<std::vector<uint32_t>>& queries, size_t k, int threads = 1,
              Bm25Lengths lengths = Bm25Lengths::Lucene) {
  Docs q;
  for (auto& x : queries) q.add(x);
  Bm25SearchParams p;
  p.k = k;
  p.threads = threads;
  p.lengths = lengths;
  Result r{std::vector<int32_t>(queries.size() * k), std::vector<float>(queries.size() * k)};
  std::vector<double> nanos(queries.size());
  idx.search(q.terms.data(), q.terms.size(), q.offsets.data(), queries.size(), p, r.ids.data(), r.scores.data(), nanos.data());
  for (double t : nanos) CHECK(t >= 0);
  return r;
}

// The formula in double: idf·tf/(tf + k1·(1 − b + b·dl/avgdl)).
double term_score(double N, double df, double tf, double dl, double avgdl, double k1 = 0.9, double b = 0.4) {
  const double idf = std::log(1 + (N - df + 0.5) / (df + 0.5));
  return idf * tf / (tf + k1 * (1 - b + b * dl / avgdl));
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }

// d0 = [0 1 0], d1 = [1 2 3], d2 = [] (no tokens: not counted in N), d3 = [0 2 2 2]
// N = 3, Σ dl = 10, avgdl = 10/3; df: t0 2, t1 2, t2 2, t3 1.
Docs tiny() {
  Docs d;
  d.add({0, 1, 0});
  d.add({1, 2, 3});
  d.add({});
  d.add({0, 2, 2, 2});
  return d;
}

XMR_TEST("bm25: index statistics of the tiny corpus") {
  const Bm25Index idx = build(tiny(), 5);
  CHECK(idx.docs() == 4);
  CHECK(idx.doc_count() == 3);
  CHECK(idx.sum_total_term_freq() == 10);
  CHECK(idx.avgdl() == static_cast<float>(10.0 / 3.0));
  CHECK(idx.doc_freq(0) == 2 && idx.doc_freq(1) == 2 && idx.doc_freq(2) == 2 && idx.doc_freq(3) == 1 && idx.doc_freq(4) == 0);
  CHECK(idx.doc_freq(99) == 0);
  CHECK(idx.doc_length(3) == 4 && idx.doc_length(2) == 0);
  CHECK(idx.postings() == 7);
}

XMR_TEST("bm25: scores of the tiny corpus match the formula") {
  const Bm25Index idx = build(tiny(), 5);
  const double avg = 10.0 / 3.0;
  // q0 = [0]: d0 (tf 2, dl 3) before d3 (tf 1, dl 4).
  // q1 = [2 3]: d1 has t2 (tf 1) and t3 (tf 1, df 1); d3 has t2 tf 3.
  // q2 = [1 1]: t1 twice → qtf 2 doubles the weight; d1 (dl 3) and d0 (dl 3) tie → lower index first.
  const Result r = search(idx, {{0}, {2, 3}, {1, 1}, {4}, {7}}, 3);
  CHECK(r.ids[0] == 0 && r.ids[1] == 3 && r.ids[2] == -1);
  CHECK(close(r.scores[0], term_score(3, 2, 2, 3, avg)));
  CHECK(close(r.scores[1], term_score(3, 2, 1, 4, avg)));
  CHECK(r.scores[2] == -std::numeric_limits<float>::infinity());
  const double d1 = term_score(3, 2, 1, 3, avg) + term_score(3, 1, 1, 3, avg);
  const double d3 = term_score(3, 2, 3, 4, avg);
  CHECK(d1 > d3);
  CHECK(r.ids[3] == 1 && r.ids[4] == 3 && r.ids[5] == -1);
  CHECK(close(r.scores[3], d1) && close(r.scores[4], d3));
  CHECK(r.ids[6] == 0 && r.ids[7] == 1 && r.ids[8] == -1);  // tie: the lower index first
  CHECK(r.scores[6] == r.scores[7]);
  CHECK(close(r.scores[6], 2 * term_score(3, 2, 1, 3, avg)));
  for (size_t j = 9; j < 15; ++j) CHECK(r.ids[j] == -1);  // t4 is in no document; 7 ≥ vocab is ignored
  // Spelled out for q0/d0: idf = ln(1.6) = 0.47000362924573558, norm = 0.9·(0.6 + 0.4·3/(10/3)) = 0.864.
  CHECK(close(r.scores[0], 0.47000362924573558 * 2 / (2 + 0.864)));
}

XMR_TEST("bm25: k1 and b change the scores as the formula says") {
  const Bm25Index idx = build(tiny(), 5);
  Docs q;
  q.add({2});
  Bm25SearchParams p;
  p.k = 2;
  p.k1 = 1.2f;
  p.b = 0.75f;
  std::vector<int32_t> ids(2);
  std::vector<float> scores(2);
  idx.search(q.terms.data(), q.terms.size(), q.offsets.data(), 1, p, ids.data(), scores.data(), nullptr);
  CHECK(ids[0] == 3 && ids[1] == 1);
  CHECK(close(scores[0], term_score(3, 2, 3, 4, 10.0 / 3.0, 1.2, 0.75)));
  CHECK(close(scores[1], term_score(3, 2, 1, 3, 10.0 / 3.0, 1.2, 0.75)));
}

XMR_TEST("bm25: Lucene's SmallFloat length bytes") {
  for (uint32_t i = 0; i < 24; ++i) CHECK(xmr::lucene_byte4_to_int(xmr::lucene_int_to_byte4(i)) == i);
  CHECK(xmr::lucene_int_to_byte4(24) == 24);
  CHECK(xmr::lucene_int_to_byte4(100) == 57);
  CHECK(xmr::lucene_byte4_to_int(57) == 96);
  CHECK(xmr::lucene_int_to_byte4(2147483647u) == 255);
  uint8_t prev = 0;
  for (uint32_t i = 0; i < 2000000; i += 7) {
    const uint8_t b = xmr::lucene_int_to_byte4(i);
    CHECK(b >= prev);
    CHECK(xmr::lucene_byte4_to_int(b) <= i);
    prev = b;
  }
}

XMR_TEST("bm25: lengths 'lucene' quantise dl, 'exact' does not") {
  Docs d;
  d.add(std::vector<uint32_t>(100, 0));  // dl 100 → stored as 96
  d.add({0, 1});
  const Bm25Index idx = build(d, 2);
  const double avg = 51.0;
  const Result lucene = search(idx, {{0}}, 2, 1, Bm25Lengths::Lucene);
  const Result exact = search(idx, {{0}}, 2, 1, Bm25Lengths::Exact);
  CHECK(lucene.ids[0] == 0 && exact.ids[0] == 0);
  CHECK(close(lucene.scores[0], term_score(2, 2, 100, 96, avg)));
  CHECK(close(exact.scores[0], term_score(2, 2, 100, 100, avg)));
  CHECK(lucene.scores[1] == exact.scores[1]);
}

XMR_TEST("bm25: a random corpus against brute force, 1 and 3 threads, batches of documents") {
  std::mt19937 rng(42);
  const size_t n = 600, vocab = 80, k = 10;
  std::uniform_int_distribution<int> len(0, 40);
  std::geometric_distribution<int> term(0.08);
  std::vector<std::vector<uint32_t>> docs(n);
  for (auto& doc : docs) {
    const int l = len(rng);
    for (int j = 0; j < l; ++j) doc.push_back(static_cast<uint32_t>(std::min<int>(term(rng), vocab - 1)));
  }
  Bm25Index idx;
  for (size_t start = 0; start < n; start += 250) {  // three add_documents calls
    Docs batch;
    for (size_t j = start; j < std::min(n, start + 250); ++j) batch.add(docs[j]);
    idx.add_documents(batch.terms.data(), batch.terms.size(), batch.offsets.data(), batch.offsets.size() - 1);
  }
  idx.finish(vocab);
  std::vector<double> df(vocab, 0);
  double N = 0, sum = 0;
  for (auto& doc : docs) {
    if (!doc.empty()) N += 1;
    sum += doc.size();
    std::vector<uint32_t> u = doc;
    std::sort(u.begin(), u.end());
    u.erase(std::unique(u.begin(), u.end()), u.end());
    for (uint32_t t : u) df[t] += 1;
  }
  const double avg = static_cast<float>(sum / N);
  std::vector<std::vector<uint32_t>> queries;
  for (int i = 0; i < 50; ++i) {
    std::vector<uint32_t> q;
    for (int j = 0; j < 1 + i % 5; ++j) q.push_back(static_cast<uint32_t>(std::min<int>(term(rng), vocab - 1)));
    queries.push_back(q);
  }
  const Result one = search(idx, queries, k, 1), three = search(idx, queries, k, 3);
  CHECK(one.ids == three.ids && one.scores == three.scores);
  for (size_t i = 0; i < queries.size(); ++i) {
    std::vector<double> ref(n, 0.0);
    std::vector<bool> hit(n, false);
    for (size_t d = 0; d < n; ++d) {
      for (uint32_t t : queries[i]) {
        const double tf = static_cast<double>(std::count(docs[d].begin(), docs[d].end(), t));
        if (tf > 0) {
          ref[d] += term_score(N, df[t], tf, static_cast<double>(docs[d].size()), avg);  // dl < 24·2^k: compare loosely
          hit[d] = true;
        }
      }
    }
    size_t matched = 0;
    for (size_t d = 0; d < n; ++d) matched += hit[d];
    for (size_t j = 0; j < k; ++j) {
      const int32_t id = one.ids[i * k + j];
      if (j >= matched) { CHECK(id == -1); continue; }
      CHECK(id >= 0);
      if (id < 0) continue;
      const double lucene_dl = xmr::lucene_byte4_to_int(xmr::lucene_int_to_byte4(static_cast<uint32_t>(docs[id].size())));
      double want = 0;
      for (uint32_t t : queries[i]) {
        const double tf = static_cast<double>(std::count(docs[id].begin(), docs[id].end(), t));
        if (tf > 0) want += term_score(N, df[t], tf, lucene_dl, avg);
      }
      CHECK_MSG(std::fabs(one.scores[i * k + j] - want) <= 1e-5 * std::max(1.0, want), "query " + std::to_string(i) + " rank " + std::to_string(j));
      if (j > 0) {
        const float a = one.scores[i * k + j - 1], b = one.scores[i * k + j];
        CHECK(a > b || (a == b && one.ids[i * k + j - 1] < id));
      }
    }
  }
}

XMR_TEST("bm25: misuse is an error") {
  Bm25Index idx;
  Docs d = tiny();
  idx.add_documents(d.terms.data(), d.terms.size(), d.offsets.data(), d.offsets.size() - 1);
  bool threw = false;
  try { idx.finish(3); } catch (const std::invalid_argument&) { threw = true; }
  CHECK(threw);  // term 3 exists
  std::vector<int32_t> ids(1);
  std::vector<float> scores(1);
  threw = false;
  Bm25SearchParams p;
  try { idx.search(d.terms.data(), 1, d.offsets.data(), 0, p, ids.data(), scores.data(), nullptr); } catch (const std::logic_error&) { threw = true; }
  CHECK(threw);  // not built yet
  idx.finish(4);
  threw = false;
  try { idx.add_documents(d.terms.data(), d.terms.size(), d.offsets.data(), 1); } catch (const std::logic_error&) { threw = true; }
  CHECK(threw);
  p.b = 1.5f;
  threw = false;
  Docs q;
  q.add({0});
  try { idx.search(q.terms.data(), 1, q.offsets.data(), 1, p, ids.data(), scores.data(), nullptr); } catch (const std::invalid_argument&) { threw = true; }
  CHECK(threw);
  std::vector<uint32_t> bad = {0, 5};
  Bm25Index other;
  threw = false;
  try { other.add_documents(d.terms.data(), 2, bad.data(), 1); } catch (const std::invalid_argument&) { threw = true; }
  CHECK(threw);  // offsets past the terms
}

}  // namespace
