// libFuzzer target for the checkpoint readers, built and run by `sh scripts/fuzz.sh checkpoint
// SECONDS`; seeds in fuzz/corpus/checkpoint (a tiny .xde and .xit, shared with the TypeScript
// target). The property, in ../checkpoint_fuzz_input.h: a read throws CheckpointError or returns
// arrays of the announced sizes that the writer writes back to the same values; a bounded pass of it
// over the seeds and their mutations runs in every sanitizer test (checkpoint_stress_test.cc).
#include <cstddef>
#include <cstdint>

#include "checkpoint_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  xmrfuzz_checkpoint::fuzz_one(data, size);
  return 0;
}
