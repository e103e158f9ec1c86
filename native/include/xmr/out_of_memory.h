// An allocation the system refused, with its size. std::bad_alloc says neither how much was asked
// nor that memory ran out in words a user reads; this one does ("out of memory: could not allocate
// 1073741824 bytes"), and the Node-API glue (native/napi/glue.h) turns every std::bad_alloc into a
// RangeError instead of letting it abort the process. The message is formatted into a fixed buffer
// when thrown: no allocation while memory is short.
#pragma once
#include <cstddef>
#include <cstdio>
#include <new>

namespace xmr {

class OutOfMemory : public std::bad_alloc {
 public:
  explicit OutOfMemory(size_t bytes) : bytes_(bytes) {
    std::snprintf(message_, sizeof message_, "out of memory: could not allocate %zu bytes", bytes);
  }
  const char* what() const noexcept override { return message_; }
  size_t bytes() const noexcept { return bytes_; }

 private:
  size_t bytes_;
  char message_[64];
};

}  // namespace xmr
