// Shared helpers of the Node-API glue, each the one place for its job: one extractor per
// argument kind (typed arrays honouring byteOffset, sizes, the ISA name), the conversion of kernel
// exceptions into JavaScript errors, and the async job every *-binding.cc runs its long calls on.
#pragma once
#include <napi.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "xmr/cpu.h"
#include "xmr/out_of_memory.h"

namespace xmr::napi {

// Per-environment state (main thread and each worker thread get their own).
struct AddonData {
  Napi::FunctionReference bf16_docs;  // the Bf16Docs class, for instanceof checks
  Napi::FunctionReference f32_docs;   // the F32Docs class, likewise
};

inline AddonData& addon_data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// The elements of a typed array argument, or a TypeError naming the argument.
template <typename T, napi_typedarray_type Kind>
struct TypedView {
  T* data = nullptr;
  size_t length = 0;
};

template <typename T, napi_typedarray_type Kind>
TypedView<T, Kind> typed_arg(const Napi::Value& v, const char* name, const char* type_name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Kind)
    throw Napi::TypeError::New(v.Env(), std::string(name) + " must be a " + type_name);
  auto a = v.As<Napi::TypedArrayOf<T>>();
  return {a.Data(), a.ElementLength()};  // Data() already adds byteOffset
}

using F32 = TypedView<float, napi_float32_array>;
using F64 = TypedView<double, napi_float64_array>;
using I32 = TypedView<int32_t, napi_int32_array>;
using U32 = TypedView<uint32_t, napi_uint32_array>;
using U8 = TypedView<uint8_t, napi_uint8_array>;
using U16 = TypedView<uint16_t, napi_uint16_array>;

inline F32 float32_arg(const Napi::Value& v, const char* name) { return typed_arg<float, napi_float32_array>(v, name, "Float32Array"); }
inline F64 float64_arg(const Napi::Value& v, const char* name) { return typed_arg<double, napi_float64_array>(v, name, "Float64Array"); }
inline I32 int32_arg(const Napi::Value& v, const char* name) { return typed_arg<int32_t, napi_int32_array>(v, name, "Int32Array"); }
inline U32 uint32_arg(const Napi::Value& v, const char* name) { return typed_arg<uint32_t, napi_uint32_array>(v, name, "Uint32Array"); }
inline U16 uint16_arg(const Napi::Value& v, const char* name) { return typed_arg<uint16_t, napi_uint16_array>(v, name, "Uint16Array"); }
inline U8 uint8_arg(const Napi::Value& v, const char* name) { return typed_arg<uint8_t, napi_uint8_array>(v, name, "Uint8Array"); }

inline size_t size_arg(const Napi::Value& v, const char* name, double min) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(name) + " must be a number");
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!(x >= min) || x != static_cast<double>(static_cast<int64_t>(x)) || x > 9007199254740991.0)
    throw Napi::RangeError::New(v.Env(), std::string(name) + " must be an integer ≥ " + std::to_string(static_cast<int64_t>(min)));
  return static_cast<size_t>(x);
}

// A string argument that must be one of two words; a TypeError naming both otherwise.
inline std::string choice_arg(const Napi::Value& v, const char* name, const char* a, const char* b) {
  const std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s != a && s != b) throw Napi::TypeError::New(v.Env(), std::string(name) + " must be '" + a + "' or '" + b + "'");
  return s;
}

// The instruction-set path named by an `isa` argument ('auto' = the best this CPU runs); a TypeError
// for an unknown name, a RangeError for a path this CPU lacks.
inline Isa isa_arg(const Napi::Value& v) {
  const std::string name = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  Isa isa;
  if (!parse_isa(name, &isa)) throw Napi::TypeError::New(v.Env(), "isa must be 'auto', 'scalar', 'avx2', 'avx512' or 'avx512-bf16'");
  if (isa > detect_isa())
    throw Napi::RangeError::New(v.Env(), std::string("isa '") + isa_name(isa) + "' is not supported by this CPU (best: '" +
                                             isa_name(detect_isa()) + "')");
  return isa;
}

// The message of a failed allocation: xmr::OutOfMemory names the bytes; a plain std::bad_alloc
// (a std::vector or std::string growing) cannot say how many.
inline std::string out_of_memory_message(const std::bad_alloc& e) {
  return dynamic_cast<const OutOfMemory*>(&e) != nullptr ? e.what() : "out of memory: an allocation failed (std::bad_alloc)";
}

// Runs a kernel call, turning the kernels' invalid_argument and a failed allocation into
// RangeError and anything else into Error, with the kernel's own message.
template <typename F>
auto guarded(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::bad_alloc& e) {
    throw Napi::RangeError::New(env, out_of_memory_message(e));
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

// Marks a model busy for the duration of a call; a second call meanwhile is an error naming the
// model ("the dual encoder", "the image tower").
class BusyGuard {
 public:
  BusyGuard(Napi::Env env, std::atomic<bool>& flag, const char* what) : flag_(&flag) {
    if (flag.exchange(true))
      throw Napi::Error::New(env, std::string(what) + " is busy: a training or encoding call on it is still running");
  }
  BusyGuard(BusyGuard&& o) noexcept : flag_(o.flag_) { o.flag_ = nullptr; }
  ~BusyGuard() {
    if (flag_) flag_->store(false);
  }

 private:
  std::atomic<bool>* flag_;
};

// An async call: `run` executes on a libuv worker thread, which may touch only raw memory; the
// promise settles on the main thread, resolved with result(env, kept) or rejected with an Error
// carrying the exception's message (a RangeError for a failed allocation, as guarded()). `kept[i]` references the i-th object of `keep` (argument and
// result arrays, the wrapper object; an empty reference for a non-object such as null), so the
// garbage collector cannot free them while the job runs. `hold` (a busy marker, say) is released
// when the promise settles. The job deletes itself when done.
template <typename Hold = std::nullptr_t>
class Job final : public Napi::AsyncWorker {
 public:
  using Kept = std::vector<Napi::ObjectReference>;
  using Result = std::function<Napi::Value(Napi::Env, const Kept&)>;

  static Napi::Promise start(Napi::Env env, const char* name, std::function<void()> run, Result result,
                             std::initializer_list<Napi::Value> keep, Hold hold = Hold()) {
    auto* job = new Job(env, name, std::move(run), std::move(result), keep, std::move(hold));
    job->Queue();
    return job->deferred_.Promise();
  }

 private:
  Job(Napi::Env env, const char* name, std::function<void()> run, Result result, std::initializer_list<Napi::Value> keep,
      Hold hold)
      : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)), run_(std::move(run)),
        result_(std::move(result)), hold_(std::move(hold)) {
    for (const auto& v : keep) kept_.push_back(v.IsObject() ? Napi::Persistent(v.As<Napi::Object>()) : Napi::ObjectReference());
  }
  void Execute() override {
    try {
      run_();
    } catch (const std::bad_alloc& e) {
      out_of_memory_ = true;
      SetError(out_of_memory_message(e));
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    [[maybe_unused]] Hold done(std::move(hold_));  // released once the promise settles
    deferred_.Resolve(result_(Env(), kept_));
  }
  void OnError(const Napi::Error& e) override {
    [[maybe_unused]] Hold done(std::move(hold_));  // released once the promise settles
    deferred_.Reject(out_of_memory_ ? Napi::RangeError::New(Env(), e.Message()).Value() : e.Value());
  }

  Napi::Promise::Deferred deferred_;
  std::function<void()> run_;
  Result result_;
  Kept kept_;
  Hold hold_;
  bool out_of_memory_ = false;
};

}  // namespace xmr::napi
