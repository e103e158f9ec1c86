// Node-API glue for the TREC run reader (xmr/trec_run.h): readRunFile(fd, from, to, parts) reads a
// plain file's byte range on a libuv worker (its own threads inside), and a TrecRunParser object parses regions of
// whole lines handed over from JavaScript (gzip streams, text in memory). Both settle with the run's
// columns, moved into ArrayBuffers without a copy, or with { error } describing the first problem;
// src/data/trec/read.ts words it as an XmrError naming file and line. Arguments are validated there.
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "glue.h"
#include "trec-binding.h"
#include "xmr/trec_run.h"

namespace xmr::napi {
namespace {

using trec::RunError;
using trec::RunErrorKind;
using trec::RunTable;

// An ArrayBuffer owning the vector's storage (no copy); freed when JavaScript drops it. Its size is
// reported to V8 as external memory, so that a reader of many windows (src/data/trec/run-windows.ts)
// has each window's columns collected soon after use: memory the process freed is re-used cheaply,
// while memory it touches for the first time costs ~4 ms of kernel time per MB on a VM.
template <typename Vector>
Napi::ArrayBuffer adopt(Napi::Env env, Vector&& v) {
  if (v.empty()) return Napi::ArrayBuffer::New(env, 0);
  using Owned = std::decay_t<Vector>;
  auto* owned = new Owned(std::move(v));
  const int64_t bytes = static_cast<int64_t>(owned->size() * sizeof(typename Owned::value_type));
  Napi::MemoryManagement::AdjustExternalMemory(env, bytes);
  return Napi::ArrayBuffer::New(
      env, owned->data(), static_cast<size_t>(bytes),
      [bytes](Napi::Env e, void*, Owned* p) {
        delete p;
        Napi::MemoryManagement::AdjustExternalMemory(e, -bytes);
      },
      owned);
}

Napi::Value bytes_of(Napi::Env env, const std::string& s) {
  auto a = Napi::Uint8Array::New(env, s.size());
  std::copy(s.begin(), s.end(), a.Data());
  return a;
}

const char* kind_name(RunErrorKind k) {
  switch (k) {
    case RunErrorKind::Fields: return "fields";
    case RunErrorKind::Rank: return "rank";
    case RunErrorKind::Score: return "score";
    case RunErrorKind::Duplicate: return "duplicate";
    case RunErrorKind::Empty: return "empty";
    case RunErrorKind::Io: return "io";
    case RunErrorKind::None: break;
  }
  return "none";
}

// { qidBytes, qidEnds, offsets, scores, start, len, hash, bytes } or { error: { kind, line, … } }.
Napi::Value to_js(Napi::Env env, RunTable&& t, const RunError& err) {
  Napi::Object out = Napi::Object::New(env);
  if (err.kind != RunErrorKind::None) {
    Napi::Object e = Napi::Object::New(env);
    e.Set("kind", kind_name(err.kind));
    e.Set("line", static_cast<double>(err.line));
    e.Set("fields", err.fields);
    e.Set("token", bytes_of(env, err.token));
    e.Set("qid", bytes_of(env, err.qid));
    e.Set("docno", bytes_of(env, err.docno));
    e.Set("firstLine", static_cast<double>(err.first_line));
    e.Set("message", err.message);
    out.Set("error", e);
    return out;
  }
  // Sizes first: an argument's std::move may be evaluated before another argument's size().
  const size_t nq = t.qid_ends.size(), nqb = t.qid_bytes.size(), n = t.scores.size(), nb = t.bytes.size();
  out.Set("qidBytes", Napi::Uint8Array::New(env, nqb, adopt(env, std::move(t.qid_bytes)), 0));
  out.Set("qidEnds", Napi::Int32Array::New(env, nq, adopt(env, std::move(t.qid_ends)), 0));
  out.Set("offsets", Napi::Int32Array::New(env, nq + 1, adopt(env, std::move(t.offsets)), 0));
  out.Set("scores", Napi::Float64Array::New(env, n, adopt(env, std::move(t.scores)), 0));
  out.Set("start", Napi::Uint32Array::New(env, n, adopt(env, std::move(t.start)), 0));
  out.Set("len", Napi::Int32Array::New(env, n, adopt(env, std::move(t.len)), 0));
  out.Set("hash", Napi::Int32Array::New(env, n, adopt(env, std::move(t.hash)), 0));
  out.Set("bytes", Napi::Uint8Array::New(env, nb, adopt(env, std::move(t.bytes)), 0));
  return out;
}

struct Parsed {
  RunTable table;
  RunError error;
};

// readRunFile(fd, from, to, parts) → Promise of the columns of bytes [from, to) or { error }
Napi::Value ReadRunFile(const Napi::CallbackInfo& info) {
  const int fd = static_cast<int>(size_arg(info[0], "fd", 0));
  const uint64_t from = size_arg(info[1], "from", 0);
  const uint64_t to = size_arg(info[2], "to", from);
  const int parts = static_cast<int>(size_arg(info[3], "parts", 1));
  auto parsed = std::make_shared<Parsed>();
  return Job<>::start(
      info.Env(), "xmrbench.readRunFile", [=] { parsed->table = trec::read_run_fd(fd, from, to, parts, &parsed->error); },
      [parsed](Napi::Env env, const Job<>::Kept&) { return to_js(env, std::move(parsed->table), parsed->error); }, {});
}

// releaseRunColumns(result) frees the columns of a readRunFile result now, not when the garbage
// collector finds them: their ArrayBuffers are detached (the typed arrays on them read as empty),
// which drops the storage at once. A reader of many windows (src/data/trec/run-windows.ts) calls it
// when its consumer is done with a window; left to the collector, the external memory the columns
// report made V8 run a mark-compact every few windows (~7 a read of 330 MB, 5–15 ms each).
Napi::Value ReleaseRunColumns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "releaseRunColumns: result must be a readRunFile result");
  Napi::Object result = info[0].As<Napi::Object>();
  for (const char* name : {"qidBytes", "qidEnds", "offsets", "scores", "start", "len", "hash", "bytes"}) {
    Napi::Value v = result.Get(name);
    if (!v.IsTypedArray()) continue;
    Napi::ArrayBuffer buffer = v.As<Napi::TypedArray>().ArrayBuffer();
    if (buffer.ByteLength() > 0) buffer.Detach();
  }
  return env.Undefined();
}

class RunParserWrap : public Napi::ObjectWrap<RunParserWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "TrecRunParser", {InstanceMethod<&RunParserWrap::Parse>("parse"), InstanceMethod<&RunParserWrap::Finish>("finish")});
  }
  explicit RunParserWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RunParserWrap>(info), ranges_(1) {}

 private:
  // parse(region: Uint8Array) → false once a line is malformed (finish() then reports it)
  Napi::Value Parse(const Napi::CallbackInfo& info) {
    U8 region = uint8_arg(info[0], "region");
    if (ranges_.empty()) throw Napi::Error::New(info.Env(), "the run parser is finished");
    return Napi::Boolean::New(info.Env(), guarded(info.Env(), [&] { return ranges_[0].parse(region.data, region.length); }));
  }
  // finish() → the run's columns or { error }
  Napi::Value Finish(const Napi::CallbackInfo& info) {
    if (ranges_.empty()) throw Napi::Error::New(info.Env(), "the run parser is finished");
    RunError err;
    RunTable t = guarded(info.Env(), [&] { return trec::assemble(ranges_, 1, &err); });
    ranges_.clear();
    return to_js(info.Env(), std::move(t), err);
  }

  std::vector<trec::RunRangeParser> ranges_;
};

}  // namespace

void RegisterTrec(Napi::Env env, Napi::Object exports) {
  exports.Set("readRunFile", Napi::Function::New<ReadRunFile>(env, "readRunFile"));
  exports.Set("releaseRunColumns", Napi::Function::New<ReleaseRunColumns>(env, "releaseRunColumns"));
  exports.Set("TrecRunParser", RunParserWrap::Define(env));
}

}  // namespace xmr::napi
