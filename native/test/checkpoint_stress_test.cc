// A bounded pass of the checkpoint fuzz target (checkpoint_fuzz_input.h) in every sanitizer run, so
// `npm test` fuzzes the .xde / .xit readers a little; `sh scripts/fuzz.sh checkpoint SECONDS` runs the
// same property under libFuzzer for as long as one likes. What it asserts:
// - valid input gives the same result as before: each committed seed is read, and the writer makes
//   of what was read exactly the seed's bytes (so the reader loses nothing the writer wrote);
// - invalid input gives a clean error, never a crash: each seed's deterministic mutations (and the
//   same with the checksum repaired) either throw CheckpointError or read to arrays of the announced
//   sizes that write back to the same values; anything else aborts or trips ASan/UBSan.
#include <random>

#include "check.h"
#include "checkpoint_fuzz_input.h"
#include "fuzz_mutations.h"

XMR_TEST("checkpoint readers: the seeds read and write back byte for byte; their mutations read or fail with CheckpointError") {
  const auto corpus = xmrfuzz_seeds::seeds("checkpoint");
  CHECK(corpus.size() == 2);
  for (const auto& s : corpus) {
    std::vector<uint8_t> written;
    CHECK_MSG(xmrfuzz_checkpoint::read_one(s.bytes.data(), s.bytes.size(), &written) == xmrfuzz_checkpoint::Outcome::Read, s.name + " refused");
    CHECK_MSG(written == s.bytes, s.name + " is not written back byte for byte");
  }
  std::mt19937_64 rng(17);
  size_t refused = 0;
  const size_t runs = 20000;
  for (size_t i = 0; i < runs; i++) {
    const std::vector<uint8_t> b = xmrfuzz_seeds::mutate(corpus[i % corpus.size()].bytes, rng);
    refused += xmrfuzz_checkpoint::fuzz_one(b.data(), b.size()) == xmrfuzz_checkpoint::Outcome::Refused;
  }
  CHECK(refused > runs / 2);  // the mutations reach the checks (most break the checksum)
}
