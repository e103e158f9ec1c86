// One fuzz input for the tokenizer (WordPiece, Unigram and byte-level BPE), shared by the bounded stress test (tokenizer_stress_test.cc,
// part of every sanitizer run) and the libFuzzer target (fuzz/tokenizer_fuzz.cc): the first four bytes
// choose a configuration, the rest is the text. Checks the invariants every result must keep.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "xmr/tokenizer.h"
#include "xmr/unicode.h"

namespace xmrfuzz {

// A byte-level BPE model: GPT-2's 256 byte characters (all, or every third when `partial`, so
// unknown characters occur), a few merges (with the '##' prefix or the '</w>' suffix when asked),
// <0xXX> byte tokens and an unk token.
inline void fuzz_bpe(xmr::tok::ModelSpec& m, uint8_t c) {
  const bool partial = (c & 4) != 0, suffix = (c & 8) != 0, prefix = (c & 16) != 0;
  m.kind = xmr::tok::ModelKind::Bpe;
  m.vocab = {"[UNK]", "[CLS]", "[SEP]", "<0x41>", "<0xC3>"};
  for (int b = 0, n = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    const char32_t ch = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
    if (partial && b % 3 == 0) continue;
    std::string u;
    xmr::unicode::append_utf8(ch, &u);
    m.vocab.push_back(u);
    if (suffix) m.vocab.push_back(u + "</w>");
    if (prefix) m.vocab.push_back("##" + u);
    if (prefix && suffix) m.vocab.push_back("##" + u + "</w>");
  }
  const std::string p = prefix ? "##" : "", e = suffix ? "</w>" : "", sp = "\xc4\xa0";  // GPT-2's space, U+0120
  for (const char* t : {"ab", "aa", "ba", "aab"}) m.vocab.push_back(t);
  for (const std::string& t : {"ab" + e, "aa" + e, sp + "a", sp + "ab", sp + "ab" + e, std::string("\xc3\x83\xc2\xa9"), std::string("##ab")})
    m.vocab.push_back(t);  // U+00C3 U+00A9: the byte characters of 'é'
  if (!partial) {
    m.merges = {{"a", p + "b"}, {"a", p + "a"}, {"a", p + "b" + e}, {"a", p + "a" + e}, {"b", p + "a"},
                {"aa", p + "b"}, {sp, p + "a"}, {sp + "a", p + "b"}, {sp + "a", p + "b" + e}, {"\xc3\x83", p + "\xc2\xa9"}};
    if (prefix) m.merges.push_back({"##a", "##b"});
  }
  m.continuing_subword_prefix = p;
  m.end_of_word_suffix = e;
  m.fuse_unk = (c & 32) != 0;
  m.ignore_merges = (c & 64) != 0;
  m.unk_id = (c & 128) ? -1 : 0;
}

inline xmr::tok::TokenizerSpec fuzz_spec(uint8_t a, uint8_t b, uint8_t c) {
  using namespace xmr::tok;
  TokenizerSpec s;
  const NormKind norms[] = {NormKind::Bert, NormKind::Nfc, NormKind::Nfd, NormKind::Nfkc, NormKind::Nfkd, NormKind::Lowercase,
                            NormKind::StripAccents, NormKind::Replace, NormKind::Strip, NormKind::Prepend, NormKind::ReplaceWhitespace,
                            NormKind::ReplaceSpaces};
  for (int i = 0; i < (a & 3); ++i) {
    NormalizerSpec n;
    n.kind = norms[(a >> (2 + i)) % 12];
    n.strip_accents = (b & 1) != 0;
    n.lowercase = (b & 2) != 0;
    n.pattern = (b & 4) ? " " : "a\xcc\x81";
    n.content = (b & 8) ? "" : "\xe2\x96\x81\xe2\x96\x81";
    s.normalizers.push_back(n);
  }
  const PreKind pres[] = {PreKind::Bert, PreKind::Whitespace, PreKind::WhitespaceSplit, PreKind::Metaspace,
                          PreKind::Punctuation, PreKind::Digits, PreKind::ByteLevel, PreKind::Split};
  for (int i = 0; i < ((b >> 4) & 3); ++i) {
    PreTokenizerSpec p;
    p.kind = pres[((b >> (i + 5)) + (c >> 4)) % 8];
    p.behavior = static_cast<Behavior>((a >> 5) % 5);
    p.prepend_scheme = static_cast<PrependScheme>((a >> 6) % 3);
    p.individual_digits = (a & 16) != 0;
    p.add_prefix_space = (a & 1) != 0;
    p.use_regex = (a & 2) != 0;
    p.pattern = static_cast<SplitPattern>((a >> 3) % 6);
    p.literal = (c & 1) ? " " : "ab";
    p.invert = (c & 2) != 0;
    s.pre_tokenizers.push_back(p);
  }
  s.model.kind = (a & 128) ? ModelKind::Unigram : ModelKind::WordPiece;
  s.model.vocab = {"[UNK]", "[CLS]", "[SEP]", "a", "b", "##a", "##b", "ab", "\xe2\x96\x81", "\xe2\x96\x81" "a", "\xc3\xa9",
                   "##\xc3\xa9", "\xe6\x97\xa5", "1", "##1", "<0x41>", "<0xC3>"};
  s.model.max_input_chars_per_word = 1 + (b % 7);
  s.model.unk_id = 0;
  s.model.byte_fallback = (b & 64) != 0;
  for (size_t i = 0; i < s.model.vocab.size(); ++i) s.model.scores.push_back(-static_cast<double>((i * 7) % 5) - 1.0);
  if ((c & 3) == 3) fuzz_bpe(s.model, c);
  if (a & 8) s.added_tokens.push_back({1, "[CLS]", (b & 1) != 0, (b & 2) != 0});
  if (a & 4) s.added_tokens.push_back({static_cast<int32_t>(s.model.vocab.size()) + 2, " <x> ", (c & 4) != 0, (c & 8) != 0});
  s.post.trim_offsets = ((a ^ c) & 1) != 0;
  s.post.add_prefix_space = ((a ^ c) & 2) != 0;
  if (b & 128) {
    s.post.prefix = {1};
    s.post.prefix_types = {0};
    s.post.suffix = {2};
    s.post.suffix_types = {1};
  }
  return s;
}

// Runs one input; aborts (so the fuzzer or the sanitizers report it) when an invariant breaks.
inline void fuzz_one(const uint8_t* data, size_t size) {
  using namespace xmr::tok;
  if (size < 4) return;
  const auto tok = make_tokenizer(fuzz_spec(data[0], data[1], data[3]));
  const std::string_view text(reinterpret_cast<const char*>(data + 4), size - 4);
  // Several texts: the whole input and its halves, so blocks and padding get exercised.
  const std::string_view texts[] = {text, text.substr(0, text.size() / 2), text.substr(text.size() / 2), {}};
  EncodeOptions o;
  o.max_length = data[2] % 4 == 0 ? 0 : 2 + data[2] % 13;
  o.padding = static_cast<Padding>((data[2] >> 2) % 3);
  if (o.padding == Padding::MaxLength && o.max_length == 0) o.padding = Padding::Longest;
  o.pad_left = (data[2] & 16) != 0;
  o.truncate_left = (data[2] & 32) != 0;
  o.offsets = true;
  o.type_ids = true;
  o.int64 = (data[2] & 64) != 0;
  o.threads = 1 + (data[2] >> 7);
  const BatchEncoding r = encode_batch(*tok, texts, 4, o);
  size_t u16[4] = {0, 0, 0, 0};
  for (int t = 0; t < 4; ++t) {
    const auto* p = reinterpret_cast<const unsigned char*>(texts[t].data());
    for (size_t i = 0; i < texts[t].size();) {
      char32_t c;
      i += xmr::unicode::decode_utf8(p + i, texts[t].size() - i, &c);
      u16[t] += c >= 0x10000 ? 2 : 1;
    }
  }
  size_t at = 0;
  for (size_t row = 0; row < 4; ++row) {
    const size_t len = r.lengths[row];
    if (o.max_length > 0 && len > o.max_length) std::abort();
    const size_t width = o.padding == Padding::None ? len : r.cols;
    if (len > width) std::abort();
    for (size_t k = 0; k < width; ++k) {
      const uint32_t s = r.offsets[2 * (at + k)], e = r.offsets[2 * (at + k) + 1];
      if (s > e || e > u16[row]) std::abort();
      const int64_t id = o.int64 ? r.ids64[at + k] : r.ids32[at + k];
      if (id < 0 || static_cast<size_t>(id) >= vocab_size(*tok)) std::abort();
    }
    at += width;
  }
}

}  // namespace xmrfuzz
