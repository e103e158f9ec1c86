// Checkpoint serialisation (format in checkpoint.h). Bounds are checked before every read, and
// sizes are computed with overflow checks, so any byte string gives a clear error, never a crash.
#include "xmr/checkpoint.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <initializer_list>

namespace xmr {
namespace {

static_assert(sizeof(float) == 4, "float32 is required");
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the checkpoint code assumes a little-endian host"
#endif

const char kMagic[6] = {'X', 'M', 'R', 'D', 'E', '\0'};
const char kEnd[4] = {'X', 'E', 'N', 'D'};
const char kImageMagic[6] = {'X', 'M', 'R', 'I', 'T', '\0'};

// Slicing-by-8 tables (Intel's technique; ~2 GB/s, so a 50 MB checkpoint costs ~25 ms).
struct CrcTables {
  uint32_t t[8][256];
  CrcTables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
};

const CrcTables& tables() {
  static const CrcTables tb;
  return tb;
}

template <typename T>
void put(uint8_t* out, size_t at, T v) {
  std::memcpy(out + at, &v, sizeof(T));
}

template <typename T>
T get(const uint8_t* p, size_t at) {
  T v;
  std::memcpy(&v, p + at, sizeof(T));
  return v;
}

bool mul_ok(uint64_t a, uint64_t b, uint64_t* out) {
  if (a != 0 && b > UINT64_MAX / a) return false;
  *out = a * b;
  return true;
}

// The framing shared by both formats: the format's magic (`what`: the format's name in errors),
// size, version, header size, and flags within `known_flags`; returns the flags.
uint32_t check_header(const uint8_t* p, size_t size, const char (&magic)[6], const char* what, uint32_t known_flags) {
  if (size < 6 || std::memcmp(p, magic, 6) != 0)
    throw CheckpointError(std::string("not ") + what + " checkpoint (it does not start with the magic bytes \"" + std::string(magic, 5) +
                          "\\0\")");
  if (size < kCheckpointHeaderBytes + 8)
    throw CheckpointError("truncated checkpoint: " + std::to_string(size) + " bytes is shorter than the " +
                          std::to_string(kCheckpointHeaderBytes + 8) + "-byte header and trailer");
  const uint16_t version = get<uint16_t>(p, 6);
  if (version == 0 || version > kCheckpointVersion)
    throw CheckpointError("unsupported checkpoint version " + std::to_string(version) + " (this build reads version " +
                          std::to_string(kCheckpointVersion) + ")");
  if (get<uint32_t>(p, 8) != kCheckpointHeaderBytes) throw CheckpointError("corrupted checkpoint header (header size)");
  const uint32_t flags = get<uint32_t>(p, 12);
  if ((flags & ~known_flags) != 0) throw CheckpointError("corrupted checkpoint header (unknown flags " + std::to_string(flags) + ")");
  return flags;
}

// Length, end marker and CRC-32 of a file whose header announces config_len bytes and `floats` floats.
void check_frame(const uint8_t* p, size_t size, uint64_t config_len, uint64_t floats) {
  if (config_len > size) throw CheckpointError("truncated checkpoint: the config alone is longer than the file");
  const uint64_t total = kCheckpointHeaderBytes + config_len + floats * 4 + 8;
  if (size < total)
    throw CheckpointError("truncated checkpoint: " + std::to_string(size) + " bytes, the header announces " +
                          std::to_string(total));
  if (size > total)
    throw CheckpointError("corrupted checkpoint: " + std::to_string(size - total) + " bytes after the end");
  const size_t body = static_cast<size_t>(total - 8);
  if (std::memcmp(p + body + 4, kEnd, 4) != 0) throw CheckpointError("corrupted checkpoint: the end marker is missing");
  const uint32_t stored = get<uint32_t>(p, body), actual = crc32(p, body);
  if (stored != actual) throw CheckpointError("corrupted checkpoint: CRC-32 mismatch (stored " + std::to_string(stored) +
                                              ", computed " + std::to_string(actual) + ")");
}

// The writer's mirror of check_header/check_frame, shared by both formats: magic, version, header
// size and flags, the format's own header fields from byte 16 on (`fields`, which also records the
// config length and float count where its format keeps them), the config, the float arrays in
// order, CRC-32 and the end marker.
struct FloatArray {
  const float* data;
  size_t count;
};

void write_frame(const char (&magic)[6], uint32_t flags, const std::function<void(uint8_t*)>& fields,
                 const std::string& config, std::initializer_list<FloatArray> arrays,
                 const std::function<uint8_t*(size_t)>& alloc) {
  size_t floats = 0;
  for (const auto& a : arrays) floats += a.count;
  const size_t total = kCheckpointHeaderBytes + config.size() + floats * 4 + 8;
  uint8_t* out = alloc(total);
  std::memset(out, 0, kCheckpointHeaderBytes);
  std::memcpy(out, magic, 6);
  put<uint16_t>(out, 6, kCheckpointVersion);
  put<uint32_t>(out, 8, static_cast<uint32_t>(kCheckpointHeaderBytes));
  put<uint32_t>(out, 12, flags);
  fields(out);
  size_t at = kCheckpointHeaderBytes;
  if (!config.empty()) std::memcpy(out + at, config.data(), config.size());
  at += config.size();
  for (const auto& a : arrays) {
    if (a.count > 0) std::memcpy(out + at, a.data, a.count * 4);
    at += a.count * 4;
  }
  put<uint32_t>(out, at, crc32(out, at));
  std::memcpy(out + at + 4, kEnd, 4);
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  const auto& tb = tables().t;
  crc = ~crc;
  while (size >= 8) {
    uint32_t lo, hi;
    std::memcpy(&lo, data, 4);
    std::memcpy(&hi, data + 4, 4);
    lo ^= crc;
    crc = tb[7][lo & 0xff] ^ tb[6][(lo >> 8) & 0xff] ^ tb[5][(lo >> 16) & 0xff] ^ tb[4][lo >> 24] ^ tb[3][hi & 0xff] ^
          tb[2][(hi >> 8) & 0xff] ^ tb[1][(hi >> 16) & 0xff] ^ tb[0][hi >> 24];
    data += 8;
    size -= 8;
  }
  while (size-- > 0) crc = tb[0][(crc ^ *data++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

void write_checkpoint(const DualEncoder& model, const OptimizerView& opt, float tau, uint64_t step,
                      const std::string& config, const std::function<uint8_t*(size_t)>& alloc) {
  const bool with_opt = opt.mE != nullptr;
  const size_t nE = model.embedding_floats(), nW = model.projection_floats();
  const size_t floats = (nE + nW) * (with_opt ? 3 : 1);
  const auto fields = [&](uint8_t* out) {
    put<uint64_t>(out, 16, model.vocab());
    put<uint64_t>(out, 24, model.dim());
    put<uint64_t>(out, 32, model.proj_dim());
    put<float>(out, 40, tau);
    put<uint64_t>(out, 48, step);
    put<uint64_t>(out, 56, config.size());
    put<uint64_t>(out, 64, floats);
  };
  const uint32_t flags = (model.has_projection() ? 1u : 0u) | (with_opt ? 2u : 0u);
  const FloatArray E{model.embeddings(), nE}, W{model.projection(), nW};
  if (with_opt)
    write_frame(kMagic, flags, fields, config, {E, W, {opt.mE, nE}, {opt.vE, nE}, {opt.mW, nW}, {opt.vW, nW}}, alloc);
  else
    write_frame(kMagic, flags, fields, config, {E, W}, alloc);
}

std::vector<uint8_t> write_checkpoint(const DualEncoder& model, const OptimizerView& opt, float tau, uint64_t step,
                                      const std::string& config) {
  std::vector<uint8_t> out;
  write_checkpoint(model, opt, tau, step, config, [&](size_t n) {
    out.resize(n);
    return out.data();
  });
  return out;
}

CheckpointData read_checkpoint(const uint8_t* p, size_t size) {
  const uint32_t flags = check_header(p, size, kMagic, "a dual-encoder", 3u);
  CheckpointData c;
  c.vocab = get<uint64_t>(p, 16);
  c.dim = get<uint64_t>(p, 24);
  c.proj_dim = get<uint64_t>(p, 32);
  c.tau = get<float>(p, 40);
  c.step = get<uint64_t>(p, 48);
  const uint64_t config_len = get<uint64_t>(p, 56);
  const uint64_t floats = get<uint64_t>(p, 64);
  c.has_optimizer = (flags & 2) != 0;
  if (c.vocab == 0 || c.dim == 0 || c.dim > 65536 || c.proj_dim > 65536 || ((flags & 1) != 0) != (c.proj_dim != 0))
    throw CheckpointError("corrupted checkpoint header (shapes)");
  uint64_t nE, nW, expect;
  if (!mul_ok(c.vocab, c.dim, &nE) || nE > (uint64_t(1) << 34) || !mul_ok(c.proj_dim, c.dim, &nW) ||
      !mul_ok(nE + nW, c.has_optimizer ? 3 : 1, &expect) || expect != floats)
    throw CheckpointError("corrupted checkpoint header (payload size does not match the shapes)");
  check_frame(p, size, config_len, floats);
  if (!(c.tau > 0) || !std::isfinite(c.tau)) throw CheckpointError("corrupted checkpoint header (temperature)");
  size_t at = kCheckpointHeaderBytes;
  c.config.assign(reinterpret_cast<const char*>(p + at), static_cast<size_t>(config_len));
  at += static_cast<size_t>(config_len);
  auto take = [&](std::vector<float>& v, uint64_t n) {
    v.resize(static_cast<size_t>(n));
    if (n > 0) std::memcpy(v.data(), p + at, static_cast<size_t>(n) * 4);
    at += static_cast<size_t>(n) * 4;
  };
  take(c.E, nE);
  take(c.W, nW);
  if (c.has_optimizer) {
    take(c.mE, nE);
    take(c.vE, nE);
    take(c.mW, nW);
    take(c.vW, nW);
  }
  return c;
}

std::vector<uint8_t> write_image_checkpoint(const ImageTower& tower, const float* m, const float* v, uint64_t step,
                                            const std::string& config) {
  const bool with_opt = m != nullptr && v != nullptr;
  const size_t n = tower.param_count(), floats = n * (with_opt ? 3 : 1);
  const auto fields = [&](uint8_t* out) {
    const auto& s = tower.shape();
    put<uint64_t>(out, 16, s.height);
    put<uint64_t>(out, 24, s.width);
    put<uint64_t>(out, 32, s.patch);
    put<uint64_t>(out, 40, s.hidden);
    put<uint64_t>(out, 48, s.out_dim);
    put<uint64_t>(out, 56, step);
    put<uint64_t>(out, 64, config.size());
    put<uint64_t>(out, 72, floats);
  };
  std::vector<uint8_t> out;
  const auto alloc = [&](size_t size) {
    out.resize(size);
    return out.data();
  };
  if (with_opt)
    write_frame(kImageMagic, 2u, fields, config, {{tower.params(), n}, {m, n}, {v, n}}, alloc);
  else
    write_frame(kImageMagic, 0u, fields, config, {{tower.params(), n}}, alloc);
  return out;
}

ImageCheckpointData read_image_checkpoint(const uint8_t* p, size_t size) {
  const uint32_t flags = check_header(p, size, kImageMagic, "an image-tower", 2u);
  ImageCheckpointData c;
  c.has_optimizer = flags == 2;
  c.shape = {get<uint64_t>(p, 16), get<uint64_t>(p, 24), get<uint64_t>(p, 32), get<uint64_t>(p, 40), get<uint64_t>(p, 48)};
  c.step = get<uint64_t>(p, 56);
  const uint64_t config_len = get<uint64_t>(p, 64), floats = get<uint64_t>(p, 72);
  size_t n = 0;
  try {
    n = ImageTower::count_params(c.shape);
  } catch (const std::invalid_argument&) {
    throw CheckpointError("corrupted checkpoint header (shapes)");
  }
  if (floats != n * (c.has_optimizer ? 3 : 1))
    throw CheckpointError("corrupted checkpoint header (payload size does not match the shapes)");
  check_frame(p, size, config_len, floats);
  size_t at = kCheckpointHeaderBytes;
  c.config.assign(reinterpret_cast<const char*>(p + at), static_cast<size_t>(config_len));
  at += static_cast<size_t>(config_len);
  for (auto* dst : {&c.params, &c.m, &c.v}) {
    if (dst != &c.params && !c.has_optimizer) break;
    dst->resize(n);
    std::memcpy(dst->data(), p + at, n * 4);
    at += n * 4;
  }
  return c;
}

}  // namespace xmr
