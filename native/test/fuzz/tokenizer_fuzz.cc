// libFuzzer target for the tokenizer, built and run by `sh scripts/fuzz.sh tokenizer SECONDS`
// (docs/fuzzing.md); seeds in fuzz/corpus/tokenizer (4 bytes of configuration, then the text).
#include <cstddef>
#include <cstdint>

#include "tokenizer_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xmrfuzz::fuzz_one(data, size);
  return 0;
}
