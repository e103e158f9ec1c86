// AMX micro-kernel for bf16 documents: TDPBF16PS multiplies a tile of 16 queries × 16 coordinate
// pairs (bf16) by a tile of 16 pairs × 16 documents and adds the products into a 16 × 16 tile of
// float32 scores — 8,192 multiply-adds an instruction, where VDPBF16PS does 32.
//
// The operands need no packing of their own: a B tile is 16 rows of 64 bytes, the pairs of 16
// documents, which is exactly a Bf16Matrix strip's layout read with a row stride of 128 bytes (a
// strip holds 32 documents per pair); an A tile is 16 rows of one query's bf16 pairs, read in
// place with a stride of one query. As with VDPBF16PS, every product of two bf16 values is exact
// in float32 and the score is their float32 sum, accumulated pair by pair in coordinate order.
//
// Tiles: 0–3 hold the scores of queries 0–15 and 16–31 against documents 0–15 and 16–31 of a
// strip, 4–5 the two query blocks, 6–7 the two document halves (common/amx.h).
#include <immintrin.h>

#include "../common/amx.h"
#include "score_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

constexpr size_t kTileRows = kAmxTileRows;  // queries a query tile holds, and pairs per full-depth step
constexpr size_t kStrip = Bf16Matrix::kStripDocs;

XMR_TARGET_BEGIN("amx-tile,amx-bf16")

// One pass over the strips with coordinate pairs [p0, p1) in blocks of `step` pairs (the
// configured tile depth). `resume` reloads the scores a previous pass stored instead of zeroing them.
void pass(const uint32_t* qb, size_t pairs, bool two, const Bf16Matrix& m, size_t strip0, size_t strips, float* S,
          size_t lds, size_t p0, size_t p1, size_t step, bool resume) {
  const size_t qstride = pairs * 4, sstride = lds * 4, half = kTileRows * lds;
  const uint32_t* q1 = qb + kTileRows * pairs;
  for (size_t s = 0; s < strips; ++s) {
    const uint32_t* w = m.strip(strip0 + s);
    float* out = S + s * kStrip;
    if (resume) {
      _tile_loadd(0, out, sstride);
      _tile_loadd(1, out + 16, sstride);
      if (two) {
        _tile_loadd(2, out + half, sstride);
        _tile_loadd(3, out + half + 16, sstride);
      }
    } else {
      _tile_zero(0);
      _tile_zero(1);
      _tile_zero(2);
      _tile_zero(3);
    }
    for (size_t p = p0; p < p1; p += step) {
      _tile_loadd(6, w + p * kStrip, kStrip * 4);
      _tile_loadd(7, w + p * kStrip + 16, kStrip * 4);
      _tile_loadd(4, qb + p, qstride);
      _tile_dpbf16ps(0, 4, 6);
      _tile_dpbf16ps(1, 4, 7);
      if (two) {
        _tile_loadd(5, q1 + p, qstride);
        _tile_dpbf16ps(2, 5, 6);
        _tile_dpbf16ps(3, 5, 7);
      }
    }
    _tile_stored(0, out, sstride);
    _tile_stored(1, out + 16, sstride);
    if (two) {
      _tile_stored(2, out + half, sstride);
      _tile_stored(3, out + half + 16, sstride);
    }
  }
}

// Bf16Kernel::score. Reads 16 or 32 query rows (rows rounded up: the caller pads qb) and writes
// as many score rows. Pairs past the last multiple of 16 take a second pass with shallower tiles
// (configuring tiles clears them, so the first pass's scores go through S).
void score(const float*, const uint32_t* qb, size_t rows, const Bf16Matrix& m, size_t strip0, size_t strips, float* S,
           size_t lds) {
  const size_t pairs = m.pairs, full = pairs / kTileRows * kTileRows;
  const bool two = rows > kTileRows;
  if (full > 0) {
    const AmxTileConfig c = amx_tile_config(kTileRows);
    _tile_loadconfig(&c);
    pass(qb, pairs, two, m, strip0, strips, S, lds, 0, full, kTileRows, false);
  }
  if (full < pairs) {
    const AmxTileConfig c = amx_tile_config(pairs - full);
    _tile_loadconfig(&c);
    pass(qb, pairs, two, m, strip0, strips, S, lds, full, pairs, pairs - full, full > 0);
  }
  _tile_release();  // so the thread's context switches no longer save 8 KB of tile data
}

XMR_TARGET_END

}  // namespace

const Bf16Kernel& bf16_kernel_amx() {
  static const Bf16Kernel k{2 * kTileRows, true, 8, score};
  return k;
}

}  // namespace xmr::detail
