#pragma once
#include <napi.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xmr/tokenizer.h"

namespace xmr::napi {

void RegisterTokenizer(Napi::Env env, Napi::Object exports);

// The texts of a string array as UTF-8 in one buffer (lone surrogates become U+FFFD); `name`
// names the argument in the TypeError thrown for anything else.
struct Texts {
  std::string bytes;
  std::vector<size_t> ends;
  std::vector<std::string_view> views;
  Texts(const Napi::Value& v, const char* name);
};

// The options object of encodeBatch (src/tokenize/tokenizer.ts builds it) as EncodeOptions.
tok::EncodeOptions encode_options_arg(const Napi::Value& v);

// The tokenizer of a native Tokenizer object, or a TypeError naming the argument.
std::shared_ptr<const tok::Tokenizer> tokenizer_arg(const Napi::Value& v, const char* name);

}  // namespace xmr::napi
