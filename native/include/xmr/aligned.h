// A fixed-size, 64-byte-aligned, zero-initialised array: packed tiles and bf16 matrices are read
// with aligned 512-bit loads.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

#include "xmr/out_of_memory.h"

namespace xmr {

template <typename T>
class AlignedArray {
 public:
  AlignedArray() = default;
  explicit AlignedArray(size_t count) : size_(count) {
    if (count == 0) return;
    const size_t bytes = (count * sizeof(T) + 63) / 64 * 64;
    data_ = static_cast<T*>(std::aligned_alloc(64, bytes));
    if (data_ == nullptr) throw OutOfMemory(bytes);
    std::memset(static_cast<void*>(data_), 0, bytes);
  }
  ~AlignedArray() { std::free(data_); }
  AlignedArray(AlignedArray&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; o.size_ = 0; }
  AlignedArray& operator=(AlignedArray&& o) noexcept {
    if (this != &o) { std::free(data_); data_ = o.data_; size_ = o.size_; o.data_ = nullptr; o.size_ = 0; }
    return *this;
  }
  AlignedArray(const AlignedArray&) = delete;
  AlignedArray& operator=(const AlignedArray&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace xmr
