// Node-API glue for memory-mapped files: mapFileSync(path) maps a whole file read-only and returns
// it as an ArrayBuffer over the mapping (no copy into the JavaScript heap; the pages come from the
// page cache as they are read, so a store larger than RAM streams from disk). The mapping is
// released when the ArrayBuffer is garbage-collected. The embedding store (src/store/embedding-store.ts)
// views its rows through it; JavaScript must never write to the buffer (the pages are read-only:
// a write would fault), which the store guarantees by handing the views only to the top-k kernel.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "mmap-binding.h"

namespace xmr::napi {
namespace {

struct Mapping {
  void* data;
  size_t bytes;
};

// mapFileSync(path: string, populate: boolean) → ArrayBuffer (read-only pages of the whole file;
// empty for an empty file). populate: read the whole file in now (MAP_POPULATE), one sequential
// pass, rather than page fault by page fault while the kernel scans it.
Napi::Value MapFileSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "path must be a string");
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  if (!info[1].IsBoolean()) throw Napi::TypeError::New(env, "populate must be a boolean");
  const bool populate = info[1].As<Napi::Boolean>().Value();
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Napi::Error::New(env, path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    close(fd);
    throw Napi::Error::New(env, path + ": " + std::strerror(e));
  }
  const size_t bytes = static_cast<size_t>(st.st_size);
  if (bytes == 0) {
    close(fd);
    return Napi::ArrayBuffer::New(env, 0);
  }
  void* data = mmap(nullptr, bytes, PROT_READ, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0);
  const int e = errno;
  close(fd);  // the mapping keeps the file open
  if (data == MAP_FAILED) throw Napi::Error::New(env, path + ": mmap: " + std::strerror(e));
  // Rows are read front to back once per query block: tell the kernel to read ahead.
  madvise(data, bytes, MADV_SEQUENTIAL);
  return Napi::ArrayBuffer::New(env, data, bytes, [](Napi::Env, void* p, Mapping* m) {
    munmap(p, m->bytes);
    delete m;
  }, new Mapping{data, bytes});
}

// prefetchSync(map: ArrayBuffer from mapFileSync) → undefined: asks the kernel to start reading the
// mapped file into the page cache now (MADV_WILLNEED submits the reads and returns), so a shard's
// disk reads overlap the search of the shard before it. Pages already cached cost nothing.
Napi::Value PrefetchSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) throw Napi::TypeError::New(env, "map must be an ArrayBuffer from mapFileSync");
  auto map = info[0].As<Napi::ArrayBuffer>();
  const uintptr_t at = reinterpret_cast<uintptr_t>(map.Data());
  const long page = sysconf(_SC_PAGESIZE);
  // A mapping starts on a page; anything else is not one of ours (and madvise would reject it).
  if (map.ByteLength() == 0) return env.Undefined();
  if (page <= 0 || at % static_cast<uintptr_t>(page) != 0) throw Napi::TypeError::New(env, "map must be an ArrayBuffer from mapFileSync");
  madvise(map.Data(), map.ByteLength(), MADV_WILLNEED);  // advice: a failure only loses the overlap
  return env.Undefined();
}

}  // namespace

void RegisterMmap(Napi::Env env, Napi::Object exports) {
  exports.Set("mapFileSync", Napi::Function::New<MapFileSync>(env, "mapFileSync"));
  exports.Set("prefetchSync", Napi::Function::New<PrefetchSync>(env, "prefetchSync"));
}

}  // namespace xmr::napi
