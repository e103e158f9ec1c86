// The dual encoder's checkpoint format, version 1 (serialised to and from memory; the TypeScript
// side owns the files: it writes them atomically and names the file in every error).
//
// All integers and floats little-endian. Layout:
//   offset  size  field
//   0       6     magic "XMRDE\0"
//   6       2     u16 version (1)
//   8       4     u32 header bytes (80: where the config JSON starts)
//   12      4     u32 flags: bit 0 = has a projection W, bit 1 = has the optimiser state
//   16      8     u64 vocab V
//   24      8     u64 dim d
//   32      8     u64 projection rows d' (0 = none)
//   40      4     f32 temperature τ
//   44      4     u32 reserved (0)
//   48      8     u64 optimiser step count
//   56      8     u64 config JSON bytes (c)
//   64      8     u64 payload floats (p)
//   72      8     u64 reserved (0)
//   80      c     config JSON (UTF-8; the trainer's settings and the orchestration's progress)
//   80+c    4p    f32 payload: E (V×d), W (d'×d), then with bit 1: mE, vE (V×d each), mW, vW (d'×d each)
//   80+c+4p 4     u32 CRC-32 (IEEE 802.3, as zlib's crc32) of every byte before it
//   84+c+4p 4     "XEND"
// A reader rejects, with a message saying which: too short, a foreign magic, a newer version, a
// header inconsistent with its shapes, a truncated or over-long file, a checksum mismatch.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "xmr/dual_encoder.h"
#include "xmr/image_tower.h"

namespace xmr {

constexpr uint16_t kCheckpointVersion = 1;
constexpr size_t kCheckpointHeaderBytes = 80;

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CheckpointData {
  uint64_t vocab = 0, dim = 0, proj_dim = 0;
  float tau = 0;
  uint64_t step = 0;
  std::string config;
  bool has_optimizer = false;
  std::vector<float> E, W, mE, vE, mW, vW;
};

// Optimiser moments to store (all four or none: null pointers mean none).
struct OptimizerView {
  const float *mE = nullptr, *vE = nullptr, *mW = nullptr, *vW = nullptr;
};

std::vector<uint8_t> write_checkpoint(const DualEncoder& model, const OptimizerView& opt, float tau, uint64_t step,
                                      const std::string& config);

// The same bytes, written into the buffer that alloc(total bytes) returns: the binding passes a
// JavaScript Uint8Array's memory, so a checkpoint (192 MB for a 62k × 256 model with its moments) is
// written once instead of into a vector and copied — fresh memory costs first-touch page faults
// that, on a virtual machine, exceed the copy itself.
void write_checkpoint(const DualEncoder& model, const OptimizerView& opt, float tau, uint64_t step,
                      const std::string& config, const std::function<uint8_t*(size_t)>& alloc);

// Parses and verifies a checkpoint; throws CheckpointError.
CheckpointData read_checkpoint(const uint8_t* data, size_t size);

// The image tower's checkpoint (image_tower.h): the same framing — magic, u16 version 1, u32 header
// bytes 80, u32 flags, shapes, config JSON, f32 payload, CRC-32 of everything before it, "XEND" —
// with the magic "XMRIT\0" and this header:
//   12 u32 flags: bit 1 = has the optimiser state
//   16 u64 height   24 u64 width   32 u64 patch   40 u64 hidden   48 u64 out_dim
//   56 u64 optimiser step count    64 u64 config JSON bytes (c)    72 u64 payload floats (p)
//   payload: the parameters [A | b | pos | W], then with bit 1 the Adam moments m and v (same size each)
// The reader rejects the same faults as read_checkpoint, with the same messages.
struct ImageCheckpointData {
  ImageTowerShape shape;
  uint64_t step = 0;
  std::string config;
  bool has_optimizer = false;
  std::vector<float> params, m, v;
};

// m and v: the Adam moments (param_count floats each), or both null.
std::vector<uint8_t> write_image_checkpoint(const ImageTower& tower, const float* m, const float* v, uint64_t step,
                                            const std::string& config);
ImageCheckpointData read_image_checkpoint(const uint8_t* data, size_t size);

// CRC-32 (reflected polynomial 0xEDB88320), continuing from `crc` (0 to start).
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace xmr
