// Unicode character classes, lower-casing and normalization forms, from tables generated out of
// the Unicode Character Database (native/tools/gen-unicode-tables.mjs). Pure functions of code
// points; no locale.
//
// Classes named `hf_*` reproduce the ones Hugging Face tokenizers uses (see the generator for how
// they differ from today's Unicode); the others follow the current standard as Rust's `char` does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xmr::unicode {

enum Prop : uint16_t {
  kWhiteSpace = 1,     // White_Space (Rust char::is_whitespace)
  kHfOther = 2,        // Cc | Cf | Co as HF's BertNormalizer clean_text sees them
  kHfPunct = 4,        // ASCII punctuation or P*, as HF's BertPreTokenizer / Punctuation see them
  kHfMark = 8,         // marks HF's StripAccents normalizer removes
  kNumeric = 16,       // Nd | Nl | No (Rust char::is_numeric)
  kWord = 32,          // regex \w: Alphabetic | M* | Nd | Pc | Join_Control
  kAlphanumeric = 64,  // Alphabetic | Nd | Nl | No (Rust char::is_alphanumeric)
  kHasLower = 128,     // has a lower-case mapping different from itself
  kCanonDecomp = 256,  // has a canonical decomposition
  kCompatDecomp = 512,  // has a canonical or compatibility decomposition
  kHfNonspacing = 1024,  // marks HF's BertNormalizer(strip_accents) removes
  kLetter = 2048         // L* (regex \p{L}, as the byte-level pre-tokenizers' Oniguruma sees it)
};

constexpr char32_t kReplacement = 0xFFFD;

uint16_t props(char32_t cp);
inline bool has(char32_t cp, Prop p) { return (props(cp) & p) != 0; }

// Grapheme_Cluster_Break (UAX #29), with Extended_Pictographic as a class of its own (those code
// points are all Other otherwise): bits 12–15 of props().
enum class Gcb : uint8_t { Other, CR, LF, Control, Extend, ZWJ, RegionalIndicator, Prepend, SpacingMark, L, V, T, LV, LVT, ExtPict };
inline Gcb grapheme_break(char32_t cp) { return static_cast<Gcb>(props(cp) >> 12); }

// The end of the extended grapheme cluster that starts at s[i] (i < n): UAX #29's rules GB3–GB13
// of Unicode 15.0, as the unicode-segmentation crate applies them for HF tokenizers, but for GB9c
// (Unicode 15.1's Indic conjuncts, which join clusters of 9 bytes or more).
size_t grapheme_end(const char32_t* s, size_t i, size_t n);
uint8_t combining_class(char32_t cp);

// CJK ideographs that BERT pads with spaces (BertNormalizer handle_chinese_chars; HF's ranges).
inline bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

// Appends the full lower-case mapping of cp (Rust char::to_lowercase: UnicodeData plus the
// unconditional SpecialCasing entries; one or more code points).
void append_lower(char32_t cp, std::u32string* out);

// Appends the full canonical (compat=false, NFD) or compatibility (compat=true, NFKD)
// decomposition of cp, Hangul included; cp itself when it has none. Not reordered.
void append_decomposition(char32_t cp, bool compat, std::u32string* out);

// The primary composite of (a, b), or 0 when they do not compose (Hangul included).
char32_t compose(char32_t a, char32_t b);

// UTF-8 → code points. Invalid sequences decode to U+FFFD, one per maximal invalid subpart.
// Returns the number of bytes consumed (≥ 1) and the code point in *cp.
size_t decode_utf8(const unsigned char* s, size_t n, char32_t* cp);
void append_utf8(char32_t cp, std::string* out);
// Bytes of cp in UTF-8.
inline uint32_t utf8_length(char32_t cp) { return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }

// A whole UTF-8 string as code points (decode_utf8's rules).
std::u32string to_u32(std::string_view s);

}  // namespace xmr::unicode
