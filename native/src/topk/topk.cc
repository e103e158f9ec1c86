// The top-k driver: cuts documents into cache-sized tiles, scores query blocks against each tile
// with the chosen micro-kernel, and feeds the collector of each query only the strips of scores
// the kernel found may beat that collector's threshold (most strips of a long stream hold none).
//
// Work is split over threads by documents (tiles handed out one at a time; each thread keeps
// collectors for every query and their lists are merged at the end) when queries are few: a large
// corpus is then read from memory once per call, not once per thread. With many queries it is
// split by queries, so that no query's stream is cut in two (each part would fill its own top k).
#include "xmr/topk.h"


#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "score_kernels.h"
#include "topk_collect.h"
#include "xmr/aligned.h"
#include "xmr/parallel.h"

namespace xmr {
namespace {

using detail::HitKey;
using detail::Prefetch;
using detail::PrefetchSpread;
using detail::prefetch_part;
using detail::TopKCollector;

// A packed f32 tile of this many bytes stays in a 1 MiB L2 with room for queries and scores.
constexpr size_t kTileBytes = 384 * 1024;
// f32 calls split by queries from this many query blocks a thread (run_topk's split_blocks): packing
// a tile costs about as much as scoring it against two query blocks (topk_breakdown.cc), so each
// thread's repacking then costs ≤ ~7% of its work. The bf16 kernels carry their own
// (Bf16Kernel::split_blocks).
constexpr size_t kF32SplitBlocks = 32;

const detail::Bf16Kernel& bf16_kernel(Isa isa) {
  switch (isa) {
    case Isa::Avx512Bf16: return amx_bf16_usable() ? detail::bf16_kernel_amx() : detail::bf16_kernel_avx512bf16();
    case Isa::Avx512: return detail::bf16_kernel_avx512();
    case Isa::Avx2: return detail::bf16_kernel_avx2();
    case Isa::Scalar: break;
  }
  return detail::bf16_kernel_scalar();
}

detail::KeyFilter key_filter(Isa isa) {
  return isa >= Isa::Avx512 ? detail::filter_keys_avx512 : detail::filter_keys_sse2;
}

detail::KeySelect key_select(Isa isa) {
  return isa >= Isa::Avx512 ? detail::select_keys_avx512 : detail::select_keys_nth;
}

void check_params(size_t dim, const TopKParams& p) {
  if (dim == 0) throw std::invalid_argument("dim must be ≥ 1");
  if (p.k == 0) throw std::invalid_argument("k must be ≥ 1");
  if (p.threads < 1) throw std::invalid_argument("threads must be ≥ 1");
  require_isa(p.isa);
}

// 1/‖q‖ per query for cosine, applied to the scores (the queries themselves stay as given, so
// bf16-representable inputs give exact products on the bf16 path too).
std::vector<float> inverse_norms(const float* q, size_t m, size_t dim) {
  std::vector<float> out(m);
  for (size_t i = 0; i < m; ++i) out[i] = detail::inverse_norm(q + i * dim, dim);
  return out;
}

void write_row(const std::vector<HitKey>& hits, size_t k, int32_t* ids, float* scores) {
  for (size_t j = 0; j < k; ++j) {
    if (j < hits.size()) {
      ids[j] = detail::key_id(hits[j]);
      scores[j] = detail::key_score(hits[j]);
    } else {
      ids[j] = -1;
      scores[j] = -std::numeric_limits<float>::infinity();
    }
  }
}

// What differs between f32 and bf16 documents: how a thread prepares its queries and a tile, and
// scores them. Tile is per-thread state (packing buffers); pack_queries(blocks) is called once
// with the thread's query blocks ((first query, rows), consecutive), before any tile;
// score(i0, rows, S, lds, gate, masks, pf) then fills S[r * lds + j] and, per strip of
// tile.hit_docs documents, masks as F32Kernel::score defines them, requesting pf (next_part(j0,
// count, part, parts): a share of the documents of another tile) meanwhile.
// split_blocks: the query blocks each thread needs before queries are split (below).
template <typename Tile>
void run_topk(size_t m, size_t n, size_t mr, size_t tile_docs, size_t split_blocks, const TopKParams& params,
              const std::function<Tile()>& make_tile, int32_t* ids, float* scores) {
  const size_t k = params.k;
  const size_t doc_blocks = (n + tile_docs - 1) / tile_docs;
  const size_t query_blocks = (m + mr - 1) / mr;
  // A query split reads (and for f32 packs) every tile on every thread; a document split keeps a
  // collector per query on every thread and merges them. Queries are split once each thread gets
  // split_blocks blocks, below that the documents are.
  const bool by_docs = query_blocks < split_blocks * static_cast<size_t>(std::max(params.threads, 1)) && doc_blocks > 1;
  const size_t blocks = by_docs ? doc_blocks : query_blocks;
  const int tasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(params.threads), std::max<size_t>(blocks, 1)));
  // With a document split, tiles are handed out one at a time from this counter rather than as
  // fixed halves: a thread that is preempted on a shared machine, or starts late, then costs at
  // most a tile's time at the end instead of leaving the other thread idle for the difference.
  // Each thread still sees its tiles in increasing document order, as its collectors require.
  std::atomic<size_t> next_tile{0};

  // collectors[t][i]: task t's collector for query i (by_docs) or for its own query range.
  std::vector<std::vector<TopKCollector>> collectors(static_cast<size_t>(tasks));
  parallel_tasks(tasks, [&](int t) {
    size_t q0 = 0, q1 = m;
    if (!by_docs) split_range(m, tasks, t, mr, &q0, &q1);
    auto& mine = collectors[static_cast<size_t>(t)];
    mine.assign(q1 - q0, TopKCollector(k, key_filter(params.isa), key_select(params.isa)));
    Tile tile = make_tile();
    const size_t W = tile.hit_docs;
    const size_t max_strips = (tile_docs + W - 1) / W;
    std::vector<float> S(mr * tile_docs), gate(mr);
    std::vector<uint32_t> masks(mr * max_strips);
    const uint32_t full = W >= 32 ? ~0u : (1u << W) - 1;
    // Query blocks of near-equal size (100 queries with mr = 12: 9 blocks of 11–12 rows, not
    // 8 × 12 + 4, whose 4-row block would keep only 8 accumulator chains in flight).
    const int qblocks = static_cast<int>((q1 - q0 + mr - 1) / mr);
    std::vector<std::pair<size_t, size_t>> block(static_cast<size_t>(qblocks));  // first query, rows
    for (int b = 0; b < qblocks; ++b) {
      size_t b0, b1;
      split_range(q1 - q0, qblocks, b, 1, &b0, &b1);
      block[static_cast<size_t>(b)] = {q0 + b0, b1 - b0};
    }
    tile.pack_queries(block);
    // The tile after this one is claimed before this one is scored, so it can be prefetched.
    const auto claim_after = [&](size_t current) {
      return by_docs ? next_tile.fetch_add(1, std::memory_order_relaxed) : current + 1;
    };
    size_t tile_index = by_docs ? next_tile.fetch_add(1, std::memory_order_relaxed) : 0;
    while (tile_index < doc_blocks) {
      const size_t after = claim_after(tile_index);
      const size_t j0 = tile_index * tile_docs, count = std::min(tile_docs, n - j0);
      const size_t next = std::min(after * tile_docs, n), next_count = after < doc_blocks ? std::min(tile_docs, n - next) : 0;
      const size_t strips = (count + W - 1) / W;
      tile.prepare(j0, count);
      for (int b = 0; b < qblocks; ++b) {
        const auto [i0, rows] = block[static_cast<size_t>(b)];
        // The next tile's documents come from memory while this one is scored, so preparing it
        // reads them from L2 (with few queries, a serial read of each tile cost a quarter of the time).
        // With a query split too, now that the kernels spread the requests over their steps: issued
        // in bursts before each block they had stalled the kernel (the call used 2–4% less CPU
        // without them); spread, 100k × 384 with 1,000 queries ran 1–5% faster (median +2.9% on
        // packed, +1.7% on raw documents: 6 alternating A/B runs each, Xeon VM, 2026-12-03).
        const Prefetch pf = tile.next_part(next, next_count, static_cast<size_t>(b), static_cast<size_t>(qblocks));
        for (size_t r = 0; r < rows; ++r) gate[r] = mine[i0 + r - q0].gate();
        tile.score(i0, rows, S.data(), tile_docs, gate.data(), masks.data(), pf);
        // A run of strips whose every score may pass goes to the collector as one block (its
        // vector filter); otherwise only the scores the mask names, one at a time. (Offering
        // every strip with a possible winner as a block, the filter's pass over its 32 scores to
        // find the one or two that win was 2% of a 100k × 384, 1,000-query, k = 100 call on two
        // threads: perf on native/tools/topk_breakdown.cc, 2026-12-01.)
        const uint32_t last = count % W == 0 ? full : (1u << (count % W)) - 1;  // the documents of the last strip
        for (size_t r = 0; r < rows; ++r) {
          const uint32_t* h = masks.data() + r * strips;
          TopKCollector& col = mine[i0 + r - q0];
          const float* row = S.data() + r * tile_docs;
          for (size_t s0 = 0; s0 < strips;) {
            const uint32_t m = s0 + 1 == strips ? h[s0] & last : h[s0];
            if (m == full) {
              size_t s1 = s0 + 1;
              while (s1 < strips && h[s1] == full) ++s1;
              const size_t c0 = s0 * W, c1 = std::min(count, s1 * W);
              col.offer(row + c0, c1 - c0, static_cast<int32_t>(j0 + c0));
              s0 = s1;
              continue;
            }
            for (uint32_t b = m; b != 0; b &= b - 1) {
              const size_t c = s0 * W + static_cast<size_t>(__builtin_ctz(b));
              col.offer_one(row[c], static_cast<int32_t>(j0 + c));
            }
            ++s0;
          }
        }
      }
      tile_index = after;
    }
  });

  // Collect: with a query split each query has one collector; with a document split, the best k
  // of the tasks' kept hits (disjoint documents, so the best k of their union is exact).
  const int out_tasks = static_cast<int>(std::min<size_t>(static_cast<size_t>(params.threads), std::max<size_t>(m, 1)));
  parallel_tasks(out_tasks, [&](int t) {
    size_t i0, i1;
    split_range(m, out_tasks, t, 1, &i0, &i1);
    std::vector<HitKey> hits;
    for (size_t i = i0; i < i1; ++i) {
      if (by_docs) {
        hits.clear();
        for (auto& c : collectors) c[i].append_kept(&hits);
        const size_t keep = std::min(k, hits.size());
        std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), std::greater<HitKey>());
        hits.resize(keep);
      } else {
        size_t q0 = 0, q1 = 0;
        int owner = 0;
        for (; owner < tasks; ++owner) {
          split_range(m, tasks, owner, mr, &q0, &q1);
          if (i < q1) break;
        }
        hits = collectors[static_cast<size_t>(owner)][i - q0].sorted();
      }
      write_row(hits, k, ids + i * k, scores + i * k);
    }
  });
}

}  // namespace

namespace detail {

const F32Kernel& f32_kernel(Isa isa) {
  switch (isa) {
    case Isa::Avx512Bf16:
    case Isa::Avx512: return f32_kernel_avx512();
    case Isa::Avx2: return f32_kernel_avx2();
    case Isa::Scalar: break;
  }
  return f32_kernel_scalar();
}

float inverse_norm(const float* v, size_t dim) {
  double ss = 0;
  for (size_t p = 0; p < dim; ++p) ss += static_cast<double>(v[p]) * v[p];
  return ss > 0 ? static_cast<float>(1.0 / std::sqrt(ss)) : 0.0f;
}

}  // namespace detail

namespace {

// The documents of an f32 call: rows as given (each thread packs each tile it scores), or an
// F32Matrix — read in place when packed for this kernel's strip width, else repacked tile by tile.
struct F32Source {
  const float* rows = nullptr;
  const F32Matrix* stored = nullptr;
  size_t n = 0, dim = 0;
};

// Documents j0 .. j0 + count of a matrix packed for strips of `from.nr` into strips of nr at `out`
// (the layout of F32Matrix; the tile's padding documents zero).
void repack(const F32Matrix& from, size_t j0, size_t count, size_t nr, size_t strips, float* out) {
  const size_t dim = from.dim, fnr = from.nr;
  for (size_t c = 0; c < strips * nr; ++c) {
    float* dst = out + (c / nr) * dim * nr + c % nr;
    if (c >= count) {
      for (size_t p = 0; p < dim; ++p) dst[p * nr] = 0.0f;
      continue;
    }
    const size_t j = j0 + c;
    const float* src = from.packed.data() + (j / fnr) * dim * fnr + j % fnr;
    for (size_t p = 0; p < dim; ++p) dst[p * nr] = src[p * fnr];
  }
}

void run_topk_f32(const float* queries, size_t m, const F32Source& src, const TopKParams& params, int32_t* ids,
                  float* scores) {
  const size_t dim = src.dim;
  check_params(dim, params);
  const detail::F32Kernel& kern = detail::f32_kernel(params.isa);
  const bool cosine = params.metric == Metric::Cosine;
  const std::vector<float> qinv = cosine ? inverse_norms(queries, m, dim) : std::vector<float>();
  const size_t nr = kern.nr;
  const size_t tile_docs = std::max(nr, kTileBytes / (dim * sizeof(float)) / nr * nr);
  const bool in_place = src.stored != nullptr && src.stored->nr == nr;

  struct Tile {
    const detail::F32Kernel* kern;
    const float *q, *qinv;
    const F32Source* src;
    size_t dim, hit_docs;  // hit_docs: the kernel's strip width nr
    bool cosine, in_place;
    AlignedArray<float> packed;   // this thread's packed tile (unused in place)
    std::vector<float> inv_norm;  // the tile's 1/‖doc‖ from rows (cosine)
    // Cosine scales the scores after the kernel, so the kernel's gate must let every strip through.
    std::vector<float> open_gate;
    size_t strips = 0, count = 0;
    const float* tile = nullptr;   // the tile's packed documents
    const float* norms = nullptr;  // and their 1/‖doc‖ (cosine)
    std::vector<float> qpacked{};  // this thread's query blocks, each packed by detail::pack_queries, in order
    size_t q_first = 0;            // the first of their queries

    void pack_queries(const std::vector<std::pair<size_t, size_t>>& blocks) {
      if (blocks.empty()) return;
      q_first = blocks.front().first;
      qpacked.resize((blocks.back().first + blocks.back().second - q_first) * dim);
      for (const auto& [i0, rows] : blocks) detail::pack_queries(q + i0 * dim, rows, dim, qpacked.data() + (i0 - q_first) * dim);
    }

    void prepare(size_t j0, size_t cnt) {
      count = cnt;
      strips = (cnt + hit_docs - 1) / hit_docs;
      tile = packed.data();
      if (src->stored == nullptr) {
        kern->pack(src->rows + j0 * dim, dim, cnt, strips, packed.data());
        if (cosine)
          for (size_t c = 0; c < cnt; ++c) inv_norm[c] = detail::inverse_norm(src->rows + (j0 + c) * dim, dim);
        norms = inv_norm.data();
        return;
      }
      norms = src->stored->inv_norms.data() + j0;
      // j0 is a multiple of the tile size, itself a multiple of nr: the tile starts a strip.
      if (in_place) tile = src->stored->packed.data() + j0 * dim;
      else repack(*src->stored, j0, cnt, hit_docs, strips, packed.data());
    }
    Prefetch next_part(size_t j0, size_t cnt, size_t part, size_t parts) const {
      if (src->stored == nullptr) return prefetch_part(src->rows + j0 * dim, cnt * dim * sizeof(float), part, parts);
      const size_t fnr = src->stored->nr, s0 = j0 / fnr, s1 = (j0 + cnt + fnr - 1) / fnr;
      return prefetch_part(src->stored->packed.data() + s0 * dim * fnr, (s1 - s0) * dim * fnr * sizeof(float), part, parts);
    }
    void score(size_t i0, size_t rows, float* S, size_t lds, const float* gate, uint32_t* masks, const Prefetch& pf) {
      kern->score(qpacked.data() + (i0 - q_first) * dim, rows, dim, tile, strips, S, lds, cosine ? open_gate.data() : gate, masks, pf);
      if (cosine)
        for (size_t r = 0; r < rows; ++r)
          for (size_t c = 0; c < count; ++c) S[r * lds + c] *= qinv[i0 + r] * norms[c];
    }
  };
  run_topk<Tile>(m, src.n, kern.mr, tile_docs, kF32SplitBlocks, params,
                 [&] {
                   return Tile{&kern, queries, qinv.data(), &src, dim, nr, cosine, in_place,
                               AlignedArray<float>(in_place ? 0 : tile_docs * dim),
                               std::vector<float>(cosine && src.stored == nullptr ? tile_docs : 0),
                               std::vector<float>(cosine ? kern.mr : 0, std::numeric_limits<float>::quiet_NaN())};
                 },
                 ids, scores);
}

}  // namespace

void topk_f32(const float* queries, size_t m, const float* docs, size_t n, size_t dim, const TopKParams& params,
              int32_t* ids, float* scores) {
  run_topk_f32(queries, m, F32Source{docs, nullptr, n, dim}, params, ids, scores);
}

void topk_f32(const float* queries, size_t m, const F32Matrix& docs, const TopKParams& params, int32_t* ids,
              float* scores) {
  run_topk_f32(queries, m, F32Source{nullptr, &docs, docs.n, docs.dim}, params, ids, scores);
}

void topk_bf16(const float* queries, size_t m, const Bf16Matrix& docs, const TopKParams& params, int32_t* ids,
               float* scores) {
  check_params(docs.dim, params);
  const detail::Bf16Kernel& kern = bf16_kernel(params.isa);
  const bool cosine = params.metric == Metric::Cosine;
  const size_t dim = docs.dim;
  const std::vector<float> qinv = cosine ? inverse_norms(queries, m, dim) : std::vector<float>();
  std::vector<uint32_t> qb;
  if (kern.bf16_queries) {
    qb.assign((m + kern.mr) * docs.pairs, 0);  // zero rows past the last: the AMX kernel reads whole tiles
    for (size_t i = 0; i < m; ++i)
      for (size_t p = 0; p < dim; ++p)
        qb[i * docs.pairs + p / 2] |= static_cast<uint32_t>(f32_to_bf16(queries[i * dim + p])) << (16 * (p % 2));
  }
  constexpr size_t W = Bf16Matrix::kStripDocs;
  const size_t tile_docs = std::max(W, kTileBytes / (docs.pairs * 4 * W) * W);

  struct Tile {
    const detail::Bf16Kernel* kern;
    const Bf16Matrix* docs;
    const float *qf, *qinv;
    const uint32_t* qb;
    bool cosine, gated;
    size_t j0 = 0, count = 0, hit_docs = W;
    void pack_queries(const std::vector<std::pair<size_t, size_t>>&) {}  // the bf16 kernels read the queries in place
    void prepare(size_t first, size_t cnt) { j0 = first; count = cnt; }
    // No prefetch of the next tile: requested in a burst before each query block it made 1M × 128
    // with 100 queries (AMX, document split) 1.09× slower, and the register kernels no faster
    // (alternating builds, Xeon VM, 2026-12-03); spread over chunks of strips, slower still.
    Prefetch next_part(size_t, size_t, size_t, size_t) const { return {}; }
    // The bf16 kernels leave their scores in S, and on AVX-512 the gate is applied to them there
    // (below it, every strip goes to the collector's own filter: with AMX that filter took 17% of
    // a 100k × 384, 1,000-query call).
    void score(size_t i0, size_t rows, float* S, size_t lds, const float* gate, uint32_t* masks, const Prefetch&) {
      const size_t strips = (count + W - 1) / W;
      kern->score(qf + i0 * docs->dim, qb + i0 * docs->pairs, rows, *docs, j0 / W, strips, S, lds);
      if (cosine)
        for (size_t r = 0; r < rows; ++r)
          for (size_t c = 0; c < count; ++c) S[r * lds + c] *= qinv[i0 + r] * docs->inv_norms[j0 + c];
      if (gated) detail::gate_masks_avx512(S, rows, strips, lds, gate, masks);
      else std::fill(masks, masks + rows * strips, ~0u);
    }
  };
  run_topk<Tile>(m, docs.n, kern.mr, tile_docs, kern.split_blocks, params,
                 [&] { return Tile{&kern, &docs, queries, qinv.data(), qb.data(), cosine, params.isa >= Isa::Avx512}; }, ids, scores);
}

}  // namespace xmr
