// A bounded pass of the tokenizer-spec fuzz target (tokenizer_spec_fuzz_input.h) in every sanitizer
// run, so `npm test` fuzzes building a tokenizer from a hostile model a little;
// `sh scripts/fuzz.sh tokenizer-spec SECONDS` runs the same property under libFuzzer for as long as
// one likes. What it asserts:
// - valid input gives the same result as before: each committed seed builds a tokenizer and encodes
//   its text, and encoding the text again (twice in a batch, at 2 threads) gives the same ids and offsets;
// - invalid input gives a clean error, never a crash: each seed's deterministic mutations either make
//   make_tokenizer refuse the model with std::invalid_argument (or Unigram refuse an unknown character
//   without an unk id) or encode within the invariants; anything else aborts or trips ASan/UBSan.
#include <random>

#include "check.h"
#include "fuzz_mutations.h"
#include "tokenizer_spec_fuzz_input.h"

XMR_TEST("tokenizer-spec: the seeds build and encode the same twice; their mutations build or are refused") {
  const auto corpus = xmrfuzz_seeds::seeds("tokenizer-spec");
  CHECK(corpus.size() == 4);
  for (const auto& s : corpus)
    CHECK_MSG(xmrfuzz_spec::fuzz_one(s.bytes.data(), s.bytes.size()) == xmrfuzz_spec::Outcome::Encoded, s.name + " refused");
  std::mt19937_64 rng(17);
  size_t outcomes[3] = {0, 0, 0};
  const size_t runs = 750;  // ~4 s under ASan on a loaded 2-core machine (each builds a tokenizer, starts 2 threads)
  for (size_t i = 0; i < runs; i++) {
    const std::vector<uint8_t> b = xmrfuzz_seeds::mutate(corpus[i % corpus.size()].bytes, rng);
    outcomes[static_cast<int>(xmrfuzz_spec::fuzz_one(b.data(), b.size()))]++;
  }
  CHECK(outcomes[1] > 0 && outcomes[2] > runs / 4);  // both refused and built models exercised
}
