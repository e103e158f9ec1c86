// One fuzz input for the tokenizer, shared by the bounded stress test (tokenizer_stress_test.cc,
// part of every sanitizer run) and the libFuzzer target (fuzz/tokenizer_fuzz.cc): the first bytes
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

inline xmr::tok::TokenizerSpec fuzz_spec(uint8_t a, uint8_t b) {
  using namespace xmr::tok;
  TokenizerSpec s;
  const NormKind norms[] = {NormKind::Bert, NormKind::Nfc, NormKind::Nfd, NormKind::Nfkc, NormKind::Nfkd,
                            NormKind::Lowercase, NormKind::StripAccents, NormKind::Replace, NormKind::Strip, NormKind::Prepend};
  for (int i = 0; i < (a & 3); ++i) {
    NormalizerSpec n;
    n.kind = norms[(a >> (2 + i)) % 10];
    n.strip_accents = (b & 1) != 0;
    n.lowercase = (b & 2) != 0;
    n.pattern = (b & 4) ? " " : "a\xcc\x81";
    n.content = (b & 8) ? "" : "\xe2\x96\x81\xe2\x96\x81";
    s.normalizers.push_back(n);
  }
  const PreKind pres[] = {PreKind::Bert, PreKind::Whitespace, PreKind::WhitespaceSplit, PreKind::Metaspace,
                          PreKind::Punctuation, PreKind::Digits};
  for (int i = 0; i < ((b >> 4) & 3); ++i) {
    PreTokenizerSpec p;
    p.kind = pres[(b >> (i + 5)) % 6];
    p.behavior = static_cast<Behavior>((a >> 5) % 5);
    p.prepend_scheme = static_cast<PrependScheme>((a >> 6) % 3);
    p.individual_digits = (a & 16) != 0;
    s.pre_tokenizers.push_back(p);
  }
  s.model.kind = (a & 128) ? ModelKind::Unigram : ModelKind::WordPiece;
  s.model.vocab = {"[UNK]", "[CLS]", "[SEP]", "a", "b", "##a", "##b", "ab", "\xe2\x96\x81", "\xe2\x96\x81" "a", "\xc3\xa9",
                   "##\xc3\xa9", "\xe6\x97\xa5", "1", "##1", "<0x41>", "<0xC3>"};
  s.model.max_input_chars_per_word = 1 + (b % 7);
  s.model.unk_id = 0;
  s.model.byte_fallback = (b & 64) != 0;
  for (size_t i = 0; i < s.model.vocab.size(); ++i) s.model.scores.push_back(-static_cast<double>((i * 7) % 5) - 1.0);
  if (a & 8) s.added_tokens.push_back({1, "[CLS]", (b & 1) != 0, (b & 2) != 0});
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
  if (size < 3) return;
  const auto tok = make_tokenizer(fuzz_spec(data[0], data[1]));
  const std::string_view text(reinterpret_cast<const char*>(data + 3), size - 3);
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
