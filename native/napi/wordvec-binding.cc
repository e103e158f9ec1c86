// Node-API glue for the skip-gram trainer: skipgramTrainEpoch (async, on a libuv worker; the corpus
// and both matrices are held until it settles) and skipgramStepSync (one step of the kernel the trainer
// runs, for the finite-difference gradient tests). Arguments are validated in TypeScript
// (src/wordvec/skipgram.ts); these are the cheap guards that keep a wrong call from touching memory
// it does not own.
#include <memory>
#include <string>

#include "glue.h"
#include "wordvec-binding.h"
#include "xmr/skipgram.h"

namespace xmr::napi {
namespace {

SkipgramParams params_arg(Napi::Env env, const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(env, "params must be an object");
  const Napi::Object o = v.As<Napi::Object>();
  SkipgramParams p;
  auto num = [&](const char* key) -> double {
    const Napi::Value x = o.Get(key);
    if (!x.IsNumber()) throw Napi::TypeError::New(env, std::string(key) + " must be a number");
    return x.As<Napi::Number>().DoubleValue();
  };
  p.dim = size_arg(o.Get("dim"), "dim", 1);
  p.window = static_cast<int>(size_arg(o.Get("window"), "window", 1));
  p.negative = static_cast<int>(size_arg(o.Get("negative"), "negative", 1));
  p.sample = num("sample");
  p.lr = static_cast<float>(num("lr"));
  p.epochs = static_cast<int>(size_arg(o.Get("epochs"), "epochs", 1));
  p.threads = static_cast<int>(size_arg(o.Get("threads"), "threads", 1));
  p.round_words = size_arg(o.Get("roundWords"), "roundWords", 1);
  p.seed = size_arg(o.Get("seed"), "seed", 0);
  p.isa = isa_arg(o.Get("isa"));
  return p;
}

struct EpochCall {
  SkipgramCorpus corpus;
  SkipgramParams params;
  int epoch = 0;
  float* in = nullptr;
  float* out = nullptr;
  SkipgramEpochStats stats;
};

// skipgramTrainEpoch(ids: Uint32Array, offsets: Uint32Array, counts: Float64Array, inVectors, outVectors,
//                    params, epoch) → Promise<{ effectiveWords, pairs }>
Napi::Value SkipgramTrainEpoch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const U32 ids = uint32_arg(info[0], "ids");
  const U32 offsets = uint32_arg(info[1], "offsets");
  const F64 counts = float64_arg(info[2], "counts");
  const F32 in = float32_arg(info[3], "inVectors");
  const F32 out = float32_arg(info[4], "outVectors");
  auto call = std::make_shared<EpochCall>();
  call->params = params_arg(env, info[5]);
  call->epoch = static_cast<int>(size_arg(info[6], "epoch", 0));
  if (offsets.length == 0) throw Napi::RangeError::New(env, "offsets must have at least one entry");
  const size_t want = counts.length * call->params.dim;
  if (in.length != want || out.length != want)
    throw Napi::RangeError::New(env, "inVectors and outVectors must each hold counts.length × dim (" + std::to_string(want) + ") floats");
  if (in.data == out.data) throw Napi::RangeError::New(env, "inVectors and outVectors must be different arrays");
  call->corpus = SkipgramCorpus{ids.data, ids.length, offsets.data, offsets.length - 1, counts.data, counts.length};
  call->in = in.data;
  call->out = out.data;
  // Checked on the main thread, so a bad call is a RangeError here rather than a rejected promise.
  guarded(env, [&] { skipgram_check(call->corpus, call->params, call->epoch); });
  return Job<>::start(
      env, "xmrbench.skipgram",
      [call] { call->stats = skipgram_train_epoch(call->corpus, call->params, call->epoch, call->in, call->out); },
      [call](Napi::Env e, const Job<>::Kept&) {
        Napi::Object r = Napi::Object::New(e);
        r.Set("effectiveWords", static_cast<double>(call->stats.effective_words));
        r.Set("pairs", static_cast<double>(call->stats.pairs));
        return r;
      },
      {info[0], info[1], info[2], info[3], info[4]});
}

// skipgramStepSync(v: Float32Array (dim), u: Float32Array (k × dim), alpha, isa) → loss before the step
Napi::Value SkipgramStepSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const F32 v = float32_arg(info[0], "v");
  const F32 u = float32_arg(info[1], "u");
  if (!info[2].IsNumber()) throw Napi::TypeError::New(env, "alpha must be a number");
  const float alpha = info[2].As<Napi::Number>().FloatValue();
  const Isa isa = isa_arg(info[3]);
  if (v.length == 0 || u.length % v.length != 0)
    throw Napi::RangeError::New(env, "u.length (" + std::to_string(u.length) + ") must be a multiple of v.length (" + std::to_string(v.length) + ")");
  const double loss = guarded(env, [&] { return skipgram_step(v.data, u.data, u.length / v.length, v.length, alpha, isa); });
  return Napi::Number::New(env, loss);
}

}  // namespace

void RegisterWordvec(Napi::Env env, Napi::Object exports) {
  exports.Set("skipgramTrainEpoch", Napi::Function::New<SkipgramTrainEpoch>(env, "skipgramTrainEpoch"));
  exports.Set("skipgramStepSync", Napi::Function::New<SkipgramStepSync>(env, "skipgramStepSync"));
}

}  // namespace xmr::napi
