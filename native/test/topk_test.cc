// topk_f32 / topk_bf16 against a double-precision brute force, on every ISA path this CPU has.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "../src/topk/score_kernels.h"
#include "../src/topk/topk_collect.h"
#include "xmr/topk.h"

namespace {

using xmr::Isa;

std::vector<Isa> isas() { return xmrtest::runnable({Isa::Scalar, Isa::Avx2, Isa::Avx512, Isa::Avx512Bf16}); }

struct Ref {
  std::vector<int32_t> ids;      // m × k
  std::vector<double> scores;    // m × k
  std::vector<double> next;      // per query: the score ranked k + 1 (NaN if none)
};

// Full sort of double-precision scores under the documented order.
Ref brute_force(const std::vector<float>& q, const std::vector<float>& d, size_t m, size_t n, size_t dim, size_t k,
                bool cosine) {
  Ref r;
  for (size_t i = 0; i < m; ++i) {
    std::vector<std::pair<double, int32_t>> all;
    double qn = 0;
    for (size_t p = 0; p < dim; ++p) qn += double(q[i * dim + p]) * q[i * dim + p];
    for (size_t j = 0; j < n; ++j) {
      double s = 0, dn = 0;
      for (size_t p = 0; p < dim; ++p) {
        s += double(q[i * dim + p]) * d[j * dim + p];
        dn += double(d[j * dim + p]) * d[j * dim + p];
      }
      if (cosine) s = (qn > 0 && dn > 0) ? s / std::sqrt(qn * dn) : 0.0;
      all.push_back({s, int32_t(j)});
    }
    std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) {
      const bool na = std::isnan(a.first), nb = std::isnan(b.first);
      if (na || nb) return !na && nb;
      return a.first > b.first;
    });
    for (size_t j = 0; j < k; ++j) {
      r.ids.push_back(j < n ? all[j].second : -1);
      r.scores.push_back(j < n ? all[j].first : -std::numeric_limits<double>::infinity());
    }
    r.next.push_back(k < n ? all[k].first : std::numeric_limits<double>::quiet_NaN());
  }
  return r;
}

// Same ranking as the reference wherever the reference's neighbouring scores are separated by
// more than `tol` (closer scores may legitimately swap under a different summation order).
void expect_matches(const Ref& ref, const std::vector<int32_t>& ids, const std::vector<float>& scores, size_t m,
                    size_t k, double tol, const std::string& label) {
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < k; ++j) {
      const size_t x = i * k + j;
      const double rs = ref.scores[x];
      if (std::isinf(rs) && ref.ids[x] == -1) {
        CHECK_MSG(ids[x] == -1 && std::isinf(scores[x]) && scores[x] < 0, label + ": padding");
        continue;
      }
      CHECK_MSG(std::fabs(scores[x] - rs) <= tol * (1 + std::fabs(rs)) || (std::isnan(rs) && std::isnan(scores[x])),
                label + ": score " + std::to_string(scores[x]) + " vs " + std::to_string(rs));
      const bool near_prev = j > 0 && std::fabs(ref.scores[x - 1] - rs) <= 2 * tol * (1 + std::fabs(rs));
      const double next = j + 1 < k ? ref.scores[x + 1] : ref.next[i];
      const bool near_next = std::fabs(next - rs) <= 2 * tol * (1 + std::fabs(rs));
      if (!near_prev && !near_next)
        CHECK_MSG(ids[x] == ref.ids[x], label + ": id " + std::to_string(ids[x]) + " vs " + std::to_string(ref.ids[x]) +
                                            " at query " + std::to_string(i) + " rank " + std::to_string(j));
    }
  }
}

std::vector<float> randn(size_t count, std::mt19937& rng) {
  std::normal_distribution<float> g;
  std::vector<float> v(count);
  for (auto& x : v) x = g(rng);
  return v;
}

}  // namespace

XMR_TEST("topk_f32 matches brute force across shapes, k, metrics, threads and ISA paths") {
  std::mt19937 rng(7);
  for (size_t dim : {1, 3, 16, 17, 64, 100}) {
    for (size_t n : {1, 5, 33, 700}) {
      const size_t m = 13;
      auto q = randn(m * dim, rng), d = randn(n * dim, rng);
      for (size_t k : {1, 10, 100}) {
        for (bool cosine : {false, true}) {
          const Ref ref = brute_force(q, d, m, n, dim, k, cosine);
          for (Isa isa : isas()) {
            for (int threads : {1, 3}) {
              std::vector<int32_t> ids(m * k);
              std::vector<float> sc(m * k);
              xmr::TopKParams p{k, cosine ? xmr::Metric::Cosine : xmr::Metric::InnerProduct, threads, isa};
              xmr::topk_f32(q.data(), m, d.data(), n, dim, p, ids.data(), sc.data());
              expect_matches(ref, ids, sc, m, k, 1e-5,
                             std::string("f32 ") + xmr::isa_name(isa) + " dim=" + std::to_string(dim) +
                                 " n=" + std::to_string(n) + " k=" + std::to_string(k));
            }
          }
        }
      }
    }
  }
}

XMR_TEST("ties go to the lower index and NaN ranks last, on every path") {
  // Small integers: every score is exact in float32, so ties are real ties on every path.
  const size_t dim = 5, n = 300, m = 4, k = 40;
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> small(-1, 1);
  std::vector<float> q(m * dim), d(n * dim);
  for (auto& x : q) x = float(small(rng));
  for (auto& x : d) x = float(small(rng));
  d[7 * dim] = std::numeric_limits<float>::quiet_NaN();
  d[250 * dim + 1] = std::numeric_limits<float>::quiet_NaN();
  for (size_t kk : {k, size_t(100), size_t(400)}) {
    const Ref ref = brute_force(q, d, m, n, dim, kk, false);
    for (Isa isa : isas()) {
      for (int threads : {1, 2, 4}) {
        std::vector<int32_t> ids(m * kk);
        std::vector<float> sc(m * kk);
        xmr::topk_f32(q.data(), m, d.data(), n, dim, {kk, xmr::Metric::InnerProduct, threads, isa}, ids.data(), sc.data());
        for (size_t x = 0; x < m * kk; ++x)
          CHECK_MSG(ids[x] == ref.ids[x], std::string("tie order ") + xmr::isa_name(isa) + " k=" + std::to_string(kk) +
                                              " at " + std::to_string(x) + ": " + std::to_string(ids[x]) + " vs " +
                                              std::to_string(ref.ids[x]));
      }
    }
  }
}

XMR_TEST("topk_bf16 is within bf16 rounding of float32 and exact on bf16-representable data") {
  std::mt19937 rng(11);
  for (size_t dim : {2, 7, 32, 129}) {
    const size_t n = 500, m = 9, k = 10;
    auto q = randn(m * dim, rng), d = randn(n * dim, rng);
    // Round the inputs to bf16 first: then every path computes the same exact products.
    for (auto& x : q) x = xmr::bf16_to_f32(xmr::f32_to_bf16(x));
    for (auto& x : d) x = xmr::bf16_to_f32(xmr::f32_to_bf16(x));
    const xmr::Bf16Matrix bm = xmr::make_bf16_matrix(d.data(), n, dim, 2);
    std::vector<float> row(dim);
    bm.n > 3 ? xmr::bf16_matrix_row(bm, 3, row.data()) : void();
    for (size_t p = 0; p < dim; ++p) CHECK(row[p] == d[3 * dim + p]);
    for (bool cosine : {false, true}) {
      const Ref ref = brute_force(q, d, m, n, dim, k, cosine);
      for (Isa isa : isas()) {
        std::vector<int32_t> ids(m * k);
        std::vector<float> sc(m * k);
        xmr::topk_bf16(q.data(), m, bm, {k, cosine ? xmr::Metric::Cosine : xmr::Metric::InnerProduct, 2, isa}, ids.data(),
                       sc.data());
        expect_matches(ref, ids, sc, m, k, 1e-5, std::string("bf16 ") + xmr::isa_name(isa) + " dim=" + std::to_string(dim));
      }
    }
  }
}

XMR_TEST("f32_to_bf16 rounds to nearest even and keeps NaN and infinities") {
  CHECK(xmr::f32_to_bf16(1.0f) == 0x3f80);
  CHECK(xmr::f32_to_bf16(1.0f + 1.0f / 256) == 0x3f80);         // exactly halfway, even stays
  CHECK(xmr::f32_to_bf16(1.0f + 3.0f / 256) == 0x3f82);         // halfway, odd rounds up
  CHECK(xmr::f32_to_bf16(1.0f + 1.0f / 256 + 1e-6f) == 0x3f81); // above halfway
  CHECK(xmr::f32_to_bf16(std::numeric_limits<float>::infinity()) == 0x7f80);
  CHECK(std::isnan(xmr::bf16_to_f32(xmr::f32_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  CHECK(xmr::f32_to_bf16(-0.0f) == 0x8000);
}

XMR_TEST("bad parameters throw instead of crashing") {
  std::vector<float> q(4), d(4);
  std::vector<int32_t> ids(4);
  std::vector<float> sc(4);
  auto throws = [&](xmr::TopKParams p, size_t dim) {
    try {
      xmr::topk_f32(q.data(), 1, d.data(), 1, dim, p, ids.data(), sc.data());
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CHECK(throws({0, xmr::Metric::InnerProduct, 1, Isa::Scalar}, 4));
  CHECK(throws({1, xmr::Metric::InnerProduct, 0, Isa::Scalar}, 4));
  CHECK(throws({1, xmr::Metric::InnerProduct, 1, Isa::Scalar}, 0));
}

XMR_TEST("blocking edge cases: n and m off the block sizes, k > n, one query, many queries, odd dims") {
  // dim 384 makes 256-document tiles and 12-query blocks on AVX-512 (8 and 16 on the others):
  // n = 257 and 769 leave one-document tiles; m = 1, 13, 100 give one block, an uneven split and
  // many blocks; k = 300 > n = 257 pads; m = 800 is enough query blocks per thread (≥ 32) for the
  // query split over several tiles (n = 600), where fewer queries split the documents.
  std::mt19937 rng(23);
  struct Case { size_t dim, n, m, k; };
  for (const Case c : {Case{384, 257, 13, 300}, Case{384, 769, 1, 10}, Case{130, 769, 100, 100}, Case{31, 1000, 25, 65},
                       Case{384, 600, 800, 100}}) {
    auto q = randn(c.m * c.dim, rng), d = randn(c.n * c.dim, rng);
    const Ref ref = brute_force(q, d, c.m, c.n, c.dim, c.k, false);
    for (Isa isa : isas()) {
      for (int threads : {1, 2, 3}) {
        std::vector<int32_t> ids(c.m * c.k);
        std::vector<float> sc(c.m * c.k);
        xmr::topk_f32(q.data(), c.m, d.data(), c.n, c.dim, {c.k, xmr::Metric::InnerProduct, threads, isa}, ids.data(),
                      sc.data());
        // 1e-4: a float32 sum of 384 products strays ~1e-5 relative from the double sum
        // (the shape test above stops at dim 100 with 1e-5).
        expect_matches(ref, ids, sc, c.m, c.k, 1e-4,
                       std::string("edge ") + xmr::isa_name(isa) + " dim=" + std::to_string(c.dim) + " n=" +
                           std::to_string(c.n) + " m=" + std::to_string(c.m) + " k=" + std::to_string(c.k) +
                           " threads=" + std::to_string(threads));
      }
    }
  }
}

XMR_TEST("ties across thread boundaries and tiles go to the lower index, heap and reservoir k") {
  // Every document scores one of three values, so each tie class spans every thread's document
  // range and every tile; the merged result must list each class in index order.
  const size_t dim = 384, n = 2000, m = 14;
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> small(0, 2);
  std::vector<float> q(m * dim, 0.0f), d(n * dim, 0.0f);
  for (size_t i = 0; i < m; ++i) q[i * dim + i % dim] = 1.0f;
  for (size_t j = 0; j < n; ++j)
    for (size_t i = 0; i < m; ++i) d[j * dim + i] = float(small(rng));
  for (size_t k : {size_t(10), size_t(100), size_t(700)}) {
    const Ref ref = brute_force(q, d, m, n, dim, k, false);
    for (Isa isa : isas()) {
      for (int threads : {2, 3}) {
        std::vector<int32_t> ids(m * k);
        std::vector<float> sc(m * k);
        xmr::topk_f32(q.data(), m, d.data(), n, dim, {k, xmr::Metric::InnerProduct, threads, isa}, ids.data(), sc.data());
        for (size_t x = 0; x < m * k; ++x)
          CHECK_MSG(ids[x] == ref.ids[x], std::string("tie across threads ") + xmr::isa_name(isa) + " k=" + std::to_string(k) +
                                              " threads=" + std::to_string(threads) + " at " + std::to_string(x));
        const xmr::Bf16Matrix bm = xmr::make_bf16_matrix(d.data(), n, dim, 2);
        xmr::topk_bf16(q.data(), m, bm, {k, xmr::Metric::InnerProduct, threads, isa}, ids.data(), sc.data());
        for (size_t x = 0; x < m * k; ++x)
          CHECK_MSG(ids[x] == ref.ids[x], std::string("bf16 tie across threads ") + xmr::isa_name(isa) + " k=" +
                                              std::to_string(k) + " at " + std::to_string(x));
      }
    }
  }
}

XMR_TEST("packed f32 documents give topk_f32's ids and scores bit for bit, packed for any path, searched on any") {
  // Shapes off every strip and tile size (dim 384: 256-document tiles on AVX-512), both splits
  // (m = 800 queries the query split), both metrics with a zero document (cosine 0).
  std::mt19937 rng(41);
  struct Case { size_t dim, n, m, k; };
  for (const Case c : {Case{1, 5, 3, 10}, Case{17, 700, 13, 100}, Case{384, 769, 25, 10}, Case{64, 3100, 800, 100}}) {
    auto q = randn(c.m * c.dim, rng), d = randn(c.n * c.dim, rng);
    std::fill(d.begin() + static_cast<std::ptrdiff_t>(c.dim), d.begin() + static_cast<std::ptrdiff_t>(2 * c.dim), 0.0f);  // document 1
    for (Isa packed_for : isas()) {
      const xmr::F32Matrix fm = xmr::make_f32_matrix(d.data(), c.n, c.dim, packed_for, 2);
      std::vector<float> row(c.dim);
      for (size_t j : {size_t(0), c.n / 2, c.n - 1}) {
        xmr::f32_matrix_row(fm, j, row.data());
        CHECK_MSG(std::equal(row.begin(), row.end(), d.begin() + static_cast<std::ptrdiff_t>(j * c.dim)), "f32_matrix_row " + std::to_string(j));
      }
      for (Isa isa : isas()) {
        for (bool cosine : {false, true}) {
          const xmr::TopKParams p{c.k, cosine ? xmr::Metric::Cosine : xmr::Metric::InnerProduct, 2, isa};
          std::vector<int32_t> want_ids(c.m * c.k), got_ids(c.m * c.k);
          std::vector<float> want(c.m * c.k), got(c.m * c.k);
          xmr::topk_f32(q.data(), c.m, d.data(), c.n, c.dim, p, want_ids.data(), want.data());
          xmr::topk_f32(q.data(), c.m, fm, p, got_ids.data(), got.data());
          const std::string label = std::string("packed for ") + xmr::isa_name(packed_for) + ", searched on " + xmr::isa_name(isa) +
                                    (cosine ? " cosine" : " ip") + " dim=" + std::to_string(c.dim) + " n=" + std::to_string(c.n);
          CHECK_MSG(got_ids == want_ids, label + ": ids");
          CHECK_MSG(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0, label + ": scores");
        }
      }
    }
  }
  bool threw = false;
  try {
    xmr::make_f32_matrix(nullptr, 0, 0, Isa::Scalar, 1);
  } catch (const std::invalid_argument&) {
    threw = true;
  }
  CHECK(threw);
  const xmr::F32Matrix empty = xmr::make_f32_matrix(nullptr, 0, 4, Isa::Scalar, 2);
  CHECK(empty.n == 0 && empty.bytes() == 0);
}

XMR_TEST("the vector key filter keeps exactly the scores above the threshold, in order, with hit_key's keys") {
  // Special values included: −0 must key like +0, NaN never passes, ±Inf compare as numbers.
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> s = {-0.0f, 0.0f, 1.0f, nan, -inf, inf, -1.5f, 2.0f, -0.0f, 3.0f, 0.5f, -2.0f, 7.0f, 0.0f, nan, 1.0f, -0.5f, 4.0f, 0.25f};
  for (float thr : {-inf, -1.0f, -0.0f, 0.0f, 1.0f, 10.0f}) {
    for (size_t count : {size_t(0), size_t(1), size_t(16), s.size()}) {
      std::vector<uint64_t> want;
      for (size_t j = 0; j < count; ++j)
        if (s[j] > thr) want.push_back(xmr::detail::hit_key(s[j], int32_t(1000 + j)));
      std::vector<uint64_t> got(count + 16);
      got.resize(xmr::detail::filter_keys_sse2(s.data(), count, thr, 1000, got.data()));
      CHECK(got == want);
      if (xmr::detect_isa() >= Isa::Avx512) {
        std::vector<uint64_t> vec(count + 16);
        vec.resize(xmr::detail::filter_keys_avx512(s.data(), count, thr, 1000, vec.data()));
        CHECK(vec == want);
      }
    }
  }
}

XMR_TEST("each f32 kernel's masks name exactly the scores that are not ≤ the row's gate") {
  // The driver offers only the scores a mask names, so a missing bit loses a hit. Rows up to the
  // kernel's mr, a ragged last strip, and gates that let nothing, some, or everything through
  // (−∞, a mid value, NaN, +∞); a NaN score must pass any gate.
  std::mt19937 rng(17);
  const size_t dim = 19;
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (Isa isa : isas()) {
    const xmr::detail::F32Kernel& kern = isa >= Isa::Avx512 ? xmr::detail::f32_kernel_avx512()
                                         : isa == Isa::Avx2 ? xmr::detail::f32_kernel_avx2()
                                                            : xmr::detail::f32_kernel_scalar();
    const size_t count = 3 * kern.nr - 5, strips = 3, rows = kern.mr;
    auto q = randn(rows * dim, rng), d = randn(count * dim, rng);
    d[7 * dim] = nan;  // document 7 scores NaN against every query
    std::vector<float> packed(strips * kern.nr * dim + 16), S(rows * strips * kern.nr), gate(rows);
    float* aligned = reinterpret_cast<float*>((reinterpret_cast<uintptr_t>(packed.data()) + 63) / 64 * 64);
    kern.pack(d.data(), dim, count, strips, aligned);
    const float gates[] = {-inf, 0.5f, nan, inf};
    for (size_t r = 0; r < rows; ++r) gate[r] = gates[r % 4];
    std::vector<uint32_t> masks(rows * strips);
    std::vector<float> qp(rows * dim);
    xmr::detail::pack_queries(q.data(), rows, dim, qp.data());
    kern.score(qp.data(), rows, dim, aligned, strips, S.data(), strips * kern.nr, gate.data(), masks.data(), {});
    for (size_t r = 0; r < rows; ++r)
      for (size_t st = 0; st < strips; ++st) {
        uint32_t want = 0;
        for (size_t c = 0; c < kern.nr; ++c) want |= uint32_t(!(S[r * strips * kern.nr + st * kern.nr + c] <= gate[r])) << c;
        CHECK_MSG(masks[r * strips + st] == want,
                  std::string(xmr::isa_name(isa)) + " row " + std::to_string(r) + " strip " + std::to_string(st));
        if (gate[r] == inf) CHECK_MSG(want == (st == 0 ? 1u << 7 : 0u), "only the NaN score passes +inf");
      }
  }
}

XMR_TEST("gate_masks_avx512 names exactly the scores in S that are not ≤ the row's gate") {
  if (xmr::detect_isa() < Isa::Avx512) return;
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::mt19937 rng(23);
  const size_t rows = 5, strips = 3, lds = strips * 32 + 7;
  auto S = randn(rows * lds, rng);
  S[2 * lds + 40] = nan;
  const float gate[rows] = {-inf, 0.5f, nan, inf, 0.0f};
  std::vector<uint32_t> masks(rows * strips);
  xmr::detail::gate_masks_avx512(S.data(), rows, strips, lds, gate, masks.data());
  for (size_t r = 0; r < rows; ++r)
    for (size_t st = 0; st < strips; ++st) {
      uint32_t want = 0;
      for (size_t c = 0; c < 32; ++c) want |= uint32_t(!(S[r * lds + st * 32 + c] <= gate[r])) << c;
      CHECK_MSG(masks[r * strips + st] == want, "row " + std::to_string(r) + " strip " + std::to_string(st));
    }
}

XMR_TEST("every bf16 kernel this CPU runs, AMX tiles included, sums bf16 products exactly on small integers") {
  // Small integers: every product and partial sum is exact in float32, so each kernel must give
  // the double sum bit for bit, whatever its order. Rows from 1 to the kernel's mr (the AMX kernel
  // uses one or two 16-row query tiles), dims whose pairs fill whole 16-pair tiles (32, 64), leave
  // a tail (33, 100, 130) or are all tail (1, 2, 31), and a ragged last strip.
  std::vector<std::pair<std::string, const xmr::detail::Bf16Kernel*>> kernels{{"scalar", &xmr::detail::bf16_kernel_scalar()}};
  if (xmr::detect_isa() >= Isa::Avx2) kernels.push_back({"avx2", &xmr::detail::bf16_kernel_avx2()});
  if (xmr::detect_isa() >= Isa::Avx512) kernels.push_back({"avx512", &xmr::detail::bf16_kernel_avx512()});
  if (xmr::detect_isa() >= Isa::Avx512Bf16) kernels.push_back({"avx512-bf16", &xmr::detail::bf16_kernel_avx512bf16()});
  if (xmr::amx_bf16_usable()) kernels.push_back({"amx", &xmr::detail::bf16_kernel_amx()});
  std::mt19937 rng(29);
  std::uniform_int_distribution<int> small(-8, 8);
  constexpr size_t W = xmr::Bf16Matrix::kStripDocs;
  for (size_t dim : {1, 2, 31, 32, 33, 64, 100, 130}) {
    const size_t n = 2 * W + 5, strips = 3;
    std::vector<float> d(n * dim);
    for (auto& x : d) x = float(small(rng));
    const xmr::Bf16Matrix bm = xmr::make_bf16_matrix(d.data(), n, dim, 1);
    for (const auto& [name, kern] : kernels) {
      for (size_t rows : {size_t(1), size_t(7), size_t(16), size_t(17), kern->mr}) {
        if (rows > kern->mr) continue;
        std::vector<float> q(rows * dim);
        for (auto& x : q) x = float(small(rng));
        std::vector<uint32_t> qb((rows + kern->mr) * bm.pairs, 0);  // zero rows past the last, as topk_bf16 pads them
        for (size_t r = 0; r < rows; ++r)
          for (size_t p = 0; p < dim; ++p)
            qb[r * bm.pairs + p / 2] |= uint32_t(xmr::f32_to_bf16(q[r * dim + p])) << (16 * (p % 2));
        const size_t lds = strips * W + 3;
        std::vector<float> S(kern->mr * lds, std::numeric_limits<float>::quiet_NaN());
        kern->score(q.data(), qb.data(), rows, bm, 0, strips, S.data(), lds);
        for (size_t r = 0; r < rows; ++r)
          for (size_t j = 0; j < strips * W; ++j) {
            double want = 0;
            for (size_t p = 0; j < n && p < dim; ++p) want += double(q[r * dim + p]) * d[j * dim + p];
            CHECK_MSG(S[r * lds + j] == want, name + " dim=" + std::to_string(dim) + " rows=" + std::to_string(rows) +
                                                  " score " + std::to_string(r) + "," + std::to_string(j) + ": " +
                                                  std::to_string(S[r * lds + j]) + " vs " + std::to_string(want));
          }
      }
    }
  }
}

XMR_TEST("the key selects keep exactly the k largest keys and return the k-th") {
  // Ascending, descending and shuffled distinct keys, n across the vector select's 16-key base
  // case and its 8-key tails, k from 1 to n.
  std::mt19937_64 rng(9);
  for (size_t n : {1, 2, 7, 8, 9, 16, 17, 33, 200, 281}) {
    for (int order = 0; order < 3; ++order) {
      std::vector<uint64_t> keys(n);
      for (size_t j = 0; j < n; ++j) keys[j] = (rng() << 12) | j;  // distinct low bits
      if (order == 0) std::sort(keys.begin(), keys.end());
      if (order == 1) std::sort(keys.rbegin(), keys.rend());
      std::vector<uint64_t> want = keys;
      std::sort(want.begin(), want.end(), std::greater<uint64_t>());
      for (size_t k : {size_t(1), n / 2 + 1, n - 1, n}) {
        if (k == 0 || k > n) continue;
        std::vector<xmr::detail::KeySelect> selects = {xmr::detail::select_keys_nth};
        if (xmr::detect_isa() >= Isa::Avx512) selects.push_back(xmr::detail::select_keys_avx512);
        for (auto select : selects) {
          std::vector<uint64_t> got = keys;
          got.resize(n + 8);
          const uint64_t kth = select(got.data(), n, k);
          got.resize(k);
          std::sort(got.begin(), got.end(), std::greater<uint64_t>());
          CHECK_MSG(kth == want[k - 1] && std::equal(got.begin(), got.end(), want.begin()),
                    "n=" + std::to_string(n) + " k=" + std::to_string(k) + " order=" + std::to_string(order));
        }
      }
    }
  }
}

XMR_TEST("a reservoir collector offered one long block where every score wins keeps the last k, ties to the lower index") {
  // Rising scores: every filter call keeps all its scores, so this is the most keys one call can
  // add to the reservoir's single allocation (ASan checks the bound). Then a block tying the k-th
  // score: none may enter (equal scores go to the lower, earlier index).
  const size_t k = 100, n = 5000;
  std::vector<float> s(n), tie(300, float(n - k));
  for (size_t j = 0; j < n; ++j) s[j] = float(j);
  std::vector<xmr::detail::KeyFilter> filters = {xmr::detail::filter_keys_sse2};
  if (xmr::detect_isa() >= Isa::Avx512) filters.push_back(xmr::detail::filter_keys_avx512);
  for (auto filter : filters) {
    xmr::detail::TopKCollector c(k, filter);
    c.offer(s.data(), n, 0);
    c.offer(tie.data(), tie.size(), int32_t(n));
    const std::vector<uint64_t> got = c.sorted();
    CHECK(got.size() == k);
    for (size_t r = 0; r < got.size(); ++r)
      CHECK_MSG(xmr::detail::key_id(got[r]) == int32_t(n - 1 - r), "rank " + std::to_string(r));
  }
}

XMR_TEST("the query split matches brute force over several tiles, heap and reservoir k, f32 and bf16") {
  // dim 64: 1,536-document f32 tiles, so n = 6,200 makes 5 tiles, and 3,072-document bf16 tiles
  // (3); m = 800 gives ≥ 32 query blocks per thread on every path at 1 and 2 threads (the query
  // split; the shape test above has too few queries for it). Heap (k = 10) and reservoir (k = 100) collectors, both metrics;
  // inputs rounded to bf16 so that the bf16 path computes the same products.
  const size_t dim = 64, n = 6200, m = 800;
  std::mt19937 rng(31);
  auto q = randn(m * dim, rng), d = randn(n * dim, rng);
  for (auto& x : q) x = xmr::bf16_to_f32(xmr::f32_to_bf16(x));
  for (auto& x : d) x = xmr::bf16_to_f32(xmr::f32_to_bf16(x));
  const xmr::Bf16Matrix bm = xmr::make_bf16_matrix(d.data(), n, dim, 2);
  for (size_t k : {size_t(10), size_t(100)}) {
    for (bool cosine : {false, true}) {
      const Ref ref = brute_force(q, d, m, n, dim, k, cosine);
      const xmr::Metric metric = cosine ? xmr::Metric::Cosine : xmr::Metric::InnerProduct;
      for (Isa isa : isas()) {
        // The scalar kernel takes long enough under the sanitizers to cover at one thread count.
        for (int threads : {1, 2}) {
          if (isa == Isa::Scalar && threads == 1) continue;
          const std::string label = std::string(xmr::isa_name(isa)) + " k=" + std::to_string(k) + (cosine ? " cosine" : " ip") +
                                    " threads=" + std::to_string(threads);
          std::vector<int32_t> ids(m * k);
          std::vector<float> sc(m * k);
          xmr::topk_f32(q.data(), m, d.data(), n, dim, {k, metric, threads, isa}, ids.data(), sc.data());
          expect_matches(ref, ids, sc, m, k, 1e-5, "query split f32 " + label);
          xmr::topk_bf16(q.data(), m, bm, {k, metric, threads, isa}, ids.data(), sc.data());
          expect_matches(ref, ids, sc, m, k, 1e-5, "query split bf16 " + label);
        }
      }
    }
  }
}
