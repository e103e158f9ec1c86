#pragma once
#include <napi.h>

namespace xmr::napi {
void RegisterTokenizer(Napi::Env env, Napi::Object exports);
}
