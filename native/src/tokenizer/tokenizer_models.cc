// The models: WordPiece (greedy longest match first) and Unigram (Viterbi), both over code points
// with the vocabulary in a prefix-closed hash map, so a match grows one code point at a time and
// stops as soon as no vocabulary entry continues it.
#include <algorithm>
#include <stdexcept>

#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok::detail {
namespace {

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

int32_t* PieceMap::insert(uint64_t h, const char32_t* s, size_t len) {
  for (size_t i = mix(h) & mask_;; i = (i + 1) & mask_) {
    Slot& slot = slots_[i];
    if (slot.id == -2) {
      slot = {h, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(len), -1};
      keys_.append(s, len);
      return &slot.id;
    }
    if (slot.hash == h && slot.length == len && std::equal(s, s + len, keys_.data() + slot.offset)) return &slot.id;
  }
}

void PieceMap::build(const std::vector<std::pair<std::u32string, int32_t>>& entries) {
  size_t prefixes = 0;
  for (const auto& e : entries) prefixes += e.first.size();
  size_t cap = 16;
  while (cap < prefixes * 2) cap *= 2;
  slots_.assign(cap, Slot{0, 0, 0, -2});
  mask_ = cap - 1;
  keys_.clear();
  max_len_ = 0;
  for (const auto& [key, id] : entries) {
    if (key.empty()) continue;
    uint64_t h = start();
    for (size_t n = 1; n <= key.size(); ++n) {
      h = step(h, key[n - 1]);
      int32_t* slot = insert(h, key.data(), n);
      if (n == key.size()) *slot = id;  // a later duplicate wins, as in HF's HashMap
    }
    max_len_ = std::max(max_len_, key.size());
  }
}

int32_t PieceMap::find(uint64_t h, const char32_t* s, size_t len) const {
  if (slots_.empty()) return -2;
  for (size_t i = mix(h) & mask_;; i = (i + 1) & mask_) {
    const Slot& slot = slots_[i];
    if (slot.id == -2) return -2;
    if (slot.hash == h && slot.length == len && std::equal(s, s + len, keys_.data() + slot.offset)) return slot.id;
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
    uint64_t h = detail::PieceMap::start();
    size_t best_end = 0;
    int32_t best_id = -1;
    const size_t limit = std::min(n, start + map.max_len());
    for (size_t end = start; end < limit; ++end) {
      h = detail::PieceMap::step(h, s[end]);
      const int32_t id = map.find(h, s + start, end + 1 - start);
      if (id == -2) break;
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
    uint64_t h = detail::PieceMap::start();
    const size_t limit = std::min(n, start + pieces_.max_len());
    for (size_t end = start; end < limit; ++end) {
      h = detail::PieceMap::step(h, c[end]);
      const int32_t id = pieces_.find(h, c + start, end + 1 - start);
      if (id == -2) break;
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
      uint64_t h = detail::PieceMap::start();
      for (uint32_t k = b; k < e; ++k) h = detail::PieceMap::step(h, c[k]);
      const int32_t found = pieces_.find(h, c + b, e - b);
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
