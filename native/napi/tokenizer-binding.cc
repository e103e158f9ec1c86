// Node-API glue for the tokenizer: the Tokenizer class (built from a spec object that
// src/tokenize/spec.ts derives from tokenizer.json or vocab.txt), encodeBatchSync / encodeBatch
// (async, off the main thread), and the WordPiece vocabulary builder. Arguments are validated in
// TypeScript; the checks here are cheap guards. Strings are read as UTF-8 once, on the main thread.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "glue.h"
#include "tokenizer-binding.h"
#include "xmr/tokenizer.h"

namespace xmr::napi {
namespace {

using tok::BatchEncoding;
using tok::EncodeOptions;

// The Tokenizer constructor of each environment (main thread and each worker have their own).
thread_local Napi::FunctionReference* tokenizer_ctor = nullptr;

std::string string_prop(const Napi::Object& o, const char* key, const std::string& fallback = "") {
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsString()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

bool bool_prop(const Napi::Object& o, const char* key, bool fallback) {
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

double number_prop(const Napi::Object& o, const char* key, double fallback) {
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

Napi::Array array_prop(const Napi::Object& o, const char* key) {
  const Napi::Value v = o.Get(key);
  if (!v.IsArray()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be an array");
  return v.As<Napi::Array>();
}

std::vector<int32_t> int_list(const Napi::Object& o, const char* key) {
  std::vector<int32_t> out;
  const Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return out;
  const Napi::Array a = array_prop(o, key);
  for (uint32_t i = 0; i < a.Length(); ++i) out.push_back(static_cast<int32_t>(a.Get(i).As<Napi::Number>().Int32Value()));
  return out;
}

tok::Behavior behavior(const Napi::Env& env, const std::string& s) {
  if (s == "removed") return tok::Behavior::Removed;
  if (s == "isolated") return tok::Behavior::Isolated;
  if (s == "merged_with_previous") return tok::Behavior::MergedWithPrevious;
  if (s == "merged_with_next") return tok::Behavior::MergedWithNext;
  if (s == "contiguous") return tok::Behavior::Contiguous;
  throw Napi::TypeError::New(env, "unknown split behavior '" + s + "'");
}

tok::TokenizerSpec read_spec(const Napi::Object& o) {
  Napi::Env env = o.Env();
  tok::TokenizerSpec spec;
  const Napi::Array norms = array_prop(o, "normalizers");
  for (uint32_t i = 0; i < norms.Length(); ++i) {
    const Napi::Object n = norms.Get(i).As<Napi::Object>();
    const std::string type = string_prop(n, "type");
    tok::NormalizerSpec s;
    if (type == "bert") {
      s.kind = tok::NormKind::Bert;
      s.clean_text = bool_prop(n, "cleanText", true);
      s.handle_chinese_chars = bool_prop(n, "handleChineseChars", true);
      s.strip_accents = bool_prop(n, "stripAccents", true);
      s.lowercase = bool_prop(n, "lowercase", true);
    } else if (type == "nfc") s.kind = tok::NormKind::Nfc;
    else if (type == "nfd") s.kind = tok::NormKind::Nfd;
    else if (type == "nfkc") s.kind = tok::NormKind::Nfkc;
    else if (type == "nfkd") s.kind = tok::NormKind::Nfkd;
    else if (type == "lowercase") s.kind = tok::NormKind::Lowercase;
    else if (type == "stripAccents") s.kind = tok::NormKind::StripAccents;
    else if (type == "replace") { s.kind = tok::NormKind::Replace; s.pattern = string_prop(n, "pattern"); s.content = string_prop(n, "content"); }
    else if (type == "strip") { s.kind = tok::NormKind::Strip; s.left = bool_prop(n, "left", true); s.right = bool_prop(n, "right", true); }
    else if (type == "prepend") { s.kind = tok::NormKind::Prepend; s.content = string_prop(n, "prepend"); }
    else if (type == "replaceWhitespace") { s.kind = tok::NormKind::ReplaceWhitespace; s.content = string_prop(n, "content"); }
    else if (type == "replaceSpaces") { s.kind = tok::NormKind::ReplaceSpaces; s.content = string_prop(n, "content"); }
    else if (type == "precompiled") {
      s.kind = tok::NormKind::Precompiled;
      const Napi::Value v = n.Get("charsmap");
      if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
        throw Napi::TypeError::New(env, "normalizer charsmap must be a Uint8Array");
      const Napi::Uint8Array bytes = v.As<Napi::Uint8Array>();
      tok::parse_precompiled(std::string_view(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength()), &s);
    }
    else throw Napi::TypeError::New(env, "unknown normalizer type '" + type + "'");
    spec.normalizers.push_back(s);
  }
  const Napi::Array pres = array_prop(o, "preTokenizers");
  for (uint32_t i = 0; i < pres.Length(); ++i) {
    const Napi::Object p = pres.Get(i).As<Napi::Object>();
    const std::string type = string_prop(p, "type");
    tok::PreTokenizerSpec s;
    if (type == "bert") s.kind = tok::PreKind::Bert;
    else if (type == "whitespace") s.kind = tok::PreKind::Whitespace;
    else if (type == "whitespaceSplit") s.kind = tok::PreKind::WhitespaceSplit;
    else if (type == "punctuation") { s.kind = tok::PreKind::Punctuation; s.behavior = behavior(env, string_prop(p, "behavior", "isolated")); }
    else if (type == "digits") { s.kind = tok::PreKind::Digits; s.individual_digits = bool_prop(p, "individualDigits", false); }
    else if (type == "metaspace") {
      s.kind = tok::PreKind::Metaspace;
      s.replacement = static_cast<char32_t>(number_prop(p, "replacement", 0x2581));
      const std::string scheme = string_prop(p, "prependScheme", "always");
      s.prepend_scheme = scheme == "never" ? tok::PrependScheme::Never : scheme == "first" ? tok::PrependScheme::First : tok::PrependScheme::Always;
      s.split = bool_prop(p, "split", true);
    } else if (type == "byteLevel") {
      s.kind = tok::PreKind::ByteLevel;
      s.add_prefix_space = bool_prop(p, "addPrefixSpace", false);
      s.use_regex = bool_prop(p, "useRegex", true);
    } else if (type == "split") {
      s.kind = tok::PreKind::Split;
      const std::string pattern = string_prop(p, "pattern");
      if (pattern == "literal") s.pattern = tok::SplitPattern::Literal;
      else if (pattern == "gpt2") s.pattern = tok::SplitPattern::Gpt2;
      else if (pattern == "clip") s.pattern = tok::SplitPattern::Clip;
      else if (pattern == "clipWithSpecials") s.pattern = tok::SplitPattern::ClipWithSpecials;
      else if (pattern == "llama3") s.pattern = tok::SplitPattern::Llama3;
      else if (pattern == "qwen2") s.pattern = tok::SplitPattern::Qwen2;
      else throw Napi::TypeError::New(env, "unknown split pattern '" + pattern + "'");
      s.literal = string_prop(p, "literal");
      s.behavior = behavior(env, string_prop(p, "behavior", "removed"));
      s.invert = bool_prop(p, "invert", false);
    } else throw Napi::TypeError::New(env, "unknown pre-tokenizer type '" + type + "'");
    spec.pre_tokenizers.push_back(s);
  }
  const Napi::Object m = o.Get("model").As<Napi::Object>();
  const std::string type = string_prop(m, "type");
  if (type != "wordpiece" && type != "unigram" && type != "bpe") throw Napi::TypeError::New(env, "unknown model type '" + type + "'");
  spec.model.kind = type == "wordpiece" ? tok::ModelKind::WordPiece : type == "unigram" ? tok::ModelKind::Unigram : tok::ModelKind::Bpe;
  const Napi::Array vocab = array_prop(m, "vocab");
  spec.model.vocab.reserve(vocab.Length());
  for (uint32_t i = 0; i < vocab.Length(); ++i) {
    const Napi::Value v = vocab.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(env, "model.vocab must hold strings");
    spec.model.vocab.push_back(v.As<Napi::String>().Utf8Value());
  }
  spec.model.unk_id = static_cast<int32_t>(number_prop(m, "unkId", -1));
  spec.model.continuing_subword_prefix = string_prop(m, "continuingSubwordPrefix", "##");
  spec.model.max_input_chars_per_word = static_cast<size_t>(number_prop(m, "maxInputCharsPerWord", 100));
  spec.model.byte_fallback = bool_prop(m, "byteFallback", false);
  if (spec.model.kind == tok::ModelKind::Bpe) {
    spec.model.continuing_subword_prefix = string_prop(m, "continuingSubwordPrefix", "");
    spec.model.end_of_word_suffix = string_prop(m, "endOfWordSuffix", "");
    spec.model.fuse_unk = bool_prop(m, "fuseUnk", false);
    spec.model.ignore_merges = bool_prop(m, "ignoreMerges", false);
    // Merges as one flat array: first, second, first, second, …
    const Napi::Array merges = array_prop(m, "merges");
    if (merges.Length() % 2 != 0) throw Napi::TypeError::New(env, "model.merges must hold pairs");
    spec.model.merges.reserve(merges.Length() / 2);
    for (uint32_t i = 0; i < merges.Length(); i += 2) {
      const Napi::Value a = merges.Get(i), b = merges.Get(i + 1);
      if (!a.IsString() || !b.IsString()) throw Napi::TypeError::New(env, "model.merges must hold strings");
      spec.model.merges.emplace_back(a.As<Napi::String>().Utf8Value(), b.As<Napi::String>().Utf8Value());
    }
  }
  const Napi::Value scores = m.Get("scores");
  if (scores.IsTypedArray()) {
    auto s = float64_arg(scores, "model.scores");
    spec.model.scores.assign(s.data, s.data + s.length);
  }
  const Napi::Array added = array_prop(o, "addedTokens");
  for (uint32_t i = 0; i < added.Length(); ++i) {
    const Napi::Object a = added.Get(i).As<Napi::Object>();
    spec.added_tokens.push_back({static_cast<int32_t>(number_prop(a, "id", -1)), string_prop(a, "content"),
                                 bool_prop(a, "lstrip", false), bool_prop(a, "rstrip", false), bool_prop(a, "normalized", false)});
  }
  const Napi::Object post = o.Get("post").As<Napi::Object>();
  spec.post.prefix = int_list(post, "prefix");
  spec.post.suffix = int_list(post, "suffix");
  for (int32_t t : int_list(post, "prefixTypes")) spec.post.prefix_types.push_back(static_cast<uint8_t>(t));
  for (int32_t t : int_list(post, "suffixTypes")) spec.post.suffix_types.push_back(static_cast<uint8_t>(t));
  spec.post.sequence_type = static_cast<uint8_t>(number_prop(post, "sequenceType", 0));
  spec.post.trim_offsets = bool_prop(post, "trimOffsets", false);
  spec.post.add_prefix_space = bool_prop(post, "addPrefixSpace", false);
  return spec;
}

}  // namespace

EncodeOptions encode_options_arg(const Napi::Value& v) {
  EncodeOptions o;
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "options must be an object");
  const Napi::Object obj = v.As<Napi::Object>();
  o.max_length = static_cast<size_t>(number_prop(obj, "maxLength", 0));
  o.truncate_left = string_prop(obj, "truncationSide", "right") == "left";
  const std::string padding = string_prop(obj, "padding", "none");
  o.padding = padding == "longest" ? tok::Padding::Longest : padding == "max_length" ? tok::Padding::MaxLength : tok::Padding::None;
  o.pad_left = string_prop(obj, "paddingSide", "right") == "left";
  o.pad_id = static_cast<int32_t>(number_prop(obj, "padId", 0));
  o.pad_type_id = static_cast<uint8_t>(number_prop(obj, "padTypeId", 0));
  o.add_special_tokens = bool_prop(obj, "addSpecialTokens", true);
  o.offsets = bool_prop(obj, "offsets", false);
  o.type_ids = bool_prop(obj, "typeIds", false);
  o.int64 = bool_prop(obj, "int64", false);
  o.threads = static_cast<int>(number_prop(obj, "threads", 1));
  return o;
}

// One UTF-8 conversion per string: V8 knows a string's UTF-16 length at once, and a UTF-16 unit
// takes at most 3 UTF-8 bytes (a surrogate pair, 2 units, takes 4), so that bound is reserved
// rather than asking V8 to measure the UTF-8 length in a first pass.
Texts::Texts(const Napi::Value& v, const char* name) {
  Napi::Env env = v.Env();
  if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(name) + " must be an array of strings");
  const Napi::Array a = v.As<Napi::Array>();
  const uint32_t n = a.Length();
  ends.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const Napi::Value s = a.Get(i);
    if (!s.IsString())
      throw Napi::TypeError::New(env, std::string(name) + "[" + std::to_string(i) + "] must be a string");
    size_t units = 0;
    NAPI_THROW_IF_FAILED_VOID(env, napi_get_value_string_utf16(env, s, nullptr, 0, &units));
    const size_t at = bytes.size(), room = 3 * units + 1;  // + napi's terminating NUL
    if (bytes.capacity() < at + room) bytes.reserve(std::max(bytes.capacity() * 2, at + room));
    bytes.resize(at + room);
    size_t written = 0;
    NAPI_THROW_IF_FAILED_VOID(env, napi_get_value_string_utf8(env, s, &bytes[at], room, &written));
    bytes.resize(at + written);
    ends.push_back(bytes.size());
  }
  size_t start = 0;
  views.reserve(n);
  for (size_t e : ends) { views.emplace_back(bytes.data() + start, e - start); start = e; }
}

namespace {

// A typed array over a vector's memory, handed to JavaScript without a copy (the vector is freed
// when the array is collected); copied instead where the runtime forbids external buffers.
template <typename T>
Napi::Value typed(Napi::Env env, std::vector<T>&& v, napi_typedarray_type type) {
  const size_t n = v.size();
  napi_value buffer = nullptr;
  if (n > 0) {
    auto* holder = new std::vector<T>(std::move(v));
    const napi_status st = napi_create_external_arraybuffer(
        env, holder->data(), n * sizeof(T), [](napi_env, void*, void* hint) { delete static_cast<std::vector<T>*>(hint); },
        holder, &buffer);
    if (st != napi_ok) {
      void* data = nullptr;
      NAPI_THROW_IF_FAILED(env, napi_create_arraybuffer(env, n * sizeof(T), &data, &buffer), Napi::Value());
      std::memcpy(data, holder->data(), n * sizeof(T));
      delete holder;
    }
  } else {
    void* data = nullptr;
    NAPI_THROW_IF_FAILED(env, napi_create_arraybuffer(env, 0, &data, &buffer), Napi::Value());
  }
  napi_value out;
  NAPI_THROW_IF_FAILED(env, napi_create_typedarray(env, type, n, buffer, 0, &out), Napi::Value());
  return Napi::Value(env, out);
}

Napi::Object result(Napi::Env env, BatchEncoding&& r, const EncodeOptions& o) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("rows", Napi::Number::New(env, static_cast<double>(r.rows)));
  out.Set("cols", Napi::Number::New(env, static_cast<double>(r.cols)));
  if (o.int64) {
    out.Set("ids", typed(env, std::move(r.ids64), napi_bigint64_array));
    out.Set("attentionMask", typed(env, std::move(r.mask64), napi_bigint64_array));
    if (o.type_ids) out.Set("typeIds", typed(env, std::move(r.types64), napi_bigint64_array));
  } else {
    out.Set("ids", typed(env, std::move(r.ids32), napi_int32_array));
    out.Set("attentionMask", typed(env, std::move(r.mask8), napi_uint8_array));
    if (o.type_ids) out.Set("typeIds", typed(env, std::move(r.types8), napi_uint8_array));
  }
  if (o.offsets) out.Set("offsets", typed(env, std::move(r.offsets), napi_uint32_array));
  out.Set("lengths", typed(env, std::move(r.lengths), napi_uint32_array));
  return out;
}

class TokenizerObject : public Napi::ObjectWrap<TokenizerObject> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Tokenizer",
                       {InstanceMethod<&TokenizerObject::EncodeBatchSync>("encodeBatchSync"),
                        InstanceMethod<&TokenizerObject::EncodeBatch>("encodeBatch"),
                        InstanceMethod<&TokenizerObject::Encode>("encode"),
                        InstanceMethod<&TokenizerObject::IdToToken>("idToToken"),
                        InstanceMethod<&TokenizerObject::Normalize>("normalize"),
                        InstanceMethod<&TokenizerObject::PreTokenize>("preTokenize"),
                        InstanceAccessor<&TokenizerObject::VocabSize>("vocabSize")});
  }
  explicit TokenizerObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TokenizerObject>(info) {
    if (!info[0].IsObject()) throw Napi::TypeError::New(info.Env(), "spec must be an object");
    tok::TokenizerSpec spec = guarded(info.Env(), [&] { return read_spec(info[0].As<Napi::Object>()); });
    tok_ = guarded(info.Env(), [&] { return tok::make_tokenizer(std::move(spec)); });
    // The tables (megabytes for a real vocabulary) are the tokenizer's weight: told to V8, a
    // program that makes many tokenizers gets GCs that free the dead ones, as for models and indexes.
    accounted_ = static_cast<int64_t>(tok::memory_bytes(*tok_));
    Napi::MemoryManagement::AdjustExternalMemory(info.Env(), accounted_);
  }
  void Finalize(Napi::Env env) override { Napi::MemoryManagement::AdjustExternalMemory(env, -accounted_); }

  const std::shared_ptr<const tok::Tokenizer>& tokenizer() const { return tok_; }

 private:
  // encodeBatchSync(texts, options) → { rows, cols, ids, attentionMask, typeIds?, offsets?, lengths }
  Napi::Value EncodeBatchSync(const Napi::CallbackInfo& info) {
    Texts texts(info[0], "texts");
    const EncodeOptions o = encode_options_arg(info[1]);
    BatchEncoding r = guarded(info.Env(), [&] { return tok::encode_batch(*tok_, texts.views.data(), texts.views.size(), o); });
    return result(info.Env(), std::move(r), o);
  }
  // The texts are copied to UTF-8 here; the job keeps the tokenizer alive even if this object is collected.
  Napi::Value EncodeBatch(const Napi::CallbackInfo& info) {
    struct State {
      State(std::shared_ptr<const tok::Tokenizer> t, EncodeOptions o, const Napi::Value& v)
          : tok(std::move(t)), opt(o), texts(v, "texts") {}  // in place: texts.views point into texts.bytes
      std::shared_ptr<const tok::Tokenizer> tok;
      EncodeOptions opt;
      Texts texts;
      BatchEncoding out;
    };
    const EncodeOptions o = encode_options_arg(info[1]);
    auto st = std::make_shared<State>(tok_, o, info[0]);
    return Job<>::start(
        info.Env(), "xmrbench.tokenize",
        [st] { st->out = tok::encode_batch(*st->tok, st->texts.views.data(), st->texts.views.size(), st->opt); },
        [st](Napi::Env env, const Job<>::Kept&) { return result(env, std::move(st->out), st->opt); }, {});
  }
  // encode(text, addSpecialTokens) → { ids: Int32Array, offsets: Uint32Array } (no truncation or padding)
  Napi::Value Encode(const Napi::CallbackInfo& info) {
    if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "text must be a string");
    const std::string text = info[0].As<Napi::String>().Utf8Value();
    const bool special = info[1].IsBoolean() ? info[1].As<Napi::Boolean>().Value() : true;
    auto tokens = guarded(info.Env(), [&] { return tok::encode_one(*tok_, text, special); });
    std::vector<int32_t> ids;
    std::vector<uint32_t> offsets;
    for (const auto& t : tokens) { ids.push_back(t.id); offsets.push_back(t.start); offsets.push_back(t.end); }
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("ids", typed(info.Env(), std::move(ids), napi_int32_array));
    out.Set("offsets", typed(info.Env(), std::move(offsets), napi_uint32_array));
    return out;
  }
  Napi::Value Normalize(const Napi::CallbackInfo& info) {
    if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "text must be a string");
    const std::string text = info[0].As<Napi::String>().Utf8Value();
    return Napi::String::New(info.Env(), guarded(info.Env(), [&] { return tok::normalize_text(*tok_, text); }));
  }
  // preTokenize(text) → [word, start, end][] (start/end: UTF-16 offsets in the input)
  Napi::Value PreTokenize(const Napi::CallbackInfo& info) {
    if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "text must be a string");
    const std::string text = info[0].As<Napi::String>().Utf8Value();
    const auto words = guarded(info.Env(), [&] { return tok::pre_tokenize_text(*tok_, text); });
    Napi::Array out = Napi::Array::New(info.Env(), words.size());
    for (uint32_t i = 0; i < words.size(); ++i) {
      Napi::Array w = Napi::Array::New(info.Env(), 3);
      w.Set(0u, Napi::String::New(info.Env(), words[i].text));
      w.Set(1u, Napi::Number::New(info.Env(), words[i].start));
      w.Set(2u, Napi::Number::New(info.Env(), words[i].end));
      out.Set(i, w);
    }
    return out;
  }
  Napi::Value IdToToken(const Napi::CallbackInfo& info) {
    const size_t id = size_arg(info[0], "id", 0);
    return Napi::String::New(info.Env(), tok::token_string(*tok_, static_cast<int32_t>(std::min<size_t>(id, INT32_MAX))));
  }
  Napi::Value VocabSize(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(tok::vocab_size(*tok_)));
  }
  std::shared_ptr<const tok::Tokenizer> tok_;
  int64_t accounted_ = 0;
};

}  // namespace

std::shared_ptr<const tok::Tokenizer> tokenizer_arg(const Napi::Value& v, const char* name) {
  if (!v.IsObject() || tokenizer_ctor == nullptr || !v.As<Napi::Object>().InstanceOf(tokenizer_ctor->Value()))
    throw Napi::TypeError::New(v.Env(), std::string(name) + " must be a native Tokenizer");
  return TokenizerObject::Unwrap(v.As<Napi::Object>())->tokenizer();
}

void RegisterTokenizer(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = TokenizerObject::Define(env);
  tokenizer_ctor = new Napi::FunctionReference(Napi::Persistent(ctor));
  Napi::FunctionReference* mine = tokenizer_ctor;
  env.AddCleanupHook([mine] {
    if (tokenizer_ctor == mine) tokenizer_ctor = nullptr;
    delete mine;
  });
  exports.Set("Tokenizer", ctor);
}

}  // namespace xmr::napi
