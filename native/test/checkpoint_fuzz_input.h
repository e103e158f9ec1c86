// One fuzz input for the checkpoint readers (read_checkpoint, read_image_checkpoint; format in
// xmr/checkpoint.h), shared by the libFuzzer target (fuzz/checkpoint_fuzz.cc) and the bounded pass
// over the seed corpus in every sanitizer run (checkpoint_stress_test.cc).
// Each input is read twice: as it is, and with its CRC-32 rewritten over the mutated bytes, so the
// header and shape checks behind the checksum are reached too. A read either throws
// CheckpointError or returns arrays of exactly the sizes its header announces, which written back
// with write_checkpoint / write_image_checkpoint read again to the same values, bit for bit (an
// accepted file has one meaning). Anything else — another exception, a sanitizer report — is a
// finding: a broken invariant aborts.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "xmr/checkpoint.h"

namespace xmrfuzz_checkpoint {

inline void check(bool ok) {
  if (!ok) std::abort();
}

inline bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// The bytes the writer makes of what the reader accepted.
inline std::vector<uint8_t> rewrite(const xmr::CheckpointData& c) {
  xmr::DualEncoder m(c.vocab, c.dim, c.proj_dim);
  std::copy(c.E.begin(), c.E.end(), m.embeddings());
  std::copy(c.W.begin(), c.W.end(), m.projection());
  xmr::OptimizerView opt;
  if (c.has_optimizer) opt = {c.mE.data(), c.vE.data(), c.mW.data(), c.vW.data()};
  return xmr::write_checkpoint(m, opt, c.tau, c.step, c.config);
}

inline std::vector<uint8_t> rewrite(const xmr::ImageCheckpointData& c) {
  xmr::ImageTower t(c.shape);
  std::copy(c.params.begin(), c.params.end(), t.params());
  return xmr::write_image_checkpoint(t, c.has_optimizer ? c.m.data() : nullptr, c.has_optimizer ? c.v.data() : nullptr, c.step, c.config);
}

enum class Outcome { Refused, Read };

// Reads one input; `written` receives the writer's bytes of an accepted one.
inline Outcome read_one(const uint8_t* data, size_t size, std::vector<uint8_t>* written) {
  const bool image = size >= 5 && std::memcmp(data, "XMRIT", 5) == 0;
  try {
    if (image) {
      const xmr::ImageCheckpointData c = xmr::read_image_checkpoint(data, size);
      const size_t n = xmr::ImageTower::count_params(c.shape);
      check(c.params.size() == n);
      check(c.m.size() == (c.has_optimizer ? n : 0) && c.v.size() == c.m.size());
      check(c.config.size() < size);
      *written = rewrite(c);
      const xmr::ImageCheckpointData again = xmr::read_image_checkpoint(written->data(), written->size());
      check(again.step == c.step && again.config == c.config && again.has_optimizer == c.has_optimizer);
      check(same_floats(again.params, c.params) && same_floats(again.m, c.m) && same_floats(again.v, c.v));
    } else {
      const xmr::CheckpointData c = xmr::read_checkpoint(data, size);
      check(c.E.size() == c.vocab * c.dim && c.W.size() == c.proj_dim * c.dim);
      check(c.tau > 0 && c.config.size() < size);
      const size_t extra = c.has_optimizer ? c.E.size() : 0, extraW = c.has_optimizer ? c.W.size() : 0;
      check(c.mE.size() == extra && c.vE.size() == extra && c.mW.size() == extraW && c.vW.size() == extraW);
      *written = rewrite(c);
      const xmr::CheckpointData again = xmr::read_checkpoint(written->data(), written->size());
      check(again.vocab == c.vocab && again.dim == c.dim && again.proj_dim == c.proj_dim && again.step == c.step);
      check(std::memcmp(&again.tau, &c.tau, sizeof c.tau) == 0 && again.config == c.config && again.has_optimizer == c.has_optimizer);
      check(same_floats(again.E, c.E) && same_floats(again.W, c.W) && same_floats(again.mE, c.mE) && same_floats(again.vE, c.vE));
      check(same_floats(again.mW, c.mW) && same_floats(again.vW, c.vW));
    }
    return Outcome::Read;
  } catch (const xmr::CheckpointError&) {
    return Outcome::Refused;
  }
}

// The input as it is, then with its checksum repaired; returns the first read's outcome.
inline Outcome fuzz_one(const uint8_t* data, size_t size) {
  std::vector<uint8_t> written;
  const Outcome first = read_one(data, size, &written);
  if (size >= 8) {
    // The layout's last 8 bytes: the CRC-32 of every byte before them, then "XEND".
    std::vector<uint8_t> fixed(data, data + size);
    const uint32_t crc = xmr::crc32(fixed.data(), size - 8);
    std::memcpy(fixed.data() + size - 8, &crc, 4);
    read_one(fixed.data(), fixed.size(), &written);
  }
  return first;
}

}  // namespace xmrfuzz_checkpoint
