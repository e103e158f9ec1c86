// libFuzzer target for the tokenizer (see README "Fuzzing the tokenizer"):
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Inative/include -Inative/src -Inative/test \
//     native/test/fuzz/tokenizer_fuzz.cc native/src/unicode*.cc native/src/tokenizer*.cc -o build-fuzz/tokenizer_fuzz
//   build-fuzz/tokenizer_fuzz -max_total_time=30 -max_len=4096
#include <cstddef>
#include <cstdint>

#include "tokenizer_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xmrfuzz::fuzz_one(data, size);
  return 0;
}
