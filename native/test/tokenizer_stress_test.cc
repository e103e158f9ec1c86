// A bounded randomized stress test of the tokenizer (random bytes, random valid UTF-8 from every
// plane, random configurations), so every sanitizer run fuzzes it a little; the libFuzzer target
// in fuzz/ runs the same checks for as long as one likes (see README "Fuzzing the tokenizer").
#include <chrono>
#include <random>
#include <vector>

#include "check.h"
#include "fuzz_mutations.h"
#include "tokenizer_fuzz_input.h"

XMR_TEST("tokenizer survives random bytes, random UTF-8 and random configurations") {
  std::mt19937_64 rng(20240601);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  const char* pieces[] = {"a", "b", "ab", " ", "  ", "\t", "\n", "1", "\xc3\xa9", "e\xcc\x81", "\xe6\x97\xa5", "[CLS]",
                          "\xe2\x96\x81", "!", "\xef\xac\x81", "\xf0\x9f\x98\x80", "\xc4\xb0", "\xea\xb0\x80", "\x00", "\xff"};
  size_t runs = 0;
  std::vector<uint8_t> buf;
  while (std::chrono::steady_clock::now() < deadline) {
    buf.clear();
    for (int i = 0; i < 4; ++i) buf.push_back(static_cast<uint8_t>(rng()));
    const size_t len = rng() % 200;
    switch (runs % 3) {
      case 0:  // raw bytes
        for (size_t i = 0; i < len; ++i) buf.push_back(static_cast<uint8_t>(rng()));
        break;
      case 1:  // tokens the vocabulary and normalizers care about
        for (size_t i = 0; i < len / 3; ++i) {
          const std::string_view p = pieces[rng() % (sizeof(pieces) / sizeof(*pieces))];
          buf.insert(buf.end(), p.begin(), p.end());
          if (p.empty()) buf.push_back(0);
        }
        break;
      default:  // valid UTF-8 from every plane
        for (size_t i = 0; i < len / 2; ++i) {
          char32_t c = static_cast<char32_t>(rng() % 0x110000);
          if (c >= 0xD800 && c <= 0xDFFF) c = 0x41;
          std::string s;
          xmr::unicode::append_utf8(c, &s);
          buf.insert(buf.end(), s.begin(), s.end());
        }
    }
    xmrfuzz::fuzz_one(buf.data(), buf.size());
    ++runs;
  }
  CHECK(runs > 100);
}

// The committed seeds of the libFuzzer target (fuzz/corpus/tokenizer: 4 bytes of configuration, then
// the text) and deterministic mutations of them (fuzz_mutations.h) keep the same invariants.
XMR_TEST("tokenizer survives its seed corpus and mutations of it") {
  const auto corpus = xmrfuzz_seeds::seeds("tokenizer");
  CHECK(corpus.size() >= 5);
  std::mt19937_64 rng(17);
  for (const auto& s : corpus) xmrfuzz::fuzz_one(s.bytes.data(), s.bytes.size());
  for (size_t i = 0; i < 5000; i++) {
    const std::vector<uint8_t> b = xmrfuzz_seeds::mutate(corpus[i % corpus.size()].bytes, rng);
    xmrfuzz::fuzz_one(b.data(), b.size());
  }
}
