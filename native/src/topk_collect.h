// Internal: per-query top-k collectors (the result handlers of FAISS's exhaustive search, with
// xmr's total order). Documents are offered in increasing index order within one collector, so a
// candidate that merely ties the current k-th score can be rejected without comparing indices.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace xmr::detail {

// True when (s1, i1) ranks before (s2, i2): higher score first, equal scores by lower index,
// NaN after every number.
inline bool ranks_before(float s1, int32_t i1, float s2, int32_t i2) {
  const bool nan1 = s1 != s1, nan2 = s2 != s2;
  if (nan1 || nan2) return nan1 ? (nan2 && i1 < i2) : true;
  if (s1 != s2) return s1 > s2;
  return i1 < i2;
}

struct Hit {
  float score;
  int32_t id;
};

// As a function object (not a function pointer) so that std::sort and friends inline it.
struct HitBefore {
  bool operator()(const Hit& a, const Hit& b) const { return ranks_before(a.score, a.id, b.score, b.id); }
};

// Keeps the best k hits of a stream. Small k: a binary heap with the worst hit on top (O(log k)
// per accepted hit). Large k: a reservoir of 2k hits compacted with nth_element when full
// (amortised O(1) per accepted hit; FAISS's ReservoirResultHandler).
class TopKCollector {
 public:
  static constexpr size_t kHeapMaxK = 64;

  explicit TopKCollector(size_t k) : k_(k), heap_(k <= kHeapMaxK) { hits_.reserve(heap_ ? k : 2 * k); }

  // Offers documents first_id, first_id + 1, … with scores s[0 .. count).
  void offer(const float* s, size_t count, int32_t first_id) {
    // The phases only move forward: accept everything until k are held; then, while the k-th
    // is NaN, any number; then only scores above the k-th (a later, larger id loses a tie).
    size_t j = 0;
    for (; j < count && !filtering_; ++j) accept(s[j], first_id + static_cast<int32_t>(j));
    for (; j < count && worst_nan_; ++j)
      if (s[j] == s[j]) accept(s[j], first_id + static_cast<int32_t>(j));
    // Most scores lose: test 16 at a time with a branch-free reduction the compiler vectorises,
    // and look closer only at blocks holding a winner.
    for (; j + 16 <= count; j += 16) {
      bool any = false;
      for (size_t c = 0; c < 16; ++c) any |= s[j + c] > threshold_;
      if (!any) continue;
      for (size_t c = 0; c < 16; ++c)
        if (s[j + c] > threshold_) accept(s[j + c], first_id + static_cast<int32_t>(j + c));
    }
    for (; j < count; ++j)
      if (s[j] > threshold_) accept(s[j], first_id + static_cast<int32_t>(j));
  }

  // The kept hits, best first (at most k).
  std::vector<Hit> sorted() const {
    std::vector<Hit> out(hits_);
    const size_t keep = std::min(k_, out.size());
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(), HitBefore());
    out.resize(keep);
    return out;
  }

 private:
  void accept(float s, int32_t id) {
    if (heap_) {
      if (hits_.size() < k_) {
        hits_.push_back({s, id});
        std::push_heap(hits_.begin(), hits_.end(), HitBefore());
        if (hits_.size() == k_) set_threshold(hits_.front());
        return;
      }
      std::pop_heap(hits_.begin(), hits_.end(), HitBefore());
      hits_.back() = {s, id};
      std::push_heap(hits_.begin(), hits_.end(), HitBefore());
      set_threshold(hits_.front());
      return;
    }
    hits_.push_back({s, id});
    if (hits_.size() == 2 * k_) {
      std::nth_element(hits_.begin(), hits_.begin() + static_cast<std::ptrdiff_t>(k_ - 1), hits_.end(), HitBefore());
      hits_.resize(k_);
      set_threshold(hits_.back());
    }
  }

  // After this, only hits ranking before `worst` are accepted; since later ids are larger, a
  // score equal to worst.score loses, and when worst is NaN any number wins.
  void set_threshold(const Hit& worst) {
    filtering_ = true;
    worst_nan_ = worst.score != worst.score;
    threshold_ = worst.score;
  }

  size_t k_;
  bool heap_;
  bool filtering_ = false;
  bool worst_nan_ = false;
  float threshold_ = -std::numeric_limits<float>::infinity();
  std::vector<Hit> hits_;
};

}  // namespace xmr::detail
