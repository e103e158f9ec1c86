// Node-API glue for the image tower (xmr/image_tower.h): construction, encode (sync twin and async
// job), a copy of the parameters, and checkpoint bytes. Arguments are validated in TypeScript
// (src/encoders/image-tower-model.ts); these are the cheap guards.
#include "image-tower-binding.h"

#include <string>

#include "glue.h"
#include "xmr/checkpoint.h"

namespace xmr::napi {
namespace {

thread_local Napi::FunctionReference* tower_ctor = nullptr;

BusyGuard busy(Napi::Env env, std::atomic<bool>& flag) { return BusyGuard(env, flag, "the image tower"); }

Napi::Value last_kept(Napi::Env, const Job<BusyGuard>::Kept& kept) { return kept.back().Value(); }

class ImageTowerWrap : public Napi::ObjectWrap<ImageTowerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ImageTower",
                       {InstanceAccessor<&ImageTowerWrap::Shape>("shape"),
                        InstanceAccessor<&ImageTowerWrap::ParamCount>("paramCount"),
                        InstanceMethod<&ImageTowerWrap::EncodeSync>("encodeSync"),
                        InstanceMethod<&ImageTowerWrap::Encode>("encode"),
                        InstanceMethod<&ImageTowerWrap::Params>("params"),
                        InstanceMethod<&ImageTowerWrap::Checkpoint>("checkpoint"),
                        StaticMethod<&ImageTowerWrap::FromCheckpoint>("fromCheckpoint")});
  }

  // new ImageTower(height, width, patch, hidden, outDim, seed), or (internally) new ImageTower(External).
  explicit ImageTowerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ImageTowerWrap>(info) {
    Napi::Env env = info.Env();
    if (info[0].IsExternal()) {
      shared_.tower = *info[0].As<Napi::External<std::shared_ptr<ImageTower>>>().Data();
    } else {
      const ImageTowerShape s{size_arg(info[0], "height", 1), size_arg(info[1], "width", 1), size_arg(info[2], "patch", 1),
                              size_arg(info[3], "hidden", 1), size_arg(info[4], "outDim", 1)};
      const size_t seed = size_arg(info[5], "seed", 0);
      shared_.tower = guarded(env, [&] {
        auto t = std::make_shared<ImageTower>(s);
        t->init(seed);
        return t;
      });
    }
    accounted_ = static_cast<int64_t>(shared_.tower->param_count() * 4);
    Napi::MemoryManagement::AdjustExternalMemory(env, accounted_);
  }
  void Finalize(Napi::Env env) override { Napi::MemoryManagement::AdjustExternalMemory(env, -accounted_); }

  const SharedImageTower& shared() const { return shared_; }

 private:
  Napi::Value Shape(const Napi::CallbackInfo& info) {
    const auto& s = shared_.tower->shape();
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("height", double(s.height));
    o.Set("width", double(s.width));
    o.Set("patch", double(s.patch));
    o.Set("hidden", double(s.hidden));
    o.Set("outDim", double(s.out_dim));
    return o;
  }
  Napi::Value ParamCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(shared_.tower->param_count())); }

  // (pixels: Float32Array n×H×W×3, threads, isa) of encodeSync and encode.
  struct EncodeCall {
    const float* pixels;
    size_t count;
    int threads;
    Isa isa;
  };
  EncodeCall encode_call(const Napi::CallbackInfo& info) const {
    const F32 px = float32_arg(info[0], "pixels");
    const size_t per = shared_.tower->pixels_per_image();
    if (px.length % per != 0)
      throw Napi::RangeError::New(info.Env(), "pixels.length (" + std::to_string(px.length) + ") is not a multiple of H×W×3 (" +
                                                  std::to_string(per) + ")");
    return {px.data, px.length / per, static_cast<int>(size_arg(info[1], "threads", 1)), isa_arg(info[2])};
  }

  Napi::Value EncodeSync(const Napi::CallbackInfo& info) {
    const EncodeCall c = encode_call(info);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), c.count * shared_.tower->out_dim());
    guarded(info.Env(), [&] { shared_.tower->encode(c.pixels, c.count, out.Data(), c.threads, c.isa); });
    return out;
  }

  Napi::Value Encode(const Napi::CallbackInfo& info) {
    const EncodeCall c = encode_call(info);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), c.count * shared_.tower->out_dim());
    return Job<BusyGuard>::start(
        info.Env(), "xmrbench.encodeImages",
        [c, tower = shared_.tower, dst = out.Data()] { tower->encode(c.pixels, c.count, dst, c.threads, c.isa); }, last_kept,
        {info[0], info.This(), out}, std::move(guard));
  }

  // A copy of the parameters [A | b | pos | W] (the tower may keep training).
  Napi::Value Params(const Napi::CallbackInfo& info) {
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), shared_.tower->param_count());
    std::copy(shared_.tower->params(), shared_.tower->params() + shared_.tower->param_count(), out.Data());
    return out;
  }

  // checkpoint(step, config: string) → Uint8Array: the weights alone.
  Napi::Value Checkpoint(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const size_t step = size_arg(info[0], "step", 0);
    if (!info[1].IsString()) throw Napi::TypeError::New(env, "config must be a string");
    BusyGuard guard = busy(env, *shared_.busy);
    const auto bytes = write_image_checkpoint(*shared_.tower, nullptr, nullptr, step, info[1].As<Napi::String>().Utf8Value());
    auto out = Napi::Uint8Array::New(env, bytes.size());
    std::copy(bytes.begin(), bytes.end(), out.Data());
    return out;
  }

  // ImageTower.fromCheckpoint(bytes) → { model, step, config, hasOptimizer }
  static Napi::Value FromCheckpoint(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const U8 bytes = uint8_arg(info[0], "bytes");
    ImageCheckpointData c = guarded(env, [&] { return read_image_checkpoint(bytes.data, bytes.length); });
    auto tower = std::make_shared<ImageTower>(c.shape);
    std::copy(c.params.begin(), c.params.end(), tower->params());
    Napi::Object out = Napi::Object::New(env);
    out.Set("model", tower_ctor->New({Napi::External<std::shared_ptr<ImageTower>>::New(env, &tower)}));
    out.Set("step", Napi::Number::New(env, static_cast<double>(c.step)));
    out.Set("config", Napi::String::New(env, c.config));
    out.Set("hasOptimizer", Napi::Boolean::New(env, c.has_optimizer));
    return out;
  }

  SharedImageTower shared_;
  int64_t accounted_ = 0;
};

}  // namespace

SharedImageTower image_tower_arg(const Napi::Value& v, const char* name) {
  if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(tower_ctor->Value()))
    throw Napi::TypeError::New(v.Env(), std::string(name) + " must be an ImageTower");
  return ImageTowerWrap::Unwrap(v.As<Napi::Object>())->shared();
}

void RegisterImageTower(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = ImageTowerWrap::Define(env);
  tower_ctor = new Napi::FunctionReference(Napi::Persistent(ctor));
  Napi::FunctionReference* mine = tower_ctor;
  env.AddCleanupHook([mine] {
    if (tower_ctor == mine) tower_ctor = nullptr;
    delete mine;
  });
  exports.Set("ImageTower", ctor);
}

}  // namespace xmr::napi
