// SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"): the
// deterministic random numbers of initialisation, PGD starts and per-step seeds.
#pragma once
#include <cmath>
#include <cstdint>

namespace xmr {

// The SplitMix64 finaliser (Stafford's Mix13 variant of MurmurHash3's fmix64): a bijection of
// 64-bit words that spreads every input bit over the output; next() applies it to a Weyl sequence.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct SplitMix64 {
  uint64_t state;
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next() { return mix64(state += 0x9e3779b97f4a7c15ULL); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }  // [0, 1)
  // Box–Muller on (0, 1]: u1 = 1 − uniform() never reaches 0.
  double normal() {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
};

}  // namespace xmr
