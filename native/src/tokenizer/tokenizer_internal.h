// Internal: the stages of xmr/tokenizer.h and the buffers they pass along.
#pragma once
#include <algorithm>
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

// BPE (tokenizer_bpe.cc): the symbols of one word while merging, and a per-thread cache of merged
// words, as HF's BPE keeps (up to 10,000 words shorter than 256 UTF-8 bytes; cache hits give the
// same tokens as merging again, so results never depend on it).
struct BpeSymbol {
  int32_t id;
  int32_t prev, next;
  uint32_t len;  // UTF-8 bytes of the word this symbol covers (HF's Symbol::len; 0 once merged away)
};
struct BpeMerge {
  uint32_t pos, rank;
  int32_t id;
};
class BpeCache {
 public:
  static constexpr size_t kCapacity = 10000, kMaxBytes = 256;  // HF's DEFAULT_CACHE_CAPACITY, MAX_LENGTH
  // The (id, len) pieces of a cached word, or nullptr; *count receives their number.
  const std::pair<int32_t, uint32_t>* find(uint64_t h, const char32_t* key, size_t len, size_t* count) const;
  void insert(uint64_t h, const char32_t* key, size_t len, const std::vector<BpeSymbol>& symbols);

 private:
  struct Slot {
    uint64_t hash;
    uint32_t key_at, key_len, val_at, val_len;  // key_len 0: empty
  };
  std::vector<Slot> slots_;
  std::u32string keys_;
  std::vector<std::pair<int32_t, uint32_t>> values_;
  size_t size_ = 0;
};
struct BpeScratch {
  std::vector<BpeSymbol> symbols;
  std::vector<BpeMerge> heap;
  std::u32string key;
  std::vector<std::pair<int32_t, uint32_t>> pieces;
  BpeCache cache;
};

// Per-thread scratch space, reused from text to text.
struct Scratch {
  Text input, seg, a, b, norm;
  std::u32string tmp;
  std::vector<Word> words, words2;
  std::vector<double> best_score;  // Unigram Viterbi
  std::vector<int32_t> best_id;
  std::vector<uint32_t> best_from;
  BpeScratch bpe;
};

struct Token {
  int32_t id;
  uint32_t start, end;
  uint8_t type;
  // An added token matched in the text: HF's token string is the text matched, lstrip/rstrip
  // whitespace included, which offset trimming counts (lead, trail: code points, saturated).
  bool added = false;
  uint16_t lead = 0, trail = 0;
};

// The vocabulary of a model, twice: a trie over code-point strings, its edges in one open-addressing
// table keyed by (node, code point), so a forward scan extends a match by one code point per probe
// and stops as soon as no key continues (child() < 0); and a table of the whole keys, so a string
// that is itself a key (most words of real text) costs one probe instead of one per code point.
// The root's ASCII edges sit in a direct table.
class PieceMap {
 public:
  static constexpr int32_t kRoot = 0;
  void build(const std::vector<std::pair<std::u32string, int32_t>>& entries);
  // FNV-1a over code points: the key hash of find().
  static uint64_t hash(const char32_t* s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; ++i) h = (h ^ s[i]) * 0x100000001b3ULL;
    return h;
  }
  // The id of the key s[0, len) whose hash() is h, or −1 when it is not a key. Inline, and the
  // keys compared in a plain loop: they are a few code points, shorter than a memcmp call.
  int32_t find(uint64_t h, const char32_t* s, size_t len) const {
    if (keys_table_.empty()) return -1;
    for (size_t i = slot_of_hash(h, key_mask_);; i = (i + 1) & key_mask_) {
      const Key& k = keys_table_[i];
      if (k.id < 0) return -1;
      if (k.hash == h && k.length == len) {
        const char32_t* key = keys_.data() + k.offset;
        size_t j = 0;
        while (j < len && key[j] == s[j]) ++j;
        if (j == len) return k.id;
      }
    }
  }
  int32_t find(const char32_t* s, size_t len) const { return find(hash(s, len), s, len); }
  size_t bytes() const {
    return edges_.capacity() * sizeof(Edge) + keys_table_.capacity() * sizeof(Key) + keys_.capacity() * sizeof(char32_t) + ids_.capacity() * sizeof(int32_t);
  }
  // The node of node's string extended by c, or −1 when no key starts with it.
  int32_t child(int32_t node, char32_t c) const {
    if (node == kRoot && c < 0x80) return root_ascii_[c];
    if (c >= (char32_t{1} << 21)) return -1;  // not a code point: no key holds it
    const uint64_t key = edge_key(node, c);
    for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Edge& e = edges_[i];
      if (e.key == key) return e.child;
      if (e.key == kEmpty) return -1;
    }
  }
  // The id of a node's string: ≥ 0 a key, −1 a prefix of keys only.
  int32_t id(int32_t node) const { return ids_[static_cast<size_t>(node)]; }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Edge {
    uint64_t key;  // node << 21 | code point (code points < 2^21); kEmpty: a free slot
    int32_t child;
  };
  static uint64_t edge_key(int32_t node, char32_t c) { return (static_cast<uint64_t>(node) << 21) | c; }
  static size_t slot_of_hash(uint64_t h, size_t mask) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    return static_cast<size_t>(h ^ (h >> 33)) & mask;
  }
  size_t slot_of(uint64_t key) const { return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> shift_) & mask_; }
  int32_t add_child(int32_t node, char32_t c);
  struct Key {
    uint64_t hash;
    uint32_t offset, length;  // in keys_
    int32_t id;               // −1: a free slot
  };
  std::vector<Edge> edges_;
  std::vector<Key> keys_table_;
  std::u32string keys_;
  size_t key_mask_ = 0;
  std::vector<int32_t> ids_;
  int32_t root_ascii_[0x80];
  size_t mask_ = 0;
  unsigned shift_ = 64;
};

// BPE by merge rank, exactly as HF's BPE model (models/bpe/word.rs merge_all): a priority queue of
// (rank, position) over adjacent symbol pairs, stale entries skipped when the pair's result changed.
class Bpe {
 public:
  void build(const ModelSpec& m);  // throws std::invalid_argument
  // Appends the tokens of word w of t (UTF-16 offsets from t's alignment).
  void tokenize(const Text& t, Word w, BpeScratch& s, std::vector<Token>& out) const;
  size_t bytes() const {
    return vocab_.bytes() + (prefix_.capacity() + suffix_.capacity()) * sizeof(char32_t) + (small_.capacity() + byte_ids_.capacity()) * sizeof(int32_t) +
           merges_.capacity() * sizeof(MergeSlot);
  }

 private:
  int32_t lookup(const char32_t* s, size_t len) const;
  int32_t symbol_id(char32_t c, bool first, bool last, std::u32string& key) const;
  void merge(std::vector<BpeSymbol>& sym, std::vector<BpeMerge>& heap) const;
  struct MergeSlot {
    uint64_t key;  // (a << 32) | b; ~0: empty
    uint32_t rank;
    int32_t id;
  };
  const MergeSlot* find_merge(int32_t a, int32_t b) const;

  const ModelSpec* m_ = nullptr;
  PieceMap vocab_;
  std::u32string prefix_, suffix_;
  // Ids of the initial symbol of a code point below 0x200 (GPT-2's byte alphabet lies there), as
  // [c] plain, [0x200 + c] with the prefix, [0x400 + c] with the suffix, [0x600 + c] with both.
  std::vector<int32_t> small_;
  std::vector<int32_t> byte_ids_;  // byte fallback: <0xXX> ids (−1 missing)
  std::vector<MergeSlot> merges_;
  size_t merge_mask_ = 0;
};

void normalize(const NormalizerSpec& n, Text& in, Text& out, std::u32string& tmp);
// tokenizer_precompiled.cc: the Precompiled normalizer (sentencepiece's charsmap).
void precompiled(const NormalizerSpec& n, const Text& in, Text& out);

// HF's Replace of a regex matching runs of a class of code points (`\s+`, ` {2,}`): each run of at
// least min_run code points c with member(c) becomes `content`, aligned with the run's last code
// point (as a literal Replace).
template <typename Member>
void replace_runs(const std::u32string& content, size_t min_run, const Text& in, Text& out, Member member) {
  out.clear();
  for (size_t i = 0; i < in.size();) {
    size_t j = i;
    while (j < in.size() && member(in.cps[j])) ++j;
    if (j > i && j - i >= min_run) {
      for (char32_t c : content) out.push(c, in.align[j - 1]);
      i = j;
    } else {
      for (const size_t e = std::max(j, i + 1); i < e; ++i) out.push(in.cps[i], in.align[i]);  // a short run, or one code point
    }
  }
}

// tokenizer_bytelevel.cc: the `\s+` Replace, the Split pre-tokenizer, the ByteLevel pre-tokenizer.
void replace_whitespace(const std::u32string& content, const Text& in, Text& out);
void split_words(const PreTokenizerSpec& p, const Text& t, const std::vector<Word>& words, std::vector<Word>& out);
void byte_level(const PreTokenizerSpec& p, Text& t, Text& spare, const std::vector<Word>& words, std::vector<Word>& out);
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
  // Leading and trailing whitespace or 'Ġ' of a token's string, in code points (offset trimming).
  std::pair<uint16_t, uint16_t> edge_spaces(int32_t id) const {
    return id >= 0 && static_cast<size_t>(id) < edge_spaces_.size() ? edge_spaces_[static_cast<size_t>(id)] : std::pair<uint16_t, uint16_t>{0, 0};
  }
  size_t vocab_size() const { return vocab_size_; }
  size_t bytes() const;

 private:
  void tokenize_segment(detail::Text& seg, detail::Scratch& s, std::vector<detail::Token>& out) const;
  void tokenize_normalized(detail::Text& seg, detail::Scratch& s, std::vector<detail::Token>& out) const;
  detail::Text* pre_tokenize_normalized(detail::Text& seg, detail::Scratch& s) const;  // words in s.words
  // Leftmost-longest matches of the added tokens listed in `which` in t, each emitted as a token
  // (lstrip/rstrip widening it), the text between them passed to `between(begin, end)`.
  template <typename F>
  void split_added(const detail::Text& t, const std::vector<size_t>& which, const std::vector<std::u32string>& contents,
                   std::vector<detail::Token>& out, F between) const;
  detail::Text* normalize_segment(detail::Text& seg, detail::Scratch& s) const;  // returns the buffer holding the result
  detail::Text* pre_tokenize_segment(detail::Text& seg, detail::Scratch& s) const;  // words in s.words
  void word_piece(const detail::Text& t, detail::Word w, std::vector<detail::Token>& out) const;
  void unigram(const detail::Text& t, detail::Word w, detail::Scratch& s, std::vector<detail::Token>& out) const;

  TokenizerSpec spec_;
  detail::PieceMap whole_, continuation_;  // WordPiece: keys as written / keys after the prefix
  detail::PieceMap pieces_;               // Unigram
  detail::Bpe bpe_;
  std::vector<std::u32string> added_;     // added token contents as code points (normalized ones: after the normalizers)
  std::vector<size_t> raw_added_, norm_added_;  // indices of the added tokens matched before / after normalization
  std::vector<std::string> id_to_token_;  // model vocabulary plus added tokens
  std::vector<int32_t> byte_ids_;         // Unigram byte fallback: <0xXX> ids (−1 missing)
  std::vector<std::pair<uint16_t, uint16_t>> edge_spaces_;  // per id, when the post-processor trims offsets
  double unk_score_ = 0;
  size_t vocab_size_ = 0;
};

}  // namespace xmr::tok
