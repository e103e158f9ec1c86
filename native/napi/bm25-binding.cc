// Node-API glue for the BM25 index: a Bm25Index object owning the native index, filled with
// add(terms, offsets) batches, frozen by finish(vocab), then searched with searchSync or search
// (async, on a libuv worker; the index and the query arrays are held until it settles). Arguments
// are validated in TypeScript (src/rankers/bm25.ts); these are the cheap guards.
#include <cmath>
#include <memory>
#include <string>

#include "bm25-binding.h"
#include "glue.h"
#include "xmr/bm25.h"

namespace xmr::napi {
namespace {

// offsets must have docs + 1 entries.
size_t rows_of(Napi::Env env, const U32& offsets, const char* name) {
  if (offsets.length == 0) throw Napi::RangeError::New(env, std::string(name) + " must have at least one entry");
  return offsets.length - 1;
}

class Bm25IndexWrap : public Napi::ObjectWrap<Bm25IndexWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Bm25Index",
                       {InstanceMethod<&Bm25IndexWrap::Add>("add"), InstanceMethod<&Bm25IndexWrap::Finish>("finish"),
                        InstanceMethod<&Bm25IndexWrap::SearchSync>("searchSync"),
                        InstanceMethod<&Bm25IndexWrap::Search>("search"),
                        InstanceMethod<&Bm25IndexWrap::DocFreq>("docFreq"),
                        InstanceMethod<&Bm25IndexWrap::DocLength>("docLength"),
                        InstanceAccessor<&Bm25IndexWrap::Stats>("stats")});
  }
  explicit Bm25IndexWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Bm25IndexWrap>(info) {}
  void Finalize(Napi::Env env) override { Napi::MemoryManagement::AdjustExternalMemory(env, -accounted_); }
  const Bm25Index& index() const { return index_; }

 private:
  void account(Napi::Env env) {
    const int64_t now = static_cast<int64_t>(index_.bytes());
    Napi::MemoryManagement::AdjustExternalMemory(env, now - accounted_);
    accounted_ = now;
  }
  // add(terms: Uint32Array, offsets: Uint32Array)
  Napi::Value Add(const Napi::CallbackInfo& info) {
    U32 terms = uint32_arg(info[0], "terms");
    U32 offsets = uint32_arg(info[1], "offsets");
    const size_t docs = rows_of(info.Env(), offsets, "offsets");
    if (index_.finished()) throw Napi::Error::New(info.Env(), "the BM25 index is already built: no documents can be added");
    guarded(info.Env(), [&] { index_.add_documents(terms.data, terms.length, offsets.data, docs); });
    account(info.Env());
    return info.Env().Undefined();
  }
  // finish(vocab: number)
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    const size_t vocab = size_arg(info[0], "vocab", 0);
    if (index_.finished()) throw Napi::Error::New(info.Env(), "the BM25 index is already built");
    guarded(info.Env(), [&] { index_.finish(vocab); });
    account(info.Env());
    return info.Env().Undefined();
  }
  Napi::Value DocFreq(const Napi::CallbackInfo& info) {
    const size_t t = size_arg(info[0], "term", 0);
    return Napi::Number::New(info.Env(), t > UINT32_MAX ? 0 : index_.doc_freq(static_cast<uint32_t>(t)));
  }
  Napi::Value DocLength(const Napi::CallbackInfo& info) {
    const size_t d = size_arg(info[0], "doc", 0);
    if (d >= index_.docs()) throw Napi::RangeError::New(info.Env(), "doc must be < " + std::to_string(index_.docs()));
    return Napi::Number::New(info.Env(), index_.doc_length(d));
  }
  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("docs", static_cast<double>(index_.docs()));
    o.Set("docCount", static_cast<double>(index_.doc_count()));
    o.Set("sumTotalTermFreq", static_cast<double>(index_.sum_total_term_freq()));
    o.Set("avgdl", static_cast<double>(index_.avgdl()));
    o.Set("vocab", static_cast<double>(index_.vocab()));
    o.Set("postings", static_cast<double>(index_.postings()));
    o.Set("bytes", static_cast<double>(index_.bytes()));
    o.Set("finished", index_.finished());
    return o;
  }
  Napi::Value SearchSync(const Napi::CallbackInfo& info);
  Napi::Value Search(const Napi::CallbackInfo& info);

  Bm25Index index_;
  int64_t accounted_ = 0;
};

// (qterms, qoffsets, k, k1, b, lengths, threads) read on the main thread, with the result arrays.
struct SearchCall {
  const Bm25Index* index = nullptr;
  U32 qterms, qoffsets;
  size_t m = 0;
  Bm25SearchParams params;
  Napi::Int32Array ids;
  Napi::Float32Array scores;
  Napi::Float64Array nanos;
  int32_t* ids_out = nullptr;
  float* scores_out = nullptr;
  double* nanos_out = nullptr;

  SearchCall(const Napi::CallbackInfo& info, const Bm25Index& idx) : index(&idx) {
    Napi::Env env = info.Env();
    if (!idx.finished()) throw Napi::Error::New(env, "the BM25 index is not built yet (call finish first)");
    qterms = uint32_arg(info[0], "queryTerms");
    qoffsets = uint32_arg(info[1], "queryOffsets");
    m = rows_of(env, qoffsets, "queryOffsets");
    params.k = size_arg(info[2], "k", 1);
    if (!info[3].IsNumber() || !info[4].IsNumber()) throw Napi::TypeError::New(env, "k1 and b must be numbers");
    params.k1 = static_cast<float>(info[3].As<Napi::Number>().DoubleValue());
    params.b = static_cast<float>(info[4].As<Napi::Number>().DoubleValue());
    if (!(params.k1 >= 0.0f) || !std::isfinite(params.k1)) throw Napi::RangeError::New(env, "k1 must be a finite number ≥ 0");
    if (!(params.b >= 0.0f && params.b <= 1.0f)) throw Napi::RangeError::New(env, "b must be in [0, 1]");
    const std::string lengths = choice_arg(info[5], "lengths", "lucene", "exact");
    params.lengths = lengths == "exact" ? Bm25Lengths::Exact : Bm25Lengths::Lucene;
    params.threads = static_cast<int>(size_arg(info[6], "threads", 1));
    for (size_t i = 0; i < m; ++i)
      if (qoffsets.data[i] > qoffsets.data[i + 1]) throw Napi::RangeError::New(env, "queryOffsets must be non-decreasing");
    if (m > 0 && qoffsets.data[m] > qterms.length)
      throw Napi::RangeError::New(env, "queryOffsets[" + std::to_string(m) + "] (" + std::to_string(qoffsets.data[m]) +
                                           ") exceeds queryTerms.length (" + std::to_string(qterms.length) + ")");
    if (m > 0 && static_cast<double>(m) * static_cast<double>(params.k) > 2147483647.0)
      throw Napi::RangeError::New(env, "queries × k must be < 2³¹");
    ids = Napi::Int32Array::New(env, m * params.k);
    scores = Napi::Float32Array::New(env, m * params.k);
    nanos = Napi::Float64Array::New(env, m);
    ids_out = ids.Data();
    scores_out = scores.Data();
    nanos_out = nanos.Data();
  }
  void run() { index->search(qterms.data, qterms.length, qoffsets.data, m, params, ids_out, scores_out, nanos_out); }
};

Napi::Object result(Napi::Env env, Napi::Value ids, Napi::Value scores, Napi::Value nanos) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("ids", ids);
  out.Set("scores", scores);
  out.Set("nanos", nanos);
  return out;
}

Napi::Value Bm25IndexWrap::SearchSync(const Napi::CallbackInfo& info) {
  SearchCall call(info, index_);
  guarded(info.Env(), [&] { call.run(); });
  return result(info.Env(), call.ids, call.scores, call.nanos);
}

// The index, the query arrays and the result arrays are held until the promise settles.
Napi::Value Bm25IndexWrap::Search(const Napi::CallbackInfo& info) {
  auto call = std::make_shared<SearchCall>(info, index_);
  return Job<>::start(
      info.Env(), "xmrbench.bm25", [call] { call->run(); },
      [](Napi::Env env, const Job<>::Kept& kept) { return result(env, kept[3].Value(), kept[4].Value(), kept[5].Value()); },
      {info.This(), info[0], info[1], call->ids, call->scores, call->nanos});
}

}  // namespace

void RegisterBm25(Napi::Env env, Napi::Object exports) { exports.Set("Bm25Index", Bm25IndexWrap::Define(env)); }

}  // namespace xmr::napi
