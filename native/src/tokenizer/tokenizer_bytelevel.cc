// Byte-level pre-tokenization (GPT-2, RoBERTa, CLIP, Llama 3, Qwen2), the Split pre-tokenizer and the `\s+`
// Replace normalizer, as Hugging Face tokenizers does them (pre_tokenizers/byte_level.rs,
// split.rs, normalizers/replace.rs, tokenizer/normalizer.rs split()).
//
// HF runs these regexes through Oniguruma; the few patterns real tokenizer.json files use are
// matched here by hand, with Oniguruma's leftmost-first alternation and backtracking:
//   GPT-2:  's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   CLIP:   [<\|startoftext\|>|<\|endoftext\|>|]'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
//   Llama 3 (GPT-4's cl100k), and Qwen2 with \p{N} for \p{N}{1,3}:
//           (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
// with \p{L} the letters (L*), \p{N} the numbers (N*) and \s White_Space.
#include <algorithm>

#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok::detail {
namespace {

using unicode::has;

inline bool is_space(char32_t c) { return c < 0x80 ? (c == ' ' || (c >= 9 && c <= 13)) : has(c, unicode::kWhiteSpace); }
inline bool is_letter(char32_t c) { return c < 0x80 ? ((c | 32) >= 'a' && (c | 32) <= 'z') : has(c, unicode::kLetter); }
inline bool is_number(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : has(c, unicode::kNumeric); }
inline bool is_other(char32_t c) { return !is_space(c) && !is_letter(c) && !is_number(c); }

// 's|'t|'re|'ve|'m|'ll|'d at c[i]: the end of the match, or i.
size_t contraction(const char32_t* c, size_t i, size_t n) {
  if (c[i] != '\'' || i + 1 >= n) return i;
  const char32_t d = c[i + 1];
  if (d == 's' || d == 't' || d == 'm' || d == 'd') return i + 2;
  if (i + 2 < n && ((d == 'r' && c[i + 2] == 'e') || (d == 'v' && c[i + 2] == 'e') || (d == 'l' && c[i + 2] == 'l'))) return i + 3;
  return i;
}

// The same, ignoring case as Oniguruma's (?i:…) does: its case-fold closure adds only the upper
// case of each letter, and U+017F LATIN SMALL LETTER LONG S to s.
size_t contraction_any_case(const char32_t* c, size_t i, size_t n) {
  if (c[i] != '\'' || i + 1 >= n) return i;
  const auto fold = [](char32_t x) -> char32_t { return x == 0x17F ? 's' : x >= 'A' && x <= 'Z' ? x + 32 : x; };
  const char32_t d = fold(c[i + 1]);
  if (d == 's' || d == 't' || d == 'm' || d == 'd') return i + 2;
  const char32_t e = i + 2 < n ? fold(c[i + 2]) : 0;
  if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return i + 3;
  return i;
}

template <typename F>
size_t run(const char32_t* c, size_t i, size_t n, F in_class) {
  while (i < n && in_class(c[i])) ++i;
  return i;
}

// The GPT-2 match starting at c[i] (every position starts one: the classes cover everything).
size_t gpt2_match(const char32_t* c, size_t i, size_t n) {
  if (const size_t e = contraction(c, i, n); e > i) return e;
  const bool space = c[i] == ' ' && i + 1 < n;
  if (space && is_letter(c[i + 1])) return run(c, i + 1, n, is_letter);
  if (is_letter(c[i])) return run(c, i, n, is_letter);
  if (space && is_number(c[i + 1])) return run(c, i + 1, n, is_number);
  if (is_number(c[i])) return run(c, i, n, is_number);
  if (space && is_other(c[i + 1])) return run(c, i + 1, n, is_other);
  if (is_other(c[i])) return run(c, i, n, is_other);
  // \s+(?!\S) backs off one character when the run stops before a non-space; \s+ takes the rest.
  const size_t j = run(c, i, n, is_space);
  return j < n && j - i >= 2 ? j - 1 : j;
}

// The Llama 3 / Qwen2 match starting at c[i] (every position starts one), digits taken up to
// max_digits at a time.
size_t cl100k_match(const char32_t* c, size_t i, size_t n, size_t max_digits) {
  if (const size_t e = contraction_any_case(c, i, n); e > i) return e;
  const char32_t x = c[i];
  const auto crlf = [](char32_t y) { return y == '\r' || y == '\n'; };
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (!crlf(x) && !is_letter(x) && !is_number(x) && i + 1 < n && is_letter(c[i + 1])) return run(c, i + 1, n, is_letter);
  if (is_letter(x)) return run(c, i, n, is_letter);
  // \p{N}{1,max_digits}
  if (is_number(x)) {
    size_t e = i + 1;
    while (e < n && e - i < max_digits && is_number(c[e])) ++e;
    return e;
  }
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  const size_t o = x == ' ' && i + 1 < n && is_other(c[i + 1]) ? i + 1 : i;
  if (is_other(c[o])) return run(c, run(c, o, n, is_other), n, crlf);
  // x is White_Space. \s*[\r\n]+: the backtracking \s* leaves the run's last CR or LF to [\r\n]+, so
  // the match ends just after it; without one, \s+(?!\S) then \s+ as in GPT-2's.
  const size_t j = run(c, i, n, is_space);
  for (size_t k = j; k > i; --k)
    if (crlf(c[k - 1])) return k;
  return j < n && j - i >= 2 ? j - 1 : j;
}

bool literal_at(const char32_t* c, size_t i, size_t n, const char32_t* lit, size_t len) {
  return i + len <= n && std::equal(lit, lit + len, c + i);
}

// The CLIP match starting at c[i], or i when none starts there (White_Space).
size_t clip_match(const char32_t* c, size_t i, size_t n, bool specials) {
  static const char32_t kStart[] = U"<|startoftext|>", kEnd[] = U"<|endoftext|>";
  if (specials && c[i] == '<') {
    if (literal_at(c, i, n, kStart, 15)) return i + 15;
    if (literal_at(c, i, n, kEnd, 13)) return i + 13;
  }
  if (const size_t e = contraction(c, i, n); e > i) return e;
  if (is_letter(c[i])) return run(c, i, n, is_letter);
  if (is_number(c[i])) return i + 1;
  if (is_other(c[i])) return run(c, i, n, is_other);
  return i;
}

struct Piece {
  uint32_t begin, end;
  bool match;
};

// HF's NormalizedString::split: the word as alternating (range, is_match) pieces, shaped by the
// delimiter behaviour; empty pieces are dropped by the caller (PreTokenizedString::split).
void split_pieces(const std::vector<Piece>& pieces, Behavior how, std::vector<Word>& out) {
  auto emit = [&](uint32_t b, uint32_t e) {
    if (e > b) out.push_back({b, e});
  };
  switch (how) {
    case Behavior::Isolated:
      for (const Piece& p : pieces) emit(p.begin, p.end);
      return;
    case Behavior::Removed:
      for (const Piece& p : pieces)
        if (!p.match) emit(p.begin, p.end);
      return;
    case Behavior::Contiguous:
    case Behavior::MergedWithPrevious: {
      // Contiguous: fuse neighbours of the same kind; MergedWithPrevious: a match joins the piece before it.
      std::vector<Word> acc;
      bool previous = false;
      for (const Piece& p : pieces) {
        const bool join = how == Behavior::Contiguous ? p.match == previous : (p.match && !previous);
        if (join && !acc.empty()) acc.back().end = p.end;
        else acc.push_back({p.begin, p.end});
        previous = p.match;
      }
      for (const Word& w : acc) emit(w.begin, w.end);
      return;
    }
    case Behavior::MergedWithNext: {
      std::vector<Word> acc;
      bool previous = false;
      for (size_t k = pieces.size(); k-- > 0;) {
        const Piece& p = pieces[k];
        if (p.match && !previous && !acc.empty()) acc.back().begin = p.begin;
        else acc.push_back({p.begin, p.end});
        previous = p.match;
      }
      for (size_t k = acc.size(); k-- > 0;) emit(acc[k].begin, acc[k].end);
      return;
    }
  }
}

// GPT-2's byte-to-character map (byte_level.rs bytes_char): printable bytes stand for themselves,
// the others take 256, 257, … in byte order.
struct ByteChars {
  char32_t of[256];
  ByteChars() {
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      of[b] = printable ? static_cast<char32_t>(b) : next++;
    }
  }
};
const ByteChars kByteChars;

}  // namespace

void split_words(const PreTokenizerSpec& p, const Text& t, const std::vector<Word>& words, std::vector<Word>& out) {
  std::vector<Piece> pieces;
  const std::u32string lit = unicode::to_u32(p.literal);
  for (const Word& w : words) {
    pieces.clear();
    const char32_t* c = t.cps.data() + w.begin;
    const size_t n = w.end - w.begin;
    size_t prev = 0;
    auto matched = [&](size_t s, size_t e) {
      if (s > prev) pieces.push_back({w.begin + uint32_t(prev), w.begin + uint32_t(s), false});
      pieces.push_back({w.begin + uint32_t(s), w.begin + uint32_t(e), true});
      prev = e;
    };
    for (size_t i = 0; i < n;) {
      size_t e = i;
      switch (p.pattern) {
        case SplitPattern::Literal: e = !lit.empty() && literal_at(c, i, n, lit.data(), lit.size()) ? i + lit.size() : i; break;
        case SplitPattern::Gpt2: e = gpt2_match(c, i, n); break;
        case SplitPattern::Clip: e = clip_match(c, i, n, false); break;
        case SplitPattern::ClipWithSpecials: e = clip_match(c, i, n, true); break;
        case SplitPattern::Llama3: e = cl100k_match(c, i, n, 3); break;
        case SplitPattern::Qwen2: e = cl100k_match(c, i, n, 1); break;
      }
      if (e > i) {
        matched(i, e);
        i = e;
      } else {
        ++i;
      }
    }
    if (prev < n) pieces.push_back({w.begin + uint32_t(prev), w.end, false});
    if (p.invert)
      for (Piece& x : pieces) x.match = !x.match;
    split_pieces(pieces, p.behavior, out);
  }
}

void byte_level(const PreTokenizerSpec& p, Text& t, Text& spare, const std::vector<Word>& words, std::vector<Word>& out) {
  std::vector<Word> cur(words);
  if (p.add_prefix_space) {
    // NormalizedString::prepend: the space takes the alignment of the word's first character.
    spare.clear();
    for (Word& w : cur) {
      const uint32_t begin = static_cast<uint32_t>(spare.size());
      if (t.cps[w.begin] != ' ') spare.push(' ', t.align[w.begin]);
      for (uint32_t i = w.begin; i < w.end; ++i) spare.push(t.cps[i], t.align[i]);
      w = {begin, static_cast<uint32_t>(spare.size())};
    }
    std::swap(t, spare);
  }
  if (p.use_regex) {
    PreTokenizerSpec gpt2;
    gpt2.kind = PreKind::Split;
    gpt2.pattern = SplitPattern::Gpt2;
    gpt2.behavior = Behavior::Isolated;
    std::vector<Word> split;
    split_words(gpt2, t, cur, split);
    cur.swap(split);
  }
  // Every UTF-8 byte becomes its character, aligned with the code point it belongs to.
  spare.clear();
  out.clear();
  std::string bytes;
  for (const Word& w : cur) {
    const uint32_t begin = static_cast<uint32_t>(spare.size());
    for (uint32_t i = w.begin; i < w.end; ++i) {
      const char32_t c = t.cps[i];
      if (c < 0x80) {
        spare.push(kByteChars.of[c], t.align[i]);
        continue;
      }
      bytes.clear();
      unicode::append_utf8(c, &bytes);
      for (unsigned char b : bytes) spare.push(kByteChars.of[b], t.align[i]);
    }
    out.push_back({begin, static_cast<uint32_t>(spare.size())});
  }
  std::swap(t, spare);
}

void replace_whitespace(const std::u32string& content, const Text& in, Text& out) {
  replace_runs(content, 1, in, out, is_space);
}

}  // namespace xmr::tok::detail
