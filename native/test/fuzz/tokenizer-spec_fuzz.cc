// libFuzzer target for building a tokenizer from an untrusted model, built and run by
// `sh scripts/fuzz.sh tokenizer-spec SECONDS`; seeds in fuzz/corpus/tokenizer-spec. The input
// format and the property are in ../tokenizer_spec_fuzz_input.h; a bounded pass of it over the seeds
// and their mutations runs in every sanitizer test (tokenizer_spec_stress_test.cc).
#include <cstddef>
#include <cstdint>

#include "tokenizer_spec_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xmrfuzz_spec::fuzz_one(data, size);
  return 0;
}
