// libFuzzer target for the native TREC run reader (xmr/trec_run.h: RunRangeParser, assemble,
// read_run_fd — behind readRunFile and TrecRunParser), built and run by
// `sh scripts/fuzz.sh trec-run-native SECONDS`; seeds in fuzz/corpus/trec-run-native. The property,
// in ../trec_run_fuzz_input.h: read three ways (whole, in regions of lines, from a file in ranges and
// tiny chunks), every input gives exactly the reference reader's run or its error (kind, line, token).
#include <cstddef>
#include <cstdint>

#include "trec_run_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xmrfuzz_trec::fuzz_one(data, size);
  return 0;
}
