// The tile configuration of Intel AMX (Intel SDM vol. 1 ch. 18, LDTILECFG): shared by the top-k
// kernel and the profile's bf16 probe, which both use tiles 0–3 for float32 results, 4–5 for
// 16-row bf16 left operands and 6–7 for right operands in pairs (VNNI) layout.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace xmr::detail {

constexpr size_t kAmxTileRows = 16;  // rows of every tile used here; 64 bytes each at most

// The 64-byte operand of LDTILECFG (palette 1): bytes per row and rows of each of the 8 tiles.
struct alignas(64) AmxTileConfig {
  uint8_t palette;
  uint8_t start_row;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};

// Results (tiles 0–3): 16 × 16 float32; left operands (4–5): 16 rows × `pairs` bf16 pairs; right
// operands (6–7): `pairs` rows × 16 bf16 pairs. `pairs` ≤ 16: a TDPBF16PS then adds 16 × 16 dot
// products of 2 × pairs terms each.
inline AmxTileConfig amx_tile_config(size_t pairs) {
  AmxTileConfig c;
  std::memset(&c, 0, sizeof c);
  c.palette = 1;
  for (int t = 0; t < 8; ++t) {
    c.colsb[t] = static_cast<uint16_t>(t == 4 || t == 5 ? pairs * 4 : 64);
    c.rows[t] = static_cast<uint8_t>(t == 6 || t == 7 ? pairs : kAmxTileRows);
  }
  return c;
}

}  // namespace xmr::detail
