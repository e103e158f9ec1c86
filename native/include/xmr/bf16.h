// bfloat16 (the upper 16 bits of an IEEE binary32) and a document matrix stored in it.
//
// A bf16 value keeps float32's exponent range and 8 of its 24 significand bits, so a stored
// document coordinate is within a relative 2^-9 of the float32 value (round to nearest even).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "xmr/aligned.h"

namespace xmr {

// Round to nearest, ties to even; NaN stays NaN (quietened), ±Inf stays ±Inf.
inline uint16_t f32_to_bf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

inline float bf16_to_f32(uint16_t h) {
  const uint32_t u = static_cast<uint32_t>(h) << 16;
  float x;
  std::memcpy(&x, &u, 4);
  return x;
}

// Documents stored for the bf16 scoring kernels, packed once at creation so that no call repacks
// them: strips of kStripDocs documents; within a strip, for each coordinate pair p, kStripDocs
// 32-bit words holding (doc[2p], doc[2p+1]) as (low, high) bf16 halves — the operand layout of
// AVX512_BF16's VDPBF16PS. Padding documents and an odd last coordinate are zero.
struct Bf16Matrix {
  static constexpr size_t kStripDocs = 32;

  size_t n = 0;       // documents
  size_t dim = 0;     // coordinates per document
  size_t pairs = 0;   // ceil(dim / 2)
  size_t strips = 0;  // ceil(n / kStripDocs)
  AlignedArray<uint32_t> packed;  // ceil(capacity / kStripDocs) × pairs × kStripDocs (strips of them in use)
  AlignedArray<float> inv_norms;  // capacity entries: 1/‖doc‖₂ of the stored (rounded) vectors; 0 for a zero vector
  bool norms = true;              // inv_norms[0, n) hold these documents' norms (a reload may skip them)

  const uint32_t* strip(size_t s) const { return packed.data() + s * pairs * kStripDocs; }
  // Documents the storage holds: n for a matrix made from documents, more for a reused buffer.
  size_t capacity() const { return inv_norms.size(); }
  size_t bytes() const { return packed.size() * sizeof(uint32_t) + inv_norms.size() * sizeof(float); }
};

// Rounds and packs an n×dim row-major float32 matrix; `threads` ≥ 1 share the work.
Bf16Matrix make_bf16_matrix(const float* docs, size_t n, size_t dim, int threads);

// Packs an n×dim row-major matrix of bf16 bit patterns as they are (already rounded: an embedding
// store's bf16 shard), without widening them to float32 first.
Bf16Matrix make_bf16_matrix_from_bits(const uint16_t* bits, size_t n, size_t dim, int threads);

// An empty matrix (n = 0) with storage for `capacity` documents of `dim` coordinates, filled — and
// refilled — by reload_bf16_matrix_from_bits: one allocation for an embedding store's shards one
// after another, where a fresh matrix per shard paid its zero-filled pages' first-touch faults on
// every search.
Bf16Matrix make_bf16_buffer(size_t capacity, size_t dim);

// Repacks m in place with the n ≤ m.capacity() rows of `bits` (n×m.dim bf16 bit patterns, kept as
// they are), exactly as make_bf16_matrix_from_bits would pack them; padding documents of the last
// strip are zeroed again. `norms` false skips the inverse norms (only cosine reads them: the
// norms pass costs about three times the packing) and sets m.norms false. Throws
// std::invalid_argument when n exceeds the capacity.
void reload_bf16_matrix_from_bits(Bf16Matrix& m, const uint16_t* bits, size_t n, int threads, bool norms);

// Unpacks document j back to float32 (its stored, rounded values) into out[0..dim).
void bf16_matrix_row(const Bf16Matrix& m, size_t j, float* out);

}  // namespace xmr
