// The models: WordPiece (greedy longest match first) and Unigram (Viterbi), both over code points
// with the vocabulary in a trie (PieceMap), so a match grows one code point at a time and stops as
// soon as no vocabulary entry continues it.
#include <algorithm>
#include <stdexcept>

#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok::detail {

int32_t PieceMap::add_child(int32_t node, char32_t c) {
  if (node == kRoot && c < 0x80) {
    if (root_ascii_[c] < 0) {
      root_ascii_[c] = static_cast<int32_t>(ids_.size());
      ids_.push_back(-1);
    }
    return root_ascii_[c];
  }
  const uint64_t key = edge_key(node, c);
  for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
    Edge& e = edges_[i];
    if (e.key == key) return e.child;
    if (e.key == kEmpty) {
      e = {key, static_cast<int32_t>(ids_.size())};
      ids_.push_back(-1);
      return e.child;
    }
  }
}

void PieceMap::build(const std::vector<std::pair<std::u32string, int32_t>>& entries) {
  size_t edges = 0;
  for (const auto& e : entries) edges += e.first.size();
  size_t cap = 16;
  unsigned bits = 4;
  while (cap < edges * 2) { cap *= 2; ++bits; }  // load ≤ 1/2: short probe runs
  edges_.assign(cap, Edge{kEmpty, -1});
  mask_ = cap - 1;
  shift_ = 64 - bits;
  ids_.assign(1, -1);  // the root
  std::fill(std::begin(root_ascii_), std::end(root_ascii_), -1);
  size_t key_cap = 16;
  while (key_cap < entries.size() * 2) key_cap *= 2;
  keys_table_.assign(key_cap, Key{0, 0, 0, -1});
  key_mask_ = key_cap - 1;
  keys_.clear();
  for (const auto& [key, id] : entries) {  // keys come from UTF-8 (unicode::to_u32): code points ≤ 0x10FFFF
    if (key.empty()) continue;
    int32_t node = kRoot;
    for (char32_t c : key) node = add_child(node, c);
    ids_[static_cast<size_t>(node)] = id;  // a later duplicate wins, as in HF's HashMap
    const uint64_t h = hash(key.data(), key.size());
    for (size_t i = slot_of_hash(h, key_mask_);; i = (i + 1) & key_mask_) {
      Key& k = keys_table_[i];
      if (k.id < 0) {
        k = {h, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()), id};
        keys_ += key;
        break;
      }
      if (k.hash == h && k.length == key.size() && keys_.compare(k.offset, k.length, key) == 0) { k.id = id; break; }
    }
  }
}

}  // namespace xmr::tok::detail

namespace xmr::tok {

using detail::Token;

namespace {

// The original UTF-16 range of text code points [b, e): HF takes the smallest start and the
// largest end of their alignments.
inline Token token_at(const detail::Text& t, uint32_t b, uint32_t e, int32_t id) {
  uint32_t s = t.align[b].start, f = t.align[b].end;
  for (uint32_t i = b + 1; i < e; ++i) {
    s = std::min(s, t.align[i].start);
    f = std::max(f, t.align[i].end);
  }
  return {id, s, f, 0};
}

}  // namespace

void Tokenizer::word_piece(const detail::Text& t, detail::Word w, std::vector<Token>& out) const {
  const ModelSpec& m = spec_.model;
  const size_t n = w.end - w.begin;
  if (n > m.max_input_chars_per_word) {
    out.push_back(token_at(t, w.begin, w.end, m.unk_id));
    return;
  }
  const size_t first = out.size();
  const char32_t* s = t.cps.data() + w.begin;
  for (size_t start = 0; start < n;) {
    const detail::PieceMap& map = start == 0 ? whole_ : continuation_;
    // The longest match first: the rest of the word when it is a key.
    const int32_t rest = map.find(s + start, n - start);
    if (rest >= 0) {
      out.push_back(token_at(t, w.begin + static_cast<uint32_t>(start), w.end, rest));
      return;
    }
    int32_t node = detail::PieceMap::kRoot;
    size_t best_end = 0;
    int32_t best_id = -1;
    for (size_t end = start; end < n; ++end) {
      if ((node = map.child(node, s[end])) < 0) break;
      const int32_t id = map.id(node);
      if (id >= 0) { best_end = end + 1; best_id = id; }
    }
    if (best_id < 0) {
      out.resize(first);
      out.push_back(token_at(t, w.begin, w.end, m.unk_id));
      return;
    }
    out.push_back(token_at(t, w.begin + static_cast<uint32_t>(start), w.begin + static_cast<uint32_t>(best_end), best_id));
    start = best_end;
  }
}

// Viterbi over code point positions, visiting candidates in HF's order (start ascending, then
// length ascending) and replacing a best path only on a strictly higher score. Runs of unknown
// code points are fused into one token.
void Tokenizer::unigram(const detail::Text& t, detail::Word w, detail::Scratch& s, std::vector<Token>& out) const {
  const ModelSpec& m = spec_.model;
  const size_t n = w.end - w.begin;
  const char32_t* c = t.cps.data() + w.begin;
  s.best_score.assign(n + 1, 0.0);
  s.best_id.assign(n + 1, -1);
  s.best_from.assign(n + 1, UINT32_MAX);
  for (size_t start = 0; start < n; ++start) {
    const double base = s.best_score[start];
    bool single = false;
    int32_t node = detail::PieceMap::kRoot;
    for (size_t end = start; end < n; ++end) {
      if ((node = pieces_.child(node, c[end])) < 0) break;
      const int32_t id = pieces_.id(node);
      if (id < 0) continue;
      const double score = base + m.scores[static_cast<size_t>(id)];
      if (s.best_from[end + 1] == UINT32_MAX || score > s.best_score[end + 1]) {
        s.best_score[end + 1] = score;
        s.best_from[end + 1] = static_cast<uint32_t>(start);
        s.best_id[end + 1] = id;
      }
      if (end == start) single = true;
    }
    if (!single) {
      if (m.unk_id < 0) throw std::runtime_error("Unigram: an unknown character and the model has no unk_id");
      const double score = base + unk_score_;
      if (s.best_from[start + 1] == UINT32_MAX || score > s.best_score[start + 1]) {
        s.best_score[start + 1] = score;
        s.best_from[start + 1] = static_cast<uint32_t>(start);
        s.best_id[start + 1] = m.unk_id;
      }
    }
  }
  // Backtrack, then emit in order; consecutive unknowns become one piece.
  const size_t first = out.size();
  for (size_t end = n; end > 0;) {
    const size_t start = s.best_from[end];
    out.push_back({s.best_id[end], static_cast<uint32_t>(start), static_cast<uint32_t>(end), 0});
    end = start;
  }
  std::reverse(out.begin() + static_cast<ptrdiff_t>(first), out.end());
  size_t kept = first;
  for (size_t i = first; i < out.size();) {
    size_t j = i + 1;
    if (out[i].id == m.unk_id)
      while (j < out.size() && out[j].id == m.unk_id) ++j;
    const uint32_t b = out[i].start, e = out[j - 1].end;
    int32_t id = out[i].id;
    if (j - i > 1 || id == m.unk_id) {
      // HF looks the fused string up again; it is a vocabulary entry only in odd vocabularies.
      const int32_t found = pieces_.find(c + b, e - b);
      id = found >= 0 ? found : m.unk_id;
    }
    if (id == m.unk_id && m.byte_fallback) {
      std::string bytes;
      for (uint32_t k = b; k < e; ++k) unicode::append_utf8(c[k], &bytes);
      bool all = true;
      for (unsigned char byte : bytes) all = all && byte_ids_[byte] >= 0;
      if (all) {
        const Token span = token_at(t, w.begin + b, w.begin + e, 0);
        std::vector<Token> pieces;
        for (unsigned char byte : bytes) pieces.push_back({byte_ids_[byte], span.start, span.end, 0});
        out.erase(out.begin() + static_cast<ptrdiff_t>(kept), out.begin() + static_cast<ptrdiff_t>(j));
        out.insert(out.begin() + static_cast<ptrdiff_t>(kept), pieces.begin(), pieces.end());
        kept += pieces.size();
        i = kept;
        continue;
      }
    }
    out[kept++] = token_at(t, w.begin + b, w.begin + e, id);
    i = j;
  }
  out.resize(kept);
}

}  // namespace xmr::tok
