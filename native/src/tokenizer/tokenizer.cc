// The tokenizer pipeline and the batch driver: texts are taken in blocks from a shared counter by
// each thread (long and short texts even out), each block keeps its own tokens, and the output
// arrays are filled once the longest row is known — so the result never depends on the thread count.
#include "xmr/tokenizer.h"

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "tokenizer_internal.h"
#include "xmr/parallel.h"
#include "xmr/unicode.h"

namespace xmr::tok {

using detail::Scratch;
using detail::Text;
using detail::Token;
using detail::Word;

namespace {

using unicode::to_u32;

// UTF-8 → code points, each with its UTF-16 range in the input. There are at most as many code
// points as bytes, so the buffers are sized once and written through pointers.
void decode(std::string_view s, Text& t) {
  t.cps.resize(s.size());
  t.align.resize(s.size());
  char32_t* cp = t.cps.data();
  detail::Span* al = t.align.data();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  uint32_t u16 = 0;
  size_t k = 0;
  for (size_t i = 0; i < s.size();) {
    char32_t c;
    if (p[i] < 0x80) {
      c = p[i++];
    } else {
      i += unicode::decode_utf8(p + i, s.size() - i, &c);
    }
    const uint32_t w = c >= 0x10000 ? 2 : 1;
    cp[k] = c;
    al[k++] = {u16, u16 + w};
    u16 += w;
  }
  t.cps.resize(k);
  t.align.resize(k);
}

inline bool is_white(char32_t c) { return c < 0x80 ? (c == ' ' || (c >= 9 && c <= 13)) : unicode::has(c, unicode::kWhiteSpace); }

// Code points [b, e) of `from` with their alignment, into `to`.
void copy_range(const Text& from, size_t b, size_t e, Text& to) {
  to.cps.assign(from.cps, b, e - b);
  to.align.assign(from.align.begin() + static_cast<ptrdiff_t>(b), from.align.begin() + static_cast<ptrdiff_t>(e));
}

}  // namespace

Tokenizer::Tokenizer(TokenizerSpec spec) : spec_(std::move(spec)) {
  ModelSpec& m = spec_.model;
  const size_t n = m.vocab.size();
  if (n == 0) throw std::invalid_argument("model.vocab is empty");
  if (n > static_cast<size_t>(INT32_MAX)) throw std::invalid_argument("model.vocab is too large");
  if (m.unk_id >= static_cast<int32_t>(n)) throw std::invalid_argument("model unk id is outside the vocabulary");
  vocab_size_ = n;
  id_to_token_ = m.vocab;
  std::vector<std::pair<std::u32string, int32_t>> entries, cont;
  entries.reserve(n);
  for (size_t i = 0; i < n; ++i) entries.emplace_back(to_u32(m.vocab[i]), static_cast<int32_t>(i));
  if (m.kind == ModelKind::Bpe) {
    bpe_.build(spec_.model);
  } else if (m.kind == ModelKind::WordPiece) {
    if (m.unk_id < 0) throw std::invalid_argument("WordPiece needs an unknown token in its vocabulary");
    if (m.max_input_chars_per_word == 0) throw std::invalid_argument("max_input_chars_per_word must be ≥ 1");
    const std::u32string prefix = to_u32(m.continuing_subword_prefix);
    for (const auto& [key, id] : entries)
      if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) cont.emplace_back(key.substr(prefix.size()), id);
    whole_.build(entries);
    continuation_.build(cont);
  } else {
    if (m.scores.size() != n) throw std::invalid_argument("Unigram needs one score per vocabulary entry");
    double min_score = m.scores[0];
    for (double x : m.scores) {
      if (!(x == x)) throw std::invalid_argument("Unigram scores must not be NaN");
      min_score = std::min(min_score, x);
    }
    unk_score_ = min_score - 10.0;  // HF's K_UNK_PENALTY
    pieces_.build(entries);
    byte_ids_.assign(256, -1);
    if (m.byte_fallback) {
      static const char* hex = "0123456789ABCDEF";
      for (int b = 0; b < 256; ++b) {
        const std::u32string key = {'<', '0', 'x', char32_t(hex[b >> 4]), char32_t(hex[b & 15]), '>'};
        const int32_t id = pieces_.find(key.data(), key.size());
        byte_ids_[static_cast<size_t>(b)] = id >= 0 ? id : -1;
      }
    }
  }
  for (const AddedTokenSpec& a : spec_.added_tokens) {
    if (a.content.empty()) throw std::invalid_argument("an added token has empty content");
    if (a.id < 0) throw std::invalid_argument("an added token has a negative id");
    if (a.normalized) {
      Scratch s;
      Text* t = nullptr;
      normalize_only(a.content, s, &t);
      if (t->size() == 0) throw std::invalid_argument("an added token normalizes to nothing");
      added_.push_back(t->cps);
      norm_added_.push_back(added_.size() - 1);
    } else {
      added_.push_back(to_u32(a.content));
      raw_added_.push_back(added_.size() - 1);
    }
    if (static_cast<size_t>(a.id) >= id_to_token_.size()) id_to_token_.resize(static_cast<size_t>(a.id) + 1);
    id_to_token_[static_cast<size_t>(a.id)] = a.content;
  }
  vocab_size_ = id_to_token_.size();  // added tokens may lie past the model's ids
  const PostSpec& p = spec_.post;
  if (p.trim_offsets) {
    // Of the model's token strings: added tokens carry their own (the text they matched).
    edge_spaces_.resize(m.vocab.size());
    auto space = [](char32_t c) { return c == 0x120 || is_white(c); };
    for (size_t id = 0; id < m.vocab.size(); ++id) {
      const std::u32string t = to_u32(m.vocab[id]);
      size_t lead = 0, trail = 0;
      while (lead < t.size() && space(t[lead])) ++lead;
      while (trail < t.size() && space(t[t.size() - 1 - trail])) ++trail;
      edge_spaces_[id] = {static_cast<uint16_t>(std::min<size_t>(lead, UINT16_MAX)), static_cast<uint16_t>(std::min<size_t>(trail, UINT16_MAX))};
    }
  }
  if (p.prefix.size() != p.prefix_types.size() || p.suffix.size() != p.suffix_types.size())
    throw std::invalid_argument("post-processor ids and type ids differ in length");
  for (int32_t id : p.prefix) if (id < 0) throw std::invalid_argument("post-processor ids must be ≥ 0");
  for (int32_t id : p.suffix) if (id < 0) throw std::invalid_argument("post-processor ids must be ≥ 0");
}

const std::string& Tokenizer::token(int32_t id) const {
  static const std::string none;
  return id >= 0 && static_cast<size_t>(id) < id_to_token_.size() ? id_to_token_[static_cast<size_t>(id)] : none;
}

Text* Tokenizer::normalize_segment(Text& seg, Scratch& s) const {
  Text* cur = &seg;
  Text* other = &s.a;
  for (const NormalizerSpec& n : spec_.normalizers) {
    detail::normalize(n, *cur, *other, s.tmp);
    std::swap(cur, other);
    if (other == &seg) other = &s.b;  // keep two spare buffers distinct from the current one
  }
  return cur;
}

Text* Tokenizer::pre_tokenize_segment(Text& seg, Scratch& s) const { return pre_tokenize_normalized(*normalize_segment(seg, s), s); }

Text* Tokenizer::pre_tokenize_normalized(Text& seg, Scratch& s) const {
  Text* cur = &seg;
  Text* spare = cur == &s.b ? &s.a : &s.b;
  s.words.clear();
  if (cur->size() == 0) return cur;
  s.words.push_back({0, static_cast<uint32_t>(cur->size())});
  for (const PreTokenizerSpec& p : spec_.pre_tokenizers) {
    detail::pre_tokenize(p, *cur, *spare, s.words, s.words2);
    std::swap(s.words, s.words2);
  }
  return cur;
}

void Tokenizer::tokenize_segment(Text& seg, Scratch& s, std::vector<Token>& out) const {
  if (norm_added_.empty()) return tokenize_normalized(*normalize_segment(seg, s), s, out);
  // HF's second pass: added tokens with normalized = true are found in the normalized text, and
  // each piece between them is pre-tokenized on its own.
  s.norm = *normalize_segment(seg, s);
  split_added(s.norm, norm_added_, added_, out, [&](size_t b, size_t e) {
    copy_range(s.norm, b, e, s.seg);
    tokenize_normalized(s.seg, s, out);
  });
}

void Tokenizer::tokenize_normalized(Text& seg, Scratch& s, std::vector<Token>& out) const {
  const Text* cur = pre_tokenize_normalized(seg, s);
  for (const Word& w : s.words) {
    switch (spec_.model.kind) {
      case ModelKind::WordPiece: word_piece(*cur, w, out); break;
      case ModelKind::Unigram: unigram(*cur, w, s, out); break;
      case ModelKind::Bpe: bpe_.tokenize(*cur, w, s.bpe, out); break;
    }
  }
}

void Tokenizer::normalize_only(std::string_view text, Scratch& s, Text** normalized) const {
  decode(text, s.seg);
  *normalized = normalize_segment(s.seg, s);
}

void Tokenizer::pre_tokenize_only(std::string_view text, Scratch& s, Text** normalized) const {
  decode(text, s.seg);
  *normalized = pre_tokenize_segment(s.seg, s);
}

void Tokenizer::tokenize(std::string_view text, Scratch& s, std::vector<Token>& out) const {
  decode(text, s.input);
  if (raw_added_.empty()) {
    std::swap(s.input, s.seg);
    tokenize_segment(s.seg, s, out);
    return;
  }
  split_added(s.input, raw_added_, added_, out, [&](size_t b, size_t e) {
    // A text without added tokens is one segment, the last split_added hands over (it reads
    // s.input no more after it): moved rather than copied.
    if (b == 0 && e == s.input.size()) std::swap(s.input, s.seg);
    else copy_range(s.input, b, e, s.seg);
    tokenize_segment(s.seg, s, out);
  });
}

// Leftmost-longest matches (HF's Aho-Corasick with MatchKind::LeftmostLongest); lstrip/rstrip
// widen a match over adjacent whitespace. HF's token string is the text matched, which offset
// trimming reads: its leading and trailing whitespace are kept in the token.
template <typename F>
void Tokenizer::split_added(const Text& in, const std::vector<size_t>& which, const std::vector<std::u32string>& contents,
                            std::vector<Token>& out, F between) const {
  const size_t n = in.size();
  size_t seg_begin = 0;
  auto flush = [&](size_t b, size_t e) {
    if (e > b) between(b, e);
  };
  // The first code points of the tokens sought, ASCII ones as a bit set: most code points of a
  // text start none, and are passed over with one test.
  uint64_t first_ascii[2] = {0, 0};
  bool first_high = false;
  for (size_t k : which) {
    const char32_t c = contents[k][0];
    if (c < 0x80) first_ascii[c >> 6] |= uint64_t{1} << (c & 63);
    else first_high = true;
  }
  for (size_t i = 0; i < n;) {
    const char32_t c = in.cps[i];
    if (c < 0x80 ? (first_ascii[c >> 6] >> (c & 63) & 1) == 0 : !first_high) { ++i; continue; }
    size_t best = SIZE_MAX, best_len = 0;
    for (size_t k : which) {
      const std::u32string& a = contents[k];
      if (a[0] != in.cps[i] || a.size() <= best_len || i + a.size() > n) continue;
      if (std::equal(a.begin(), a.end(), in.cps.begin() + static_cast<ptrdiff_t>(i))) { best = k; best_len = a.size(); }
    }
    if (best == SIZE_MAX) { ++i; continue; }
    const AddedTokenSpec& a = spec_.added_tokens[best];
    size_t b = i, e = i + best_len;
    if (a.lstrip) while (b > seg_begin && is_white(in.cps[b - 1])) --b;
    if (a.rstrip) while (e < n && is_white(in.cps[e])) ++e;
    flush(seg_begin, b);
    const auto sat = [](size_t k) { return static_cast<uint16_t>(std::min<size_t>(k, UINT16_MAX)); };
    size_t lead = 0, trail = 0;  // the whitespace HF's token string starts and ends with
    while (b + lead < e && is_white(in.cps[b + lead])) ++lead;
    while (trail < e - b && is_white(in.cps[e - 1 - trail])) ++trail;
    out.push_back({a.id, in.align[b].start, in.align[e - 1].end, 0, true, sat(lead), sat(trail)});
    seg_begin = e;
    i = e;
  }
  flush(seg_begin, n);
}

namespace {
// A string's heap block: none while it fits in the object itself (the small-string buffer).
template <typename C>
size_t heap_bytes(const std::basic_string<C>& s) {
  const char* p = reinterpret_cast<const char*>(s.data());
  const bool inline_buffer = p >= reinterpret_cast<const char*>(&s) && p < reinterpret_cast<const char*>(&s + 1);
  return inline_buffer ? 0 : (s.capacity() + 1) * sizeof(C);
}
template <typename T>
size_t heap_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
template <typename C>
size_t heap_bytes(const std::vector<std::basic_string<C>>& v) {
  size_t n = v.capacity() * sizeof(std::basic_string<C>);
  for (const std::basic_string<C>& s : v) n += heap_bytes(s);
  return n;
}
}  // namespace

// The vocabulary dominates: its strings twice (spec and id → token), its lookup tables, the merges.
size_t Tokenizer::bytes() const {
  const ModelSpec& m = spec_.model;
  size_t n = heap_bytes(m.vocab) + heap_bytes(m.scores) + heap_bytes(m.merges) + heap_bytes(id_to_token_);
  for (const auto& [a, b] : m.merges) n += heap_bytes(a) + heap_bytes(b);
  n += whole_.bytes() + continuation_.bytes() + pieces_.bytes() + bpe_.bytes();
  n += heap_bytes(added_) + heap_bytes(raw_added_) + heap_bytes(norm_added_) + heap_bytes(byte_ids_) + heap_bytes(edge_spaces_);
  return n;
}

std::shared_ptr<const Tokenizer> make_tokenizer(TokenizerSpec spec) { return std::make_shared<const Tokenizer>(std::move(spec)); }

namespace {

// RobertaProcessing / ByteLevel(trim_offsets), HF's process_offsets: offsets lose the whitespace
// (or 'Ġ', GPT-2's space) a token starts or ends with — but a single leading one of the first token
// when add_prefix_space (the space the pre-tokenizer added). HF counts in code points; here offsets
// are UTF-16 units, so when the text has characters beyond the BMP the count is converted.
void trim_offsets(const Tokenizer& tok, std::string_view text, std::vector<Token>& t, size_t from) {
  std::vector<uint32_t> u16_of_cp;  // empty: every code point is one unit
  for (unsigned char ch : text)
    if (ch >= 0xF0) {
      Text decoded;
      decode(text, decoded);
      for (const auto& a : decoded.align) u16_of_cp.push_back(a.start);
      u16_of_cp.push_back(decoded.size() == 0 ? 0 : decoded.align.back().end);
      break;
    }
  auto to_cp = [&](uint32_t u) {
    return u16_of_cp.empty() ? u : static_cast<uint32_t>(std::lower_bound(u16_of_cp.begin(), u16_of_cp.end(), u) - u16_of_cp.begin());
  };
  auto to_u16 = [&](uint32_t cp) { return u16_of_cp.empty() ? cp : u16_of_cp[std::min<size_t>(cp, u16_of_cp.size() - 1)]; };
  for (size_t i = from; i < t.size(); ++i) {
    auto [lead, trail] = t[i].added ? std::pair<uint16_t, uint16_t>{t[i].lead, t[i].trail} : tok.edge_spaces(t[i].id);
    if (lead == 0 && trail == 0) continue;
    uint32_t start = to_cp(t[i].start), end = to_cp(t[i].end);
    if (lead > 0) {
      const bool first = i == from || start == 0;
      if (first && tok.spec().post.add_prefix_space && lead == 1) lead = 0;
      start = std::min<uint32_t>(start + static_cast<uint32_t>(lead), end);
    }
    if (trail > 0 && end >= trail) end = std::max<uint32_t>(end - static_cast<uint32_t>(trail), start);
    t[i].start = to_u16(start);
    t[i].end = to_u16(end);
  }
}

// Truncation and special tokens of one text, appended to `out` (its tokens start at `from`).
void finish(const Tokenizer& tok, std::string_view text, const EncodeOptions& o, std::vector<Token>& out, size_t from) {
  const PostSpec& p = tok.spec().post;
  const size_t added = o.add_special_tokens ? p.prefix.size() + p.suffix.size() : 0;
  if (o.max_length > 0) {
    const size_t keep = o.max_length - added;  // max_length ≥ added is checked up front
    const size_t have = out.size() - from;
    if (have > keep) {
      if (o.truncate_left) out.erase(out.begin() + static_cast<ptrdiff_t>(from), out.begin() + static_cast<ptrdiff_t>(from + have - keep));
      else out.resize(from + keep);
    }
  }
  if (p.trim_offsets) trim_offsets(tok, text, out, from);  // with or without special tokens, as HF
  for (size_t i = from; i < out.size(); ++i) out[i].type = p.sequence_type;
  if (!o.add_special_tokens || added == 0) return;
  std::vector<Token> pre;
  for (size_t k = 0; k < p.prefix.size(); ++k) pre.push_back({p.prefix[k], 0, 0, p.prefix_types[k]});
  out.insert(out.begin() + static_cast<ptrdiff_t>(from), pre.begin(), pre.end());
  for (size_t k = 0; k < p.suffix.size(); ++k) out.push_back({p.suffix[k], 0, 0, p.suffix_types[k]});
}

struct Block {
  std::vector<Token> tokens;
  std::vector<uint32_t> lengths;
};

constexpr size_t kBlock = 32;

void check_options(const Tokenizer& tok, const EncodeOptions& o) {
  const PostSpec& p = tok.spec().post;
  const size_t added = o.add_special_tokens ? p.prefix.size() + p.suffix.size() : 0;
  if (o.max_length > 0 && o.max_length < added)
    throw std::invalid_argument("maxLength (" + std::to_string(o.max_length) + ") must be ≥ the " + std::to_string(added) +
                                " special tokens added to each text");
  if (o.padding == Padding::MaxLength && o.max_length == 0) throw std::invalid_argument("padding 'max_length' needs maxLength");
}

// The threads of a call over `blocks` blocks: o.threads, at most one per block, at least one.
int team_size(const EncodeOptions& o, size_t blocks) {
  return static_cast<int>(std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(1, o.threads)), blocks)));
}

}  // namespace

BatchEncoding encode_batch(const Tokenizer& tok, const std::string_view* texts, size_t n, const EncodeOptions& o) {
  check_options(tok, o);
  const size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<Block> done(blocks);
  const int threads = team_size(o, blocks);
  std::atomic<size_t> next{0};
  parallel_tasks(threads, [&](int) {
    Scratch s;
    for (size_t b; (b = next.fetch_add(1)) < blocks;) {
      Block& blk = done[b];
      for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
        const size_t from = blk.tokens.size();
        tok.tokenize(texts[i], s, blk.tokens);
        finish(tok, texts[i], o, blk.tokens, from);
        blk.lengths.push_back(static_cast<uint32_t>(blk.tokens.size() - from));
      }
    }
  });

  BatchEncoding r;
  r.rows = n;
  r.lengths.reserve(n);
  for (const Block& b : done) r.lengths.insert(r.lengths.end(), b.lengths.begin(), b.lengths.end());
  size_t longest = 0, total = 0;
  for (uint32_t len : r.lengths) { longest = std::max<size_t>(longest, len); total += len; }
  r.cols = o.padding == Padding::Longest ? longest : o.padding == Padding::MaxLength ? o.max_length : 0;
  const size_t cells = o.padding == Padding::None ? total : n * r.cols;
  if (o.int64) {
    r.ids64.assign(cells, o.pad_id);
    r.mask64.assign(cells, 0);
    if (o.type_ids) r.types64.assign(cells, o.pad_type_id);
  } else {
    r.ids32.assign(cells, o.pad_id);
    r.mask8.assign(cells, 0);
    if (o.type_ids) r.types8.assign(cells, o.pad_type_id);
  }
  if (o.offsets) r.offsets.assign(cells * 2, 0);
  // Where each block's first row starts in the output.
  std::vector<size_t> block_at(blocks + 1, 0);
  for (size_t b = 0; b < blocks; ++b) {
    size_t len = 0;
    for (uint32_t l : done[b].lengths) len += o.padding == Padding::None ? l : r.cols;
    block_at[b + 1] = block_at[b] + len;
  }
  std::atomic<size_t> next2{0};
  parallel_tasks(threads, [&](int) {
    for (size_t b; (b = next2.fetch_add(1)) < blocks;) {
      const Block& blk = done[b];
      size_t at = block_at[b], src = 0;
      for (uint32_t len : blk.lengths) {
        const size_t width = o.padding == Padding::None ? len : r.cols;
        const size_t pad = width - len;
        const size_t dst = at + (o.pad_left ? pad : 0);
        for (size_t k = 0; k < len; ++k) {
          const Token& t = blk.tokens[src + k];
          if (o.int64) {
            r.ids64[dst + k] = t.id;
            r.mask64[dst + k] = 1;
            if (o.type_ids) r.types64[dst + k] = t.type;
          } else {
            r.ids32[dst + k] = t.id;
            r.mask8[dst + k] = 1;
            if (o.type_ids) r.types8[dst + k] = t.type;
          }
          if (o.offsets) {
            r.offsets[2 * (dst + k)] = t.start;
            r.offsets[2 * (dst + k) + 1] = t.end;
          }
        }
        src += len;
        at += width;
      }
    }
  });
  return r;
}

std::vector<TokenInfo> encode_one(const Tokenizer& tok, std::string_view text, bool add_special_tokens) {
  Scratch s;
  std::vector<Token> t;
  tok.tokenize(text, s, t);
  EncodeOptions o;
  o.add_special_tokens = add_special_tokens;
  finish(tok, text, o, t, 0);
  std::vector<TokenInfo> out;
  out.reserve(t.size());
  for (const Token& x : t) out.push_back({x.id, x.start, x.end});
  return out;
}

std::string normalize_text(const Tokenizer& tok, std::string_view text) {
  Scratch s;
  Text* t = nullptr;
  tok.normalize_only(text, s, &t);
  std::string out;
  for (char32_t c : t->cps) unicode::append_utf8(c, &out);
  return out;
}

std::vector<WordInfo> pre_tokenize_text(const Tokenizer& tok, std::string_view text) {
  Scratch s;
  Text* t = nullptr;
  tok.pre_tokenize_only(text, s, &t);
  std::vector<WordInfo> out;
  for (const Word& w : s.words) {
    WordInfo info{{}, UINT32_MAX, 0};
    for (uint32_t i = w.begin; i < w.end; ++i) {
      unicode::append_utf8(t->cps[i], &info.text);
      info.start = std::min(info.start, t->align[i].start);
      info.end = std::max(info.end, t->align[i].end);
    }
    out.push_back(std::move(info));
  }
  return out;
}

const std::string& token_string(const Tokenizer& tok, int32_t id) { return tok.token(id); }
size_t vocab_size(const Tokenizer& tok) { return tok.vocab_size(); }
size_t memory_bytes(const Tokenizer& tok) { return tok.bytes(); }

}  // namespace xmr::tok
