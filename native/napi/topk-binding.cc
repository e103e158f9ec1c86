// Node-API glue for the top-k kernel: topkSync / topk (async, off the main thread) and the packed
// f32 and bf16 document handles. Arguments are validated in TypeScript (src/topk.ts); the checks here are the
// cheap guards that keep a wrong call from crashing the process.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "glue.h"
#include "topk-binding.h"
#include "xmr/topk.h"

namespace xmr::napi {
namespace {

// Counts the async top-k calls reading a Bf16Docs; reload refuses while any runs (they read its
// storage on worker threads). Created and released on the main thread, so a plain count.
class Reading {
 public:
  Reading() = default;
  explicit Reading(int* count) : count_(count) {
    if (count_ != nullptr) ++*count_;
  }
  Reading(Reading&& o) noexcept : count_(o.count_) { o.count_ = nullptr; }
  Reading& operator=(Reading&&) = delete;
  ~Reading() {
    if (count_ != nullptr) --*count_;
  }

 private:
  int* count_ = nullptr;
};

// What both document handles share: the packed matrix they own (its bytes counted as external
// memory, so that V8 weighs them when it decides to collect) and its n, dim, bytes and row(j).
template <class Self, class Matrix, void (*RowOf)(const Matrix&, size_t, float*)>
class DocsHandle : public Napi::ObjectWrap<Self> {
 public:
  using Wrap = Napi::ObjectWrap<Self>;
  explicit DocsHandle(const Napi::CallbackInfo& info) : Wrap(info) {}
  void Finalize(Napi::Env env) override { account(env, -1); }
  const Matrix& matrix() const { return matrix_; }

 protected:
  // The shared properties, then the class's own.
  static Napi::Function define(Napi::Env env, const char* name, std::vector<typename Wrap::PropertyDescriptor> own) {
    own.push_back(Wrap::InstanceAccessor("n", &DocsHandle::N, nullptr));
    own.push_back(Wrap::InstanceAccessor("dim", &DocsHandle::Dim, nullptr));
    own.push_back(Wrap::InstanceAccessor("bytes", &DocsHandle::Bytes, nullptr));
    own.push_back(Wrap::InstanceMethod("row", &DocsHandle::Row));
    return Wrap::DefineClass(env, name, own);
  }
  // Takes the matrix a constructor built (once) and counts its bytes.
  void own(Napi::Env env, Matrix m) {
    matrix_ = std::move(m);
    account(env, 1);
  }
  Matrix matrix_;

 private:
  void account(Napi::Env env, int64_t sign) {
    Napi::MemoryManagement::AdjustExternalMemory(env, sign * static_cast<int64_t>(matrix_.bytes()));
  }
  Napi::Value N(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(matrix_.n)); }
  Napi::Value Dim(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(matrix_.dim)); }
  Napi::Value Bytes(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), static_cast<double>(matrix_.bytes())); }
  // row(j) → Float32Array: document j as stored.
  Napi::Value Row(const Napi::CallbackInfo& info) {
    const size_t j = size_arg(info[0], "j", 0);
    if (j >= matrix_.n) throw Napi::RangeError::New(info.Env(), "j must be < n (" + std::to_string(matrix_.n) + ")");
    auto out = Napi::Float32Array::New(info.Env(), matrix_.dim);
    RowOf(matrix_, j, out.Data());
    return out;
  }
};

// A bf16 document matrix owned by a JavaScript object (created by toBf16 or bf16Buffer, read by
// topk, refilled in place by reload).
class Bf16Docs : public DocsHandle<Bf16Docs, Bf16Matrix, bf16_matrix_row> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return define(env, "Bf16Docs", {InstanceAccessor<&Bf16Docs::Capacity>("capacity"), InstanceMethod<&Bf16Docs::Reload>("reload")});
  }
  explicit Bf16Docs(const Napi::CallbackInfo& info) : DocsHandle(info) {
    // new Bf16Docs(capacity: number, dim): empty (n = 0), room for `capacity` documents, filled by reload
    if (info[0].IsNumber()) {
      const size_t capacity = size_arg(info[0], "capacity", 1);
      const size_t dim = size_arg(info[1], "dim", 1);
      own(info.Env(), guarded(info.Env(), [&] { return make_bf16_buffer(capacity, dim); }));
      return;
    }
    // new Bf16Docs(docs: Float32Array (rounded here) | Uint16Array (bf16 bit patterns, kept), dim, threads)
    const bool bits = info[0].IsTypedArray() && info[0].As<Napi::TypedArray>().TypedArrayType() == napi_uint16_array;
    const size_t length = bits ? uint16_arg(info[0], "docs").length : float32_arg(info[0], "docs").length;
    const size_t dim = size_arg(info[1], "dim", 1);
    const size_t threads = size_arg(info[2], "threads", 1);
    if (length % dim != 0)
      throw Napi::RangeError::New(info.Env(), "docs.length (" + std::to_string(length) +
                                                  ") is not a multiple of dim (" + std::to_string(dim) + ")");
    const int t = static_cast<int>(threads);
    own(info.Env(), guarded(info.Env(), [&] {
          return bits ? make_bf16_matrix_from_bits(uint16_arg(info[0], "docs").data, length / dim, dim, t)
                      : make_bf16_matrix(float32_arg(info[0], "docs").data, length / dim, dim, t);
        }));
  }
  int* readers() { return &readers_; }

 private:
  Napi::Value Capacity(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(matrix_.capacity()));
  }
  // reload(bits: Uint16Array of bf16 bit patterns, threads, norms: boolean) → this, repacked in place.
  Napi::Value Reload(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const U16 bits = uint16_arg(info[0], "bits");
    const int threads = static_cast<int>(size_arg(info[1], "threads", 1));
    if (!info[2].IsBoolean()) throw Napi::TypeError::New(env, "norms must be a boolean");
    if (bits.length % matrix_.dim != 0)
      throw Napi::RangeError::New(env, "bits.length (" + std::to_string(bits.length) + ") is not a multiple of dim (" +
                                           std::to_string(matrix_.dim) + ")");
    if (readers_ > 0)
      throw Napi::Error::New(env, "the bf16 documents are busy: " + std::to_string(readers_) +
                                      " topk call(s) on them still running; reload once they settle");
    guarded(env, [&] { reload_bf16_matrix_from_bits(matrix_, bits.data, bits.length / matrix_.dim, threads, info[2].As<Napi::Boolean>().Value()); });
    return info.This();
  }
  int readers_ = 0;  // async topk calls in flight on this matrix
};

// Packed f32 documents owned by a JavaScript object (created by packF32, read by topk; never
// changed after creation, so a call needs no guard beyond holding the object).
class F32Docs : public DocsHandle<F32Docs, F32Matrix, f32_matrix_row> {
 public:
  static Napi::Function Define(Napi::Env env) { return define(env, "F32Docs", {}); }
  // new F32Docs(docs: Float32Array, dim, threads, isa)
  explicit F32Docs(const Napi::CallbackInfo& info) : DocsHandle(info) {
    const F32 docs = float32_arg(info[0], "docs");
    const size_t dim = size_arg(info[1], "dim", 1);
    const int threads = static_cast<int>(size_arg(info[2], "threads", 1));
    const Isa isa = isa_arg(info[3]);
    if (docs.length % dim != 0)
      throw Napi::RangeError::New(info.Env(), "docs.length (" + std::to_string(docs.length) +
                                                  ") is not a multiple of dim (" + std::to_string(dim) + ")");
    own(info.Env(), guarded(info.Env(), [&] { return make_f32_matrix(docs.data, docs.length / dim, dim, isa, threads); }));
  }
};

// Everything one top-k call needs, read from its arguments on the main thread:
// (queries, docs, dim, k, metric, threads, isa) with docs a Float32Array, an F32Docs or a Bf16Docs.
struct TopKCall {
  F32 queries;
  F32 docs;
  const F32Matrix* packed = nullptr;
  const Bf16Matrix* bf16 = nullptr;
  Bf16Docs* bf16_docs = nullptr;
  size_t m = 0, n = 0, dim = 0;
  TopKParams params;
  Napi::Int32Array ids;      // handles: valid only in the calling scope
  Napi::Float32Array scores;
  int32_t* ids_out = nullptr;  // raw pointers: what a worker thread may touch
  float* scores_out = nullptr;

  explicit TopKCall(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    queries = float32_arg(info[0], "queries");
    dim = size_arg(info[2], "dim", 1);
    if (queries.length % dim != 0)
      throw Napi::RangeError::New(env, "queries.length (" + std::to_string(queries.length) +
                                           ") is not a multiple of dim (" + std::to_string(dim) + ")");
    m = queries.length / dim;
    params.k = size_arg(info[3], "k", 1);
    const std::string metric = choice_arg(info[4], "metric", "ip", "cosine");
    params.metric = metric == "cosine" ? Metric::Cosine : Metric::InnerProduct;
    params.threads = static_cast<int>(size_arg(info[5], "threads", 1));
    params.isa = isa_arg(info[6]);
    if (info[1].IsObject() && info[1].As<Napi::Object>().InstanceOf(addon_data(env).bf16_docs.Value())) {
      bf16_docs = Bf16Docs::Unwrap(info[1].As<Napi::Object>());
      bf16 = &bf16_docs->matrix();
      n = bf16->n;
      if (bf16->dim != dim)
        throw Napi::RangeError::New(env, "dim (" + std::to_string(dim) + ") does not match the bf16 documents' dim (" +
                                             std::to_string(bf16->dim) + ")");
      if (params.metric == Metric::Cosine && !bf16->norms)
        throw Napi::Error::New(env, "cosine needs the bf16 documents' norms, and they were reloaded without them (norms: false)");
    } else if (info[1].IsObject() && info[1].As<Napi::Object>().InstanceOf(addon_data(env).f32_docs.Value())) {
      packed = &F32Docs::Unwrap(info[1].As<Napi::Object>())->matrix();
      n = packed->n;
      if (packed->dim != dim)
        throw Napi::RangeError::New(env, "dim (" + std::to_string(dim) + ") does not match the packed documents' dim (" +
                                             std::to_string(packed->dim) + ")");
    } else {
      docs = float32_arg(info[1], "docs");
      if (docs.length % dim != 0)
        throw Napi::RangeError::New(env, "docs.length (" + std::to_string(docs.length) + ") is not a multiple of dim (" +
                                             std::to_string(dim) + ")");
      n = docs.length / dim;
    }
    ids = Napi::Int32Array::New(env, m * params.k);
    scores = Napi::Float32Array::New(env, m * params.k);
    ids_out = ids.Data();
    scores_out = scores.Data();
  }

  void run() {
    if (bf16 != nullptr) topk_bf16(queries.data, m, *bf16, params, ids_out, scores_out);
    else if (packed != nullptr) topk_f32(queries.data, m, *packed, params, ids_out, scores_out);
    else topk_f32(queries.data, m, docs.data, n, dim, params, ids_out, scores_out);
  }
};

Napi::Object result(Napi::Env env, Napi::Value ids, Napi::Value scores) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("ids", ids);
  out.Set("scores", scores);
  return out;
}

Napi::Value TopKSync(const Napi::CallbackInfo& info) {
  TopKCall call(info);
  guarded(info.Env(), [&] { call.run(); });
  return result(info.Env(), call.ids, call.scores);
}

// The argument and result arrays are held until the promise settles; bf16 documents are counted as
// read meanwhile, so that a reload cannot repack them under the worker thread.
Napi::Value TopK(const Napi::CallbackInfo& info) {
  auto call = std::make_shared<TopKCall>(info);
  return Job<Reading>::start(
      info.Env(), "xmrbench.topk", [call] { call->run(); },
      [](Napi::Env env, const Job<Reading>::Kept& kept) { return result(env, kept[2].Value(), kept[3].Value()); },
      {info[0], info[1], call->ids, call->scores}, Reading(call->bf16_docs != nullptr ? call->bf16_docs->readers() : nullptr));
}

}  // namespace

void RegisterTopK(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = Bf16Docs::Define(env);
  addon_data(env).bf16_docs = Napi::Persistent(ctor);
  exports.Set("Bf16Docs", ctor);
  Napi::Function f32 = F32Docs::Define(env);
  addon_data(env).f32_docs = Napi::Persistent(f32);
  exports.Set("F32Docs", f32);
  exports.Set("topkSync", Napi::Function::New<TopKSync>(env, "topkSync"));
  exports.Set("topk", Napi::Function::New<TopK>(env, "topk"));
}

}  // namespace xmr::napi
