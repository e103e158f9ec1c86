// Node-API glue for the perturbation kernel: perturbSync, projectSync and copyFloatsSync (the
// benchmark's reference copy). Synchronous on purpose: a call is a memory-bound pass over arrays
// (about a millisecond per 100 MB on one core), shorter than an AsyncWorker's round trip for the
// sizes training uses. Arguments are validated in TypeScript (src/train/perturb.ts); these are the
// cheap guards that keep a wrong call from touching memory it does not own.
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "glue.h"
#include "perturb-binding.h"
#include "xmr/perturb.h"

namespace xmr::napi {
namespace {

bool partially_overlap(const F32& a, const F32& b) {
  if (a.data == b.data) return false;
  const auto a0 = reinterpret_cast<uintptr_t>(a.data), b0 = reinterpret_cast<uintptr_t>(b.data);
  return a0 < b0 + b.length * sizeof(float) && b0 < a0 + a.length * sizeof(float);
}

// (eps, norm, groupSize, rowSize, mask | null, threads, isa) starting at info[first].
PerturbParams params_from(const Napi::CallbackInfo& info, size_t first, size_t n) {
  Napi::Env env = info.Env();
  PerturbParams p;
  if (!info[first].IsNumber()) throw Napi::TypeError::New(env, "eps must be a number");
  const double eps = info[first].As<Napi::Number>().DoubleValue();
  if (!(eps >= 0) || !std::isfinite(eps)) throw Napi::RangeError::New(env, "eps must be a finite number ≥ 0");
  p.eps = static_cast<float>(eps);
  if (!std::isfinite(p.eps)) throw Napi::RangeError::New(env, "eps must be representable as a float32");
  const std::string norm = choice_arg(info[first + 1], "norm", "linf", "l2");
  p.norm = norm == "l2" ? PerturbNorm::L2 : PerturbNorm::Linf;
  p.group_size = size_arg(info[first + 2], "groupSize", 0);
  p.row_size = size_arg(info[first + 3], "rowSize", 0);
  if (!info[first + 4].IsNull() && !info[first + 4].IsUndefined()) {
    auto mask = uint8_arg(info[first + 4], "mask");
    if (p.row_size == 0) throw Napi::RangeError::New(env, "rowSize must be ≥ 1 when a mask is given");
    if (n % p.row_size != 0 || mask.length != n / p.row_size)
      throw Napi::RangeError::New(env, "mask.length (" + std::to_string(mask.length) + ") must be the number of rows (" +
                                           std::to_string(n) + " / " + std::to_string(p.row_size) + ")");
    p.mask = mask.data;
  }
  p.threads = static_cast<int>(size_arg(info[first + 5], "threads", 1));
  p.isa = isa_arg(info[first + 6]);
  return p;
}

void same_length(Napi::Env env, const F32& a, const char* an, const F32& b, const char* bn) {
  if (a.length != b.length)
    throw Napi::RangeError::New(env, std::string(bn) + ".length (" + std::to_string(b.length) + ") must equal " + an +
                                         ".length (" + std::to_string(a.length) + ")");
  if (partially_overlap(a, b)) throw Napi::RangeError::New(env, std::string(bn) + " must not partially overlap " + an);
}

// The (input, output) Float32Array pair of info[0] and info[1]: equal lengths, no partial overlap.
std::pair<F32, F32> in_out(const Napi::CallbackInfo& info, const char* in_name, const char* out_name) {
  const F32 in = float32_arg(info[0], in_name), out = float32_arg(info[1], out_name);
  same_length(info.Env(), in, in_name, out, out_name);
  return {in, out};
}

// perturbSync(x: Float32Array | null, grad, out, eps, norm, groupSize, rowSize, mask, threads, isa) → out
Napi::Value PerturbSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const bool has_x = !info[0].IsNull();
  F32 x = has_x ? float32_arg(info[0], "embeddings") : F32{};
  F32 g = float32_arg(info[1], "gradients");
  F32 out = float32_arg(info[2], "out");
  if (has_x) same_length(env, x, "embeddings", g, "gradients");
  same_length(env, g, "gradients", out, "out");
  if (has_x) same_length(env, x, "embeddings", out, "out");
  const PerturbParams p = params_from(info, 3, g.length);
  guarded(env, [&] { perturb(has_x ? x.data : nullptr, g.data, g.length, p, out.data); });
  return info[2];
}

// projectSync(delta, out, eps, norm, groupSize, rowSize, mask, threads, isa) → out
Napi::Value ProjectSync(const Napi::CallbackInfo& info) {
  const auto [d, out] = in_out(info, "delta", "out");
  const PerturbParams p = params_from(info, 2, d.length);
  guarded(info.Env(), [&] { project(d.data, d.length, p, out.data); });
  return info[1];
}

// copyFloatsSync(src, dst, threads) → dst
Napi::Value CopyFloatsSync(const Napi::CallbackInfo& info) {
  const auto [src, dst] = in_out(info, "src", "dst");
  const int threads = static_cast<int>(size_arg(info[2], "threads", 1));
  guarded(info.Env(), [&] { copy_floats(src.data, src.length, dst.data, threads); });
  return info[1];
}

}  // namespace

void RegisterPerturb(Napi::Env env, Napi::Object exports) {
  exports.Set("perturbSync", Napi::Function::New<PerturbSync>(env, "perturbSync"));
  exports.Set("projectSync", Napi::Function::New<ProjectSync>(env, "projectSync"));
  exports.Set("copyFloatsSync", Napi::Function::New<CopyFloatsSync>(env, "copyFloatsSync"));
}

}  // namespace xmr::napi
