// libFuzzer target for the checkpoint readers (read_checkpoint, read_image_checkpoint; format in
// xmr/checkpoint.h), built and run by `sh scripts/fuzz.sh checkpoint SECONDS`; seeds in
// fuzz/corpus/checkpoint (a tiny .xde and .xit, shared with the TypeScript target).
// Each input is read twice: as it is, and with its CRC-32 rewritten over the mutated bytes, so the
// header and shape checks behind the checksum are reached too. A read either throws
// CheckpointError or returns arrays of exactly the sizes its header announces.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "xmr/checkpoint.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void read_one(const uint8_t* data, size_t size) {
  const bool image = size >= 5 && std::memcmp(data, "XMRIT", 5) == 0;
  try {
    if (image) {
      const xmr::ImageCheckpointData c = xmr::read_image_checkpoint(data, size);
      const size_t n = xmr::ImageTower::count_params(c.shape);
      check(c.params.size() == n);
      check(c.m.size() == (c.has_optimizer ? n : 0) && c.v.size() == c.m.size());
      check(c.config.size() < size);
    } else {
      const xmr::CheckpointData c = xmr::read_checkpoint(data, size);
      check(c.E.size() == c.vocab * c.dim && c.W.size() == c.proj_dim * c.dim);
      check(c.tau > 0 && c.config.size() < size);
      const size_t extra = c.has_optimizer ? c.E.size() : 0, extraW = c.has_optimizer ? c.W.size() : 0;
      check(c.mE.size() == extra && c.vE.size() == extra && c.mW.size() == extraW && c.vW.size() == extraW);
    }
  } catch (const xmr::CheckpointError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  read_one(data, size);
  if (size >= 8) {
    // The layout's last 8 bytes: the CRC-32 of every byte before them, then "XEND".
    std::vector<uint8_t> fixed(data, data + size);
    const uint32_t crc = xmr::crc32(fixed.data(), size - 8);
    std::memcpy(fixed.data() + size - 8, &crc, 4);
    read_one(fixed.data(), fixed.size());
  }
  return 0;
}
