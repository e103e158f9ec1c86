// Internal: the per-ISA scoring micro-kernels behind topk.cc. Each ISA file compiles its kernels
// with a target attribute, so one binary carries every path and topk.cc picks one per call.
//
// f32 documents are packed per tile into strips of `nr` documents, coordinate-major:
//   packed[(s * dim + p) * nr + c] = doc[s * nr + c][p]
// so the kernel broadcasts one query coordinate and multiplies it into nr documents at once
// (an outer-product GEMM micro-kernel, as in GotoBLAS/BLIS): no horizontal sums, and any dim works.
#pragma once
#include <cstddef>
#include <cstdint>

#include "xmr/bf16.h"
#include "xmr/cpu.h"

namespace xmr::detail {

// Memory a kernel requests into L2 while it scores (the next tile's documents, with a document
// split): `lines` 64-byte lines from `begin`. None when lines is 0.
struct Prefetch {
  const char* begin = nullptr;
  size_t lines = 0;
};

// Part `part` of `parts` of the lines of [begin, begin + bytes): each query block of a tile asks
// for its share of the next tile.
inline Prefetch prefetch_part(const void* begin, size_t bytes, size_t part, size_t parts) {
  const size_t lines = (bytes + 63) / 64, l0 = lines * part / parts, l1 = lines * (part + 1) / parts;
  return {static_cast<const char*>(begin) + l0 * 64, l1 - l0};
}

// Issues a Prefetch's requests (prefetcht1: the tile being scored keeps L1) spread evenly over a
// kernel's `steps` coordinate steps, a line every few steps, rather than in one burst before it.
// A burst waits on the core's few line-fill buffers and the kernel waits behind it: with 100
// queries over 1M × 128 documents (the next tile fetched from memory in 9 bursts, one before each
// query block) the prefetches took as long as they saved; spread, the call ran 1.10× faster on raw
// and 1.19× on packed documents on a 2-core Xeon (bench topk alternating with the code before,
// 2026-12-02).
class PrefetchSpread {
 public:
  PrefetchSpread(const Prefetch& pf, size_t steps)
      : begin_(pf.begin), lines_(pf.lines), per_step_(steps == 0 ? 0 : (static_cast<uint64_t>(pf.lines) << 32) / steps) {}
  // After `steps` more steps: the lines due by now (in 32.32 fixed point, so no division).
  void step(size_t steps = 1) {
    due_ += per_step_ * steps;
    while (issued_ < (due_ >> 32)) request(issued_++);
  }
  // The lines the rounding left over (and all of them when there were no steps).
  void finish() {
    while (issued_ < lines_) request(issued_++);
  }

 private:
  void request(uint64_t line) const { __builtin_prefetch(begin_ + line * 64, 0, 2); }  // prefetcht1
  const char* begin_;
  uint64_t lines_, per_step_, due_ = 0, issued_ = 0;
};

// Steps between a kernel's prefetch requests: asked for between chunks of this many coordinate
// steps rather than at every step, the requests leave the inner loop every register for the query
// rows (per step, their bookkeeping took registers from them: +8% instead of +19% at 1M × 128).
constexpr size_t kPrefetchChunk = 16;

struct F32Kernel {
  size_t mr;  // query rows per call (register block)
  size_t nr;  // documents per strip
  // Packs documents 0 .. count of `docs` (row-major, stride dim) into `strips` strips of nr
  // (layout above); documents from count to strips * nr are zero.
  void (*pack)(const float* docs, size_t dim, size_t count, size_t strips, float* packed);
  // S[r * lds + j] = q_r · doc_j for r < rows (≤ mr), j < strips * nr, where the block's queries
  // are packed coordinate-major (pack_queries): q[p * rows + r] is coordinate p of q_r.
  // With the scores still in registers, bit c of masks[r * strips + s] is set when score c of row r
  // in strip s may pass that row's collector, i.e. is not ≤ gate[r] (NaN scores and a NaN gate
  // pass): the driver then reads back only those scores (most strips of a long stream hold no
  // winner, and a strip that holds one mostly holds one or two). `pf` is requested while it runs.
  void (*score)(const float* q, size_t rows, size_t dim, const float* packed, size_t strips, float* S, size_t lds,
                const float* gate, uint32_t* masks, const Prefetch& pf);
};

struct Bf16Kernel {
  size_t mr;
  bool bf16_queries;  // reads queries as packed bf16 pairs (qb, stride docs.pairs) instead of float32 (qf, stride dim)
  // The query blocks each thread needs before a call is split by queries rather than by documents
  // (topk.cc run_topk): a query split reads the whole corpus once per thread, a document split once
  // per call, merging per-thread lists at the end. The register kernels keep the document split up
  // to 32 blocks a thread: with 200–600 queries, 1M × 128, k = 10 it ran 1.05–1.15× faster than a
  // query split, and 1.04–1.08× with 200 queries at 100k × 384, where 700 queries ran 1.07× slower
  // (VDPBF16PS and AVX-512, AMD Zen 5, 2026-12-03, alternating builds in one process). AMX's
  // 32-query blocks split by queries from 8 a thread (1.09× faster at 100k × 384, 1,000 queries, Xeon).
  size_t split_blocks;
  // S[r * lds + j] = q_r · doc_(strip0 * 32 + j) for r < rows, j < strips * 32. A kernel may read
  // up to mr query rows from qb (the caller pads it with mr zero rows past the last query) and
  // write up to mr rows of S (which has room for them): the AMX kernel works in whole 16-row tiles.
  void (*score)(const float* qf, const uint32_t* qb, size_t rows, const Bf16Matrix& docs, size_t strip0,
                size_t strips, float* S, size_t lds);
};

// Calls K<rows>::run(args...) with rows as a compile-time register-block size in [1, MaxRows].
template <template <int> class K, int MaxRows, typename... A>
inline void for_rows(size_t rows, A... args) {
  if constexpr (MaxRows > 1) {
    if (rows < MaxRows) return for_rows<K, MaxRows - 1>(rows, args...);
  }
  K<MaxRows>::run(args...);
}

// A block of `rows` queries (row-major, stride dim) packed coordinate-major for F32Kernel::score:
// out[p * rows + r] = q[r * dim + p]. The kernel then broadcasts its query coordinates from one
// pointer at fixed offsets instead of from `rows` row pointers, which it cannot all keep in
// registers: on a Xeon (AVX-512, 12 rows) the micro-kernel alone rose from 0.81–0.86 to 0.87–0.90 of
// a 12-chain FMA loop (a scratch harness, one thread, 100k × 384 tiles, alternating, 2026-12-02),
// and whole 2-thread calls by 2–4% (100k × 384, 1,000 queries) and 4–7% (1M × 128, 100 queries).
// Done once per call and block, so its cost is that of reading the queries once.
inline void pack_queries(const float* q, size_t rows, size_t dim, float* out) {
  for (size_t r = 0; r < rows; ++r)
    for (size_t p = 0; p < dim; ++p) out[p * rows + r] = q[r * dim + p];
}

// The portable packing loop (scalar and AVX2 kernels use it; AVX-512 transposes 16×16 blocks).
template <size_t NR>
void pack_f32_generic(const float* docs, size_t dim, size_t count, size_t strips, float* packed) {
  for (size_t c = 0; c < strips * NR; ++c) {
    float* dst = packed + (c / NR) * dim * NR + c % NR;
    if (c < count) {
      const float* row = docs + c * dim;
      for (size_t p = 0; p < dim; ++p) dst[p * NR] = row[p];
    } else {
      for (size_t p = 0; p < dim; ++p) dst[p * NR] = 0.0f;
    }
  }
}

// topk_collect.h's KeyFilter with AVX-512: one compare mask per 16 scores, the winners' keys
// compressed into place (no branch per candidate).
size_t filter_keys_avx512(const float* s, size_t count, float threshold, int32_t first_id, uint64_t* out);
// The masks of F32Kernel::score (bit c of masks[r * strips + s]: score s * 32 + c of row r is not
// ≤ gate[r]) for scores already in S, in strips of 32: the bf16 kernels leave their scores there.
void gate_masks_avx512(const float* S, size_t rows, size_t strips, size_t lds, const float* gate, uint32_t* masks);
// topk_collect.h's KeySelect with AVX-512 (vector quickselect).
uint64_t select_keys_avx512(uint64_t* keys, size_t n, size_t k);

// The f32 kernel of an ISA path (topk.cc).
const F32Kernel& f32_kernel(Isa isa);
// 1/‖v‖₂ accumulated in double; 0 for the zero vector so that its cosine is 0 (topk.cc).
float inverse_norm(const float* v, size_t dim);

const F32Kernel& f32_kernel_scalar();
const F32Kernel& f32_kernel_avx2();
const F32Kernel& f32_kernel_avx512();
const Bf16Kernel& bf16_kernel_scalar();
const Bf16Kernel& bf16_kernel_avx2();
const Bf16Kernel& bf16_kernel_avx512();
const Bf16Kernel& bf16_kernel_avx512bf16();
const Bf16Kernel& bf16_kernel_amx();

}  // namespace xmr::detail
