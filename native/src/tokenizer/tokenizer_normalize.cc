// The normalizers. Each maps a Text to a Text, and every output code point inherits the alignment
// of the input code point it came from, which is what HF's NormalizedString does: inserted code
// points (an expansion, CJK padding, a prepended string) share the alignment of the code point
// they stem from; a composed code point keeps its starter's; a replacement takes the alignment of
// the last code point it replaces.
#include <algorithm>

#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok::detail {
namespace {

using unicode::to_u32;

using unicode::has;

// Canonical ordering: stable sort of each run of non-starters by combining class. Alignments stay
// by position (HF's transform replaces position by position).
void reorder(Text& t, size_t from) {
  auto& c = t.cps;
  for (size_t i = from; i < c.size();) {
    if (c[i] < 0x300 || unicode::combining_class(c[i]) == 0) { ++i; continue; }
    size_t j = i;
    while (j < c.size() && c[j] >= 0x300 && unicode::combining_class(c[j]) != 0) ++j;
    if (j - i > 1)
      std::stable_sort(c.begin() + static_cast<ptrdiff_t>(i), c.begin() + static_cast<ptrdiff_t>(j),
                       [](char32_t a, char32_t b) { return unicode::combining_class(a) < unicode::combining_class(b); });
    i = j;
  }
}

void decompose(const Text& in, Text& out, bool compat, std::u32string& tmp) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in.cps[i];
    if (c < (compat ? 0xA0 : 0xC0)) { out.push(c, in.align[i]); continue; }  // no decompositions below
    tmp.clear();
    unicode::append_decomposition(c, compat, &tmp);
    for (char32_t d : tmp) out.push(d, in.align[i]);
  }
  reorder(out, 0);
}

// Canonical composition of a decomposed text, in place (UAX #15's algorithm).
void compose(Text& t) {
  auto& c = t.cps;
  if (c.empty()) return;
  size_t starter = 0, kept = 1;
  int last_class = unicode::combining_class(c[0]) == 0 ? 0 : 256;
  for (size_t i = 1; i < c.size(); ++i) {
    const char32_t ch = c[i];
    const int cls = unicode::combining_class(ch);
    const char32_t composite = (last_class < cls || last_class == 0) ? unicode::compose(c[starter], ch) : 0;
    if (composite != 0 && (last_class < cls || last_class == 0)) {
      c[starter] = composite;
      continue;
    }
    if (cls == 0) starter = kept;
    last_class = cls;
    c[kept] = ch;
    t.align[kept] = t.align[i];
    ++kept;
  }
  c.resize(kept);
  t.align.resize(kept);
}

void lowercase(const Text& in, Text& out, std::u32string& tmp) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    const char32_t c = in.cps[i];
    if (c < 0x80) { out.push(c >= 'A' && c <= 'Z' ? c + 32 : c, in.align[i]); continue; }
    tmp.clear();
    unicode::append_lower(c, &tmp);
    for (char32_t d : tmp) out.push(d, in.align[i]);
  }
}

void filter_marks(const Text& in, Text& out, unicode::Prop mark) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i)
    if (in.cps[i] < 0x300 || !has(in.cps[i], mark)) out.push(in.cps[i], in.align[i]);
}

// BertNormalizer: clean_text, then CJK padding, then NFD + mark removal, then lower-casing. ASCII
// letters are lower-cased in the first pass already: no later pass changes an ASCII code point
// (none decomposes, none is a mark) and lower-casing twice is lower-casing once. A text left with
// only ASCII code points (most English text) is then done: NFD, mark removal and lower-casing leave
// everything below U+0080 as it is.
void bert(const NormalizerSpec& n, Text& in, Text& out, std::u32string& tmp) {
  out.clear();
  out.cps.reserve(in.size());
  out.align.reserve(in.size());
  bool high = false;  // a code point ≥ U+0080 in the output
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in.cps[i];
    const Span a = in.align[i];
    if (c < 0x80) {
      if (n.clean_text) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
        else if (c < 0x20 || c == 0x7F) continue;  // NUL and the other controls
      }
      if (n.lowercase && c >= 'A' && c <= 'Z') c += 32;
      out.push(c, a);
      continue;
    }
    if (n.clean_text) {
      if (c == unicode::kReplacement) continue;
      const uint16_t p = unicode::props(c);
      if (p & unicode::kHfOther) continue;
      if (p & unicode::kWhiteSpace) {
        out.push(' ', a);
        continue;
      }
    }
    high = true;
    if (n.handle_chinese_chars && c >= 0x3400 && unicode::is_cjk_ideograph(c)) {
      out.push(' ', a);
      out.push(c, a);
      out.push(' ', a);
      continue;
    }
    out.push(c, a);
  }
  if (!high) return;
  if (n.strip_accents) {
    decompose(out, in, false, tmp);
    filter_marks(in, out, unicode::kHfNonspacing);
  }
  if (n.lowercase) {
    lowercase(out, in, tmp);
    std::swap(in, out);
  }
}

void replace(const std::u32string& pat, const std::u32string& content, const Text& in, Text& out) {
  out.clear();
  if (pat.empty()) { out = in; return; }
  for (size_t i = 0; i < in.size();) {
    if (in.cps[i] == pat[0] && i + pat.size() <= in.size() &&
        std::equal(pat.begin(), pat.end(), in.cps.begin() + static_cast<ptrdiff_t>(i))) {
      const Span a = in.align[i + pat.size() - 1];
      for (char32_t c : content) out.push(c, a);
      i += pat.size();
    } else {
      out.push(in.cps[i], in.align[i]);
      ++i;
    }
  }
}

}  // namespace

void normalize(const NormalizerSpec& n, Text& in, Text& out, std::u32string& tmp) {
  switch (n.kind) {
    case NormKind::Bert: bert(n, in, out, tmp); return;
    case NormKind::Nfd: decompose(in, out, false, tmp); return;
    case NormKind::Nfkd: decompose(in, out, true, tmp); return;
    case NormKind::Nfc: decompose(in, out, false, tmp); compose(out); return;
    case NormKind::Nfkc: decompose(in, out, true, tmp); compose(out); return;
    case NormKind::Lowercase: lowercase(in, out, tmp); return;
    case NormKind::StripAccents: filter_marks(in, out, unicode::kHfMark); return;
    case NormKind::Replace: replace(to_u32(n.pattern), to_u32(n.content), in, out); return;
    case NormKind::ReplaceWhitespace: replace_whitespace(to_u32(n.content), in, out); return;
    case NormKind::ReplaceSpaces: replace_runs(to_u32(n.content), 2, in, out, [](char32_t c) { return c == ' '; }); return;
    case NormKind::Precompiled: precompiled(n, in, out); return;
    case NormKind::Strip: {
      size_t b = 0, e = in.size();
      if (n.left) while (b < e && has(in.cps[b], unicode::kWhiteSpace)) ++b;
      if (n.right) while (e > b && has(in.cps[e - 1], unicode::kWhiteSpace)) --e;
      out.clear();
      for (size_t i = b; i < e; ++i) out.push(in.cps[i], in.align[i]);
      return;
    }
    case NormKind::Prepend: {
      out.clear();
      if (in.size() == 0) return;
      for (char32_t c : to_u32(n.content)) out.push(c, in.align[0]);
      for (size_t i = 0; i < in.size(); ++i) out.push(in.cps[i], in.align[i]);
      return;
    }
  }
}

}  // namespace xmr::tok::detail
