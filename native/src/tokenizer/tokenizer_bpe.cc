// The BPE model, identical to Hugging Face tokenizers' (models/bpe/model.rs, word.rs, v0.23):
//   1. a word becomes one symbol per character: the character, with the continuing-subword prefix
//      unless it is the first and the end-of-word suffix if it is the last; a character missing
//      from the vocabulary becomes its <0xXX> byte tokens (byte_fallback), else the unk token
//      (consecutive ones fused with fuse_unk), else it is dropped — as HF does;
//   2. adjacent pairs with a merge enter a priority queue ordered by (rank, position); the top is
//      merged unless one side was merged away or the pair now yields another token, and the new
//      pairs with its neighbours enter the queue;
//   3. each symbol keeps the UTF-8 length of the text it covers; the token offsets are the
//      running sums of those lengths mapped back to characters (so, as in HF, a dropped character
//      shifts the offsets of the tokens after it).
// Merged words are cached per thread (HF caches per thread too since 0.22).
#include <algorithm>
#include <stdexcept>

#include "tokenizer_internal.h"
#include "xmr/unicode.h"

namespace xmr::tok::detail {
namespace {

using unicode::to_u32;
using unicode::utf8_length;

uint64_t mix(uint64_t h) {
  h ^= h >> 31;
  h *= 0x9e3779b97f4a7c15ULL;
  h ^= h >> 29;
  return h;
}

// HF's Merge ordering turned into "a has lower priority than b" for std::push_heap / pop_heap:
// the lowest rank first, then the leftmost position.
inline bool lower_priority(const BpeMerge& a, const BpeMerge& b) { return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos; }

}  // namespace

const std::pair<int32_t, uint32_t>* BpeCache::find(uint64_t h, const char32_t* key, size_t len, size_t* count) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t i = mix(h) & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.key_len == 0) return nullptr;
    if (s.hash == h && s.key_len == len && std::equal(key, key + len, keys_.data() + s.key_at)) {
      *count = s.val_len;
      return values_.data() + s.val_at;
    }
  }
}

void BpeCache::insert(uint64_t h, const char32_t* key, size_t len, const std::vector<BpeSymbol>& symbols) {
  if (size_ >= kCapacity || len == 0) return;
  if (slots_.empty()) slots_.assign(32768, Slot{0, 0, 0, 0, 0});  // ≥ 3 × capacity: short probes
  const size_t mask = slots_.size() - 1;
  size_t i = mix(h) & mask;
  while (slots_[i].key_len != 0) i = (i + 1) & mask;
  slots_[i] = {h, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(len), static_cast<uint32_t>(values_.size()), 0};
  keys_.append(key, len);
  for (const BpeSymbol& s : symbols)
    if (s.len != 0) values_.emplace_back(s.id, s.len);
  slots_[i].val_len = static_cast<uint32_t>(values_.size() - slots_[i].val_at);
  ++size_;
}

int32_t Bpe::lookup(const char32_t* s, size_t len) const {
  const int32_t id = vocab_.find(s, len);
  return id >= 0 ? id : -1;
}

int32_t Bpe::symbol_id(char32_t c, bool first, bool last, std::u32string& key) const {
  const size_t variant = (first ? 0 : 1) + (last ? 2 : 0);
  if (c < 0x200) return small_[variant * 0x200 + c];
  key.clear();
  if (!first) key += prefix_;
  key += c;
  if (last) key += suffix_;
  return lookup(key.data(), key.size());
}

const Bpe::MergeSlot* Bpe::find_merge(int32_t a, int32_t b) const {
  if (merges_.empty()) return nullptr;
  const uint64_t key = (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  for (size_t i = mix(key) & merge_mask_;; i = (i + 1) & merge_mask_) {
    const MergeSlot& s = merges_[i];
    if (s.key == ~0ULL) return nullptr;
    if (s.key == key) return &s;
  }
}

void Bpe::build(const ModelSpec& m) {
  m_ = &m;
  prefix_ = to_u32(m.continuing_subword_prefix);
  suffix_ = to_u32(m.end_of_word_suffix);
  std::vector<std::pair<std::u32string, int32_t>> entries;
  entries.reserve(m.vocab.size());
  for (size_t i = 0; i < m.vocab.size(); ++i)
    if (!m.vocab[i].empty()) entries.emplace_back(to_u32(m.vocab[i]), static_cast<int32_t>(i));
  vocab_.build(entries);
  small_.assign(4 * 0x200, -1);
  std::u32string key;
  for (size_t variant = 0; variant < 4; ++variant)
    for (char32_t c = 0; c < 0x200; ++c) {
      key.clear();
      if (variant & 1) key += prefix_;
      key += c;
      if (variant & 2) key += suffix_;
      small_[variant * 0x200 + c] = lookup(key.data(), key.size());
    }
  byte_ids_.assign(256, -1);
  if (m.byte_fallback) {
    static const char* hex = "0123456789ABCDEF";
    for (int b = 0; b < 256; ++b) {
      const std::u32string k = {'<', '0', 'x', char32_t(hex[b >> 4]), char32_t(hex[b & 15]), '>'};
      byte_ids_[static_cast<size_t>(b)] = lookup(k.data(), k.size());
    }
  }
  // The merge table: (a, b) → (rank, id of a + b without b's prefix); a later duplicate of a pair
  // replaces the earlier one, as HF's HashMap collect does.
  size_t cap = 16;
  while (cap < m.merges.size() * 2) cap *= 2;
  merges_.assign(cap, MergeSlot{~0ULL, 0, 0});
  merge_mask_ = cap - 1;
  const size_t prefix_bytes = m.continuing_subword_prefix.size();
  for (size_t r = 0; r < m.merges.size(); ++r) {
    const auto& [a, b] = m.merges[r];
    const std::u32string ua = to_u32(a), ub = to_u32(b);
    const int32_t ia = ua.empty() ? -1 : lookup(ua.data(), ua.size());
    const int32_t ib = ub.empty() ? -1 : lookup(ub.data(), ub.size());
    // Worded as src/json-fields.ts words a field's errors: path, then what it must be.
    const std::string at = "model.merges[" + std::to_string(r) + "] ";
    if (ia < 0) throw std::invalid_argument(at + "must merge tokens of the vocabulary, got \"" + a + "\"");
    if (ib < 0) throw std::invalid_argument(at + "must merge tokens of the vocabulary, got \"" + b + "\"");
    if (b.size() < prefix_bytes) throw std::invalid_argument(at + "must have a second token at least as long as the continuing subword prefix, got \"" + b + "\"");
    const std::u32string joined = to_u32(a + b.substr(prefix_bytes));  // HF strips prefix_len bytes of b
    const int32_t id = lookup(joined.data(), joined.size());
    if (id < 0) throw std::invalid_argument(at + "must make a token of the vocabulary, got \"" + a + b.substr(prefix_bytes) + "\"");
    const uint64_t k = (static_cast<uint64_t>(static_cast<uint32_t>(ia)) << 32) | static_cast<uint32_t>(ib);
    size_t i = mix(k) & merge_mask_;
    while (merges_[i].key != ~0ULL && merges_[i].key != k) i = (i + 1) & merge_mask_;
    merges_[i] = {k, static_cast<uint32_t>(r), id};
  }
}

void Bpe::merge(std::vector<BpeSymbol>& sym, std::vector<BpeMerge>& heap) const {
  heap.clear();
  const size_t n = sym.size();
  for (size_t i = 0; i + 1 < n; ++i)
    if (const auto* m = find_merge(sym[i].id, sym[i + 1].id)) heap.push_back({static_cast<uint32_t>(i), m->rank, m->id});
  std::make_heap(heap.begin(), heap.end(), lower_priority);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), lower_priority);
    const BpeMerge top = heap.back();
    heap.pop_back();
    BpeSymbol& cur = sym[top.pos];
    if (cur.len == 0 || cur.next == -1) continue;
    const size_t next_pos = static_cast<size_t>(cur.next);
    const BpeSymbol right = sym[next_pos];
    const auto* still = find_merge(cur.id, right.id);
    if (still == nullptr || still->id != top.id) continue;  // an expired entry
    cur.id = top.id;
    cur.len += right.len;
    cur.next = right.next;
    sym[next_pos].len = 0;
    if (right.next > -1 && static_cast<size_t>(right.next) < n) sym[static_cast<size_t>(right.next)].prev = static_cast<int32_t>(top.pos);
    if (cur.prev >= 0)
      if (const auto* m = find_merge(sym[static_cast<size_t>(cur.prev)].id, cur.id)) {
        heap.push_back({static_cast<uint32_t>(cur.prev), m->rank, m->id});
        std::push_heap(heap.begin(), heap.end(), lower_priority);
      }
    if (cur.next >= 0 && static_cast<size_t>(cur.next) < n)
      if (const auto* m = find_merge(cur.id, sym[static_cast<size_t>(cur.next)].id)) {
        heap.push_back({top.pos, m->rank, m->id});
        std::push_heap(heap.begin(), heap.end(), lower_priority);
      }
  }
}

void Bpe::tokenize(const Text& t, Word w, BpeScratch& s, std::vector<Token>& out) const {
  const ModelSpec& m = *m_;
  const size_t n = w.end - w.begin;
  if (n == 0) return;
  const char32_t* c = t.cps.data() + w.begin;
  const uint64_t h = PieceMap::hash(c, n);  // the cache's key hash too
  // (id, UTF-8 length) pieces of the word, from the cache, the vocabulary or merging.
  const std::pair<int32_t, uint32_t>* pieces = nullptr;
  size_t count = 0;
  std::pair<int32_t, uint32_t> whole;
  uint32_t bytes = 0;
  for (size_t i = 0; i < n; ++i) bytes += utf8_length(c[i]);
  if (m.ignore_merges) {
    const int32_t id = vocab_.find(h, c, n);
    if (id >= 0) {
      whole = {id, bytes};
      pieces = &whole;
      count = 1;
    }
  }
  if (pieces == nullptr) pieces = s.cache.find(h, c, n, &count);
  if (pieces == nullptr) {
    std::vector<BpeSymbol>& sym = s.symbols;
    sym.clear();
    auto add = [&](int32_t id, uint32_t len) {
      const int32_t at = static_cast<int32_t>(sym.size());
      if (!sym.empty()) sym.back().next = at;
      sym.push_back({id, at - 1, -1, len});
    };
    int32_t unk_len = -1;  // a pending unk token's length (−1: none)
    for (size_t i = 0; i < n; ++i) {
      const uint32_t len = utf8_length(c[i]);
      const int32_t id = symbol_id(c[i], i == 0, i + 1 == n, s.key);
      if (id >= 0) {
        if (unk_len >= 0) add(m.unk_id, static_cast<uint32_t>(unk_len));
        unk_len = -1;
        add(id, len);
        continue;
      }
      if (m.byte_fallback) {
        // HF looks up the bytes of the symbol's string, prefix and suffix included.
        std::string str;
        if (i > 0) str += m.continuing_subword_prefix;
        unicode::append_utf8(c[i], &str);
        if (i + 1 == n) str += m.end_of_word_suffix;
        bool all = true;
        for (unsigned char b : str) all = all && byte_ids_[b] >= 0;
        if (all) {
          for (unsigned char b : str) add(byte_ids_[b], 1);
          continue;  // as in HF, a pending unk stays pending
        }
      }
      if (m.unk_id < 0) continue;  // no unk token: the character is dropped
      if (unk_len >= 0 && m.fuse_unk) {
        unk_len += static_cast<int32_t>(len);
      } else {
        if (unk_len >= 0) add(m.unk_id, static_cast<uint32_t>(unk_len));
        unk_len = static_cast<int32_t>(len);
      }
    }
    if (unk_len >= 0) add(m.unk_id, static_cast<uint32_t>(unk_len));
    merge(sym, s.heap);
    if (bytes < BpeCache::kMaxBytes) s.cache.insert(h, c, n, sym);
    // Read back through the cache when it took the word, else straight from the symbols.
    pieces = s.cache.find(h, c, n, &count);
    if (pieces == nullptr) {
      s.pieces.clear();
      for (const BpeSymbol& x : sym)
        if (x.len != 0) s.pieces.emplace_back(x.id, x.len);
      pieces = s.pieces.data();
      count = s.pieces.size();
    }
  }
  // Byte offsets → characters of the word → UTF-16 ranges of the input.
  size_t ci = 0;
  uint32_t cbyte = 0;  // first byte of character ci
  uint32_t pos = 0;
  for (size_t k = 0; k < count; ++k) {
    const uint32_t len = pieces[k].second;
    auto char_of = [&](uint32_t byte) {
      while (ci + 1 < n && cbyte + utf8_length(c[ci]) <= byte) cbyte += utf8_length(c[ci++]);
      return ci;
    };
    const size_t b = char_of(pos);
    const size_t e = char_of(pos + len - 1) + 1;
    uint32_t start = t.align[w.begin + b].start, end = t.align[w.begin + b].end;
    for (size_t i = b + 1; i < e; ++i) {
      start = std::min(start, t.align[w.begin + i].start);
      end = std::max(end, t.align[w.begin + i].end);
    }
    out.push_back({pieces[k].first, start, end, 0});
    pos += len;
  }
}

}  // namespace xmr::tok::detail
