// One fuzz input for building a tokenizer from an untrusted model (make_tokenizer: what a
// tokenizer.json from a hub becomes once src/tokenize has flattened it), shared by the libFuzzer
// target (fuzz/tokenizer-spec_fuzz.cc) and the bounded pass over the seed corpus in every sanitizer
// run (tokenizer_spec_stress_test.cc).
// Input: 3 bytes of options (model kind and flags, unk id, continuing-subword prefix and suffix),
// then sections separated by an empty line: the vocabulary (one token a line; "" is a hole, a line
// starting with '+' is also an added token), BPE merges ("a b" a line), the text to encode, and
// (after a third empty line, to the end) a precompiled_charsmap for a Precompiled normalizer.
// make_tokenizer either refuses the model with std::invalid_argument or builds one whose encodings
// keep the invariants below (ids in the vocabulary, offsets ordered and within the text, the
// length limit kept) and are the same when the text is encoded again, twice in a batch of 2 threads.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "xmr/tokenizer.h"

namespace xmrfuzz_spec {

enum class Outcome { Short, Refused, Encoded };

inline std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  for (size_t at = 0;;) {
    const size_t e = s.find(sep, at);
    out.push_back(s.substr(at, e == std::string_view::npos ? std::string_view::npos : e - at));
    if (e == std::string_view::npos) return out;
    at = e + sep.size();
  }
}

inline Outcome fuzz_one(const uint8_t* data, size_t size) {
  using namespace xmr::tok;
  if (size < 3) return Outcome::Short;
  const std::string_view in(reinterpret_cast<const char*>(data + 3), size - 3);
  const auto sections = split(in, "\n\n");
  TokenizerSpec s;
  ModelSpec& m = s.model;
  const ModelKind kinds[] = {ModelKind::WordPiece, ModelKind::Unigram, ModelKind::Bpe};
  m.kind = kinds[data[0] % 3];
  m.byte_fallback = (data[0] & 4) != 0;
  m.fuse_unk = (data[0] & 8) != 0;
  m.ignore_merges = (data[0] & 16) != 0;
  m.max_input_chars_per_word = (data[0] & 32) ? 4 : 100;
  m.unk_id = data[1] == 0xff ? -1 : data[1] % 16;
  m.continuing_subword_prefix = (data[2] & 1) ? "##" : "";
  m.end_of_word_suffix = (data[2] & 2) ? "</w>" : "";
  if (data[2] & 4) s.pre_tokenizers.push_back({});  // the default pre-tokenizer spec
  if (sections.size() > 3) {
    NormalizerSpec n;
    n.kind = NormKind::Precompiled;
    try {
      parse_precompiled(in.substr(static_cast<size_t>(sections[3].data() - in.data())), &n);
    } catch (const std::invalid_argument&) {
      return Outcome::Refused;
    }
    s.normalizers.push_back(std::move(n));
  }
  for (std::string_view line : split(sections[0], "\n")) {
    const bool added = !line.empty() && line[0] == '+';
    if (added) line.remove_prefix(1);
    if (added && !line.empty()) s.added_tokens.push_back({static_cast<int32_t>(m.vocab.size()), std::string(line), (data[2] & 8) != 0, (data[2] & 16) != 0, (data[2] & 32) != 0});
    m.vocab.emplace_back(line);
    m.scores.push_back(-0.5 * static_cast<double>(m.vocab.size()) + ((data[2] & 64) ? 0.25 * (line.size() % 3) : 0));
  }
  if (sections.size() > 1)
    for (std::string_view line : split(sections[1], "\n")) {
      const size_t sp = line.find(' ');
      if (sp != std::string_view::npos) m.merges.emplace_back(std::string(line.substr(0, sp)), std::string(line.substr(sp + 1)));
    }
  if (data[2] & 128) {
    s.post.prefix = {0};
    s.post.prefix_types = {0};
    s.post.suffix = {static_cast<int32_t>(m.vocab.size() - 1)};
    s.post.suffix_types = {1};
  }
  std::shared_ptr<const Tokenizer> tok;
  try {
    tok = make_tokenizer(std::move(s));
  } catch (const std::invalid_argument&) {
    return Outcome::Refused;
  }
  const std::string_view text = sections.size() > 2 ? sections[2] : std::string_view("hello world ab");
  EncodeOptions o;
  o.offsets = true;
  o.max_length = (data[1] & 1) ? 8 : 0;
  BatchEncoding r;
  try {
    r = encode_batch(*tok, &text, 1, o);
  } catch (const std::runtime_error& e) {
    // The one refusal at encode time (Hugging Face's Unigram MissingUnkId).
    if (std::string(e.what()) != "Unigram: an unknown character and the model has no unk_id") std::abort();
    return Outcome::Refused;
  }
  const size_t n = r.lengths.at(0), units = text.size() * 2 + 2;  // UTF-16 units ≤ bytes, +2 for safety
  if (o.max_length > 0 && n > o.max_length) std::abort();
  if (r.ids32.size() != n || r.offsets.size() != 2 * n) std::abort();
  for (size_t k = 0; k < n; ++k) {
    if (r.ids32[k] < 0 || static_cast<size_t>(r.ids32[k]) >= vocab_size(*tok)) std::abort();
    if (r.offsets[2 * k] > r.offsets[2 * k + 1] || r.offsets[2 * k + 1] > units) std::abort();
  }
  // The same text twice in one batch encoded at 2 threads: each row has the ids and offsets above.
  const std::string_view twice[] = {text, text};
  o.threads = 2;
  const BatchEncoding again = encode_batch(*tok, twice, 2, o);
  for (size_t row = 0; row < 2; ++row) {
    if (again.lengths.at(row) != n) std::abort();
    const size_t at = row * (o.padding == Padding::None ? n : again.cols);
    for (size_t k = 0; k < n; ++k)
      if (again.ids32[at + k] != r.ids32[k] || again.offsets[2 * (at + k)] != r.offsets[2 * k] || again.offsets[2 * (at + k) + 1] != r.offsets[2 * k + 1]) std::abort();
  }
  return Outcome::Encoded;
}

}  // namespace xmrfuzz_spec
