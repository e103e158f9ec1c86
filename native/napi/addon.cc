// The addon's entry point: registers each kernel family's exports and the build's identity
// (the source fingerprint src/native.ts compares to detect a stale build, and the ISA path).
#include <napi.h>

#include "bm25-binding.h"
#include "glue.h"
#include "image-tower-binding.h"
#include "mmap-binding.h"
#include "perturb-binding.h"
#include "profile-binding.h"
#include "tokenizer-binding.h"
#include "topk-binding.h"
#include "train-binding.h"
#include "trec-binding.h"
#include "wordvec-binding.h"
#include "xmr/cpu.h"

#ifndef XMR_SOURCE_FINGERPRINT
#error "XMR_SOURCE_FINGERPRINT must be defined by the build (node native/sources.cjs --fingerprint)"
#endif

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new xmr::napi::AddonData());
  exports.Set("sourceFingerprint", Napi::String::New(env, XMR_SOURCE_FINGERPRINT));
  exports.Set("isa", Napi::String::New(env, xmr::isa_name(xmr::detect_isa())));
  exports.Set("amx", Napi::Boolean::New(env, xmr::amx_bf16_usable()));
  xmr::napi::RegisterTopK(env, exports);
  xmr::napi::RegisterTokenizer(env, exports);
  xmr::napi::RegisterPerturb(env, exports);
  xmr::napi::RegisterBm25(env, exports);
  xmr::napi::RegisterTrain(env, exports);
  xmr::napi::RegisterProfile(env, exports);
  xmr::napi::RegisterImageTower(env, exports);
  xmr::napi::RegisterWordvec(env, exports);
  xmr::napi::RegisterMmap(env, exports);
  xmr::napi::RegisterTrec(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(xmrbench, Init)
