// The pre-tokenizers: each splits every current word further, as HF's PreTokenizedString::split
// does (empty pieces dropped). Delimiter behaviours follow HF's SplitDelimiterBehavior.
#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok::detail {
namespace {

using unicode::has;

inline bool is_white(char32_t c) { return c < 0x80 ? (c == ' ' || (c >= 9 && c <= 13)) : has(c, unicode::kWhiteSpace); }
inline bool is_bert_punct(char32_t c) {
  return c < 0x80 ? ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))
                  : has(c, unicode::kHfPunct);
}
inline bool is_numeric(char32_t c) { return c < 0x80 ? (c >= '0' && c <= '9') : has(c, unicode::kNumeric); }
inline bool is_word(char32_t c) {
  return c < 0x80 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
                  : has(c, unicode::kWord);
}

void emit(std::vector<Word>& out, uint32_t b, uint32_t e) {
  if (e > b) out.push_back({b, e});
}

// Splits [w.begin, w.end) on every code point for which is_delim holds.
template <typename F>
void split(const Text& t, Word w, Behavior how, F is_delim, std::vector<Word>& out) {
  uint32_t piece = w.begin;  // start of the pending non-delimiter piece
  for (uint32_t i = w.begin; i < w.end; ++i) {
    if (!is_delim(t.cps[i])) continue;
    switch (how) {
      case Behavior::Removed: emit(out, piece, i); piece = i + 1; break;
      case Behavior::Isolated: emit(out, piece, i); emit(out, i, i + 1); piece = i + 1; break;
      case Behavior::MergedWithPrevious: emit(out, piece, i + 1); piece = i + 1; break;
      case Behavior::MergedWithNext: emit(out, piece, i); piece = i; break;
      case Behavior::Contiguous: {
        uint32_t j = i + 1;
        while (j < w.end && is_delim(t.cps[j])) ++j;
        emit(out, piece, i);
        emit(out, i, j);
        piece = j;
        i = j - 1;
        break;
      }
    }
  }
  emit(out, piece, w.end);
}

void bert(const Text& t, Word w, std::vector<Word>& out) {
  uint32_t piece = w.begin;
  for (uint32_t i = w.begin; i < w.end; ++i) {
    const char32_t c = t.cps[i];
    if (is_white(c)) {
      emit(out, piece, i);
      piece = i + 1;
    } else if (is_bert_punct(c)) {
      emit(out, piece, i);
      out.push_back({i, i + 1});
      piece = i + 1;
    }
  }
  emit(out, piece, w.end);
}

// \w+|[^\w\s]+ : runs of word characters, or runs of characters that are neither.
void whitespace(const Text& t, Word w, std::vector<Word>& out) {
  uint32_t i = w.begin;
  while (i < w.end) {
    const char32_t c = t.cps[i];
    uint32_t j = i + 1;
    if (is_word(c)) {
      while (j < w.end && is_word(t.cps[j])) ++j;
      out.push_back({i, j});
    } else if (!is_white(c)) {
      while (j < w.end && !is_word(t.cps[j]) && !is_white(t.cps[j])) ++j;
      out.push_back({i, j});
    }
    i = j;
  }
}

// Metaspace: ' ' → replacement, the replacement prepended per the scheme, then split before each
// replacement. Rewrites the text (into `spare`, swapped back) since prepending inserts.
void metaspace(const PreTokenizerSpec& p, Text& t, Text& spare, const std::vector<Word>& words, std::vector<Word>& out) {
  spare.clear();
  std::vector<Word> rewritten;
  rewritten.reserve(words.size());
  for (const Word& w : words) {
    const uint32_t begin = static_cast<uint32_t>(spare.size());
    if (w.end > w.begin) {
      const char32_t first = t.cps[w.begin] == ' ' ? p.replacement : t.cps[w.begin];
      const bool prepend = first != p.replacement &&
                           (p.prepend_scheme == PrependScheme::Always ||
                            (p.prepend_scheme == PrependScheme::First && t.align[w.begin].start == 0));
      if (prepend) spare.push(p.replacement, t.align[w.begin]);
    }
    for (uint32_t i = w.begin; i < w.end; ++i) spare.push(t.cps[i] == ' ' ? p.replacement : t.cps[i], t.align[i]);
    rewritten.push_back({begin, static_cast<uint32_t>(spare.size())});
  }
  std::swap(t, spare);
  for (const Word& w : rewritten) {
    if (p.split) split(t, w, Behavior::MergedWithNext, [&](char32_t c) { return c == p.replacement; }, out);
    else emit(out, w.begin, w.end);
  }
}

}  // namespace

void pre_tokenize(const PreTokenizerSpec& p, Text& text, Text& spare, const std::vector<Word>& words, std::vector<Word>& out) {
  out.clear();
  if (p.kind == PreKind::Metaspace) return metaspace(p, text, spare, words, out);
  if (p.kind == PreKind::ByteLevel) return byte_level(p, text, spare, words, out);
  if (p.kind == PreKind::Split) return split_words(p, text, words, out);
  for (const Word& w : words) {
    switch (p.kind) {
      case PreKind::Bert: bert(text, w, out); break;
      case PreKind::Whitespace: whitespace(text, w, out); break;
      case PreKind::WhitespaceSplit: split(text, w, Behavior::Removed, is_white, out); break;
      case PreKind::Punctuation: split(text, w, p.behavior, is_bert_punct, out); break;
      case PreKind::Digits:
        split(text, w, p.individual_digits ? Behavior::Isolated : Behavior::Contiguous, is_numeric, out);
        break;
      case PreKind::Metaspace:
      case PreKind::ByteLevel:
      case PreKind::Split: break;
    }
  }
}

}  // namespace xmr::tok::detail
