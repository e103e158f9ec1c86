// The Precompiled normalizer: sentencepiece's precompiled_charsmap (nmt_nfkc and the like, as
// XLM-R, mT5 and their multilingual retrievers carry it), read and applied as HF tokenizers does
// (the spm_precompiled crate and normalizers/precompiled.rs), quirks included:
//   - each grapheme cluster shorter than 6 UTF-8 bytes is looked up whole, and the key found is the
//     SHORTEST one that prefixes it, yet the whole cluster is replaced ("Ａ\u0301" → "A": the
//     fullwidth letter's rule drops the accent);
//   - other clusters, and clusters with no key, are looked up code point by code point;
//   - the alignments follow HF's (char, change) transformations, in which a removal adds its
//     count to the PREVIOUS transformation (or is lost at the start of the text, shifting the
//     alignments that follow by one code point each).
#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok {

namespace {

// Darts-clone's unit layout (sentencepiece's darts.h, spm_precompiled's ArrayUnit).
bool has_leaf(uint32_t u) { return ((u >> 8) & 1) != 0; }
uint32_t value(uint32_t u) { return u & ((1u << 31) - 1); }
uint32_t label(uint32_t u) { return u & ((1u << 31) | 0xFF); }
size_t offset(uint32_t u) { return static_cast<size_t>(u >> 10) << ((u & (1u << 9)) >> 6); }

// Rust's String::from_utf8: every sequence well formed (no overlong form, surrogate or code point
// past U+10FFFF). decode_utf8 turns each ill-formed subpart into U+FFFD, so a U+FFFD that is not
// spelt EF BF BD in the bytes was one.
bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    const size_t len = unicode::decode_utf8(p + i, s.size() - i, &c);
    if (c == unicode::kReplacement && !(len == 3 && p[i] == 0xEF && p[i + 1] == 0xBF && p[i + 2] == 0xBD)) return false;
    i += len;
  }
  return true;
}

}  // namespace

void parse_precompiled(std::string_view charsmap, NormalizerSpec* out) {
  if (charsmap.size() < 4) throw std::invalid_argument("precompiled_charsmap is shorter than the 4 bytes of its trie size");
  const auto* p = reinterpret_cast<const unsigned char*>(charsmap.data());
  const auto le32 = [&](size_t at) { return uint32_t{p[at]} | uint32_t{p[at + 1]} << 8 | uint32_t{p[at + 2]} << 16 | uint32_t{p[at + 3]} << 24; };
  // spm_precompiled reads trie_size / 4 units; bytes of a size that is not a multiple of 4 begin
  // the replacements.
  const size_t units = le32(0) / 4;
  if (units > (charsmap.size() - 4) / 4)
    throw std::invalid_argument("precompiled_charsmap's trie (" + std::to_string(units * 4) + " bytes) runs past its end (" +
                                std::to_string(charsmap.size()) + " bytes)");
  out->trie.resize(units);
  for (size_t u = 0; u < units; ++u) out->trie[u] = le32(4 + 4 * u);
  out->replacements.assign(charsmap.substr(4 + 4 * units));
  if (!valid_utf8(out->replacements)) throw std::invalid_argument("precompiled_charsmap's replacement strings are not valid UTF-8");
}

namespace detail {
namespace {

// HF's Precompiled::transform: the replacement of the first key that prefixes key[0, len) (the
// shortest), up to the NUL that ends it, or false when none does. Where HF would panic on a
// malformed trie (an index past the array, a replacement offset past the strings or inside a
// UTF-8 sequence), no key matches.
bool lookup(const NormalizerSpec& n, std::string_view k, std::string_view* replacement) {
  const auto* key = reinterpret_cast<const unsigned char*>(k.data());
  const size_t len = k.size();
  const std::vector<uint32_t>& a = n.trie;
  if (a.empty()) return false;
  size_t pos = offset(a[0]);
  for (size_t i = 0; i < len && key[i] != 0; ++i) {
    pos ^= key[i];
    if (pos >= a.size()) return false;
    const uint32_t unit = a[pos];
    if (label(unit) != key[i]) return false;
    pos ^= offset(unit);
    if (!has_leaf(unit)) continue;
    if (pos >= a.size()) return false;
    const size_t from = value(a[pos]);
    const std::string& r = n.replacements;
    if (from > r.size() || (from < r.size() && (static_cast<unsigned char>(r[from]) & 0xC0) == 0x80)) return false;
    const size_t to = r.find('\0', from);
    *replacement = std::string_view(r).substr(from, (to == std::string::npos ? r.size() : to) - from);
    return true;
  }
  return false;
}

// The UTF-8 of cps[0, count), in a buffer reused from call to call.
std::string_view utf8(const char32_t* cps, size_t count) {
  thread_local std::string bytes;
  bytes.clear();
  for (size_t i = 0; i < count; ++i) unicode::append_utf8(cps[i], &bytes);
  return bytes;
}

}  // namespace

void precompiled(const NormalizerSpec& n, const Text& in, Text& out) {
  // HF's transformations: each output code point with its change, 1 an insertion, 0 a replacement,
  // −k a replacement followed by k removals.
  thread_local std::vector<std::pair<char32_t, ptrdiff_t>> tr;
  tr.clear();
  bool modified = false;
  const auto replace = [&](size_t old_count, std::string_view r) {
    modified = true;
    const size_t before = tr.size();
    const auto* p = reinterpret_cast<const unsigned char*>(r.data());
    for (size_t k = 0; k < r.size();) {
      char32_t c;
      k += unicode::decode_utf8(p + k, r.size() - k, &c);
      tr.emplace_back(c, 0);
    }
    const ptrdiff_t diff = static_cast<ptrdiff_t>(tr.size() - before) - static_cast<ptrdiff_t>(old_count);
    if (diff > 0) {
      for (size_t k = tr.size() - static_cast<size_t>(diff); k < tr.size(); ++k) tr[k].second = 1;
    } else if (diff < 0 && !tr.empty()) {
      tr.back().second += diff;
    }
  };
  std::string_view r;
  for (size_t i = 0; i < in.size();) {
    const size_t e = unicode::grapheme_end(in.cps.data(), i, in.size());
    size_t bytes = 0;
    for (size_t k = i; k < e && bytes < 6; ++k) bytes += unicode::utf8_length(in.cps[k]);
    if (bytes < 6 && lookup(n, utf8(in.cps.data() + i, e - i), &r)) {
      replace(e - i, r);
    } else if (e == i + 1) {
      tr.emplace_back(in.cps[i], 0);  // HF looks the lone code point up again, to the same end
    } else {
      for (size_t k = i; k < e; ++k) {
        if (lookup(n, utf8(in.cps.data() + k, 1), &r)) replace(1, r);
        else tr.emplace_back(in.cps[k], 0);
      }
    }
    i = e;
  }
  if (!modified) {
    out = in;
    return;
  }
  // NormalizedString::transform: a replacing code point takes the alignment of the input code
  // point it replaces (then skips the ones it removes), an inserted one that of the code point
  // before it, or (0, 0) at the start.
  out.clear();
  size_t o = 0;
  const size_t last = in.size() - 1;  // in is not empty: something was replaced
  for (const auto& [c, change] : tr) {
    if (change > 0) {
      out.push(c, o == 0 ? Span{0, 0} : in.align[std::min(o, in.size()) - 1]);
    } else {
      out.push(c, in.align[std::min(o, last)]);
      o += 1 + static_cast<size_t>(-change);
    }
  }
}

}  // namespace detail
}  // namespace xmr::tok
