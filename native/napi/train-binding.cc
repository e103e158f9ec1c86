// Node-API glue for the dual encoder and its trainer: DualEncoder (weights, encode, checkpoint
// bytes) and DualEncoderTrainer (train steps, checkpoint bytes with the optimiser state). Long
// calls have an async twin on a libuv worker; while one runs, the model is marked busy and any
// other call on it throws instead of racing. Arguments are validated in TypeScript
// (src/train/dual-encoder.ts, src/train/trainer.ts); these are the cheap guards.
#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <optional>
#include <utility>

#include "glue.h"
#include "image-tower-binding.h"
#include "tokenizer-binding.h"
#include "train-binding.h"
#include "xmr/checkpoint.h"
#include "xmr/dual_encoder.h"
#include "xmr/encode_texts.h"
#include "xmr/trainer.h"

namespace xmr::napi {
namespace {

// The DualEncoder constructor of each environment (main thread and each worker thread have their
// own; the glue's AddonData belongs to other families, so this keeps its own per-thread slot).
thread_local Napi::FunctionReference* encoder_ctor = nullptr;

SequencePool pool_arg(Napi::Env env, const Napi::Value& ids_v, const Napi::Value& off_v) {
  const I32 ids = int32_arg(ids_v, "ids");
  const U32 off = uint32_arg(off_v, "offsets");
  if (off.length == 0) throw Napi::RangeError::New(env, "offsets must have at least one entry");
  return {ids.data, ids.length, off.data, off.length - 1};
}

// Every busy guard of this file names the text tower.
BusyGuard busy(Napi::Env env, std::atomic<bool>& flag) { return BusyGuard(env, flag, "the dual encoder"); }

struct SharedModel {
  std::shared_ptr<DualEncoder> model;
  std::shared_ptr<std::atomic<bool>> busy = std::make_shared<std::atomic<bool>>(false);
};

// The result of an async call that resolves with the output array it was given last in `keep`.
Napi::Value last_kept(Napi::Env, const Job<BusyGuard>::Kept& kept) { return kept.back().Value(); }

class EncoderWrap : public Napi::ObjectWrap<EncoderWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "DualEncoder",
                       {InstanceAccessor<&EncoderWrap::Vocab>("vocab"), InstanceAccessor<&EncoderWrap::Dim>("dim"),
                        InstanceAccessor<&EncoderWrap::OutDim>("outDim"),
                        InstanceAccessor<&EncoderWrap::ProjDim>("projectionRows"),
                        InstanceMethod<&EncoderWrap::EncodeSync>("encodeSync"),
                        InstanceMethod<&EncoderWrap::Encode>("encode"),
                        InstanceMethod<&EncoderWrap::EncodeTexts>("encodeTexts"),
                        InstanceMethod<&EncoderWrap::Embeddings>("embeddings"),
                        InstanceMethod<&EncoderWrap::Projection>("projection"),
                        InstanceMethod<&EncoderWrap::Checkpoint>("checkpoint"),
                        StaticMethod<&EncoderWrap::FromCheckpoint>("fromCheckpoint")});
  }

  // new DualEncoder(vocab, dim, outDim, seed, initStd), or (internally) new DualEncoder(External).
  explicit EncoderWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EncoderWrap>(info) {
    Napi::Env env = info.Env();
    if (info[0].IsExternal()) {
      shared_.model = *info[0].As<Napi::External<std::shared_ptr<DualEncoder>>>().Data();
    } else {
      const size_t vocab = size_arg(info[0], "vocab", 1), dim = size_arg(info[1], "dim", 1);
      const size_t out = size_arg(info[2], "outDim", 0);
      const size_t seed = size_arg(info[3], "seed", 0);
      if (!info[4].IsNumber()) throw Napi::TypeError::New(env, "initStd must be a number");
      const float init_std = info[4].As<Napi::Number>().FloatValue();
      shared_.model = guarded(env, [&] {
        auto m = std::make_shared<DualEncoder>(vocab, dim, out);
        m->init(seed, init_std);
        return m;
      });
    }
    accounted_ = static_cast<int64_t>((shared_.model->embedding_floats() + shared_.model->projection_floats()) * 4);
    Napi::MemoryManagement::AdjustExternalMemory(env, accounted_);
  }
  void Finalize(Napi::Env env) override { Napi::MemoryManagement::AdjustExternalMemory(env, -accounted_); }

  const SharedModel& shared() const { return shared_; }

 private:
  Napi::Value Vocab(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(shared_.model->vocab())); }
  Napi::Value Dim(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(shared_.model->dim())); }
  Napi::Value OutDim(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(shared_.model->out_dim())); }
  Napi::Value ProjDim(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(shared_.model->proj_dim())); }

  // encodeSync(ids: Int32Array, offsets: Uint32Array, threads, isa) → Float32Array (count × outDim)
  Napi::Value EncodeSync(const Napi::CallbackInfo& info) {
    const EncodeCall c = encode_call(info);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), c.pool.count * shared_.model->out_dim());
    guarded(info.Env(), [&] { shared_.model->encode(c.pool, out.Data(), c.threads, c.isa); });
    return out;
  }

  Napi::Value Encode(const Napi::CallbackInfo& info) {
    const EncodeCall c = encode_call(info);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), c.pool.count * shared_.model->out_dim());
    return Job<BusyGuard>::start(
        info.Env(), "xmrbench.encode", [c, model = shared_.model, dst = out.Data()] { model->encode(c.pool, dst, c.threads, c.isa); },
        last_kept, {info[0], info[1], info.This(), out}, std::move(guard));
  }

  // encodeTexts(tokenizer, texts, options, isa) → Promise<Float32Array> (texts.length × outDim):
  // tokenize and encode in one pass (xmr/encode_texts.h); options as the tokenizer's encodeBatch.
  Napi::Value EncodeTexts(const Napi::CallbackInfo& info) {
    struct State {
      State(std::shared_ptr<const tok::Tokenizer> t, const Napi::Value& v) : tok(std::move(t)), texts(v, "texts") {}
      std::shared_ptr<const tok::Tokenizer> tok;
      Texts texts;  // in place: its views point into its bytes
    };
    auto st = std::make_shared<State>(tokenizer_arg(info[0], "tokenizer"), info[1]);
    const tok::EncodeOptions o = encode_options_arg(info[2]);
    const Isa isa = isa_arg(info[3]);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), st->texts.views.size() * shared_.model->out_dim());
    return Job<BusyGuard>::start(
        info.Env(), "xmrbench.encodeTexts",
        [st, o, isa, model = shared_.model, dst = out.Data()] {
          encode_texts(*model, *st->tok, st->texts.views.data(), st->texts.views.size(), o, dst, isa);
        },
        last_kept, {info.This(), out}, std::move(guard));
  }

  // (ids, offsets, threads, isa) of encodeSync and encode, read in that order.
  struct EncodeCall {
    SequencePool pool;
    int threads;
    Isa isa;
  };
  static EncodeCall encode_call(const Napi::CallbackInfo& info) {
    return {pool_arg(info.Env(), info[0], info[1]), static_cast<int>(size_arg(info[2], "threads", 1)), isa_arg(info[3])};
  }

  // Copies of the weights (the model may keep training).
  Napi::Value Embeddings(const Napi::CallbackInfo& info) {
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), shared_.model->embedding_floats());
    std::copy(shared_.model->embeddings(), shared_.model->embeddings() + shared_.model->embedding_floats(), out.Data());
    return out;
  }
  Napi::Value Projection(const Napi::CallbackInfo& info) {
    if (!shared_.model->has_projection()) return info.Env().Null();
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), shared_.model->projection_floats());
    std::copy(shared_.model->projection(), shared_.model->projection() + shared_.model->projection_floats(), out.Data());
    return out;
  }

  // checkpoint(tau, step, config: string) → Uint8Array: the weights alone (no optimiser state).
  Napi::Value Checkpoint(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "tau must be a number");
    const float tau = info[0].As<Napi::Number>().FloatValue();
    const size_t step = size_arg(info[1], "step", 0);
    if (!info[2].IsString()) throw Napi::TypeError::New(env, "config must be a string");
    BusyGuard guard = busy(env, *shared_.busy);
    Napi::Uint8Array out;
    write_checkpoint(*shared_.model, {}, tau, step, info[2].As<Napi::String>().Utf8Value(), [&](size_t n) {
      out = Napi::Uint8Array::New(env, n);
      return out.Data();
    });
    return out;
  }

  // DualEncoder.fromCheckpoint(bytes: Uint8Array) → { model, tau, step, config, hasOptimizer }
  static Napi::Value FromCheckpoint(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const U8 bytes = uint8_arg(info[0], "bytes");
    CheckpointData c = guarded(env, [&] { return read_checkpoint(bytes.data, bytes.length); });
    auto model = guarded(env, [&] { return std::make_shared<DualEncoder>(c.vocab, c.dim, c.proj_dim); });
    std::copy(c.E.begin(), c.E.end(), model->embeddings());
    std::copy(c.W.begin(), c.W.end(), model->projection());
    Napi::Object out = Napi::Object::New(env);
    out.Set("model", encoder_ctor->New({Napi::External<std::shared_ptr<DualEncoder>>::New(env, &model)}));
    out.Set("tau", Napi::Number::New(env, c.tau));
    out.Set("step", Napi::Number::New(env, static_cast<double>(c.step)));
    out.Set("config", Napi::String::New(env, c.config));
    out.Set("hasOptimizer", Napi::Boolean::New(env, c.has_optimizer));
    return out;
  }

  SharedModel shared_;
  int64_t accounted_ = 0;
};

TrainerConfig config_arg(Napi::Env env, const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(env, "config must be an object");
  const Napi::Object o = v.As<Napi::Object>();
  TrainerConfig c;
  auto num = [&](const char* key, float* out) {
    const Napi::Value x = o.Get(key);
    if (x.IsUndefined()) return;
    if (!x.IsNumber()) throw Napi::TypeError::New(env, std::string(key) + " must be a number");
    *out = x.As<Napi::Number>().FloatValue();
  };
  auto flag = [&](const char* key, bool* out) {
    const Napi::Value x = o.Get(key);
    if (x.IsUndefined()) return;
    if (!x.IsBoolean()) throw Napi::TypeError::New(env, std::string(key) + " must be a boolean");
    *out = x.As<Napi::Boolean>().Value();
  };
  auto str = [&](const char* key) -> std::string {
    const Napi::Value x = o.Get(key);
    if (x.IsUndefined()) return "";
    if (!x.IsString()) throw Napi::TypeError::New(env, std::string(key) + " must be a string");
    return x.As<Napi::String>().Utf8Value();
  };
  num("tau", &c.tau);
  flag("symmetric", &c.symmetric);
  num("lr", &c.lr);
  num("beta1", &c.beta1);
  num("beta2", &c.beta2);
  num("adamEps", &c.adam_eps);
  num("weightDecay", &c.weight_decay);
  const std::string adv = str("adv");
  if (adv == "" || adv == "none") c.adv = AdvMode::None;
  else if (adv == "fgsm") c.adv = AdvMode::Fgsm;
  else if (adv == "l2") c.adv = AdvMode::L2;
  else if (adv == "pgd") c.adv = AdvMode::Pgd;
  else throw Napi::TypeError::New(env, "adv must be 'none', 'fgsm', 'l2' or 'pgd'");
  num("eps", &c.eps);
  flag("epsRelative", &c.eps_relative);
  num("lambda", &c.lambda);
  if (!o.Get("pgdSteps").IsUndefined()) c.pgd_steps = static_cast<int>(size_arg(o.Get("pgdSteps"), "pgdSteps", 1));
  num("pgdAlpha", &c.pgd_alpha);
  const std::string norm = str("pgdNorm");
  if (norm == "l2") c.pgd_norm = PerturbNorm::L2;
  else if (norm == "" || norm == "linf") c.pgd_norm = PerturbNorm::Linf;
  else throw Napi::TypeError::New(env, "pgdNorm must be 'linf' or 'l2'");
  flag("freelb", &c.freelb);
  flag("advQueries", &c.adv_queries);
  flag("advDocs", &c.adv_docs);
  if (!o.Get("seed").IsUndefined()) c.seed = size_arg(o.Get("seed"), "seed", 0);
  if (!o.Get("threads").IsUndefined()) c.threads = static_cast<int>(size_arg(o.Get("threads"), "threads", 1));
  c.isa = o.Get("isa").IsUndefined() ? detect_isa() : isa_arg(o.Get("isa"));
  guarded(env, [&] { check_config(c); });
  return c;
}

constexpr size_t kStatFields = 5;  // loss, cleanLoss, advLoss, epsAbs, meanNorm per step

class TrainerWrap : public Napi::ObjectWrap<TrainerWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "DualEncoderTrainer",
                       {InstanceAccessor<&TrainerWrap::Step>("step"),
                        InstanceMethod<&TrainerWrap::TrainSync>("trainSync"),
                        InstanceMethod<&TrainerWrap::Train>("train"),
                        InstanceMethod<&TrainerWrap::Checkpoint>("checkpoint"),
                        InstanceMethod<&TrainerWrap::SetImageTower>("setImageTower"),
                        InstanceMethod<&TrainerWrap::TrainImagesSync>("trainImagesSync"),
                        InstanceMethod<&TrainerWrap::TrainImages>("trainImages"),
                        InstanceMethod<&TrainerWrap::ImageCheckpoint>("imageCheckpoint")});
  }

  // new DualEncoderTrainer(model: DualEncoder, config, checkpoint?: Uint8Array) — with a
  // checkpoint, the optimiser state and step count are restored from it (shapes must match).
  explicit TrainerWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TrainerWrap>(info) {
    Napi::Env env = info.Env();
    if (!info[0].IsObject() || !info[0].As<Napi::Object>().InstanceOf(encoder_ctor->Value()))
      throw Napi::TypeError::New(env, "model must be a DualEncoder");
    shared_ = EncoderWrap::Unwrap(info[0].As<Napi::Object>())->shared();
    model_ref_ = Napi::Persistent(info[0].As<Napi::Object>());
    const TrainerConfig c = config_arg(env, info[1]);
    trainer_ = guarded(env, [&] { return std::make_unique<Trainer>(shared_.model, c); });
    if (!info[2].IsUndefined() && !info[2].IsNull()) {
      const U8 bytes = uint8_arg(info[2], "checkpoint");
      CheckpointData d = guarded(env, [&] { return read_checkpoint(bytes.data, bytes.length); });
      const auto& m = *shared_.model;
      if (d.vocab != m.vocab() || d.dim != m.dim() || d.proj_dim != m.proj_dim())
        throw Napi::RangeError::New(env, "the checkpoint's shapes do not match the model's");
      if (d.has_optimizer) {
        trainer_->mE() = std::move(d.mE);
        trainer_->vE() = std::move(d.vE);
        trainer_->mW() = std::move(d.mW);
        trainer_->vW() = std::move(d.vW);
      }
      trainer_->set_step(d.step);
    }
  }

 private:
  Napi::Value Step(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(trainer_->step())); }

  struct Call {
    SequencePool pool;
    const int32_t *q = nullptr, *d = nullptr, *neg = nullptr;
    size_t batch = 0, steps = 0;
  };

  // (ids, offsets, queries, positives, negatives | null, batch): steps = queries.length / batch.
  Call parse(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Call c;
    c.pool = pool_arg(env, info[0], info[1]);
    const I32 q = int32_arg(info[2], "queries"), d = int32_arg(info[3], "positives");
    c.batch = size_arg(info[5], "batch", 1);
    if (q.length % c.batch != 0)
      throw Napi::RangeError::New(env, "queries.length (" + std::to_string(q.length) + ") is not a multiple of batch (" +
                                           std::to_string(c.batch) + ")");
    if (d.length != q.length)
      throw Napi::RangeError::New(env, "positives.length (" + std::to_string(d.length) + ") must equal queries.length (" +
                                           std::to_string(q.length) + ")");
    if (!info[4].IsNull() && !info[4].IsUndefined()) {
      const I32 n = int32_arg(info[4], "negatives");
      if (n.length != q.length)
        throw Napi::RangeError::New(env, "negatives.length (" + std::to_string(n.length) + ") must equal queries.length (" +
                                             std::to_string(q.length) + ")");
      c.neg = n.data;
    }
    c.q = q.data;
    c.d = d.data;
    c.steps = q.length / c.batch;
    return c;
  }

  // trainSync(...) → Float32Array of steps × 5: loss, cleanLoss, advLoss, epsAbs, meanNorm.
  Napi::Value TrainSync(const Napi::CallbackInfo& info) {
    const Call c = parse(info);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), c.steps * kStatFields);
    guarded(info.Env(), [&] { train(trainer_.get(), c, out.Data()); });
    return out;
  }

  Napi::Value Train(const Napi::CallbackInfo& info) {
    const Call c = parse(info);
    BusyGuard guard = busy(info.Env(), *shared_.busy);
    auto out = Napi::Float32Array::New(info.Env(), c.steps * kStatFields);
    return Job<BusyGuard>::start(
        info.Env(), "xmrbench.train", [c, tr = trainer_.get(), dst = out.Data()] { train(tr, c, dst); }, last_kept,
        {info[0], info[1], info[2], info[3], info[4], info.This(), out}, std::move(guard));
  }

  // Runs c's steps and writes their statistics to out (steps × kStatFields).
  static void train(Trainer* tr, const Call& c, float* out) {
    std::vector<StepStats> st(c.steps);
    tr->train(c.pool, c.q, c.d, c.neg, c.batch, c.steps, st.data());
    write_stats(st, out);
  }

  static void write_stats(const std::vector<StepStats>& st, float* out) {
    for (size_t s = 0; s < st.size(); ++s) {
      out[s * kStatFields + 0] = st[s].loss;
      out[s * kStatFields + 1] = st[s].clean_loss;
      out[s * kStatFields + 2] = st[s].adv_loss;
      out[s * kStatFields + 3] = st[s].eps_abs;
      out[s * kStatFields + 4] = st[s].mean_norm;
    }
  }

  // checkpoint(config: string) → Uint8Array with weights, optimiser moments, step and tau.
  Napi::Value Checkpoint(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "config must be a string");
    BusyGuard guard = busy(env, *shared_.busy);
    const OptimizerView opt{trainer_->mE().data(), trainer_->vE().data(), trainer_->mW().data(), trainer_->vW().data()};
    Napi::Uint8Array out;
    write_checkpoint(*shared_.model, opt, trainer_->config().tau, trainer_->step(), info[0].As<Napi::String>().Utf8Value(),
                     [&](size_t n) {
                       out = Napi::Uint8Array::New(env, n);
                       return out.Data();
                     });
    return out;
  }

  // setImageTower(tower: ImageTower, checkpoint?: Uint8Array) — the tower trained from pixels; with
  // an image-tower checkpoint, its Adam moments are restored (its shapes must match).
  Napi::Value SetImageTower(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    image_ = image_tower_arg(info[0], "tower");
    image_ref_ = Napi::Persistent(info[0].As<Napi::Object>());
    guarded(env, [&] { trainer_->set_image_tower(image_.tower); });
    if (!info[1].IsUndefined() && !info[1].IsNull()) {
      const U8 bytes = uint8_arg(info[1], "checkpoint");
      ImageCheckpointData d = guarded(env, [&] { return read_image_checkpoint(bytes.data, bytes.length); });
      if (d.params.size() != image_.tower->param_count())
        throw Napi::RangeError::New(env, "the checkpoint's shapes do not match the image tower's");
      if (d.has_optimizer) {
        trainer_->mI() = std::move(d.m);
        trainer_->vI() = std::move(d.v);
      }
    }
    return env.Undefined();
  }

  struct ImageCall {
    SequencePool pool;
    ImageSource source;
    const int32_t *captions = nullptr, *images = nullptr;
    size_t batch = 0, steps = 0;
  };

  // (ids, offsets, pixels | null, embeddings | null, captions, images, batch): steps = captions.length / batch.
  ImageCall parse_images(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    ImageCall c;
    c.pool = pool_arg(env, info[0], info[1]);
    const bool has_px = !info[2].IsNull() && !info[2].IsUndefined(), has_emb = !info[3].IsNull() && !info[3].IsUndefined();
    if (has_px == has_emb) throw Napi::TypeError::New(env, "give either pixels or embeddings");
    if (has_px) {
      if (!image_.tower) throw Napi::Error::New(env, "training from pixels needs setImageTower first");
      const F32 px = float32_arg(info[2], "pixels");
      const size_t per = image_.tower->pixels_per_image();
      if (px.length % per != 0)
        throw Napi::RangeError::New(env, "pixels.length (" + std::to_string(px.length) + ") is not a multiple of H×W×3 (" +
                                             std::to_string(per) + ")");
      c.source = {px.data, nullptr, px.length / per};
    } else {
      const F32 emb = float32_arg(info[3], "embeddings");
      const size_t dp = shared_.model->out_dim();
      if (emb.length % dp != 0)
        throw Napi::RangeError::New(env, "embeddings.length (" + std::to_string(emb.length) + ") is not a multiple of outDim (" +
                                             std::to_string(dp) + ")");
      c.source = {nullptr, emb.data, emb.length / dp};
    }
    const I32 cap = int32_arg(info[4], "captions"), img = int32_arg(info[5], "images");
    c.batch = size_arg(info[6], "batch", 1);
    if (cap.length % c.batch != 0)
      throw Napi::RangeError::New(env, "captions.length (" + std::to_string(cap.length) + ") is not a multiple of batch (" +
                                           std::to_string(c.batch) + ")");
    if (img.length != cap.length)
      throw Napi::RangeError::New(env, "images.length (" + std::to_string(img.length) + ") must equal captions.length (" +
                                           std::to_string(cap.length) + ")");
    c.captions = cap.data;
    c.images = img.data;
    c.steps = cap.length / c.batch;
    return c;
  }

  // Both towers are busy while a pixel-trained call runs; the text tower alone against embeddings.
  using Guards = std::pair<BusyGuard, std::optional<BusyGuard>>;
  Guards guards(Napi::Env env, const ImageCall& c) {
    Guards g{busy(env, *shared_.busy), std::nullopt};
    if (c.source.pixels != nullptr) g.second.emplace(BusyGuard(env, *image_.busy, "the image tower"));
    return g;
  }

  // trainImagesSync(...) → Float32Array of steps × 5 (as trainSync).
  Napi::Value TrainImagesSync(const Napi::CallbackInfo& info) {
    const ImageCall c = parse_images(info);
    Guards g = guards(info.Env(), c);
    auto out = Napi::Float32Array::New(info.Env(), c.steps * kStatFields);
    guarded(info.Env(), [&] { train_images(trainer_.get(), c, out.Data()); });
    return out;
  }

  Napi::Value TrainImages(const Napi::CallbackInfo& info) {
    const ImageCall c = parse_images(info);
    Guards g = guards(info.Env(), c);
    auto out = Napi::Float32Array::New(info.Env(), c.steps * kStatFields);
    return Job<Guards>::start(
        info.Env(), "xmrbench.trainImages", [c, tr = trainer_.get(), dst = out.Data()] { train_images(tr, c, dst); },
        [](Napi::Env, const Job<Guards>::Kept& kept) { return kept.back().Value(); },
        {info[0], info[1], info[2], info[3], info[4], info[5], info.This(), out}, std::move(g));
  }

  static void train_images(Trainer* tr, const ImageCall& c, float* out) {
    std::vector<StepStats> st(c.steps);
    tr->train_images(c.pool, c.source, c.captions, c.images, c.batch, c.steps, st.data());
    write_stats(st, out);
  }

  // imageCheckpoint(config: string) → Uint8Array: the image tower with its Adam moments and the step.
  Napi::Value ImageCheckpoint(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!image_.tower) throw Napi::Error::New(env, "there is no image tower: call setImageTower first");
    if (!info[0].IsString()) throw Napi::TypeError::New(env, "config must be a string");
    BusyGuard guard(env, *image_.busy, "the image tower");
    const auto bytes = write_image_checkpoint(*image_.tower, trainer_->mI().data(), trainer_->vI().data(), trainer_->step(),
                                              info[0].As<Napi::String>().Utf8Value());
    auto out = Napi::Uint8Array::New(env, bytes.size());
    std::copy(bytes.begin(), bytes.end(), out.Data());
    return out;
  }

  SharedModel shared_;
  Napi::ObjectReference model_ref_;
  std::unique_ptr<Trainer> trainer_;
  SharedImageTower image_;
  Napi::ObjectReference image_ref_;
};

}  // namespace

void RegisterTrain(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = EncoderWrap::Define(env);
  encoder_ctor = new Napi::FunctionReference(Napi::Persistent(ctor));
  Napi::FunctionReference* mine = encoder_ctor;
  env.AddCleanupHook([mine] {
    if (encoder_ctor == mine) encoder_ctor = nullptr;
    delete mine;
  });
  exports.Set("DualEncoder", ctor);
  exports.Set("DualEncoderTrainer", TrainerWrap::Define(env));
}

}  // namespace xmr::napi
