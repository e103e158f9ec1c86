// A bounded random pass of the TREC run reader's fuzz property (trec_run_fuzz_input.h): run files
// assembled from valid and hostile pieces (control bytes, \r inside lines, long and signed numbers,
// comments, duplicates) must read exactly as the reference reader reads them, whole, in regions
// and from a file in ranges — so every sanitizer run fuzzes the reader a little; the libFuzzer
// target (`sh scripts/fuzz.sh trec-run-native SECONDS`) runs the same check for as long as one likes.
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "fuzz_mutations.h"
#include "trec_run_fuzz_input.h"

XMR_TEST("trec run reader: random runs read as the reference reader reads them, whole, in regions and in ranges") {
  std::mt19937_64 rng(17);
  const char* qids[] = {"q1", "q2", "10", "#q", "q\x01", "\xef\xbb\xbfq"};
  const char* docnos[] = {"d1", "d2", "D1", "d1#4", "d\x0b", "d\x7f", "\xc3\xa9", "d"};
  const char* ranks[] = {"1", "-3", "+0", "2147483647", "2147483648", "-2147483647", "01234567890", "x", "1.0", "+"};
  const char* scores[] = {"1", "0.5", "-0", "+2.25", ".5", "5.", "1e3", "1E-400", "1e309", "0.12345678901234567",
                          "123456789012345678", "-", "nan", "inf", "-INF", "+Infinity", "-1e999", "infin", "0x10", "1e", "3", "2.5e+1"};
  const char* gaps[] = {" ", "\t", "  ", " \r", "\x01", "\v"};
  const char* ends[] = {"\n", "\r\n", "\n\n", " trailing text\n", "\n# comment\n", "\n  \t\n"};
  const auto pick = [&](const auto& a) { return std::string(a[rng() % (sizeof(a) / sizeof(*a))]); };
  size_t runs = 0, accepted = 0;
  std::string text;
  // 1,000 runs (each starts up to 5 threads, slow to schedule on a loaded machine), cut at 3 s but
  // never below 100: the sequence is fixed by the seed, only its length varies.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  for (; runs < 1000 && (runs < 100 || std::chrono::steady_clock::now() < deadline); runs++) {
    text.clear();
    const size_t lines = 1 + rng() % 12;
    for (size_t l = 0; l < lines; l++) {
      // Mostly well-formed separators and numbers, so that many files are accepted.
      const bool hostile = rng() % 4 == 0;
      const auto gap = [&] { return hostile ? pick(gaps) : std::string(rng() % 3 ? " " : "\t"); };
      text += pick(qids) + gap() + "Q0" + gap() + pick(docnos) + gap() + (hostile ? pick(ranks) : std::to_string(rng() % 100)) +
              gap() + (hostile ? pick(scores) : std::to_string(rng() % 7)) + gap() + "tag" + (rng() % 8 || l + 1 < lines ? pick(ends) : "");
    }
    accepted += xmrfuzz_trec::reference(reinterpret_cast<const uint8_t*>(text.data()), text.size()).error.kind == xmr::trec::RunErrorKind::None;
    xmrfuzz_trec::fuzz_one(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  }
  CHECK(accepted > runs / 10 && accepted < runs);  // both outcomes exercised
}

// The same property on the committed seeds of the libFuzzer target and deterministic mutations of
// them (fuzz_mutations.h): each seed is accepted, and every mutation reads as the reference reads it.
XMR_TEST("trec run reader: the seed corpus and its mutations read as the reference reader reads them") {
  const auto corpus = xmrfuzz_seeds::seeds("trec-run-native");
  CHECK(corpus.size() >= 5);
  for (const auto& s : corpus) {
    CHECK_MSG(xmrfuzz_trec::reference(s.bytes.data(), s.bytes.size()).error.kind == xmr::trec::RunErrorKind::None, s.name + " refused");
    xmrfuzz_trec::fuzz_one(s.bytes.data(), s.bytes.size());
  }
  std::mt19937_64 rng(17);
  for (size_t i = 0; i < 500; i++) {
    const std::vector<uint8_t> b = xmrfuzz_seeds::mutate(corpus[i % corpus.size()].bytes, rng);
    xmrfuzz_trec::fuzz_one(b.data(), b.size());
  }
}
