// Lookups into the generated tables, Hangul arithmetic, and UTF-8 coding.
#include "xmr/unicode.h"

#include <algorithm>

#include "unicode_tables.h"

namespace xmr::unicode {
namespace {

using tables::MapEntry;

// Hangul syllable arithmetic (Unicode §3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

const MapEntry* find(const MapEntry* table, size_t count, char32_t cp) {
  const MapEntry* end = table + count;
  const MapEntry* it = std::lower_bound(table, end, cp, [](const MapEntry& e, char32_t c) { return e.cp < c; });
  return it != end && it->cp == cp ? it : nullptr;
}

}  // namespace

uint16_t props(char32_t cp) {
  if (cp >= 0x110000) return 0;
  return tables::kPropStage2[static_cast<size_t>(tables::kPropStage1[cp >> 7]) * 128 + (cp & 127)];
}

size_t grapheme_end(const char32_t* s, size_t i, size_t n) {
  const auto control = [](Gcb g) { return g == Gcb::Control || g == Gcb::CR || g == Gcb::LF; };
  Gcb prev = grapheme_break(s[i]);
  bool pict = prev == Gcb::ExtPict;  // the cluster so far ends in ExtPict Extend*
  bool pict_zwj = false;             // … or in ExtPict Extend* ZWJ (GB11)
  size_t ri = prev == Gcb::RegionalIndicator ? 1 : 0;  // regional indicators ending the cluster so far
  size_t j = i + 1;
  for (; j < n; ++j) {
    const Gcb cur = grapheme_break(s[j]);
    bool join;
    if (prev == Gcb::CR && cur == Gcb::LF) join = true;                           // GB3
    else if (control(prev) || control(cur)) join = false;                         // GB4, GB5
    else if (prev == Gcb::L) join = cur == Gcb::L || cur == Gcb::V || cur == Gcb::LV || cur == Gcb::LVT ||  // GB6
                                    cur == Gcb::Extend || cur == Gcb::ZWJ || cur == Gcb::SpacingMark;
    else if ((prev == Gcb::LV || prev == Gcb::V) && (cur == Gcb::V || cur == Gcb::T)) join = true;  // GB7
    else if ((prev == Gcb::LVT || prev == Gcb::T) && cur == Gcb::T) join = true;  // GB8
    else if (cur == Gcb::Extend || cur == Gcb::ZWJ || cur == Gcb::SpacingMark) join = true;  // GB9, GB9a
    else if (prev == Gcb::Prepend) join = true;                                   // GB9b
    else if (pict_zwj && cur == Gcb::ExtPict) join = true;                        // GB11
    else join = prev == Gcb::RegionalIndicator && cur == Gcb::RegionalIndicator && ri % 2 == 1;  // GB12, GB13
    if (!join) break;
    pict_zwj = pict && cur == Gcb::ZWJ;
    pict = cur == Gcb::ExtPict || (pict && cur == Gcb::Extend);
    ri = cur == Gcb::RegionalIndicator ? ri + 1 : 0;
    prev = cur;
  }
  return j;
}

uint8_t combining_class(char32_t cp) {
  if (cp >= 0x110000) return 0;
  return tables::kCccStage2[static_cast<size_t>(tables::kCccStage1[cp >> 7]) * 128 + (cp & 127)];
}

void append_lower(char32_t cp, std::u32string* out) {
  if (cp < 0x80) {
    out->push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
    return;
  }
  if (!has(cp, kHasLower)) {
    out->push_back(cp);
    return;
  }
  const MapEntry* e = find(tables::kLower, tables::kLowerCount, cp);
  out->append(tables::kLowerData + e->offset, e->length);
}

void append_decomposition(char32_t cp, bool compat, std::u32string* out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    const char32_t s = cp - kSBase;
    out->push_back(kLBase + s / kNCount);
    out->push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out->push_back(kTBase + s % kTCount);
    return;
  }
  if (!has(cp, compat ? kCompatDecomp : kCanonDecomp)) {
    out->push_back(cp);
    return;
  }
  const MapEntry* e = compat ? find(tables::kCompatDecomp, tables::kCompatDecompCount, cp)
                             : find(tables::kCanonDecomp, tables::kCanonDecompCount, cp);
  out->append(tables::kDecompData + e->offset, e->length);
}

char32_t compose(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount)
    return a + (b - kTBase);
  const tables::Composition* end = tables::kCompositions + tables::kCompositionCount;
  const tables::Composition* it = std::lower_bound(tables::kCompositions, end, std::make_pair(a, b),
                                                   [](const tables::Composition& c, std::pair<char32_t, char32_t> k) {
                                                     return c.first < k.first || (c.first == k.first && c.second < k.second);
                                                   });
  return it != end && it->first == a && it->second == b ? it->composite : 0;
}

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    i += decode_utf8(p + i, s.size() - i, &c);
    out.push_back(c);
  }
  return out;
}

size_t decode_utf8(const unsigned char* s, size_t n, char32_t* cp) {
  const unsigned char c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  size_t len;
  char32_t v;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte (rejects overlongs and surrogates)
  if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else { *cp = kReplacement; return 1; }
  for (size_t i = 1; i < len; ++i) {
    if (i >= n || s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF)) { *cp = kReplacement; return i; }
    v = (v << 6) | (s[i] & 0x3F);
  }
  *cp = v;
  return len;
}

void append_utf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace xmr::unicode
