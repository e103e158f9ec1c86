// Internal: the generated Unicode tables (native/src/tokenizer/unicode_tables.cc) behind xmr/unicode.h.
#pragma once
#include <cstddef>
#include <cstdint>

namespace xmr::unicode::tables {

struct MapEntry {
  char32_t cp;
  uint32_t offset;  // into the data array
  uint32_t length;
};

struct Composition {
  char32_t first, second, composite;
};

extern const uint16_t kPropStage1[8704];
extern const uint16_t kPropStage2[];
extern const uint16_t kCccStage1[8704];
extern const uint8_t kCccStage2[];
extern const char32_t kDecompData[];
extern const MapEntry kCanonDecomp[];
extern const size_t kCanonDecompCount;
extern const MapEntry kCompatDecomp[];
extern const size_t kCompatDecompCount;
extern const Composition kCompositions[];
extern const size_t kCompositionCount;
extern const char32_t kLowerData[];
extern const MapEntry kLower[];
extern const size_t kLowerCount;

}  // namespace xmr::unicode::tables
