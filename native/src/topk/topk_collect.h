// Internal: per-query top-k collectors (the result handlers of FAISS's exhaustive search, with
// xmr's total order). Documents are offered in increasing index order within one collector, so a
// candidate that merely ties the current k-th score can be rejected without comparing indices.
#pragma once
#include <emmintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <vector>

namespace xmr::detail {

// A hit packed into one integer whose order is the ranking order: higher key ranks first.
// High 32 bits: the score mapped to an order-preserving unsigned integer (NaN → 0, below every
// number; −0 → +0); low 32 bits: ~id, so that of equal scores the lower index ranks first.
// Heaps and selections then compare plain integers.
using HitKey = uint64_t;

inline HitKey hit_key(float score, int32_t id) {
  uint32_t u;
  std::memcpy(&u, &score, 4);
  uint32_t ord;
  if (score != score) ord = 0;
  else if (u == 0x80000000u) ord = 0x80000000u;  // −0 ties +0
  else ord = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
  return (static_cast<uint64_t>(ord) << 32) | static_cast<uint32_t>(~static_cast<uint32_t>(id));
}

inline int32_t key_id(HitKey key) { return static_cast<int32_t>(~static_cast<uint32_t>(key)); }

inline float key_score(HitKey key) {
  const uint32_t ord = static_cast<uint32_t>(key >> 32);
  if (ord == 0) return std::numeric_limits<float>::quiet_NaN();
  const uint32_t u = (ord & 0x80000000u) ? (ord & 0x7fffffffu) : ~ord;
  float s;
  std::memcpy(&s, &u, 4);
  return s;
}

// Appends hit_key(s[j], first_id + j) to out for every j < count with s[j] > threshold (NaN never
// passes), in increasing j; returns how many. out must have room for count + 16 keys (a vector
// version may write whole vectors past the last key it keeps).
using KeyFilter = size_t (*)(const float* s, size_t count, float threshold, int32_t first_id, HitKey* out);

// The portable filter: 16 scores against the threshold with SSE2 (every x86-64 CPU has it) into
// one mask, then only the mask's set bits are visited.
inline size_t filter_keys_sse2(const float* s, size_t count, float threshold, int32_t first_id, HitKey* out) {
  const __m128 thr = _mm_set1_ps(threshold);
  size_t kept = 0, j = 0;
  for (; j + 16 <= count; j += 16) {
    unsigned mask = static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j), thr))) |
                    static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j + 4), thr))) << 4 |
                    static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j + 8), thr))) << 8 |
                    static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j + 12), thr))) << 12;
    for (; mask != 0; mask &= mask - 1) {
      const size_t c = j + static_cast<size_t>(__builtin_ctz(mask));
      out[kept++] = hit_key(s[c], first_id + static_cast<int32_t>(c));
    }
  }
  for (; j < count; ++j)
    if (s[j] > threshold) out[kept++] = hit_key(s[j], first_id + static_cast<int32_t>(j));
  return kept;
}

// Moves the k largest of the distinct keys[0 .. n) (k ≤ n) to keys[0 .. k), in any order, and
// returns the smallest of them. keys must have room for n + 8 keys (a vector version may write a
// whole vector past the last key it keeps).
using KeySelect = HitKey (*)(HitKey* keys, size_t n, size_t k);

// The portable select.
inline HitKey select_keys_nth(HitKey* keys, size_t n, size_t k) {
  std::nth_element(keys, keys + (k - 1), keys + n, std::greater<HitKey>());
  return keys[k - 1];
}

// Keeps the best k hits of a stream. Small k: a binary min-heap of keys (the worst kept hit on
// top). Large k: a reservoir of 2k keys compacted with nth_element when full (amortised O(1) per
// accepted hit; FAISS's ReservoirResultHandler). Its threshold moves only at a compaction, so a
// whole block of scores is filtered against it at once (`filter`, per ISA: AVX-512 compresses the
// winners' keys without a branch per candidate), and compacted after the block.
class TopKCollector {
 public:
  static constexpr size_t kHeapMaxK = 64;
  // Scores per reservoir filter call: the bound on the keys one call can add (see accept()).
  static constexpr size_t kFilterBlock = 64;

  TopKCollector(size_t k, KeyFilter filter, KeySelect select = select_keys_nth)
      : k_(k), heap_(k <= kHeapMaxK), filter_(filter), select_(select) {}

  // Offers documents first_id, first_id + 1, … with scores s[0 .. count).
  void offer(const float* s, size_t count, int32_t first_id) {
    // The phases only move forward: accept everything until k are held; then, while the k-th
    // is NaN, any number; then only scores above the k-th (a later, larger id loses a tie).
    // The first two phases, one score at a time (offer_one states the rule).
    size_t j = 0;
    for (; j < count && (!filtering_ || worst_nan_); ++j) offer_one(s[j], first_id + static_cast<int32_t>(j));
    if (j == count) return;
    if (!heap_) {
      // The rest of the block kFilterBlock scores per filter call, compacting between calls.
      for (; j < count; j += kFilterBlock) {
        const size_t c = std::min(kFilterBlock, count - j);
        held_ += filter_(s + j, c, threshold_, first_id + static_cast<int32_t>(j), keys_.data() + held_);
        if (held_ >= 2 * k_) compact();
      }
      return;
    }
    // Heap: most scores lose; a winner raises the threshold, so the rest of its block is compared
    // again one by one (filter_keys_sse2's mask, visited bit by bit).
    __m128 thr = _mm_set1_ps(threshold_);
    for (; j + 16 <= count; j += 16) {
      unsigned mask = static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j), thr))) |
                      static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j + 4), thr))) << 4 |
                      static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j + 8), thr))) << 8 |
                      static_cast<unsigned>(_mm_movemask_ps(_mm_cmpgt_ps(_mm_loadu_ps(s + j + 12), thr))) << 12;
      if (mask == 0) continue;
      for (; mask != 0; mask &= mask - 1) {
        const size_t c = j + static_cast<size_t>(__builtin_ctz(mask));
        if (s[c] > threshold_) accept(s[c], first_id + static_cast<int32_t>(c));
      }
      thr = _mm_set1_ps(threshold_);
    }
    for (; j < count; ++j)
      if (s[j] > threshold_) accept(s[j], first_id + static_cast<int32_t>(j));
  }

  // Offers one document, after every document offered so far: accepted while fewer than k are
  // held, then (the k-th being NaN) if it is a number, then if it beats the k-th.
  void offer_one(float s, int32_t id) {
    if (!filtering_ || (worst_nan_ ? s == s : s > threshold_)) accept(s, id);
  }

  // A bound on what offer() can still accept: a score s ≤ gate() is rejected (NaN when every
  // score, NaN included, may still be accepted). The micro-kernels compare against it in registers.
  float gate() const { return filtering_ && !worst_nan_ ? threshold_ : std::numeric_limits<float>::quiet_NaN(); }

  // Appends the kept hits, unordered (their best k are this collector's result).
  void append_kept(std::vector<HitKey>* out) const {
    out->insert(out->end(), keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(heap_ ? keys_.size() : held_));
  }

  // The kept hits, best first (at most k).
  // A reservoir holding more than k is cut to its best k by the select before sorting them:
  // partial_sort's heap over 2k keys took ~1.3% of a 100k × 384, 1,000-query, k = 100 call.
  std::vector<HitKey> sorted() const {
    const size_t held = heap_ ? keys_.size() : held_;
    std::vector<HitKey> out(held + 8);
    std::copy(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(held), out.begin());
    if (held > k_) select_(out.data(), held, k_);
    out.resize(std::min(k_, held));
    std::sort(out.begin(), out.end(), std::greater<HitKey>());
    return out;
  }

 private:
  void accept(float s, int32_t id) {
    const HitKey key = hit_key(s, id);
    if (heap_) {
      if (keys_.size() < k_) {
        if (keys_.empty()) keys_.reserve(k_);
        keys_.push_back(key);
        std::push_heap(keys_.begin(), keys_.end(), std::greater<HitKey>());
        if (keys_.size() == k_) set_threshold(keys_.front());
        return;
      }
      replace_worst(key);
      set_threshold(keys_.front());
      return;
    }
    // The reservoir's one allocation: fewer than 2k held keys before a filter call (a compaction
    // follows every call that reaches 2k), plus one call's kFilterBlock keys and its 16 of overrun
    // (which also covers the select's 8).
    // (Growing it to each offered run's size cost ~5% of a 100k × 384, k = 100 call in malloc,
    // page faults and zero-fill: perf on native/tools/topk_breakdown.cc at 1 thread.)
    if (keys_.empty()) keys_.resize(2 * k_ + kFilterBlock + 16);
    keys_[held_++] = key;
    if (held_ >= 2 * k_) compact();
  }

  // The heap's root (its worst key) replaced by a better key, restored by one sift-down: keys are
  // distinct (ids are), so a child moves up while it is smaller than the new key.
  void replace_worst(HitKey key) {
    const size_t n = keys_.size();
    size_t i = 0;
    for (size_t c = 1; c < n; c = 2 * i + 1) {
      if (c + 1 < n && keys_[c + 1] < keys_[c]) ++c;
      if (keys_[c] > key) break;
      keys_[i] = keys_[c];
      i = c;
    }
    keys_[i] = key;
  }

  // Keeps the best k keys of the reservoir; the worst of them is the new threshold.
  void compact() {
    const HitKey kth = select_(keys_.data(), held_, k_);
    held_ = k_;
    set_threshold(kth);
  }

  // After this, only hits ranking before `worst` are accepted; since later ids are larger, a
  // score equal to worst's loses, and when worst is NaN any number wins.
  void set_threshold(HitKey worst) {
    filtering_ = true;
    threshold_ = key_score(worst);
    worst_nan_ = threshold_ != threshold_;
  }

  size_t k_;
  bool heap_;
  KeyFilter filter_;
  KeySelect select_;
  bool filtering_ = false;
  bool worst_nan_ = false;
  float threshold_ = -std::numeric_limits<float>::infinity();
  // Heap: exactly the kept keys. Reservoir: the first held_ are the kept keys, the rest is room.
  std::vector<HitKey> keys_;
  size_t held_ = 0;
};

}  // namespace xmr::detail
