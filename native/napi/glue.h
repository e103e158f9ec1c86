// Shared helpers of the Node-API glue: typed-array access that honours byteOffset, and the
// conversion of kernel exceptions into JavaScript errors (the one place that does it).
#pragma once
#include <napi.h>

#include <stdexcept>
#include <string>

namespace xmr::napi {

// Per-environment state (main thread and each worker thread get their own).
struct AddonData {
  Napi::FunctionReference bf16_docs;  // the Bf16Docs class, for instanceof checks
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

inline TypedView<float, napi_float32_array> float32_arg(const Napi::Value& v, const char* name) {
  return typed_arg<float, napi_float32_array>(v, name, "Float32Array");
}

inline size_t size_arg(const Napi::Value& v, const char* name, double min) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(name) + " must be a number");
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!(x >= min) || x != static_cast<double>(static_cast<int64_t>(x)) || x > 9007199254740991.0)
    throw Napi::RangeError::New(v.Env(), std::string(name) + " must be an integer ≥ " + std::to_string(static_cast<int64_t>(min)));
  return static_cast<size_t>(x);
}

// Runs a kernel call, turning the kernels' invalid_argument into RangeError and anything else
// into Error, with the kernel's own message.
template <typename F>
auto guarded(Napi::Env env, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, e.what());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
}

}  // namespace xmr::napi
