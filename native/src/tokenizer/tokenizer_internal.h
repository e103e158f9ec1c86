// Internal: the stages of xmr/tokenizer.h and the buffers they pass along.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "xmr/tokenizer.h"

namespace xmr::tok::detail {

// A text being normalized: code points, each with the UTF-16 range of the input it came from.
struct Span {
  uint32_t start, end;
};
struct Text {
  std::u32string cps;
  std::vector<Span> align;
  void clear() { cps.clear(); align.clear(); }
  void push(char32_t c, Span s) { cps.push_back(c); align.push_back(s); }
  size_t size() const { return cps.size(); }
};

// A word produced by pre-tokenization: [begin, end) into a Text.
struct Word {
  uint32_t begin, end;
};

// Per-thread scratch space, reused from text to text.
struct Scratch {
  Text input, seg, a, b;
  std::u32string tmp;
  std::vector<Word> words, words2;
  std::vector<double> best_score;  // Unigram Viterbi
  std::vector<int32_t> best_id;
  std::vector<uint32_t> best_from;
};

struct Token {
  int32_t id;
  uint32_t start, end;
  uint8_t type;
};

// Open-addressing map from code-point strings to ids, closed under prefixes (a prefix of a key
// that is not itself a key maps to −1), so a forward scan can stop as soon as no key continues.
class PieceMap {
 public:
  void build(const std::vector<std::pair<std::u32string, int32_t>>& entries);
  static uint64_t start() { return 0xcbf29ce484222325ULL; }
  static uint64_t step(uint64_t h, char32_t c) { return (h ^ c) * 0x100000001b3ULL; }
  // The id of s[0, len) whose running hash is h: ≥ 0 a key, −1 a prefix only, −2 absent.
  int32_t find(uint64_t h, const char32_t* s, size_t len) const;
  size_t max_len() const { return max_len_; }

 private:
  struct Slot {
    uint64_t hash;
    uint32_t offset, length;
    int32_t id;  // −2: empty
  };
  int32_t* insert(uint64_t h, const char32_t* s, size_t len);
  std::vector<Slot> slots_;
  std::u32string keys_;
  size_t mask_ = 0, max_len_ = 0;
};

void normalize(const NormalizerSpec& n, Text& in, Text& out, std::u32string& tmp);
// Splits text[w] for each word w of `words` into `out` (may rewrite `text`, e.g. Metaspace).
void pre_tokenize(const PreTokenizerSpec& p, Text& text, Text& spare, const std::vector<Word>& words,
                  std::vector<Word>& out);

}  // namespace xmr::tok::detail

namespace xmr::tok {

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerSpec spec);
  // Appends the tokens of one text (UTF-8) without special tokens, truncation or padding.
  void tokenize(std::string_view text, detail::Scratch& s, std::vector<detail::Token>& out) const;
  // The normalized text of a whole input, and its words (in *normalized, *words).
  void normalize_only(std::string_view text, detail::Scratch& s, detail::Text** normalized) const;
  void pre_tokenize_only(std::string_view text, detail::Scratch& s, detail::Text** normalized) const;
  const TokenizerSpec& spec() const { return spec_; }
  const std::string& token(int32_t id) const;
  size_t vocab_size() const { return vocab_size_; }

 private:
  void tokenize_segment(detail::Text& seg, detail::Scratch& s, std::vector<detail::Token>& out) const;
  detail::Text* normalize_segment(detail::Text& seg, detail::Scratch& s) const;  // returns the buffer holding the result
  detail::Text* pre_tokenize_segment(detail::Text& seg, detail::Scratch& s) const;  // words in s.words
  void word_piece(const detail::Text& t, detail::Word w, std::vector<detail::Token>& out) const;
  void unigram(const detail::Text& t, detail::Word w, detail::Scratch& s, std::vector<detail::Token>& out) const;

  TokenizerSpec spec_;
  detail::PieceMap whole_, continuation_;  // WordPiece: keys as written / keys after the prefix
  detail::PieceMap pieces_;               // Unigram
  std::vector<std::u32string> added_;     // added token contents as code points
  std::vector<std::string> id_to_token_;  // model vocabulary plus added tokens
  std::vector<int32_t> byte_ids_;         // Unigram byte fallback: <0xXX> ids (−1 missing)
  double unk_score_ = 0;
  size_t vocab_size_ = 0;
};

}  // namespace xmr::tok
