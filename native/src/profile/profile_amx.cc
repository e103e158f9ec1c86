// The bf16 FMA probe on AMX: four independent TDPBF16PS chains (one per result tile), each adding
// 16 × 16 dot products of 32 bf16 products — the instruction the bf16 top-k kernel runs where AMX
// is usable (score_amx.cc), so its roof.
#include <immintrin.h>

#include "../common/amx.h"
#include "profile_kernels.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN("amx-tile,amx-bf16")

// Every operand is bf16 2⁻¹⁰, so each step adds 32 · 2⁻²⁰ = 2⁻¹⁵ to every result: exact, and far
// from overflow for any run length a probe uses.
float fma_amx_impl(uint64_t iterations) {
  const AmxTileConfig c = amx_tile_config(kAmxTileRows);
  _tile_loadconfig(&c);
  alignas(64) uint16_t operand[kAmxTileRows * 32];
  for (uint16_t& x : operand) x = 0x3A80;  // bf16 2⁻¹⁰
  _tile_loadd(4, operand, 64);
  _tile_loadd(5, operand, 64);
  _tile_loadd(6, operand, 64);
  _tile_loadd(7, operand, 64);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  for (uint64_t i = 0; i < iterations; ++i) {
    _tile_dpbf16ps(0, 4, 6);
    _tile_dpbf16ps(1, 4, 7);
    _tile_dpbf16ps(2, 5, 6);
    _tile_dpbf16ps(3, 5, 7);
  }
  alignas(64) float out[4][kAmxTileRows * 16];
  _tile_stored(0, out[0], 64);
  _tile_stored(1, out[1], 64);
  _tile_stored(2, out[2], 64);
  _tile_stored(3, out[3], 64);
  _tile_release();
  return out[0][0] + out[1][17] + out[2][34] + out[3][255];
}

XMR_TARGET_END

}  // namespace

float fma_bf16_amx(uint64_t iterations) { return fma_amx_impl(iterations); }

}  // namespace xmr::detail
