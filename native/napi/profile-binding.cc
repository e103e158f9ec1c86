// Node-API glue for the machine probes of `xmrbench profile`: profileFmaSync and profileStreamSync.
// Synchronous on purpose: a probe must own the cores it measures, with nothing else of ours
// running. Arguments are validated in TypeScript (src/bench/profile/probes.ts); these are the
// cheap guards.
#include <string>

#include "glue.h"
#include "profile-binding.h"
#include "xmr/profile.h"

namespace xmr::napi {
namespace {

// profileFmaSync(kind: 'f32' | 'bf16', iterations, threads, isa) → { flops, seconds }
Napi::Value ProfileFmaSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string kind = choice_arg(info[0], "kind", "f32", "bf16");
  const size_t iterations = size_arg(info[1], "iterations", 1);
  const int threads = static_cast<int>(size_arg(info[2], "threads", 1));
  const Isa isa = isa_arg(info[3]);
  const ProbeTiming t = guarded(env, [&] { return fma_probe(kind == "bf16" ? FmaKind::Bf16 : FmaKind::F32, iterations, threads, isa); });
  Napi::Object out = Napi::Object::New(env);
  out.Set("flops", t.work);
  out.Set("seconds", t.seconds);
  return out;
}

// profileStreamSync(kind: 'copy' | 'triad', n, repeats, threads, isa) → { bytes, seconds: Float64Array }
Napi::Value ProfileStreamSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string kind = choice_arg(info[0], "kind", "copy", "triad");
  const size_t n = size_arg(info[1], "n", 1);
  const int repeats = static_cast<int>(size_arg(info[2], "repeats", 1));
  const int threads = static_cast<int>(size_arg(info[3], "threads", 1));
  const Isa isa = isa_arg(info[4]);
  const auto runs = guarded(env, [&] { return stream_probe(kind == "copy" ? StreamKind::Copy : StreamKind::Triad, n, repeats, threads, isa); });
  auto seconds = Napi::Float64Array::New(env, runs.size());
  for (size_t i = 0; i < runs.size(); ++i) seconds[i] = runs[i].seconds;
  Napi::Object out = Napi::Object::New(env);
  out.Set("bytes", runs.empty() ? 0.0 : runs[0].work);
  out.Set("seconds", seconds);
  return out;
}

}  // namespace

void RegisterProfile(Napi::Env env, Napi::Object exports) {
  exports.Set("profileFmaSync", Napi::Function::New<ProfileFmaSync>(env, "profileFmaSync"));
  exports.Set("profileStreamSync", Napi::Function::New<ProfileStreamSync>(env, "profileStreamSync"));
}

}  // namespace xmr::napi
